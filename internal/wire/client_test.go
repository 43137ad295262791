package wire

import (
	"context"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// server accepts connections on a loopback port 0 and runs handle on each;
// it returns the address. Everything stops at the end of the test.
func server(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			handle(c)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

func TestDialApplyStatus(t *testing.T) {
	var got []Envelope
	addr := server(t, func(c net.Conn) {
		require.NoError(t, WriteJSON(c, Hello{Livelog: Version, PID: 42, Name: "w1", Generation: 3}))
		for {
			p, err := ReadFrame(c, DefaultMaxPayload)
			if err != nil {
				return
			}
			env, raw, err := ParseRequest(p)
			require.NoError(t, err)
			require.False(t, raw)
			got = append(got, env)
			require.NoError(t, WriteJSON(c, Reply{Livelog: Version, OK: true, Outcome: env.Op, PID: 42}))
		}
	})
	c, h, err := Dial(context.Background(), addr, 2*time.Second)
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, Hello{Livelog: 1, PID: 42, Name: "w1", Generation: 3}, *h)
	assert.Equal(t, h, c.Hello())
	rep, err := c.Apply(Envelope{Config: "[loggers]", For: "1m"})
	require.NoError(t, err)
	assert.Equal(t, OpApply, rep.Outcome)
	rep, err = c.Status()
	require.NoError(t, err)
	assert.Equal(t, OpStatus, rep.Outcome)
	require.Len(t, got, 2)
	assert.Equal(t, Envelope{Livelog: 1, Op: OpApply, Config: "[loggers]", For: "1m"}, got[0])
	assert.Equal(t, Envelope{Livelog: 1, Op: OpStatus}, got[1])
}

// A silent peer (a Python listener) is reported as ErrNotLivelog and is
// never sent a byte.
func TestDialSilentPeerGetsNothing(t *testing.T) {
	var received atomic.Int64
	addr := server(t, func(c net.Conn) {
		n, _ := io.Copy(io.Discard, c) // until the client closes
		received.Add(n)
	})
	_, _, err := Dial(context.Background(), addr, 100*time.Millisecond)
	require.ErrorIs(t, err, ErrNotLivelog)
	assert.ErrorContains(t, err, "no greeting")
	// The server's io.Copy ends when Dial closes; the next connection is
	// served only after that, so this round trip orders the check.
	_, _, err = Dial(context.Background(), addr, 50*time.Millisecond)
	require.ErrorIs(t, err, ErrNotLivelog)
	assert.Zero(t, received.Load())
}

func TestDialOtherPrograms(t *testing.T) {
	for name, greet := range map[string][]byte{
		"banner":     []byte("SSH-2.0-OpenSSH_9.6\r\n"), // "SSH-" read as a length
		"small json": {0, 0, 0, 2, '{', '}'},
		"not json":   {0, 0, 0, 3, 'a', 'b', 'c'},
	} {
		addr := server(t, func(c net.Conn) { c.Write(greet) })
		_, _, err := Dial(context.Background(), addr, time.Second)
		assert.ErrorIs(t, err, ErrNotLivelog, name)
	}
}

func TestDialRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	_, _, err = Dial(context.Background(), addr, time.Second)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	assert.NotErrorIs(t, err, ErrNotLivelog)
}

// A listener that turns a connection away sends Hello and a rejected Reply
// and closes at once; the client still gets the reply.
func TestRequestAfterListenerClosed(t *testing.T) {
	addr := server(t, func(c net.Conn) {
		WriteJSON(c, Hello{Livelog: Version})
		WriteJSON(c, Reply{Livelog: Version, Outcome: OutcomeRejected, Error: "too many connections"})
	})
	c, _, err := Dial(context.Background(), addr, time.Second)
	require.NoError(t, err)
	defer c.Close()
	rep, err := c.Apply(Envelope{Config: "x"})
	require.NoError(t, err)
	assert.Equal(t, "too many connections", rep.Error)
}

func TestRequestNoReply(t *testing.T) {
	addr := server(t, func(c net.Conn) {
		WriteJSON(c, Hello{Livelog: Version})
		ReadFrame(c, 100)
	})
	c, _, err := Dial(context.Background(), addr, time.Second)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Apply(Envelope{Config: "x"})
	assert.ErrorIs(t, err, ErrNoReply)
}

func TestSendLegacy(t *testing.T) {
	got := make(chan []byte, 1)
	addr := server(t, func(c net.Conn) {
		p, err := ReadFrame(c, 100)
		if err == nil {
			got <- p
		}
		_, err = c.Read(make([]byte, 1))
		assert.ErrorIs(t, err, io.EOF, "client closed after the frame")
	})
	require.NoError(t, SendLegacy(context.Background(), addr, []byte("[loggers]\nkeys=root\n"), time.Second))
	select {
	case p := <-got:
		assert.Equal(t, "[loggers]\nkeys=root\n", string(p))
	case <-time.After(5 * time.Second):
		t.Fatal("frame not received")
	}
}

func TestReadReplyBad(t *testing.T) {
	pr, pw := net.Pipe()
	go func() { WriteFrame(pw, []byte("nope")); pw.Close() }()
	_, err := ReadReply(pr)
	assert.ErrorContains(t, err, "bad reply")
	assert.False(t, errors.Is(err, io.EOF))
}
