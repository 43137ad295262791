package handlers

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap/zapcore"
)

// The network handlers' queue: how many records wait to be sent, and how
// long Close waits for them.
const (
	QueueSize  = 1024
	CloseDrain = time.Second
)

// errClosing is what a transport returns when Close's deadline has
// passed.
var errClosing = errors.New("handler closed")

// transport sends one record at a time for a sender. deliver may block
// (on a peer that does not read, bounded by the transport's own
// timeouts); it returns promptly, with an error, once quit is closed.
// abort closes whatever deliver may be blocked on, and release frees
// the transport once deliver can no longer be called.
type transport interface {
	deliver(rec []byte, quit <-chan struct{}) error
	abort()
}

// sender is the Sink of the network handlers: WriteRecord copies the
// record into a bounded queue and returns at once, and one goroutine per
// handler delivers the queue in order. It never blocks the logging call:
// when the queue is full the record is dropped and WriteRecord returns an
// error saying so, which the tree counts in its HandlerErrors.
type sender struct {
	what  string // "SocketHandler 127.0.0.1:9020", for messages
	q     chan *[]byte
	free  chan *[]byte // buffers the goroutine is done with, for WriteRecord to reuse
	t     transport
	frame func(dst []byte, ent zapcore.Entry, text []byte) []byte // what is queued for a record; nil: the text

	dropped  atomic.Int64          // records refused because the queue was full
	failed   atomic.Int64          // records deliver failed on
	reported atomic.Int64          // failed, as far as WriteRecord reported it
	lastErr  atomic.Pointer[error] // deliver's last error

	closing   chan struct{} // closed by Close: deliver what is queued, then stop
	quit      chan struct{} // closed at Close's deadline: give up
	done      chan struct{} // closed when the goroutine has returned
	closeOnce sync.Once
	closeErr  error
}

var _ Sink = (*sender)(nil)

// startSender starts the goroutine delivering through t; frame (if not
// nil) makes what is queued from the record.
func startSender(what string, t transport, frame func([]byte, zapcore.Entry, []byte) []byte) *sender {
	s := &sender{what: what, q: make(chan *[]byte, QueueSize), free: make(chan *[]byte, QueueSize+1), t: t, frame: frame,
		closing: make(chan struct{}), quit: make(chan struct{}), done: make(chan struct{})}
	go s.run()
	return s
}

// maxKept is the largest buffer kept for reuse.
const maxKept = 64 << 10

func (s *sender) WriteRecord(ent zapcore.Entry, text []byte) error {
	var failErr error
	if n := s.failed.Load(); n != s.reported.Load() {
		failErr = s.reportFailed(n)
	}
	var p *[]byte
	select {
	case p = <-s.free:
	default:
		// A sync.Pool would not do: the buffers are taken on the logging
		// goroutines' Ps and given back on the sender's, so a pool keeps
		// missing and allocating.
		b := make([]byte, 0, 1024)
		p = &b
	}
	if s.frame != nil {
		*p = s.frame((*p)[:0], ent, text)
	} else {
		*p = append((*p)[:0], text...)
	}
	select {
	case s.q <- p:
		return failErr
	default:
		s.recycle(p)
		n := s.dropped.Add(1)
		return errors.Join(fmt.Errorf("logcfg: %s: the queue of %d records is full (the peer is slow or unreachable): record dropped, %d so far", s.what, QueueSize, n), failErr)
	}
}

// reportFailed says that records the goroutine took could not be
// delivered (once for each batch: the tree counts one failure).
func (s *sender) reportFailed(n int64) error {
	prev := s.reported.Swap(n)
	if prev >= n {
		return nil
	}
	return fmt.Errorf("logcfg: %s: %d records not delivered (%d so far): %w", s.what, n-prev, n, s.lastError())
}

func (s *sender) lastError() error {
	if p := s.lastErr.Load(); p != nil {
		return *p
	}
	return errors.New("no error")
}

// Sync does not wait for the queue: the records are on their way, and
// Close delivers what is left.
func (s *sender) Sync() error { return nil }

func (s *sender) run() {
	defer close(s.done)
	for {
		select {
		case p := <-s.q:
			s.send(p)
		case <-s.closing:
			for {
				select {
				case p := <-s.q:
					s.send(p)
				default:
					return
				}
			}
		}
	}
}

func (s *sender) send(p *[]byte) {
	if err := s.t.deliver(*p, s.quit); err != nil {
		s.fail(err)
	}
	s.recycle(p)
}

// fail records a delivery failure (out of line: taking the error's
// address would move every call's error variable to the heap).
func (s *sender) fail(err error) {
	s.lastErr.Store(&err)
	s.failed.Add(1)
}

// recycle keeps p for a later record, unless it is large or enough are
// kept.
func (s *sender) recycle(p *[]byte) {
	if cap(*p) > maxKept {
		return
	}
	select {
	case s.free <- p:
	default:
	}
}

// Close delivers the queued records, waiting at most CloseDrain; then it
// gives up on the rest, closes the connection and reports the records
// that were not delivered.
func (s *sender) Close() error {
	s.closeOnce.Do(func() {
		close(s.closing)
		timer := time.NewTimer(CloseDrain)
		select {
		case <-s.done:
		case <-timer.C:
			close(s.quit)
			s.t.abort()
			<-s.done
		}
		timer.Stop()
		select {
		case <-s.quit:
		default:
			close(s.quit)
			s.t.abort()
		}
		if err := s.reportFailed(s.failed.Load()); err != nil {
			s.closeErr = fmt.Errorf("%w (at close)", err)
		}
	})
	return s.closeErr
}
