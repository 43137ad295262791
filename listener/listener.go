package listener

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// Listener serves the config channel of one process: it is made by
// [Start] and stopped by [Listener.Close]. Its methods are safe for
// concurrent use.
type Listener struct {
	tree    *logcfg.Tree
	o       options
	secret  []byte
	ln      net.Listener
	log     *zap.Logger
	pid     int
	started time.Time
	slots   chan struct{}

	wg         sync.WaitGroup // connection and revert goroutines
	acceptDone chan struct{}
	closeOnce  sync.Once

	mu      sync.Mutex // guards the fields below
	closing bool
	conns   map[*conn]bool // value: idle (waiting for a frame to start)
	nonces  nonceCache

	startGen uint64 // the tree's generation when the listener started
}

// Start binds the first free port of the range on the address (see the
// options for the defaults), and serves tree's config channel in the
// background until [Listener.Close]. When every port of the range is
// taken it returns an error wrapping [ErrNoFreePort], which an application
// may treat as non-fatal.
func Start(tree *logcfg.Tree, opts ...Option) (*Listener, error) {
	if tree == nil {
		panic("listener: Start with a nil Tree")
	}
	o := options{
		address:     DefaultAddress,
		lo:          DefaultPortLo,
		hi:          DefaultPortHi,
		maxPayload:  DefaultMaxPayload,
		readTimeout: DefaultReadTimeout,
		maxConns:    DefaultMaxConns,
		name:        filepath.Base(os.Args[0]),
		clock:       systemClock{},
	}
	for _, opt := range opts {
		opt.applyListenerOption(&o)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	l := &Listener{
		tree:       tree,
		o:          o,
		log:        o.logger,
		pid:        os.Getpid(),
		slots:      make(chan struct{}, o.maxConns),
		acceptDone: make(chan struct{}),
		conns:      make(map[*conn]bool),
	}
	if l.log == nil {
		l.log = tree.Logger("livelog.listener")
	}
	if o.secretFile != "" {
		secret, err := readSecret(o.secretFile)
		if err != nil {
			return nil, err
		}
		l.secret = secret
	}
	if !isLoopback(o.address) && l.secret == nil {
		return nil, fmt.Errorf("listener: address %q is not loopback: binding it needs authentication (WithSecretFile)", o.address)
	}
	ln, err := bind(o.address, o.lo, o.hi)
	if err != nil {
		return nil, err
	}
	l.ln = ln
	l.started = o.clock.Now()
	l.startGen = tree.Generation()
	l.log.Info("listening for config pushes", zap.String("addr", ln.Addr().String()),
		zap.Bool("auth", l.secret != nil), zap.Bool("full", o.full))
	go l.accept()
	return l, nil
}

func (o *options) validate() error {
	switch {
	case o.lo < 1 || o.hi > 65535 || o.lo > o.hi:
		return fmt.Errorf("listener: bad port range %d-%d (want 1 <= lo <= hi <= 65535)", o.lo, o.hi)
	case o.maxPayload < 1:
		return fmt.Errorf("listener: bad payload cap %d (want at least 1 byte)", o.maxPayload)
	case o.readTimeout <= 0:
		return fmt.Errorf("listener: bad read timeout %s (want > 0)", o.readTimeout)
	case o.maxConns < 1:
		return fmt.Errorf("listener: bad connection cap %d (want at least 1)", o.maxConns)
	case o.maxTemp < 0:
		return fmt.Errorf("listener: bad temporary-change ceiling %s (want >= 0)", o.maxTemp)
	case o.clock == nil:
		return errors.New("listener: nil Clock")
	}
	return nil
}

// Addr is the address the listener is bound to.
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }

// closeGrace is how long Close lets an idle connection show a frame whose
// bytes have already arrived.
const closeGrace = 50 * time.Millisecond

// Close stops accepting connections, lets requests already being read or
// applied finish (bounded by the read timeout, after which their
// connections are cut), closes idle connections (after closeGrace, 50 ms,
// so that a frame already received is still served), and returns when
// every goroutine of the listener has ended. Temporary changes are the
// tree's: they still revert after the listener closes. Calling it again
// does nothing.
func (l *Listener) Close() error {
	var err error
	l.closeOnce.Do(func() {
		err = l.ln.Close()
		<-l.acceptDone
		l.mu.Lock()
		l.closing = true
		for c, idle := range l.conns {
			if idle {
				// Ends the wait for a frame once bytes already received
				// have had their chance to be seen.
				c.nc.SetReadDeadline(time.Now().Add(closeGrace))
			}
		}
		l.mu.Unlock()

		done := make(chan struct{})
		go func() { l.wg.Wait(); close(done) }()
		grace := time.NewTimer(l.o.readTimeout)
		defer grace.Stop()
		select {
		case <-done:
		case <-grace.C:
			l.mu.Lock()
			for c := range l.conns {
				c.nc.Close()
			}
			l.mu.Unlock()
			<-done
		}
		l.log.Info("listener closed", zap.String("addr", l.ln.Addr().String()))
	})
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// accept runs until the net.Listener is closed.
func (l *Listener) accept() {
	defer close(l.acceptDone)
	var backoff time.Duration
	for {
		nc, err := l.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: wait a little.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			l.log.Warn("accept failed", zap.Error(err), zap.Duration("retry_in", backoff))
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		select {
		case l.slots <- struct{}{}:
			c := &conn{nc: nc}
			l.mu.Lock()
			l.conns[c] = false
			l.wg.Add(1)
			l.mu.Unlock()
			go l.serve(c)
		default:
			l.turnAway(nc)
		}
	}
}

// turnAway answers a connection over the cap with the greeting and a
// rejected reply, and closes it. The writes fit in an empty socket buffer,
// so they do not hold up the accept loop.
func (l *Listener) turnAway(nc net.Conn) {
	reason := fmt.Sprintf("too many connections (limit %d); try again", l.o.maxConns)
	nc.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	wire.WriteJSON(nc, l.hello())
	wire.WriteJSON(nc, l.rejection(reason))
	nc.Close()
	l.rejected(nc.RemoteAddr().String(), reason)
}

func (l *Listener) hello() wire.Hello {
	return wire.Hello{Livelog: wire.Version, PID: l.pid, Name: l.o.name, Generation: l.tree.Generation(),
		Auth: l.secret != nil, Full: l.o.full}
}

func (l *Listener) rejection(reason string) wire.Reply {
	return wire.Reply{Livelog: wire.Version, Outcome: wire.OutcomeRejected, Error: reason,
		PID: l.pid, Name: l.o.name, Generation: l.tree.Generation()}
}

// rejected logs a rejection as a WARNING and calls the hook.
func (l *Listener) rejected(from, reason string) {
	l.log.Warn("config push rejected", zap.String("from", from), zap.String("reason", reason))
	if l.o.hooks.OnReject != nil {
		l.o.hooks.OnReject(reason)
	}
}
