//go:build !race

package logcfg

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.uber.org/zap/zapcore"
)

// The slog front end allocates nothing of its own, enabled or not, with
// or without a context floor, through a real colorfmt encoder that shows
// the caller.
func TestAllocSlog(t *testing.T) {
	_, tree := allocTree(t, "test.Discard", "()")
	l := tree.Slog("app.db")
	ctx := context.Background()
	debug := WithLevel(ctx, zapcore.DebugLevel)
	assert.Zero(t, allocs(func() { l.Debug("off", "n", 1, "s", "x", "d", time.Second) }), "disabled")
	assert.Zero(t, allocs(func() { l.Info("on", "n", 1, "s", "x", "d", time.Second) }), "enabled")
	assert.Zero(t, allocs(func() { l.DebugContext(debug, "on by the floor", "n", 1) }), "enabled by a floor")
	assert.Zero(t, allocs(func() { l.DebugContext(ctx, "off", "n", 1) }), "disabled, a context without a floor")
	with := l.With("req", "r1").WithGroup("g")
	assert.Zero(t, allocs(func() { with.Info("on", "n", 1) }), "With and WithGroup")
	assert.LessOrEqual(t, allocs(func() { l.Info("grouped", slog.Group("req", "id", 7)) }), 4.0,
		"an inline group: its zap.Object and dotted keys")
	zl := tree.LoggerContext(debug, "app.db")
	assert.Zero(t, allocs(func() { zl.Debug("on by the floor") }), "zap under a floor")
}
