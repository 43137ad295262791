package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// ErrNotLivelog reports a peer that did not greet with a livelog [Hello]
// within the timeout: a silent program (such as a Python
// logging.config.listen server, which waits for a frame), or one that sent
// something else. Dial never writes to such a peer.
var ErrNotLivelog = errors.New("wire: not a livelog listener")

// ErrNoReply reports that a livelog listener closed the connection or let
// the timeout pass without answering a request.
var ErrNoReply = errors.New("wire: no reply")

// MaxHello caps the greeting a client accepts; a real Hello is ~100 bytes.
const MaxHello = 4 << 10

// ErrReplyTooLarge reports a reply frame longer than [MaxReply]: the
// listener answered, but the client did not read the answer, so a push
// may have been applied.
var ErrReplyTooLarge = errors.New("wire: reply too large")

// Conn is a client connection to a livelog listener, made by [Dial]. Its
// methods send one request and wait for the reply; they must not be called
// concurrently.
type Conn struct {
	nc      net.Conn
	hello   Hello
	timeout time.Duration
}

// Dial connects to addr and reads the listener's greeting, waiting at most
// timeout (and no longer than ctx allows) for it. It never writes a byte: a
// peer that says nothing, or says something that is not a livelog Hello,
// gives an error wrapping [ErrNotLivelog] and the connection is closed. A
// refused connection gives the dialer's error (errors.Is(err,
// syscall.ECONNREFUSED)).
//
// The same timeout bounds each later request on the Conn.
func Dial(ctx context.Context, addr string, timeout time.Duration) (*Conn, *Hello, error) {
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	nc, err := d.DialContext(dctx, "tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("wire: dial %s: %w", addr, err)
	}
	deadline, _ := dctx.Deadline()
	if err := nc.SetReadDeadline(deadline); err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("wire: %s: %w", addr, err)
	}
	h, err := readHello(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("%w at %s: %w", ErrNotLivelog, addr, err)
	}
	return &Conn{nc: nc, hello: *h, timeout: timeout}, h, nil
}

func readHello(r io.Reader) (*Hello, error) {
	payload, err := ReadFrame(r, MaxHello)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, errors.New("no greeting before the timeout")
		}
		return nil, err
	}
	var h Hello
	if err := json.Unmarshal(payload, &h); err != nil || h.Livelog < 1 {
		return nil, fmt.Errorf("greeting is not a livelog hello (%d bytes)", len(payload))
	}
	return &h, nil
}

// Hello returns the greeting the listener sent.
func (c *Conn) Hello() *Hello { h := c.hello; return &h }

// RemoteAddr is the listener's address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// Close closes the connection.
func (c *Conn) Close() error { return c.nc.Close() }

// Apply sends env as an apply request and returns the listener's reply.
// Livelog and Op are filled in when zero. A rejection is a Reply with OK
// false and a reason in Error, not an error; errors are transport problems
// (wrapping [ErrNoReply] when the listener did not answer).
func (c *Conn) Apply(env Envelope) (*Reply, error) {
	if env.Op == "" {
		env.Op = OpApply
	}
	return c.Request(env)
}

// Status asks for the listener's status; it changes nothing. Use
// [Conn.Request] with a signed Envelope when the listener requires auth.
func (c *Conn) Status() (*Reply, error) {
	return c.Request(Envelope{Op: OpStatus})
}

// Request sends env (Livelog is set to [Version] when zero) and reads the
// reply.
func (c *Conn) Request(env Envelope) (*Reply, error) {
	if env.Livelog == 0 {
		env.Livelog = Version
	}
	payload, err := json.Marshal(env)
	if err != nil {
		return nil, fmt.Errorf("wire: encode request: %w", err)
	}
	return c.RequestRaw(payload)
}

// RequestRaw sends payload as one frame, as is (a bare INI or JSON config,
// as a Python client would send it), and reads the reply.
func (c *Conn) RequestRaw(payload []byte) (*Reply, error) {
	deadline := time.Now().Add(c.timeout)
	if err := c.nc.SetDeadline(deadline); err != nil {
		return nil, fmt.Errorf("wire: %s: %w", c.nc.RemoteAddr(), err)
	}
	// A listener that refuses the connection (too many connections) has
	// already sent its reply and closed; a failed write still leaves that
	// reply to be read.
	werr := WriteFrame(c.nc, payload)
	reply, rerr := ReadReply(c.nc)
	if errors.Is(rerr, ErrTooLarge) {
		return nil, fmt.Errorf("%w from %s: %w", ErrReplyTooLarge, c.nc.RemoteAddr(), rerr)
	}
	if rerr != nil {
		if werr != nil {
			return nil, fmt.Errorf("wire: send to %s: %w", c.nc.RemoteAddr(), werr)
		}
		return nil, fmt.Errorf("%w from %s: %w", ErrNoReply, c.nc.RemoteAddr(), rerr)
	}
	return reply, nil
}

// ReadReply reads one [Reply] frame (at most [MaxReply] bytes).
func ReadReply(r io.Reader) (*Reply, error) {
	payload, err := ReadFrame(r, MaxReply)
	if err != nil {
		return nil, err
	}
	var rep Reply
	if err := json.Unmarshal(payload, &rep); err != nil {
		return nil, fmt.Errorf("wire: bad reply: %w", err)
	}
	return &rep, nil
}

// WriteJSON encodes v as JSON and writes it as one frame.
func WriteJSON(w io.Writer, v any) error {
	payload, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("wire: encode: %w", err)
	}
	return WriteFrame(w, payload)
}

// SendLegacy delivers payload as one frame to addr and closes the
// connection without reading anything: what a Python client does, and all
// that a Python logging.config.listen server understands (it never
// answers). timeout bounds the connect and the write. Success means the
// bytes were handed to the network, not that the config was applied.
func SendLegacy(ctx context.Context, addr string, payload []byte, timeout time.Duration) error {
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	nc, err := d.DialContext(dctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("wire: dial %s: %w", addr, err)
	}
	deadline, _ := dctx.Deadline()
	if err := nc.SetWriteDeadline(deadline); err != nil {
		nc.Close()
		return fmt.Errorf("wire: %s: %w", addr, err)
	}
	if err := WriteFrame(nc, payload); err != nil {
		nc.Close()
		return fmt.Errorf("wire: send to %s: %w", addr, err)
	}
	if err := nc.Close(); err != nil {
		return fmt.Errorf("wire: close %s: %w", addr, err)
	}
	return nil
}
