//go:build !race

package handlers

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// discard is a transport that sends nowhere, so that only the logging
// call's allocations are counted (the transports' own, on the sender's
// goroutine, are BenchmarkNetHandlers' to show).
type discard struct{}

func (discard) deliver([]byte, <-chan struct{}) error { return nil }
func (discard) abort()                                {}

// A record through the record encoder (pickle and form) and the queue
// costs no allocation beyond zap's own (zap's ioCore with its JSON
// encoder to io.Discard, for the same call), once the queue's buffers
// exist: the dict is built in pooled state and queued in a reused buffer.
// (A zap.Namespace costs HTTPHandler's form one, for the key prefix.)
func TestNetHandlerAllocs(t *testing.T) {
	call := func(log *zap.Logger) {
		log.Info("hello", zap.Int("user", 42), zap.String("path", "/a b"), zap.Float64("ratio", 0.5),
			zap.Strings("tags", []string{"a", "b"}), zap.Bool("ok", true))
	}
	zapLog := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.DebugLevel), zap.AddCaller())
	want := testing.AllocsPerRun(1000, func() { call(zapLog) })
	for name, form := range map[string]recordForm{"pickle": formPickle, "form": formURL} {
		s := startSender(name, discard{}, nil)
		log := zap.New(NewCore(newRecordEncoder(form), s), zap.AddCaller())
		for range 2 * QueueSize { // make the queue's buffers
			call(log)
		}
		lltest.WaitFor(t, 10e9, func() bool { return len(s.q) == 0 })
		got := testing.AllocsPerRun(1000, func() { call(log) })
		t.Logf("%s: %.1f allocations per record, zap's ioCore %.1f", name, got, want)
		assert.LessOrEqual(t, got, want, name)
		assert.NoError(t, s.Close())
	}
}
