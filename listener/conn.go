package listener

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/wire"
)

// conn is one accepted connection being served.
type conn struct {
	nc    net.Conn
	nonce string          // the server nonce of its greeting
	end   time.Time       // when its lifetime (WithConnLifetime) is over
	seen  map[string]bool // client nonces of its signed requests
}

// deadline is now+d, but never past the end of c's lifetime.
func (c *conn) deadline(d time.Duration) time.Time {
	t := time.Now().Add(d)
	if t.After(c.end) {
		return c.end
	}
	return t
}

// serve greets the client, then answers its frames one by one until it
// closes, goes idle past the read timeout, does not read a reply within
// the write timeout, sends a frame that breaks the framing, reaches the
// end of its lifetime, or the listener closes.
func (l *Listener) serve(c *conn) {
	defer l.wg.Done()
	defer func() { <-l.slots }()
	defer func() {
		l.mu.Lock()
		delete(l.conns, c)
		l.mu.Unlock()
		c.nc.Close()
	}()
	from := c.nc.RemoteAddr().String()
	l.log.Debug("connection", zap.String("from", from))

	// A Python client may already have sent its frame and closed without
	// reading: the greeting is then lost (or answered by a reset), but the
	// frame is in our receive buffer and is still read and applied below.
	c.nc.SetWriteDeadline(c.deadline(l.o.writeTimeout))
	if err := wire.WriteJSON(c.nc, l.hello(c.nonce)); err != nil {
		l.log.Debug("greeting not delivered", zap.String("from", from), zap.Error(err))
	}
	br := bufio.NewReader(c.nc)
	for {
		if !l.waitForFrame(c, br) {
			return
		}
		c.nc.SetReadDeadline(c.deadline(l.o.readTimeout))
		payload, err := wire.ReadFrame(br, l.o.maxPayload)
		if err != nil {
			// The framing is lost: nothing after this can be trusted. The
			// rejection goes out as one frame, then the connection closes
			// without a reset (lingerClose), so the client reads it whole.
			reason := l.frameProblem(c, err)
			l.rejected(l.originOf(from, nil, false), reason)
			if l.send(c, l.rejection(reason, nil), from) {
				l.lingerClose(c)
			}
			return
		}
		if !l.send(c, l.handle(c, payload, from), from) {
			return // the client does not read its replies: its slot is freed
		}
	}
}

// send writes rep as one frame under the write timeout; false means it
// was not delivered, and the connection must end. A reply longer than
// wire.MaxReply (which the caps on every list make impossible) is
// replaced by a short one that says so.
func (l *Listener) send(c *conn, rep wire.Reply, from string) bool {
	payload, err := json.Marshal(rep)
	if err == nil && len(payload) > wire.MaxReply {
		short := wire.Reply{Livelog: wire.Version, OK: rep.OK, Outcome: rep.Outcome, PID: rep.PID, Name: rep.Name,
			Generation: rep.Generation,
			Error:      fmt.Sprintf("reply too large (%d bytes, limit %d): its details were dropped", len(payload), wire.MaxReply)}
		payload, err = json.Marshal(short)
	}
	if err != nil { // a Reply holds only plain data
		panic(err)
	}
	c.nc.SetWriteDeadline(c.deadline(l.o.writeTimeout))
	if err := wire.WriteFrame(c.nc, payload); err != nil {
		l.log.Debug("reply not delivered; closing the connection", zap.String("from", from), zap.Error(err))
		return false
	}
	return true
}

// lingerDrain bounds what lingerClose reads and waits for.
const (
	lingerDrain = 1 << 20
	lingerWait  = time.Second
)

// lingerClose ends c after a framing error without a reset: it sends FIN
// (the rejection already written stays deliverable), then reads and drops
// what the client still sends, up to lingerDrain bytes or lingerWait, so
// that closing with unread bytes does not make the kernel answer with a
// reset that could destroy the rejection before the client reads it.
func (l *Listener) lingerClose(c *conn) {
	if tc, ok := c.nc.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
	c.nc.SetReadDeadline(c.deadline(lingerWait))
	io.CopyN(io.Discard, c.nc, lingerDrain)
}

// waitForFrame marks c idle and waits, up to the read timeout, for the
// first byte of a frame. It reports false when the client closed or went
// quiet, or when the listener is closing and no frame has started.
//
// A listener that is closing still looks, for closeGrace, for a frame
// whose first bytes have already arrived: Close may begin while this
// connection is between frames (writing its greeting or a reply), and a
// frame the client sent before Close began is answered, not cut off with
// a reset.
func (l *Listener) waitForFrame(c *conn, br *bufio.Reader) bool {
	if br.Buffered() > 0 {
		return true
	}
	l.mu.Lock()
	wait := l.o.readTimeout
	if l.closing {
		wait = closeGrace
	}
	c.nc.SetReadDeadline(c.deadline(wait))
	l.conns[c] = true
	l.mu.Unlock()

	_, err := br.Peek(1)

	l.mu.Lock()
	l.conns[c] = false
	l.mu.Unlock()
	if err != nil {
		if !errors.Is(err, io.EOF) {
			l.log.Debug("connection ends", zap.String("from", c.nc.RemoteAddr().String()), zap.Error(err))
		}
		return false
	}
	return true
}

// frameProblem says what was wrong with a frame that could not be read.
func (l *Listener) frameProblem(c *conn, err error) string {
	switch {
	case errors.Is(err, wire.ErrTooLarge):
		return fmt.Sprintf("frame too large: %s (a frame is a 4-byte big-endian length, then the payload; HTTP and other protocols read as huge lengths)",
			strings.TrimPrefix(err.Error(), wire.ErrTooLarge.Error()+": "))
	case errors.Is(err, os.ErrDeadlineExceeded) && !time.Now().Before(c.end):
		return fmt.Sprintf("connection lifetime (%s) is over (%s)", l.o.connLifetime, trimWire(err))
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Sprintf("frame not complete within the %s read timeout (%s)", l.o.readTimeout, trimWire(err))
	case errors.Is(err, wire.ErrTruncated):
		return fmt.Sprintf("frame cut short: %s", strings.TrimPrefix(err.Error(), wire.ErrTruncated.Error()+": "))
	}
	return fmt.Sprintf("cannot read frame: %v", err)
}

// trimWire drops the "wire: " prefix of a wire error for a reply.
func trimWire(err error) string {
	return strings.TrimPrefix(err.Error(), "wire: ")
}

// handle answers one complete request frame.
func (l *Listener) handle(c *conn, payload []byte, from string) wire.Reply {
	who := l.originOf(from, nil, false)
	if l.o.verify != nil {
		p, err := l.o.verify(payload)
		if err != nil {
			return l.reject(who, fmt.Sprintf("verify hook refused the request: %v", err))
		}
		payload = p
	}
	// A payload that is not UTF-8 is refused whole: an envelope by
	// wire.ParseRequest, a bare config by logcfg.ParsePayload, which names
	// the line and byte offset of the first bad byte.
	env, raw, err := wire.ParseRequest(payload)
	if err != nil {
		return l.reject(who, trimWire(err))
	}
	who = l.originOf(from, &env, false)
	if l.secret != nil {
		if raw {
			return l.reject(who, "request is not signed: this listener requires a signed envelope (see # Authentication)")
		}
		if reason := l.authenticate(c, &env); reason != "" {
			return l.reject(who, reason)
		}
		who = l.originOf(from, &env, true)
	}
	if env.Op == wire.OpStatus {
		l.log.Debug("status request", zap.String("from", from))
		return l.statusReply()
	}
	return l.apply(env, who)
}

func (l *Listener) reject(who origin, reason string) wire.Reply {
	return l.rejectWarned(who, reason, nil)
}

// rejectWarned rejects a request whose config parsed with warnings.
func (l *Listener) rejectWarned(who origin, reason string, warnings []string) wire.Reply {
	reason = clip(reason, wire.MaxError)
	l.rejected(who, reason)
	return l.rejection(reason, warnings)
}
