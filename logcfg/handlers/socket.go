package handlers

import (
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/livelog/livelog/internal/pylit"
)

var (
	socketSig   = signature{"SocketHandler", []string{"host", "port"}, 1}
	datagramSig = signature{"DatagramHandler", []string{"host", "port"}, 1}
)

// Python's SocketHandler: connections time out after a second
// (makeSocket's timeout=1, which stays the socket's timeout for sends),
// and failed connects are retried after retryStart seconds, then each
// time retryFactor times longer, at most retryMax.
const (
	socketTimeout = time.Second
	retryStart    = 1.0
	retryMax      = 30.0
	retryFactor   = 2.0
)

// netAddr reads (host, port) as SocketHandler and DatagramHandler take
// them: port None makes host the path of a Unix socket. Python checks
// neither until the first record; livelog checks both here.
func netAddr(sig signature, a Args, inet, unix string) (network, addr string, err error) {
	got, err := sig.bind(a)
	if err != nil {
		return "", "", err
	}
	host, port := got["host"], got["port"]
	if _, ok := got["port"]; !ok {
		return "", "", fmt.Errorf("%w: %s needs port (None makes host a Unix socket path)", ErrBadArgs, sig.class)
	}
	if host.Kind != pylit.KindString || host.Str == "" {
		return "", "", fmt.Errorf("%w: %s host must be a non-empty string, not %s", ErrBadArgs, sig.class, pylit.Describe(host))
	}
	switch {
	case port.Kind == pylit.KindNone:
		return unix, host.Str, nil
	case port.Kind == pylit.KindInt && port.Int > 0 && port.Int < 65536:
		return inet, net.JoinHostPort(host.Str, strconv.FormatInt(port.Int, 10)), nil
	}
	return "", "", fmt.Errorf("%w: %s port must be a number 1-65535, or None for a Unix socket, not %s", ErrBadArgs, sig.class, pylit.Describe(port))
}

func checkSocket(a Args) error {
	_, _, err := netAddr(socketSig, a, "tcp", "unix")
	return err
}

func checkDatagram(a Args) error {
	_, _, err := netAddr(datagramSig, a, "udp", "unixgram")
	return err
}

// openSocket starts a SocketHandler. As in Python, nothing connects
// until the first record: a peer that is down does not fail the config.
func openSocket(a Args, _ EncoderFunc) (Output, error) {
	network, addr, err := netAddr(socketSig, a, "tcp", "unix")
	if err != nil {
		return Output{}, err
	}
	s := startSender("SocketHandler "+addr, newStreamTransport(network, addr), nil)
	return Output{Core: NewCore(newRecordEncoder(formPickle), s), Close: s.Close, Caller: true}, nil
}

// openDatagram starts a DatagramHandler.
func openDatagram(a Args, _ EncoderFunc) (Output, error) {
	network, addr, err := netAddr(datagramSig, a, "udp", "unixgram")
	if err != nil {
		return Output{}, err
	}
	if network == "unixgram" && runtime.GOOS == "windows" {
		return Output{}, fmt.Errorf("%w: DatagramHandler on the Unix socket %q: Windows has no Unix datagram sockets", ErrOpen, clip(addr))
	}
	s := startSender("DatagramHandler "+addr, &datagramTransport{network: network, addr: addr}, nil)
	return Output{Core: NewCore(newRecordEncoder(formPickle), s), Close: s.Close, Caller: true}, nil
}

// backoff is SocketHandler.createSocket's schedule of connection
// attempts, in seconds since the epoch as Python counts them.
type backoff struct {
	start, max, factor float64
	period             float64
	retryAt            float64
	waiting            bool // Python's retryTime is not None
}

// wait is how long to wait before the next attempt; 0 means attempt now.
func (b *backoff) wait(now float64) time.Duration {
	if !b.waiting || now >= b.retryAt {
		return 0
	}
	return time.Duration((b.retryAt - now) * float64(time.Second))
}

// failed schedules the next attempt after a failed one at now.
func (b *backoff) failed(now float64) {
	if !b.waiting {
		b.period = b.start
	} else {
		b.period *= b.factor
		if b.period > b.max {
			b.period = b.max
		}
	}
	b.retryAt = now + b.period
	b.waiting = true
}

// succeeded resets the schedule: the next failure waits retryStart.
func (b *backoff) succeeded() { b.waiting = false }

func unixNow() float64 { return float64(time.Now().UnixNano()) / 1e9 }

// streamTransport is SocketHandler's transport: one TCP (or Unix
// stream) connection, made when a record is to be sent and remade with
// Python's backoff after it fails. Where Python drops each record that
// comes while it waits to reconnect, the record waits (and those behind
// it in the queue), so a restarting receiver loses only what was in
// flight; a record whose send fails on a connection that had been
// working is sent once more on a new one.
type streamTransport struct {
	network, addr string
	dialer        net.Dialer
	ctx           context.Context // cancelled by abort
	cancel        context.CancelFunc
	b             backoff
	dialErr       error // the last failed connect
	held[net.Conn]
}

func newStreamTransport(network, addr string) *streamTransport {
	ctx, cancel := context.WithCancel(context.Background())
	return &streamTransport{network: network, addr: addr, dialer: net.Dialer{Timeout: socketTimeout}, ctx: ctx, cancel: cancel,
		b: backoff{start: retryStart, max: retryMax, factor: retryFactor}}
}

func (t *streamTransport) deliver(rec []byte, quit <-chan struct{}) error {
	for retried := false; ; retried = true {
		conn, fresh, err := t.connect(quit)
		if err != nil {
			return err
		}
		_ = conn.SetWriteDeadline(time.Now().Add(socketTimeout))
		if _, err = conn.Write(rec); err == nil {
			return nil
		}
		t.disconnect(conn)
		if fresh || retried {
			return fmt.Errorf("send to %s: %w", t.addr, err)
		}
	}
}

// connect returns the connection, making one if there is none (fresh),
// after the backoff's wait.
func (t *streamTransport) connect(quit <-chan struct{}) (conn net.Conn, fresh bool, err error) {
	t.mu.Lock()
	conn, has := t.conn, t.has
	t.mu.Unlock()
	if has {
		return conn, false, nil
	}
	for {
		if w := t.b.wait(unixNow()); w > 0 {
			timer := time.NewTimer(w)
			select {
			case <-timer.C:
			case <-quit:
				timer.Stop()
				return nil, false, fmt.Errorf("%w while waiting to reconnect to %s: %w", errClosing, t.addr, t.dialErr)
			}
		}
		c, err := t.dialer.DialContext(t.ctx, t.network, t.addr)
		if err != nil {
			t.b.failed(unixNow())
			t.dialErr = err
			select {
			case <-quit:
				return nil, false, fmt.Errorf("%w: %w", errClosing, err)
			default:
				continue
			}
		}
		t.b.succeeded()
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.aborted {
			_ = c.Close()
			return nil, false, errClosing
		}
		t.conn, t.has = c, true
		return c, true, nil
	}
}

// disconnect closes conn, as Python's send does on an error; the next
// record reconnects at once (a failed send does not start the backoff).
func (t *streamTransport) disconnect(conn net.Conn) {
	t.mu.Lock()
	if t.has && t.conn == conn {
		t.dropLocked()
	} else {
		_ = conn.Close()
	}
	t.mu.Unlock()
}

func (t *streamTransport) abort() {
	t.cancel()
	t.held.abort()
}

// held is a transport's connection, which abort closes from another
// goroutine than the one sending.
type held[C io.Closer] struct {
	mu      sync.Mutex
	conn    C
	has     bool
	aborted bool // no connection may be made any more
}

func (h *held[C]) abort() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.aborted = true
	h.dropLocked()
}

func (h *held[C]) dropLocked() {
	if h.has {
		_ = h.conn.Close()
		var zero C
		h.conn, h.has = zero, false
	}
}

// datagramTransport is DatagramHandler's: each record one datagram,
// from an unconnected UDP socket (see dialUDP) or to a Unix datagram
// socket. A failed send loses that record, as in Python, and the next
// one makes a new socket.
type datagramTransport struct {
	network, addr string
	held[io.WriteCloser]
}

func (t *datagramTransport) deliver(rec []byte, quit <-chan struct{}) error {
	select {
	case <-quit:
		return errClosing
	default:
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.aborted {
		return errClosing
	}
	if !t.has {
		var conn io.WriteCloser
		var err error
		if t.network == "udp" {
			conn, err = dialUDP(t.addr)
		} else {
			conn, err = net.Dial(t.network, t.addr)
		}
		if err != nil {
			return fmt.Errorf("socket for %s: %w", t.addr, err)
		}
		t.conn, t.has = conn, true
	}
	if _, err := t.conn.Write(rec); err != nil {
		t.dropLocked()
		return fmt.Errorf("send to %s: %w", t.addr, err)
	}
	return nil
}
