package logcfg

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// openFDs maps this process's open file descriptors to what they name.
func openFDs(t *testing.T) map[string]string {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	out := map[string]string{}
	for _, e := range entries {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); err == nil {
			out[e.Name()] = target
		}
	}
	return out
}

// fdsOn lists the descriptors open on path.
func fdsOn(t *testing.T, path string) []string {
	t.Helper()
	real, err := filepath.EvalSymlinks(path)
	require.NoError(t, err)
	var fds []string
	for fd, target := range openFDs(t) {
		if target == real {
			fds = append(fds, fd)
		}
	}
	return fds
}

// levelsOf says for each name which levels its logger lets through.
func levelsOf(tree *Tree, names ...string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		out[n] = LevelName(tree.Logger(n).Level())
	}
	return out
}

func TestLiveApplyAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept.log")
	tree := newINI().logger("root", "INFO", "kept", true).logger("app.db", "ERROR", "", true).
		handler("kept", "FileHandler", "", "", fileArg(kept)).tree(t)
	tree.Logger("app").Info("before")
	gen, cfg, view := tree.Generation(), tree.Config(), tree.Resolved()
	levels := levelsOf(tree, "root", "app", "app.db")
	fdsBefore := len(openFDs(t))

	first := filepath.Join(dir, "first.log")
	missing := filepath.Join(dir, "no-such-dir", "second.log")
	bad := newINI().logger("root", "DEBUG", "first,second", true).
		handler("first", "FileHandler", "", "", fileArg(first)).
		handler("second", "FileHandler", "", "", fileArg(missing)).config(t)
	res, err := tree.Apply(bad, Full)
	require.Error(t, err)
	assert.Nil(t, res)
	assert.ErrorIs(t, err, ErrOpen)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), `"second"`, "names the handler")
	assert.Contains(t, err.Error(), missing, "names the file")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "handler_second", e.Section)

	assert.Equal(t, gen, tree.Generation())
	assert.Equal(t, cfg, tree.Config())
	assert.Equal(t, view, tree.Resolved())
	assert.Equal(t, levels, levelsOf(tree, "root", "app", "app.db"))
	assert.Equal(t, map[string]string{"root": "INFO", "app": "INFO", "app.db": "ERROR"}, levels)
	// The first handler was opened and then closed again.
	_, statErr := os.Stat(first)
	require.NoError(t, statErr, "first.log was really opened")
	assert.Empty(t, fdsOn(t, first), "first.log is not held open")
	assert.Equal(t, fdsBefore, len(openFDs(t)), "no descriptor leaked")

	tree.Logger("app").Debug("still below INFO")
	tree.Logger("app").Info("after")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"before", "after"}, linesOf(t, kept))
	assert.Empty(t, linesOf(t, first))
}

// TestLiveApplyCarriesOverHandlers: a handler whose class, arguments and
// formatter did not change keeps its open file across a Full apply (mode
// 'w' would have emptied it if it were reopened).
func TestLiveApplyCarriesOverHandlers(t *testing.T) {
	dir := t.TempDir()
	path, other := filepath.Join(dir, "w.log"), filepath.Join(dir, "other.log")
	cfg := func(rootLevel, handlerLevel, otherFile string) *iniBuilder {
		return newINI().logger("root", rootLevel, "w,o", true).
			handler("w", "FileHandler", handlerLevel, "f", fileArg(path, "'w'")).
			handler("o", "FileHandler", "", "f", fileArg(otherFile)).
			formatter("f", "%(levelname)s %(message)s")
	}
	tree := cfg("INFO", "INFO", other).tree(t)
	tree.Logger("app").Info("one")
	fds := fdsOn(t, path)
	require.Len(t, fds, 1)

	res, err := tree.Apply(cfg("DEBUG", "DEBUG", other).config(t), Full)
	require.NoError(t, err)
	assert.Equal(t, []Change{
		{Kind: "logger", Name: "root", Old: zapcore.InfoLevel, New: zapcore.DebugLevel},
		{Kind: "handler", Name: "w", Old: zapcore.InfoLevel, New: zapcore.DebugLevel},
	}, res.Changes)
	assert.Equal(t, fds, fdsOn(t, path), "the same descriptor, not a reopened file")
	tree.Logger("app").Debug("two")

	// Another handler's file changes: w is still carried over, o reopened.
	other2 := filepath.Join(dir, "other2.log")
	_, err = tree.Apply(cfg("DEBUG", "DEBUG", other2).config(t), Full)
	require.NoError(t, err)
	tree.Logger("app").Debug("three")
	require.NoError(t, tree.Sync())
	assert.Equal(t, fds, fdsOn(t, path))
	assert.Empty(t, fdsOn(t, other), "the replaced handler's file is closed")
	assert.Equal(t, []string{"INFO one", "DEBUG two", "DEBUG three"}, linesOf(t, path))
	assert.Equal(t, []string{"INFO one", "DEBUG two"}, linesOf(t, other))
	assert.Equal(t, []string{"DEBUG three"}, linesOf(t, other2))
}

// policyINIs: a running config and a next one that differs in levels,
// handler lists, propagate, a formatter and a new handler.
func policyINIs(dir string) (cur, next *iniBuilder) {
	cur = newINI().logger("root", "WARNING", "h1", true).logger("app", "INFO", "h1", true).
		handler("h1", "FileHandler", "INFO", "f", fileArg(filepath.Join(dir, "h1.log"))).
		formatter("f", "%(levelname)s %(name)s %(message)s")
	next = newINI().logger("root", "DEBUG", "h1", true).logger("app", "ERROR", "h1,h2", false).
		logger("svc", "DEBUG", "h2", true).
		handler("h1", "FileHandler", "WARNING", "g", fileArg(filepath.Join(dir, "h1.log"))).
		handler("h2", "FileHandler", "", "g", fileArg(filepath.Join(dir, "h2.log"))).
		formatter("g", "%(name)s: %(message)s")
	return cur, next
}

func TestLiveLevelsOnlyAndFull(t *testing.T) {
	wantChanges := []Change{
		{Kind: "logger", Name: "root", Old: zapcore.WarnLevel, New: zapcore.DebugLevel},
		{Kind: "logger", Name: "app", Old: zapcore.InfoLevel, New: zapcore.ErrorLevel},
		{Kind: "logger", Name: "svc", Old: NotSet, New: zapcore.DebugLevel},
		{Kind: "handler", Name: "h1", Old: zapcore.InfoLevel, New: zapcore.WarnLevel},
	}
	dir := t.TempDir()
	cur, next := policyINIs(dir)
	tree := cur.tree(t)
	gen := tree.Generation()
	res, err := tree.Apply(next.config(t), LevelsOnly)
	require.NoError(t, err)
	assert.Equal(t, gen+1, res.Generation)
	assert.Equal(t, wantChanges, res.Changes)
	assert.Equal(t, []string{
		`logger "app": handlers [h1] kept, not [h1 h2] (levels-only)`,
		`logger "app": propagate true kept (levels-only)`,
		`logger "svc": handlers [h2] not attached (levels-only)`,
		`handler "h1": formatter changes not applied (levels-only)`,
		`handler "h2": new FileHandler not started (levels-only)`,
	}, res.Ignored)
	// The running handlers, with the new levels.
	view := tree.Resolved()
	assert.Equal(t, "f", view.Handlers["h1"].Formatter)
	assert.Equal(t, "WARNING", view.Handlers["h1"].Level)
	assert.NotContains(t, view.Handlers, "h2")
	assert.Equal(t, ResolvedLogger{Level: "DEBUG", Effective: "DEBUG", Propagate: true, Handlers: []string{}}, view.Loggers["svc"])
	tree.Logger("svc").Warn("svc warns")
	tree.Logger("app").Error("app errs")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"WARNING svc svc warns", "ERROR app app errs", "ERROR app app errs"}, linesOf(t, filepath.Join(dir, "h1.log")),
		"old format; app still propagates to the root's h1")
	assert.NoFileExists(t, filepath.Join(dir, "h2.log"))

	// The same change under Full: the same level changes, nothing ignored.
	dir2 := t.TempDir()
	cur2, next2 := policyINIs(dir2)
	tree2 := cur2.tree(t)
	res2, err := tree2.Apply(next2.config(t), Full)
	require.NoError(t, err)
	assert.Equal(t, wantChanges, res2.Changes)
	assert.Empty(t, res2.Ignored)
	tree2.Logger("svc").Warn("svc warns")
	tree2.Logger("app").Error("app errs")
	require.NoError(t, tree2.Sync())
	assert.Equal(t, []string{"svc: svc warns", "app: app errs"}, linesOf(t, filepath.Join(dir2, "h1.log")),
		"new format; app (propagate=0) reaches h1 once, through its own list")
	assert.Equal(t, []string{"svc: svc warns", "app: app errs"}, linesOf(t, filepath.Join(dir2, "h2.log")))
}

func TestLiveIncrementalJSON(t *testing.T) {
	dir := t.TempDir()
	tree := newINI().logger("root", "WARNING", "h", true).logger("app", "INFO", "", true).logger("svc", "DEBUG", "", true).
		handler("h", "FileHandler", "INFO", "", fileArg(filepath.Join(dir, "h.log"))).tree(t)
	before := tree.Config()
	inc := mustParseJSON(t, `{"version": 1, "incremental": true,
		"loggers": {"app": {"level": "DEBUG"}, "new.one": {"level": "ERROR"}},
		"handlers": {"h": {"level": "DEBUG"}}}`)
	require.True(t, inc.Incremental)
	// Incremental wins over the policy: only the named levels change.
	res, err := tree.Apply(inc, Full)
	require.NoError(t, err)
	assert.Equal(t, []Change{
		{Kind: "logger", Name: "app", Old: zapcore.InfoLevel, New: zapcore.DebugLevel},
		{Kind: "logger", Name: "new.one", Old: NotSet, New: zapcore.ErrorLevel},
		{Kind: "handler", Name: "h", Old: zapcore.InfoLevel, New: zapcore.DebugLevel},
	}, res.Changes)
	assert.Empty(t, res.Ignored)
	assert.Equal(t, map[string]string{"root": "WARNING", "app": "DEBUG", "svc": "DEBUG", "new.one": "ERROR", "new.one.x": "ERROR"},
		levelsOf(tree, "root", "app", "svc", "new.one", "new.one.x"), "svc, not named, keeps DEBUG")
	after := tree.Config()
	assert.Equal(t, before.Handlers[0].Args, after.Handlers[0].Args)
	assert.Equal(t, zapcore.DebugLevel, after.Handlers[0].Level)
	assert.Len(t, after.Loggers, len(before.Loggers)+1)
	assert.False(t, after.Incremental)

	// A handler the tree does not run is reported, and changes nothing.
	res, err = tree.Apply(mustParseJSON(t, `{"version": 1, "incremental": true, "handlers": {"zz": {"level": "ERROR"}}}`), LevelsOnly)
	require.NoError(t, err)
	assert.Empty(t, res.Changes)
	assert.Equal(t, []string{`handler "zz": not running; incremental configs set levels only`}, res.Ignored)
}

func mustParseJSON(t *testing.T, s string) *Config {
	t.Helper()
	cfg, err := ParseJSON([]byte(s), "test.json")
	require.NoError(t, err)
	return cfg
}

// TestLiveWithSurvivesApply: fields added with With before a Full apply
// that swaps the handler's file are on the lines in the new file, whether
// or not the With logger wrote before the apply.
func TestLiveWithSurvivesApply(t *testing.T) {
	dir := t.TempDir()
	cfg := func(n int, level string) *iniBuilder {
		return newINI().logger("root", level, "h", true).
			handler("h", "FileHandler", "", "f", fileArg(filepath.Join(dir, strconv.Itoa(n)+".log"))).
			formatter("f", "%(name)s %(message)s")
	}
	tree := cfg(1, "INFO").tree(t)
	used := tree.Logger("app").With(zap.String("req", "r1"))
	fresh := tree.Logger("app").With(zap.Int("user", 7)).With(zap.Bool("admin", true))
	used.Info("first")

	_, err := tree.Apply(cfg(2, "INFO").config(t), Full)
	require.NoError(t, err)
	used.Info("second")
	fresh.Info("fresh")
	_, err = tree.Apply(cfg(2, "DEBUG").config(t), LevelsOnly)
	require.NoError(t, err)
	used.Debug("third")
	_, err = tree.Apply(cfg(3, "DEBUG").config(t), Full)
	require.NoError(t, err)
	used.Named("sub").Debug("fourth")
	require.NoError(t, tree.Sync())

	assert.Equal(t, []string{"app first req=r1"}, linesOf(t, filepath.Join(dir, "1.log")))
	assert.Equal(t, []string{"app second req=r1", "app fresh user=7 admin=true", "app third req=r1"}, linesOf(t, filepath.Join(dir, "2.log")))
	assert.Equal(t, []string{"app.sub fourth req=r1"}, linesOf(t, filepath.Join(dir, "3.log")))
}

// TestLiveLevelsOnlyNeverOpensHandlers: LevelsOnly is what a listener
// allows the network by default, so it must not start a handler even on
// a tree that has run no config yet.
func TestLiveLevelsOnlyNeverOpensHandlers(t *testing.T) {
	tree, err := NewTree(nil)
	require.NoError(t, err)
	defer func() { assert.NoError(t, tree.Close()) }()
	path := filepath.Join(t.TempDir(), "pushed.log")
	res, err := tree.Apply(newINI().logger("root", "DEBUG", "f", true).
		handler("f", "FileHandler", "", "", fileArg(path)).config(t), LevelsOnly)
	require.NoError(t, err)
	assert.Equal(t, []Change{{Kind: "logger", Name: "root", Old: zapcore.WarnLevel, New: zapcore.DebugLevel}}, res.Changes)
	assert.Contains(t, res.Ignored, `handler "f": new FileHandler not started (levels-only)`)
	assert.NoFileExists(t, path)
	assert.Empty(t, tree.Resolved().Handlers)
	assert.True(t, tree.Logger("app").Core().Enabled(zapcore.DebugLevel))
}

// TestLiveRootWithoutLevelIsWarning: a [logger_root] without level= means
// WARNING in every config, also after one that set DEBUG (Python would
// keep DEBUG; the package doc lists this difference).
func TestLiveRootWithoutLevelIsWarning(t *testing.T) {
	tree := newINI().logger("root", "DEBUG", "", true).tree(t)
	require.True(t, tree.Logger("app").Core().Enabled(zapcore.DebugLevel))
	res, err := tree.Apply(newINI().logger("root", "", "", true).config(t), Full)
	require.NoError(t, err)
	assert.Equal(t, []Change{{Kind: "logger", Name: "root", Old: zapcore.DebugLevel, New: zapcore.WarnLevel}}, res.Changes)
	assert.Equal(t, map[string]string{"root": "WARNING", "app": "WARNING"}, levelsOf(tree, "root", "app"))
}

// TestLiveConfigCopiesAreDeep: neither the config given to Apply nor one
// returned by Config shares handler arguments or formatter keys with the
// running tree.
func TestLiveConfigCopiesAreDeep(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "deep.log")
	cfg := newINI().logger("root", "INFO", "h", true).
		handler("h", "FileHandler", "", "f", fileArg(path)).
		formatter("f", "%(message)s", "color=never").config(t)
	tree, err := NewTree(cfg)
	require.NoError(t, err)
	defer func() { assert.NoError(t, tree.Close()) }()

	cfg.Handlers[0].Args[0].Str = "/mutated/by/the/caller"
	got := tree.Config()
	got.Handlers[0].Args[0].Str = "/mutated/through/Config"
	got.Formatters[0].Extra["color"] = "always"
	assert.Equal(t, path, tree.Config().Handlers[0].Args[0].Str)
	assert.Equal(t, "never", tree.Config().Formatters[0].Extra["color"])

	// Applying the running config again carries the handler over.
	res, err := tree.Apply(tree.Config(), LevelsOnly)
	require.NoError(t, err)
	assert.Empty(t, res.Ignored)
	tree.Logger("app").Info("still here")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"still here"}, linesOf(t, path))
}
