package logcfg_test

import (
	"context"
	"errors"
	"log"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
)

// A level pushed to a real listener takes effect on slog, the standard
// log package and logr output alike.
func TestPushedLevelReachesEveryFrontEnd(t *testing.T) {
	f := newFrontTree(t)
	lo, hi := lltest.FreePortRange(t, 3)
	l, err := listener.Start(f.tree, listener.WithPorts(lo, hi))
	require.NoError(t, err)
	defer func() { assert.NoError(t, l.Close()) }()

	sl, lr := f.tree.Slog("svc"), f.tree.Logr("svc")
	restore := f.tree.RedirectStdLog("svc", zapcore.InfoLevel)
	defer restore()
	logAll := func(tag string) {
		sl.Info("slog " + tag)
		lr.Info("logr " + tag)
		lr.V(1).Info("logr v1 " + tag)
		log.Printf("stdlog %s", tag)
		lr.Error(errors.New("e"), "logr error "+tag)
	}
	logAll("before") // svc inherits WARNING: only the error

	c, _, err := wire.Dial(context.Background(), l.Addr().String(), 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	rep, err := c.Apply(wire.Envelope{Config: `{"version": 1, "incremental": true, "loggers": {"svc": {"level": "DEBUG"}}}`})
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Error)
	logAll("after")

	rep, err = c.Apply(wire.Envelope{Config: `{"version": 1, "incremental": true, "loggers": {"svc": {"level": "ERROR"}}}`})
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Error)
	logAll("quiet")

	fn := "func2" // Python's funcName of the closure logAll
	assert.Equal(t, []string{
		"ERROR svc " + fn + ": logr error before error=e",
		"INFO svc " + fn + ": slog after",
		"INFO svc " + fn + ": logr after",
		"DEBUG svc " + fn + ": logr v1 after",
		"INFO svc " + fn + ": stdlog after",
		"ERROR svc " + fn + ": logr error after error=e",
		"ERROR svc " + fn + ": logr error quiet error=e",
	}, f.lines(t))
}
