package listener

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
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

	turnedAway   atomic.Int64  // connections turned away since the last report
	reportDone   chan struct{} // closed to stop the turned-away reporter
	reporterDone chan struct{} // closed when it has stopped

	mu      sync.Mutex // guards the fields below
	closing bool
	conns   map[*conn]bool // value: idle (waiting for a frame to start)

	startGen uint64      // the tree's generation when the listener started
	rejects  []rejection // the last rejected requests, oldest first

	keyID string      // names the secret in the audit (keyIDOf); "" without one
	audit *zap.Logger // the tree's logcfg.AuditLogger
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
		address:      DefaultAddress,
		lo:           DefaultPortLo,
		hi:           DefaultPortHi,
		maxPayload:   DefaultMaxPayload,
		readTimeout:  DefaultReadTimeout,
		maxConns:     DefaultMaxConns,
		writeTimeout: DefaultWriteTimeout,
		connLifetime: DefaultConnLifetime,
		reportEvery:  DefaultReportInterval,
		name:         filepath.Base(os.Args[0]),
		clock:        systemClock{},
	}
	for _, opt := range opts {
		opt.applyListenerOption(&o)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	l := &Listener{
		tree:         tree,
		o:            o,
		log:          o.logger,
		pid:          os.Getpid(),
		slots:        make(chan struct{}, o.maxConns),
		acceptDone:   make(chan struct{}),
		conns:        make(map[*conn]bool),
		reportDone:   make(chan struct{}),
		reporterDone: make(chan struct{}),
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
		l.keyID = keyIDOf(secret)
	}
	l.audit = tree.Logger(logcfg.AuditLogger)
	if o.full && l.secret == nil && o.verify == nil {
		return nil, errors.New("listener: WithFull(true) needs authentication: any local user can reach the port, and full reconfiguration chooses where logs are written; give WithSecretFile or WithVerify")
	}
	roots, err := cleanRoots(o.fileRoots)
	if err != nil {
		return nil, err
	}
	l.o.fileRoots = roots
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
	go l.reportTurnedAway()
	return l, nil
}

// cleanRoots makes the file roots absolute, clean and free of symbolic
// links (where they exist).
func cleanRoots(dirs []string) ([]string, error) {
	out := make([]string, 0, len(dirs))
	for _, d := range dirs {
		if !filepath.IsAbs(d) {
			return nil, fmt.Errorf("listener: file root %q is not an absolute path", clip(d, 200))
		}
		d = filepath.Clean(d)
		if real, err := filepath.EvalSymlinks(d); err == nil {
			d = real
		}
		out = append(out, d)
	}
	return out, nil
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
	case o.writeTimeout <= 0:
		return fmt.Errorf("listener: bad write timeout %s (want > 0)", o.writeTimeout)
	case o.connLifetime <= 0:
		return fmt.Errorf("listener: bad connection lifetime %s (want > 0)", o.connLifetime)
	case o.reportEvery <= 0:
		return fmt.Errorf("listener: bad report interval %s (want > 0)", o.reportEvery)
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

// turnAwayWrite bounds turnAway's writes.
const turnAwayWrite = time.Second

// sendBuffer is the kernel send buffer of each connection (Linux doubles
// it): replies still go out whole, under the write timeout, however large.
const sendBuffer = 64 << 10

// closeWait bounds how long Close lets requests already being read,
// applied or answered finish before it cuts their connections.
const closeWait = 2 * time.Second

// Close stops accepting connections, closes idle connections (after
// closeGrace, 50 ms, so that a frame already received is still served),
// lets requests already being read, applied or answered finish for at
// most 2 s (or the read timeout, if shorter), then cuts every connection
// still open (a client mid-frame, or one that does not read its reply),
// and returns when every goroutine of the listener has ended: within a
// few seconds, whatever the clients do, unless a hook (Hooks.AroundApply)
// blocks. Temporary changes are the tree's: they still revert after the
// listener closes. Calling it again does nothing.
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
		grace := time.NewTimer(min(l.o.readTimeout, closeWait))
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
		close(l.reportDone)
		<-l.reporterDone
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
			if tc, ok := nc.(*net.TCPConn); ok {
				// A client that does not read stalls a reply write after
				// sendBuffer bytes, so the write timeout ends its lease
				// after a few replies, not after megabytes of them.
				tc.SetWriteBuffer(sendBuffer)
			}
			c := &conn{nc: nc, nonce: wire.NewNonce(), end: time.Now().Add(l.o.connLifetime)}
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
// so they do not hold up the accept loop; the deadline only bounds a
// client that shrank its window to nothing, and is generous so that a
// loaded machine pausing this goroutine does not lose the greeting. It is
// counted, not logged: the
// reporter logs one line per interval (a client reconnecting in a loop
// would otherwise write hundreds of WARNINGs a second).
func (l *Listener) turnAway(nc net.Conn) {
	reason := fmt.Sprintf("too many connections (limit %d); try again", l.o.maxConns)
	nc.SetWriteDeadline(time.Now().Add(turnAwayWrite))
	wire.WriteJSON(nc, l.hello(""))
	wire.WriteJSON(nc, l.rejection(reason, nil))
	nc.Close()
	l.turnedAway.Add(1)
	if l.o.hooks.OnReject != nil {
		l.o.hooks.OnReject(reason)
	}
}

// reportTurnedAway logs, once per report interval in which connections
// were turned away, one WARNING with their count; and once more, for the
// last interval, when the listener closes.
func (l *Listener) reportTurnedAway() {
	defer close(l.reporterDone)
	t := time.NewTicker(l.o.reportEvery)
	defer t.Stop()
	report := func() {
		if n := l.turnedAway.Swap(0); n > 0 {
			l.log.Warn(fmt.Sprintf("turned away %d %s (limit %d)", n, plural(n, "connection", "connections"), l.o.maxConns),
				zap.Int64("turned_away", n), zap.Int("limit", l.o.maxConns), zap.Duration("interval", l.o.reportEvery))
		}
	}
	for {
		select {
		case <-t.C:
			report()
		case <-l.reportDone:
			report()
			return
		}
	}
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// features are what this listener lists in its greeting.
var features = []string{wire.FeatureDryRun, wire.FeatureSet, wire.FeatureLoggers, wire.FeatureHistory, wire.FeatureWarnings}

// hello is the greeting of a connection whose server nonce is nonce.
func (l *Listener) hello(nonce string) wire.Hello {
	return wire.Hello{Livelog: wire.Version, PID: l.pid, Name: l.o.name, Generation: l.tree.Generation(),
		Auth: l.secret != nil, Full: l.o.full, Nonce: nonce, Features: features}
}

func (l *Listener) rejection(reason string, warnings []string) wire.Reply {
	return wire.Reply{Livelog: wire.Version, Outcome: wire.OutcomeRejected, Error: reason,
		PID: l.pid, Name: l.o.name, Generation: l.tree.Generation(), Warnings: warnings}
}

// rejected logs a rejection as a WARNING (and on the audit logger), and
// calls the hook.
func (l *Listener) rejected(who origin, reason string) {
	l.log.Warn("config push rejected", zap.String("from", who.from), zap.String("reason", reason))
	l.recordRejection(who, reason)
	if l.o.hooks.OnReject != nil {
		l.o.hooks.OnReject(reason)
	}
}
