package lltest

import (
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Recorder is a TCP server on loopback that is not a livelog listener: it
// accepts every connection, writes nothing (or only a fixed greeting),
// never answers, and records every byte it is sent. Tests use it to
// check that a client writes nothing to a program that did not greet.
type Recorder struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	got   []byte
	conns atomic.Int32
}

// StartRecorder starts a Recorder on 127.0.0.1:port. If greeting is not
// empty, it is written on every connection as soon as it is accepted.
// Each connection is served for at most 30 seconds; the Recorder stops at
// the end of the test.
func StartRecorder(t testing.TB, port int, greeting []byte) *Recorder {
	t.Helper()
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("lltest: %v", err)
	}
	r := &Recorder{ln: ln}
	r.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r.conns.Add(1)
			r.wg.Go(func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second))
				if len(greeting) > 0 {
					c.Write(greeting)
				}
				b, _ := io.ReadAll(c)
				r.mu.Lock()
				r.got = append(r.got, b...)
				r.mu.Unlock()
			})
		}
	})
	t.Cleanup(r.stop)
	return r
}

func (r *Recorder) stop() {
	r.ln.Close()
	r.wg.Wait()
}

// Bytes stops the Recorder, waits until every connection has been closed
// by its client (or timed out), and returns everything it was sent.
func (r *Recorder) Bytes() []byte {
	r.stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.got
}

// Conns counts the connections accepted so far.
func (r *Recorder) Conns() int { return int(r.conns.Load()) }
