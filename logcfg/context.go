package logcfg

import (
	"context"
	"sync/atomic"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// levelKey is the context key of a level floor.
type levelKey struct{}

// floorsUsed is set by the first WithLevel: until then no context can
// carry a floor, and the slog handlers' disabled path skips the context
// lookup (it only ever goes from false to true).
var floorsUsed atomic.Bool

// ctxFloors is how many floors LoggerContext caches loggers for: NotSet
// to Fatal.
const ctxFloors = int(zapcore.FatalLevel-NotSet) + 1

// WithLevel returns a context carrying a level floor: the tree's slog
// loggers ([Tree.Slog], [Tree.SlogHandler]) and the zap loggers of
// [Tree.LoggerContext] let through every record at level or above for
// calls made with this context, whatever their logger's own level, so a
// request marked DEBUG logs at DEBUG through every named logger it
// passes, and no other request does. A floor only ever adds records: one
// above a logger's level changes nothing there. Handlers still filter by
// their own levels. The innermost WithLevel counts; NotSet lets every
// level through, like DEBUG.
//
// A level outside NOTSET..CRITICAL is clamped to that range.
func WithLevel(ctx context.Context, level zapcore.Level) context.Context {
	if !floorsUsed.Load() {
		floorsUsed.Store(true)
	}
	return context.WithValue(ctx, levelKey{}, clampFloor(level))
}

func clampFloor(l zapcore.Level) zapcore.Level {
	switch {
	case l < NotSet:
		return NotSet
	case l > Critical:
		return Critical
	}
	return l
}

// levelFloor is ctx's level floor, if it carries one.
func levelFloor(ctx context.Context) (zapcore.Level, bool) {
	if ctx == nil || !floorsUsed.Load() {
		return 0, false
	}
	l, ok := ctx.Value(levelKey{}).(zapcore.Level)
	return l, ok
}

// LoggerContext is [Tree.Logger] for one request: when ctx carries a level
// floor ([WithLevel]) the logger also lets through every record at the
// floor or above (checked at each call, so a later change of the logger's
// own level still counts); without one it is Logger(name) itself, at no
// extra cost. Handlers still filter by their own levels. zap's Named and
// With keep the floor.
func (t *Tree) LoggerContext(ctx context.Context, name string) *zap.Logger {
	n := t.node(name)
	floor, ok := levelFloor(ctx)
	if !ok {
		return n.logger
	}
	slot := &n.ctx[floor-NotSet]
	if l := slot.Load(); l != nil {
		return l
	}
	opts := append([]zap.Option{zap.ErrorOutput(t.errOut)}, t.zapOpts...)
	l := zap.New(&floorCore{inner: n.core, floor: floor}, opts...).Named(n.name)
	slot.CompareAndSwap(nil, l)
	return slot.Load()
}

// floorCore is a router core with a context's level floor: records at the
// floor or above pass whatever the logger's level.
type floorCore struct {
	inner *routerCore
	floor zapcore.Level
}

var _ zapcore.Core = (*floorCore)(nil)

func (c *floorCore) Enabled(l zapcore.Level) bool { return l >= c.floor || c.inner.Enabled(l) }

// Level is the lower of the floor and the logger's level.
func (c *floorCore) Level() zapcore.Level { return min(c.floor, c.inner.Level()) }

func (c *floorCore) With(fields []zapcore.Field) zapcore.Core {
	if len(fields) == 0 {
		return c
	}
	return &floorCore{inner: c.inner.withFields(fields, nil), floor: c.floor}
}

func (c *floorCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if ent.Level >= c.floor {
		rc := c.inner
		switch ent.LoggerName {
		case rc.n.name:
		case "": // the core used without its zap.Logger, as routerCore.Check
			ent.LoggerName = rc.n.name
		default:
			rc = rc.as(ent.LoggerName)
		}
		return ce.AddCore(ent, rc)
	}
	return c.inner.Check(ent, ce)
}

func (c *floorCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	return c.inner.Write(ent, fields)
}

func (c *floorCore) Sync() error { return c.inner.Sync() }
