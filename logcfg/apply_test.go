package logcfg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// TestApplyAllOrNothing: a config whose second new handler cannot open
// changes nothing. The first, opened, is closed again (no descriptor
// leaks); the error says which handler and file; the running handlers,
// levels, config and view stay as they were.
func TestApplyAllOrNothing(t *testing.T) {
	r := newTestRegistry()
	dir := t.TempDir()
	kept := filepath.Join(dir, "kept.log")
	tree := r.tree(t, lltest.NewINI().Logger("root", "INFO", "kept", true).Logger("app.db", "ERROR", "", true).
		Handler("kept", "FileHandler", "", "f", lltest.FileArgs(kept)).
		Formatter("f", "%(levelname)s %(name)s %(message)s").String())
	tree.Logger("app").Info("before")
	gen, cfg, view := tree.Generation(), tree.Config(), tree.Resolved()
	levels := levelsOf(tree, "root", "app", "app.db")
	require.Equal(t, map[string]string{"root": "INFO", "app": "INFO", "app.db": "ERROR"}, levels)
	fdsBefore := len(lltest.OpenFDs(t))

	first := filepath.Join(dir, "first.log")
	missing := filepath.Join(dir, "no-such-dir", "second.log")
	bad := r.parse(t, lltest.NewINI().Logger("root", "DEBUG", "first,second", true).
		Handler("first", "FileHandler", "", "", lltest.FileArgs(first)).
		Handler("second", "FileHandler", "", "", lltest.FileArgs(missing)).String())
	res, err := tree.Apply(bad, Full)
	require.Error(t, err)
	assert.Nil(t, res)
	assert.ErrorIs(t, err, ErrOpen)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), `cannot open handler "second" (FileHandler): open `+missing)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "test.ini", e.File)
	assert.Equal(t, "handler_second", e.Section)
	assert.Positive(t, e.Line)

	assert.Equal(t, gen, tree.Generation())
	assert.Equal(t, cfg, tree.Config())
	assert.Equal(t, view, tree.Resolved())
	assert.Equal(t, levels, levelsOf(tree, "root", "app", "app.db"))
	require.FileExists(t, first, "the first handler was really opened")
	assert.Empty(t, lltest.FDsOn(t, first), "and closed again")
	assert.Equal(t, fdsBefore, len(lltest.OpenFDs(t)), "no descriptor leaked")

	tree.Logger("app").Debug("still below INFO")
	tree.Logger("app").Info("after")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"INFO app before", "INFO app after"}, lltest.Lines(t, kept), "the old handler still writes")
	assert.Empty(t, lltest.Lines(t, first))
}

// TestApplyCarriesOverUnchangedHandlers: a handler whose class, arguments
// and formatter did not change keeps its open file across applies (mode
// 'w' would have emptied it if it were reopened), whatever else changes;
// a handler whose file changes is reopened, and the replaced one closed.
// A levels-only apply opens and closes nothing, and a handler's new level
// filters at once.
func TestApplyCarriesOverUnchangedHandlers(t *testing.T) {
	r := newTestRegistry()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.log")
	cfg := func(rootLevel, wLevel, other string) *Config {
		return r.parse(t, lltest.NewINI().Logger("root", rootLevel, "w,o", true).
			Handler("w", "FileHandler", wLevel, "f", lltest.FileArgs(path, "'w'")).
			Handler("o", "FileHandler", "", "f", lltest.FileArgs(filepath.Join(dir, other))).
			Formatter("f", "%(levelname)s %(message)s").String())
	}
	tree, err := NewTree(cfg("INFO", "INFO", "o1.log"), WithRegistry(r.Registry))
	require.NoError(t, err)
	defer func() { assert.NoError(t, tree.Close()) }()
	log := tree.Logger("app")
	log.Info("one")
	fds := lltest.FDsOn(t, path)
	require.Len(t, fds, 1)
	open := len(lltest.OpenFDs(t))

	res, err := tree.Apply(cfg("INFO", "ERROR", "o2.log"), LevelsOnly)
	require.NoError(t, err)
	assert.Equal(t, []Change{{Kind: "handler", Name: "w", Old: zapcore.InfoLevel, New: zapcore.ErrorLevel}}, res.Changes)
	assert.Equal(t, []string{`handler "o": new args/kwargs not applied (levels-only)`}, res.Ignored)
	assert.Equal(t, []string{"w", "o"}, res.Kept)
	assert.Empty(t, res.Opened)
	assert.Empty(t, res.Closed)
	assert.Equal(t, open, len(lltest.OpenFDs(t)), "a levels-only apply opens and closes nothing")
	assert.NoFileExists(t, filepath.Join(dir, "o2.log"))
	log.Warn("below w's new ERROR")

	res, err = tree.Apply(cfg("DEBUG", "DEBUG", "o1.log"), Full)
	require.NoError(t, err)
	assert.Equal(t, []Change{
		{Kind: "logger", Name: "root", Old: zapcore.InfoLevel, New: zapcore.DebugLevel},
		{Kind: "handler", Name: "w", Old: zapcore.ErrorLevel, New: zapcore.DebugLevel},
	}, res.Changes)
	assert.Equal(t, []string{"w", "o"}, res.Kept)
	assert.Empty(t, res.Opened)
	assert.Empty(t, res.Closed)
	assert.Equal(t, fds, lltest.FDsOn(t, path), "the same descriptor, not a reopened file")
	log.Debug("two")

	// Another handler's file changes: w is still carried over, o reopened.
	res, err = tree.Apply(cfg("DEBUG", "DEBUG", "o2.log"), Full)
	require.NoError(t, err)
	assert.Empty(t, res.Changes)
	assert.Equal(t, []string{"w"}, res.Kept)
	assert.Equal(t, []string{"o"}, res.Opened)
	assert.Equal(t, []string{"o"}, res.Closed)
	log.Debug("three")
	require.NoError(t, tree.Sync())
	assert.Equal(t, fds, lltest.FDsOn(t, path))
	assert.Empty(t, lltest.FDsOn(t, filepath.Join(dir, "o1.log")), "the replaced handler's file is closed")
	assert.Equal(t, open, len(lltest.OpenFDs(t)))
	assert.Equal(t, []string{"INFO one", "DEBUG two", "DEBUG three"}, lltest.Lines(t, path))
	assert.Equal(t, []string{"INFO one", "WARNING below w's new ERROR", "DEBUG two"}, lltest.Lines(t, filepath.Join(dir, "o1.log")))
	assert.Equal(t, []string{"DEBUG three"}, lltest.Lines(t, filepath.Join(dir, "o2.log")))
	assert.Equal(t, uint64(4), tree.Generation())
}

// TestPlanIsADryRun: Plan says what Apply would do (the changes, the
// handlers opened, kept and closed, the config's warnings) and opens,
// closes and changes nothing; Apply then does just that.
func TestPlanIsADryRun(t *testing.T) {
	r := newTestRegistry()
	dir := t.TempDir()
	cfg := func(level string, files ...string) string {
		b := lltest.NewINI().Logger("root", level, strings.Join(files, ","), true)
		for _, f := range files {
			b.Handler(f, "FileHandler", "", "", lltest.FileArgs(filepath.Join(dir, f+".log")), "junk=1")
		}
		return b.String()
	}
	tree := r.tree(t, cfg("INFO", "a", "b"))
	next := r.parse(t, cfg("DEBUG", "a", "c"))
	gen, fds := tree.Generation(), len(lltest.OpenFDs(t))

	pl, err := tree.Plan(next, Full)
	require.NoError(t, err)
	assert.Equal(t, Full, pl.Policy)
	assert.Equal(t, gen+1, pl.Generation)
	assert.Equal(t, []Change{{Kind: "logger", Name: "root", Old: zapcore.InfoLevel, New: zapcore.DebugLevel}}, pl.Changes)
	assert.Equal(t, []string{"c"}, pl.Opened)
	assert.Equal(t, []string{"a"}, pl.Kept)
	assert.Equal(t, []string{"b"}, pl.Closed)
	assert.Equal(t, next.Warnings, pl.Warnings)
	assert.Len(t, pl.Warnings, 2, "junk= in both handler sections")
	assert.NoFileExists(t, filepath.Join(dir, "c.log"), "a plan opens nothing")
	assert.Equal(t, fds, len(lltest.OpenFDs(t)))
	assert.Equal(t, gen, tree.Generation())
	assert.False(t, tree.Logger("app").Core().Enabled(zapcore.DebugLevel), "and changes no level")

	res, err := tree.Apply(next, Full)
	require.NoError(t, err)
	assert.Equal(t, pl.ApplyResult, *res)
	assert.FileExists(t, filepath.Join(dir, "c.log"))
	assert.Empty(t, lltest.FDsOn(t, filepath.Join(dir, "b.log")))
}

// TestApplyIncremental: an incremental dictConfig changes only the levels
// it names, whatever the policy: loggers it does not name keep theirs,
// handlers and propagate flags stay, a new name gets its level, and a
// handler the tree does not run is reported and changes nothing.
func TestApplyIncremental(t *testing.T) {
	r := newTestRegistry()
	path := filepath.Join(t.TempDir(), "h.log")
	tree := r.tree(t, lltest.NewINI().Logger("root", "WARNING", "h", true).Logger("app", "INFO", "", true).
		Logger("app.db", "DEBUG", "h", false).
		Handler("h", "FileHandler", "INFO", "f", lltest.FileArgs(path)).
		Formatter("f", "%(levelname)s %(name)s %(message)s").String())
	before := tree.Config()
	inc := r.parseJSON(t, `{"version": 1, "incremental": true,
		"loggers": {"app.db": {"level": "ERROR"}, "new.one": {"level": "DEBUG"}},
		"handlers": {"h": {"level": "DEBUG"}}}`)
	require.True(t, inc.Incremental)
	res, err := tree.Apply(inc, Full)
	require.NoError(t, err)
	assert.Equal(t, []Change{
		{Kind: "logger", Name: "app.db", Old: zapcore.DebugLevel, New: zapcore.ErrorLevel},
		{Kind: "logger", Name: "new.one", Old: NotSet, New: zapcore.DebugLevel},
		{Kind: "handler", Name: "h", Old: zapcore.InfoLevel, New: zapcore.DebugLevel},
	}, res.Changes)
	assert.Empty(t, res.Ignored)
	assert.Equal(t, map[string]string{"root": "WARNING", "app": "INFO", "app.db": "ERROR", "new.one": "DEBUG", "new.one.x": "DEBUG"},
		levelsOf(tree, "root", "app", "app.db", "new.one", "new.one.x"), "app, not named, keeps INFO")
	after := tree.Config()
	assert.Equal(t, before.Handlers[0].Args, after.Handlers[0].Args)
	assert.Equal(t, zapcore.DebugLevel, after.Handlers[0].Level)
	assert.Len(t, after.Loggers, len(before.Loggers)+1)
	assert.False(t, after.Incremental)
	view := tree.Resolved()
	assert.Equal(t, []string{"h"}, view.Loggers["app.db"].Handlers, "handlers stay")
	assert.False(t, view.Loggers["app.db"].Propagate, "propagate stays")
	tree.Logger("new.one").Debug("through h, now at DEBUG")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"DEBUG new.one through h, now at DEBUG"}, lltest.Lines(t, path))

	res, err = tree.Apply(r.parseJSON(t, `{"version": 1, "incremental": true, "handlers": {"zz": {"level": "ERROR"}}}`), LevelsOnly)
	require.NoError(t, err)
	assert.Empty(t, res.Changes)
	assert.Equal(t, []string{`handler "zz": not running; incremental configs set levels only`}, res.Ignored)
}

func TestApplyRejectsBadHandBuiltConfigs(t *testing.T) {
	r := newTestRegistry()
	tree := r.tree(t, hierarchyINI)
	gen := tree.Generation()
	cases := map[string]struct {
		edit func(*Config)
		want error
		text string
	}{
		"undefined handler":   {func(c *Config) { c.Loggers[1].Handlers = []string{"nope"} }, ErrUndefined, `handler "nope" is not defined`},
		"bad level":           {func(c *Config) { c.Loggers[0].Level = 42 }, ErrBadLevel, "bad level 42"},
		"unknown class":       {func(c *Config) { c.Handlers[0].Class = "Nope" }, ErrUnknownClass, `"Nope"`},
		"bad args":            {func(c *Config) { c.Handlers[0].Args = nil }, ErrBadArgs, "test.Observer takes one name"},
		"duplicate logger":    {func(c *Config) { c.Loggers[2].Name = "app" }, ErrDuplicate, `logger "app" is configured twice`},
		"undefined formatter": {func(c *Config) { c.Handlers[0].Formatter = "f" }, ErrUndefined, `formatter "f"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := r.parse(t, hierarchyINI)
			tc.edit(cfg)
			for _, p := range []Policy{Full, LevelsOnly} {
				_, err := tree.Apply(cfg, p)
				require.Error(t, err, p)
				assert.True(t, errors.Is(err, tc.want), "%v", err)
				assert.Contains(t, err.Error(), tc.text)
				assert.True(t, strings.HasPrefix(err.Error(), "logcfg: "), err.Error())
			}
		})
	}
	_, err := tree.Apply(nil, Full)
	assert.Error(t, err)
	assert.Equal(t, gen, tree.Generation(), "nothing was applied")
}

// TestConfigCopiesAreDeep: neither the config given to NewTree nor one
// returned by Config shares levels, handler lists, handler arguments or
// formatter keys with the running tree.
func TestConfigCopiesAreDeep(t *testing.T) {
	r := newTestRegistry()
	path := filepath.Join(t.TempDir(), "deep.log")
	cfg := r.parse(t, lltest.NewINI().Logger("root", "INFO", "h", true).
		Handler("h", "FileHandler", "", "f", lltest.FileArgs(path)).
		Formatter("f", "%(message)s", "color=never").String())
	tree, err := NewTree(cfg, WithRegistry(r.Registry))
	require.NoError(t, err)
	defer func() { assert.NoError(t, tree.Close()) }()

	cfg.Loggers[0].Level = zapcore.ErrorLevel
	cfg.Handlers[0].Args[0].Str = "/mutated/by/the/caller"
	got := tree.Config()
	got.Loggers[0].Handlers[0] = "changed"
	got.Handlers[0].Args[0].Str = "/mutated/through/Config"
	got.Formatters[0].Extra["color"] = "always"
	now := tree.Config()
	assert.Equal(t, zapcore.InfoLevel, now.Loggers[0].Level)
	assert.True(t, tree.Logger("app").Core().Enabled(zapcore.InfoLevel))
	assert.Equal(t, []string{"h"}, now.Loggers[0].Handlers)
	assert.Equal(t, path, now.Handlers[0].Args[0].Str)
	assert.Equal(t, "never", now.Formatters[0].Extra["color"])

	// Applying the running config again carries the handler over.
	res, err := tree.Apply(tree.Config(), LevelsOnly)
	require.NoError(t, err)
	assert.Empty(t, res.Ignored)
	assert.Equal(t, []string{"h"}, res.Kept)
	tree.Logger("app").Info("still here")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"still here"}, lltest.Lines(t, path))
}

// TestRootWithoutLevelIsWarning: a [logger_root] without level= means
// WARNING in every config, also after one that set DEBUG (Python would
// keep DEBUG; the package doc lists this difference).
func TestRootWithoutLevelIsWarning(t *testing.T) {
	r := newTestRegistry()
	tree := r.tree(t, lltest.NewINI().Logger("root", "DEBUG", "", true).String())
	require.True(t, tree.Logger("app").Core().Enabled(zapcore.DebugLevel))
	res, err := tree.Apply(r.parse(t, lltest.NewINI().Logger("root", "", "", true).String()), Full)
	require.NoError(t, err)
	assert.Equal(t, []Change{{Kind: "logger", Name: "root", Old: zapcore.DebugLevel, New: zapcore.WarnLevel}}, res.Changes)
	assert.Equal(t, map[string]string{"root": "WARNING", "app": "WARNING"}, levelsOf(tree, "root", "app"))
}

// TestApplyDoesNotWaitForAStuckWrite: a write blocked in a handler (a
// pipe nobody reads) does not hold Apply, which reports it; the replaced
// handler is closed when the write returns, and not before.
func TestApplyDoesNotWaitForAStuckWrite(t *testing.T) {
	r := newTestRegistry()
	tree, errOut := r.stuckTree(t, 20*time.Millisecond)
	_, err := tree.Apply(r.parse(t, hierarchyINI), Full) // returns although the write is stuck
	require.NoError(t, err)
	assert.Contains(t, errOut.String(), `handler "b": a write has not returned after 20ms; the handler is closed when it does`)
	tree.Logger("app").Warn("new handlers")
	assert.Equal(t, []string{"WARNING app new handlers"}, r.take(t, "root"))
	r.unstick(t)
}
