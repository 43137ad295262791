//go:build !race

package logcfg

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func init() {
	// test.Discard writes through the handler's formatter to io.Discard.
	RegisterHandlerClass("test.Discard", HandlerClass{
		Check: func(*HandlerConfig) error { return nil },
		Open: func(_ *HandlerConfig, newEnc EncoderFunc) (Output, error) {
			enc, err := newEnc(nil)
			if err != nil {
				return Output{}, err
			}
			return Output{Core: zapcore.NewCore(enc, zapcore.AddSync(io.Discard), zapcore.DebugLevel)}, nil
		},
	})
}

// discardTree is a tree whose root (INFO) writes with format to
// io.Discard; zapTwin is a plain zap logger with the same encoder.
func discardTree(t *testing.T, format string) (*Tree, *zap.Logger) {
	t.Helper()
	fc := FormatterConfig{Key: "f", Format: format, Style: "%"}
	cfg := &Config{
		Loggers:    []LoggerConfig{{Key: "root", Name: "root", Level: zapcore.InfoLevel, Handlers: []string{"d"}, Propagate: true}},
		Handlers:   []HandlerConfig{{Key: "d", Class: "test.Discard", Level: NotSet, Formatter: "f"}},
		Formatters: []FormatterConfig{fc},
	}
	tree, err := NewTree(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tree.Close() })
	fclass, err := DefaultRegistry().FormatterClass("")
	require.NoError(t, err)
	enc, err := fclass.New(&fc, nil)
	require.NoError(t, err)
	return tree, zap.New(zapcore.NewCore(enc, zapcore.AddSync(io.Discard), zapcore.InfoLevel))
}

func TestAllocsDisabled(t *testing.T) {
	tree, plain := discardTree(t, "%(message)s")
	log := tree.Logger("app.db")
	withFields := func(l *zap.Logger) { l.Debug("off", zap.Int("i", 1), zap.String("s", "x")) }
	// With fields, zap's variadic slice escapes (one allocation in zap
	// itself); the tree adds nothing to it.
	assert.LessOrEqual(t, testing.AllocsPerRun(1000, func() { withFields(log) }),
		testing.AllocsPerRun(1000, func() { withFields(plain) }))
	assert.Zero(t, testing.AllocsPerRun(1000, func() { log.Debug("off") }))
	assert.Zero(t, testing.AllocsPerRun(1000, func() {
		if ce := log.Check(zapcore.DebugLevel, "off"); ce != nil {
			ce.Write()
		}
	}))
}

func TestAllocsEnabledNoMoreThanZap(t *testing.T) {
	call := func(l *zap.Logger) {
		l.Info("request", zap.Int("status", 200), zap.String("path", "/x"), zap.Duration("took", time.Millisecond))
	}
	for _, format := range []string{
		"%(asctime)s %(levelname)s %(name)s: %(message)s",
		"%(levelname)s %(module)s.%(funcName)s:%(lineno)d %(message)s", // the tree finds callers
	} {
		tree, plain := discardTree(t, format)
		if tree.state.Load().needCaller {
			plain = plain.WithOptions(zap.AddCaller())
		}
		log := tree.Logger("app")
		call(log) // warm the caller cache and the route
		ours := testing.AllocsPerRun(1000, func() { call(log) })
		theirs := testing.AllocsPerRun(1000, func() { call(plain) })
		t.Logf("%q: tree %.0f allocs, zap %.0f", format, ours, theirs)
		assert.LessOrEqual(t, ours, theirs, format)

		with := log.With(zap.String("req", "r1"))
		call(with)
		plainWith := plain.With(zap.String("req", "r1"))
		assert.LessOrEqual(t, testing.AllocsPerRun(1000, func() { call(with) }),
			testing.AllocsPerRun(1000, func() { call(plainWith) }), "With: %s", format)
	}
}

func TestAllocsFileHandler(t *testing.T) {
	tree := newTestTree(t, oneHandlerINI("FileHandler", "('"+os.DevNull+"',)", "{}"))
	log := tree.Logger("app")
	log.Info("warm", zap.Int("i", 1))
	assert.LessOrEqual(t, testing.AllocsPerRun(1000, func() { log.Info("x", zap.Int("i", 1)) }), 1.0,
		"zap's variadic fields slice, nothing of ours")
}
