//go:build !race

package logcfg

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// The allocation guards count livelog's own allocations, not a ratio to
// zap's: a disabled call makes none, and an enabled call with three
// fields makes at most one, the []Field of zap's variadic Info (which
// escapes: zap hands it to the cores), through a real colorfmt encoder
// that shows the caller, so that the tree finds callers too.

// allocFormat shows the caller's module and function.
const allocFormat = "%(asctime)s %(levelname)s %(name)s %(module)s.%(funcName)s: %(message)s"

// allocTree runs the root (INFO) through handler with allocFormat.
func allocTree(t *testing.T, class, args string) (*testRegistry, *Tree) {
	r := newTestRegistry()
	tree := r.tree(t, lltest.NewINI().Logger("root", "INFO", "h", true).
		Handler("h", class, "", "c", args).
		Formatter("c", allocFormat, "class=ColorFormatter", "color=always").String())
	require.True(t, tree.state.Load().needCaller, "the format shows the caller")
	return r, tree
}

func infoWith3Fields(l *zap.Logger) {
	l.Info("request done", zap.Int("status", 200), zap.String("path", "/v1/items"), zap.Duration("took", 3*time.Millisecond))
}

func debugWith3Fields(l *zap.Logger) {
	l.Debug("request done", zap.Int("status", 200), zap.String("path", "/v1/items"), zap.Duration("took", 3*time.Millisecond))
}

func allocs(f func()) float64 { return testing.AllocsPerRun(1000, f) }

func TestAllocDisabledCall(t *testing.T) {
	_, tree := allocTree(t, "test.Discard", "()")
	log := tree.Logger("app.db")
	with := log.With(zap.String("req", "r1"))
	assert.Zero(t, allocs(func() { log.Debug("off") }))
	assert.Zero(t, allocs(func() { tree.Logger("app.db").Debug("off") }), "looking the logger up again")
	assert.Zero(t, allocs(func() { with.Debug("off") }), "a With logger")
	assert.Zero(t, allocs(func() {
		if ce := log.Check(zapcore.DebugLevel, "off"); ce != nil {
			ce.Write(zap.Int("status", 200), zap.String("path", "/v1/items"), zap.Duration("took", 3*time.Millisecond))
		}
	}), "Check first: the fields are never built")
	assert.LessOrEqual(t, allocs(func() { debugWith3Fields(log) }), 1.0,
		"with fields, only zap's variadic slice, which escapes before zap checks the level")
}

func TestAllocEnabledCall(t *testing.T) {
	r, tree := allocTree(t, "test.Discard", "()")
	log := tree.Logger("app")
	with := log.With(zap.String("req", "r1")).With(zap.Int("user", 7))
	infoWith3Fields(log) // the first write of a generation routes the logger
	infoWith3Fields(with)
	assert.LessOrEqual(t, allocs(func() { infoWith3Fields(log) }), 1.0, "Info with three fields")
	assert.LessOrEqual(t, allocs(func() { infoWith3Fields(with) }), 1.0, "a With logger")

	// A Full apply of a config with a new handler: the first write of the
	// new generation builds the route and the With logger's cores; after
	// that, the same counts.
	_, err := tree.Apply(r.parse(t, lltest.NewINI().Logger("root", "INFO", "h2", true).
		Handler("h2", "test.Discard", "", "c", "()").
		Formatter("c", allocFormat, "class=ColorFormatter", "color=always").String()), Full)
	require.NoError(t, err)
	infoWith3Fields(log)
	infoWith3Fields(with)
	assert.LessOrEqual(t, allocs(func() { infoWith3Fields(log) }), 1.0, "after an apply")
	assert.LessOrEqual(t, allocs(func() { infoWith3Fields(with) }), 1.0, "a With logger after an apply")
}

// TestAllocFileHandler: the same call through a real FileHandler (on
// /dev/null).
func TestAllocFileHandler(t *testing.T) {
	_, tree := allocTree(t, "FileHandler", lltest.FileArgs(os.DevNull))
	log := tree.Logger("app")
	infoWith3Fields(log)
	assert.LessOrEqual(t, allocs(func() { infoWith3Fields(log) }), 1.0)
}
