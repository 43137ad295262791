//go:build !race

package colorfmt

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func allocEntry() zapcore.Entry {
	return zapcore.Entry{
		Level: zapcore.InfoLevel, Time: time.Now(), LoggerName: "app.db", Message: "query finished",
		Caller: zapcore.EntryCaller{Defined: true, File: "/src/app/db/query.go", Line: 42, Function: "example.com/app/db.(*Conn).Query"},
	}
}

func encodeAllocs(t *testing.T, enc zapcore.Encoder, ent zapcore.Entry, fields []zapcore.Field) float64 {
	t.Helper()
	buf, err := enc.EncodeEntry(ent, fields) // warm the pools and the date cache
	require.NoError(t, err)
	buf.Free()
	return testing.AllocsPerRun(1000, func() {
		buf, _ := enc.EncodeEntry(ent, fields)
		buf.Free()
	})
}

// TestEncodeAllocs: the issue's format with int, string and duration
// fields renders without allocating, in colour, with With fields, in
// one-line mode, and with widths, floats and threads in the format.
func TestEncodeAllocs(t *testing.T) {
	fields := []zapcore.Field{zap.Int("rows", 42), zap.String("table", "user list"), zap.Duration("took", 1500*time.Microsecond)}
	ent := allocEntry()
	for _, tc := range []struct {
		name   string
		format string
		opts   Options
	}{
		{"issue", issueFormat, Options{Tokens: true, Color: true}},
		{"nocolor", issueFormat, Options{Tokens: true}},
		{"oneline", issueFormat, Options{Tokens: true, Color: true, OneLine: true}},
		{"specs", "%(asctime)-25s %(msecs)03d %(created)f %(relativeCreated)d %(levelname)-8s %(name)10.5s %(lineno)4d %(thread)d %(threadName)s %(message)r", Options{}},
		{"datefmt", "%(asctime)s %(message)s", Options{Datefmt: "%d/%b/%Y:%H:%M:%S %z"}},
	} {
		enc, err := New(tc.format, &tc.opts)
		require.NoError(t, err)
		assert.Zero(t, encodeAllocs(t, enc, ent, fields), tc.name)
	}
	enc := MustNew(issueFormat, &Options{Tokens: true, Color: true})
	with := enc.Clone()
	zap.String("request", "abc").AddTo(with)
	zap.Error(errors.New("boom")).AddTo(with)
	assert.Zero(t, encodeAllocs(t, with, ent, fields), "with fields")
	// Stack traces ride along without allocating either.
	ent.Stack = "goroutine 1 [running]:\nmain.main()\n\t/src/main.go:10"
	assert.Zero(t, encodeAllocs(t, enc, ent, fields), "stack")
}
