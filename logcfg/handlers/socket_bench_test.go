package handlers_test

import (
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
	"github.com/livelog/livelog/logcfg/handlers"
)

// drainPeer is a TCP listener that reads and discards everything.
func drainPeer(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	b.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c); _ = c.Close() }()
		}
	}()
	return ln.Addr().String()
}

// BenchmarkNetHandlers is the logging call through SocketHandler and
// DatagramHandler at a loopback peer, beside zap's ioCore with its JSON
// encoder to io.Discard: what the calling goroutine pays (the sends
// happen on the handler's goroutine; allocations count both, and records
// the loop makes faster than the peer takes them are dropped).
func BenchmarkNetHandlers(b *testing.B) {
	host, port, err := net.SplitHostPort(drainPeer(b))
	require.NoError(b, err)
	call := func(log *zap.Logger) {
		log.Info("hello", zap.Int("user", 42), zap.String("path", "/a/b"), zap.Float64("ratio", 0.5))
	}
	b.Run("zap", func(b *testing.B) {
		log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.DebugLevel), zap.AddCaller())
		b.ReportAllocs()
		for b.Loop() {
			call(log)
		}
	})
	for _, class := range []string{"SocketHandler", "DatagramHandler"} {
		b.Run(class, func(b *testing.B) {
			c := handlers.Builtins()[class]
			out, err := c.Open(handlers.Args{Class: class, Args: []pylit.Value{
				{Kind: pylit.KindString, Str: host}, {Kind: pylit.KindInt, Int: atoi(b, port)}}}, nil)
			require.NoError(b, err)
			defer func() { _ = out.Close() }()
			// A tight loop outruns the peer: the drops are not reported.
			log := zap.New(out.Core, zap.AddCaller(), zap.ErrorOutput(zapcore.AddSync(io.Discard)))
			b.ReportAllocs()
			for b.Loop() {
				call(log)
			}
		})
	}
}

func atoi(b *testing.B, s string) int64 {
	v, err := pylit.Parse(s, nil)
	require.NoError(b, err)
	return v.Int
}
