//go:build !race && linux

package handlers_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg/handlers"
)

// sdZapAllocs is the baseline: the allocations of zap's own ioCore with the
// same encoder, writing to /dev/null, for the same call.
func sdZapAllocs(t *testing.T, call func(*zap.Logger), opts ...zap.Option) float64 {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer devNull.Close()
	var outs []*os.File
	enc, err := consoleEncoder(&outs)(nil)
	require.NoError(t, err)
	log := zap.New(zapcore.NewCore(enc, zapcore.Lock(devNull), zapcore.DebugLevel), opts...)
	return testing.AllocsPerRun(1000, func() { call(log) })
}

// Writing a record costs no allocation beyond zap's own (the encoder's):
// the prefix and the escaping happen in a pooled buffer.
func TestSystemdHandlerAllocs(t *testing.T) {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer devNull.Close()
	defer handlers.SetStdStream(func(string) *os.File { return devNull })()

	var outs []*os.File
	out, err := handlers.OpenSystemd(handlers.Args{}, consoleEncoder(&outs))
	require.NoError(t, err)
	call := func(log *zap.Logger) {
		log.Error("multi\nline", zap.Int("n", 1))
	}
	opts := []zap.Option{zap.AddStacktrace(zapcore.ErrorLevel)}
	log := zap.New(out.Core, opts...)
	got := testing.AllocsPerRun(1000, func() { call(log) })
	want := sdZapAllocs(t, call, opts...)
	t.Logf("SystemdHandler: %.0f allocations per record, zap's ioCore %.0f", got, want)
	assert.LessOrEqual(t, got, want)
}

// A journal record allocates nothing beyond zap's own either.
func TestJournalHandlerAllocs(t *testing.T) {
	sock, _ := journalListen(t)
	var outs []*os.File
	out, err := handlers.OpenJournal(handlers.Args{}, consoleEncoder(&outs))
	require.NoError(t, err)
	defer out.Close()
	done := make(chan struct{})
	go func() { // drain the socket
		defer close(done)
		buf := make([]byte, 1<<16)
		for {
			if _, err := sock.Read(buf); err != nil {
				return
			}
		}
	}()
	opts := []zap.Option{zap.AddCaller()}
	call := func(log *zap.Logger) {
		log.Info("hello\nworld", zap.Int("n", 1), zap.String("user", "ann"), zap.Bool("ok", true))
	}
	log := zap.New(out.Core, opts...)
	got := testing.AllocsPerRun(1000, func() { call(log) })
	sock.Close()
	<-done
	want := sdZapAllocs(t, call, opts...)
	t.Logf("JournalHandler: %.0f allocations per record, zap's ioCore %.0f", got, want)
	assert.LessOrEqual(t, got, want)
}
