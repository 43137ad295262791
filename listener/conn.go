package listener

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/wire"
)

// conn is one accepted connection being served.
type conn struct {
	nc net.Conn
}

// serve greets the client, then answers its frames one by one until it
// closes, goes idle past the read timeout, sends a frame that breaks the
// framing, or the listener closes.
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
	c.nc.SetWriteDeadline(time.Now().Add(l.o.readTimeout))
	if err := wire.WriteJSON(c.nc, l.hello()); err != nil {
		l.log.Debug("greeting not delivered", zap.String("from", from), zap.Error(err))
	}
	br := bufio.NewReader(c.nc)
	for {
		if !l.waitForFrame(c, br) {
			return
		}
		c.nc.SetReadDeadline(time.Now().Add(l.o.readTimeout))
		payload, err := wire.ReadFrame(br, l.o.maxPayload)
		var rep wire.Reply
		if err != nil {
			reason := frameProblem(err, l.o.maxPayload, l.o.readTimeout)
			l.rejected(from, reason)
			rep = l.rejection(reason)
		} else {
			rep = l.handle(payload, from)
		}
		c.nc.SetWriteDeadline(time.Now().Add(l.o.readTimeout))
		if werr := wire.WriteJSON(c.nc, rep); werr != nil {
			l.log.Debug("reply not delivered", zap.String("from", from), zap.Error(werr))
		}
		if err != nil {
			return // the framing is lost: nothing after this can be trusted
		}
	}
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
	c.nc.SetReadDeadline(time.Now().Add(wait))
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
func frameProblem(err error, maxPayload int, timeout time.Duration) string {
	switch {
	case errors.Is(err, wire.ErrTooLarge):
		return fmt.Sprintf("frame too large: %s (a frame is a 4-byte big-endian length, then the payload; HTTP and other protocols read as huge lengths)",
			strings.TrimPrefix(err.Error(), wire.ErrTooLarge.Error()+": "))
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Sprintf("frame not complete within the %s read timeout (%s)", timeout, trimWire(err))
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
func (l *Listener) handle(payload []byte, from string) wire.Reply {
	if l.o.verify != nil {
		p, err := l.o.verify(payload)
		if err != nil {
			return l.reject(from, fmt.Sprintf("verify hook refused the request: %v", err))
		}
		payload = p
	}
	if !utf8.Valid(payload) {
		return l.reject(from, fmt.Sprintf("payload is not UTF-8 text (%d bytes); expected an INI or JSON config", len(payload)))
	}
	env, raw, err := wire.ParseRequest(payload)
	if err != nil {
		return l.reject(from, trimWire(err))
	}
	if l.secret != nil {
		if raw {
			return l.reject(from, "request is not signed: this listener requires a signed envelope (see # Authentication)")
		}
		if reason := l.authenticate(&env); reason != "" {
			return l.reject(from, reason)
		}
	}
	if env.Op == wire.OpStatus {
		l.log.Debug("status request", zap.String("from", from))
		return l.statusReply()
	}
	return l.apply(env, from)
}

func (l *Listener) reject(from, reason string) wire.Reply {
	l.rejected(from, reason)
	return l.rejection(reason)
}
