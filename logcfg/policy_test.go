package logcfg

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// policyINIs: a running config and a next one that differ in levels and
// in everything else: handler lists, propagate flags, a new logger (with
// propagate=0), a logger the next one does not name, formatters, a new
// handler, a handler's class, and a handler the next one drops.
func policyINIs(dir string) (cur, next string) {
	file := func(name string) string { return lltest.FileArgs(filepath.Join(dir, name+".log")) }
	cur = lltest.NewINI().
		Logger("root", "WARNING", "h1", true).
		Logger("app", "INFO", "h1", true).
		Logger("app.db", "DEBUG", "h3", false).
		Logger("gone", "INFO", "h4", true).
		Handler("h1", "FileHandler", "INFO", "f", file("h1")).
		Handler("h3", "FileHandler", "", "f", file("h3")).
		Handler("h4", "FileHandler", "", "f", file("h4")).
		Formatter("f", "%(levelname)s %(name)s %(message)s").String()
	next = lltest.NewINI().
		Logger("root", "DEBUG", "h1", true).
		Logger("app", "ERROR", "h1,h2", false).
		Logger("app.db", "ERROR", "h3", true).
		Logger("svc", "DEBUG", "h2", false).
		Handler("h1", "FileHandler", "WARNING", "g", file("h1")).
		Handler("h2", "FileHandler", "", "g", file("h2")).
		Handler("h3", "NullHandler", "", "", "()").
		Formatter("g", "%(name)s: %(message)s").String()
	return cur, next
}

// TestLevelsOnlyAndFull applies the same next config under each policy:
// both change the same levels; LevelsOnly keeps everything else as it runs
// and lists each difference, Full applies it all. The records that follow
// show which handlers, formatters and propagate flags run.
func TestLevelsOnlyAndFull(t *testing.T) {
	wantChanges := []Change{
		{Kind: "logger", Name: "root", Old: zapcore.WarnLevel, New: zapcore.DebugLevel},
		{Kind: "logger", Name: "app", Old: zapcore.InfoLevel, New: zapcore.ErrorLevel},
		{Kind: "logger", Name: "app.db", Old: zapcore.DebugLevel, New: zapcore.ErrorLevel},
		{Kind: "logger", Name: "gone", Old: zapcore.InfoLevel, New: NotSet},
		{Kind: "logger", Name: "svc", Old: NotSet, New: zapcore.DebugLevel},
		{Kind: "handler", Name: "h1", Old: zapcore.InfoLevel, New: zapcore.WarnLevel},
	}
	apply := func(t *testing.T, p Policy) (*Tree, *ApplyResult, string) {
		r := newTestRegistry()
		dir := t.TempDir()
		cur, next := policyINIs(dir)
		tree := r.tree(t, cur)
		res, err := tree.Apply(r.parse(t, next), p)
		require.NoError(t, err)
		assert.Equal(t, uint64(2), res.Generation)
		assert.Equal(t, wantChanges, res.Changes)
		tree.Logger("x").Info("dropped by h1's WARNING")
		tree.Logger("svc").Warn("svc warns")
		tree.Logger("app").Error("app errs")
		tree.Logger("app.db").Error("db errs")
		tree.Logger("gone").Warn("gone warns")
		require.NoError(t, tree.Sync())
		return tree, res, dir
	}

	t.Run("levels-only", func(t *testing.T) {
		tree, res, dir := apply(t, LevelsOnly)
		assert.Equal(t, []string{
			`logger "app": handlers [h1] kept, not [h1 h2] (levels-only)`,
			`logger "app": propagate true kept (levels-only)`,
			`logger "app.db": propagate false kept (levels-only)`,
			`logger "svc": handlers [h2] not attached (levels-only)`,
			`logger "svc": propagate=0 not applied (levels-only)`,
			`logger "gone": not in the new config; its handlers [h4] and propagate true kept (levels-only)`,
			`handler "h1": formatter changes not applied (levels-only)`,
			`handler "h2": new FileHandler not started (levels-only)`,
			`handler "h3": class NullHandler not running, FileHandler kept (levels-only)`,
			`handler "h3": formatter changes not applied (levels-only)`,
			`handler "h4": kept running (levels-only)`,
		}, res.Ignored)
		assert.Equal(t, []string{"h1", "h3", "h4"}, res.Kept)
		assert.Empty(t, res.Opened)
		assert.Empty(t, res.Closed)

		view := tree.Resolved()
		assert.Equal(t, ResolvedHandler{Class: "FileHandler", Level: "WARNING", Formatter: "f"}, view.Handlers["h1"])
		assert.Equal(t, "FileHandler", view.Handlers["h3"].Class)
		assert.NotContains(t, view.Handlers, "h2")
		assert.Equal(t, []string{"h1"}, view.Loggers["app"].Handlers)
		assert.Equal(t, ResolvedLogger{Level: "DEBUG", Effective: "DEBUG", Propagate: true, Handlers: []string{}}, view.Loggers["svc"])
		// The old format; app still propagates, so h1 gets its record
		// twice (app's and the root's), as in Python.
		assert.Equal(t, []string{"WARNING svc svc warns", "ERROR app app errs", "ERROR app app errs", "WARNING gone gone warns"},
			lltest.Lines(t, filepath.Join(dir, "h1.log")))
		assert.Equal(t, []string{"ERROR app.db db errs"}, lltest.Lines(t, filepath.Join(dir, "h3.log")))
		assert.Equal(t, []string{"WARNING gone gone warns"}, lltest.Lines(t, filepath.Join(dir, "h4.log")))
		assert.NoFileExists(t, filepath.Join(dir, "h2.log"))

		// Config() is the running config: applied with Full it changes
		// nothing.
		before := tree.Resolved()
		res, err := tree.Apply(tree.Config(), Full)
		require.NoError(t, err)
		assert.Empty(t, res.Changes)
		assert.Empty(t, res.Ignored)
		assert.Empty(t, res.Opened)
		assert.Empty(t, res.Closed)
		assert.Equal(t, before, tree.Resolved())
	})

	t.Run("full", func(t *testing.T) {
		tree, res, dir := apply(t, Full)
		assert.Empty(t, res.Ignored)
		assert.Equal(t, []string{"h1", "h2", "h3"}, res.Opened, "h1 reopened for its new formatter, h3 for its class")
		assert.Empty(t, res.Kept)
		assert.Equal(t, []string{"h1", "h3", "h4"}, res.Closed)

		view := tree.Resolved()
		assert.Equal(t, []string{"h1", "h2"}, view.Loggers["app"].Handlers)
		assert.Equal(t, ResolvedHandler{Class: "FileHandler", Level: "WARNING", Formatter: "g"}, view.Handlers["h1"])
		assert.Equal(t, "NullHandler", view.Handlers["h3"].Class)
		assert.NotContains(t, view.Handlers, "h4")
		assert.Equal(t, ResolvedFormatter{Format: "%(name)s: %(message)s"}, view.Formatters["g"])
		// The new format; app (propagate=0) reaches h1 once, through its
		// own list; app.db now propagates to app's handlers.
		assert.Equal(t, []string{"app: app errs", "app.db: db errs", "gone: gone warns"}, lltest.Lines(t, filepath.Join(dir, "h1.log")))
		assert.Equal(t, []string{"svc: svc warns", "app: app errs", "app.db: db errs"}, lltest.Lines(t, filepath.Join(dir, "h2.log")))
		for _, f := range []string{"h3.log", "h4.log"} {
			assert.Empty(t, lltest.Lines(t, filepath.Join(dir, f)))
			assert.Empty(t, lltest.FDsOn(t, filepath.Join(dir, f)), "%s is closed", f)
		}
	})
}

// TestLevelsOnlyNeverOpensHandlers: LevelsOnly is what a listener
// allows the network by default, so it must not start a handler even on
// a tree that has run no config yet.
func TestLevelsOnlyNeverOpensHandlers(t *testing.T) {
	r := newTestRegistry()
	tree, err := NewTree(nil, WithRegistry(r.Registry))
	require.NoError(t, err)
	defer func() { assert.NoError(t, tree.Close()) }()
	path := filepath.Join(t.TempDir(), "pushed.log")
	res, err := tree.Apply(r.parse(t, lltest.NewINI().Logger("root", "DEBUG", "f", true).
		Handler("f", "FileHandler", "", "", lltest.FileArgs(path)).String()), LevelsOnly)
	require.NoError(t, err)
	assert.Equal(t, []Change{{Kind: "logger", Name: "root", Old: zapcore.WarnLevel, New: zapcore.DebugLevel}}, res.Changes)
	assert.Contains(t, res.Ignored, `handler "f": new FileHandler not started (levels-only)`)
	assert.NoFileExists(t, path)
	assert.Empty(t, tree.Resolved().Handlers)
	assert.True(t, tree.Logger("app").Core().Enabled(zapcore.DebugLevel))
}

func TestPolicyAndChangeStrings(t *testing.T) {
	assert.Equal(t, "full", Full.String())
	assert.Equal(t, "levels-only", LevelsOnly.String())
	assert.Equal(t, "logger app: INFO -> DEBUG", Change{Kind: "logger", Name: "app", Old: zapcore.InfoLevel, New: zapcore.DebugLevel}.String())
}
