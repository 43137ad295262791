package logcfg

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// propagationINI has the cases people get wrong: a logger at DEBUG under
// a WARNING root whose records still reach the root's handler, a handler
// stricter than its logger, propagate=0, a configured NOTSET logger, a
// logger stricter than its handler, a logger that reaches no handler
// (Python's last resort) and one whose handler is also its parent's.
func propagationINI(rootLevel string) string {
	file := func(name string) string { return "('%(dir)s/" + name + ".log',)" }
	return lltest.NewINI().
		Logger("root", rootLevel, "rootH", true).
		Logger("app", "INFO", "appH", true).
		Logger("app.db", "DEBUG", "dbH", false).
		Logger("app.web", "", "webH", true).
		Logger("lone", "DEBUG", "", true).
		Logger("quiet", "CRITICAL", "quietH", true).
		Logger("mute", "", "", false).
		Logger("twice", "INFO", "rootH", true).
		Handler("rootH", "FileHandler", "", "f", file("root")).
		Handler("appH", "FileHandler", "WARNING", "f", file("app")).
		Handler("dbH", "FileHandler", "", "f", file("db")).
		Handler("webH", "logging.FileHandler", "ERROR", "f", file("web")).
		Handler("quietH", "FileHandler", "DEBUG", "f", file("quiet")).
		Formatter("f", "%(levelname)s %(name)s %(message)s").String()
}

// TestPropagationMatchesPython logs the same records, every level from
// every logger of propagationINI and below, through a Tree and through
// CPython's fileConfig of the same INI, and compares what every handler's
// file got and what reached no handler.
func TestPropagationMatchesPython(t *testing.T) {
	names := []string{"root", "app", "app.web", "app.web.x", "app.db", "app.db.pool", "lone", "lone.y", "quiet.child", "mute.z", "twice", "other"}
	var records []string
	for _, n := range names {
		for _, l := range []zapcore.Level{zapcore.DebugLevel, zapcore.InfoLevel, zapcore.WarnLevel, zapcore.ErrorLevel, Critical} {
			records = append(records, fmt.Sprintf("%s %s %s/%s", n, LevelName(l), n, LevelName(l)))
		}
	}
	for _, rootLevel := range []string{"WARNING", "NOTSET", ""} {
		t.Run("root="+rootLevel, func(t *testing.T) {
			ini := propagationINI(rootLevel)
			goDir := t.TempDir()
			cfg, err := Parse(strings.NewReader(ini), "prop.ini", WithDefaults(map[string]string{"dir": goDir}))
			require.NoError(t, err)
			tree, err := NewTree(cfg)
			require.NoError(t, err)
			var lastResort bytes.Buffer
			tree.lastResort = &lastResort
			lltest.LogRecords(t, records, tree.Logger, ParseLevel)
			require.NoError(t, tree.Close())
			got := lltest.DirLines(t, goDir)

			// A record is filtered by each handler's level, never by an
			// ancestor logger's: app.web.x's INFO (it inherits app's INFO)
			// reaches the root's handler whatever the root's level, and
			// app's WARNING handler drops it.
			assert.Contains(t, got["root.log"], "INFO app.web.x app.web.x/INFO")
			assert.NotContains(t, got["app.log"], "INFO app.web.x app.web.x/INFO")
			assert.Contains(t, got["app.log"], "WARNING app.web.x app.web.x/WARNING")
			assert.Contains(t, got["root.log"], "DEBUG lone lone/DEBUG")
			// propagate=0 stops at app.db; app.db.pool inherits its DEBUG.
			assert.Contains(t, got["db.log"], "DEBUG app.db.pool app.db.pool/DEBUG")
			for _, l := range append(got["root.log"], got["app.log"]...) {
				assert.NotContains(t, l, "app.db")
			}
			assert.Contains(t, lastResort.String(), "mute.z/WARNING\n", "mute reaches no handler")
			if rootLevel != "NOTSET" {
				assert.NotContains(t, got["root.log"], "INFO other other/INFO", "other inherits the root's WARNING")
				assert.Contains(t, got["root.log"], "ERROR other other/ERROR")
			}

			pyDir := t.TempDir()
			pyStderr := lltest.PythonLogs(t, ini, pyDir, records)
			want := lltest.DirLines(t, pyDir)
			require.Len(t, want, 5, "python made one file per handler")
			assert.Equal(t, want, got)
			assert.Equal(t, pyStderr, lastResort.String(), "what reached no handler")
		})
	}
}

// TestLevelsFollowConfigs: a logger asked for before any config names it
// inherits, and follows every later config; loggers a new config does not
// name go back to inheriting from their ancestors (rather than being
// disabled, as Python's disable_existing_loggers would), reaching the
// root's handlers; a NOTSET root lets everything through.
func TestLevelsFollowConfigs(t *testing.T) {
	r := newTestRegistry()
	tree := r.tree(t, hierarchyINI)
	early := tree.Logger("late.x")
	appDB := tree.Logger("app.db")
	assert.False(t, early.Core().Enabled(zapcore.InfoLevel), "inherits the root's WARNING")
	assert.True(t, early.Core().Enabled(zapcore.WarnLevel))
	assert.True(t, tree.Logger("app.web").Core().Enabled(zapcore.InfoLevel), "inherits app's INFO")
	assert.False(t, tree.Logger("app.web").Core().Enabled(zapcore.DebugLevel))
	require.True(t, appDB.Core().Enabled(zapcore.DebugLevel))

	root := func(level string) *lltest.INI {
		return lltest.NewINI().Logger("root", level, "root", true).Handler("root", "test.Observer", "", "", "('root',)")
	}
	res, err := tree.Apply(r.parse(t, root("WARNING").Logger("late", "DEBUG", "", true).String()), Full)
	require.NoError(t, err)
	assert.Equal(t, []Change{
		{Kind: "logger", Name: "app", Old: zapcore.InfoLevel, New: NotSet},
		{Kind: "logger", Name: "app.db", Old: zapcore.DebugLevel, New: NotSet},
		{Kind: "logger", Name: "late", Old: NotSet, New: zapcore.DebugLevel},
	}, res.Changes)
	assert.True(t, early.Core().Enabled(zapcore.DebugLevel), "picks up the level of a later config")
	early.Debug("now")
	assert.False(t, appDB.Core().Enabled(zapcore.InfoLevel))
	appDB.Warn("still logs")
	assert.Equal(t, []string{"DEBUG late.x now", "WARNING app.db still logs"}, r.take(t, "root"), "app.db now propagates to the root")
	assert.Equal(t, ResolvedLogger{Level: "NOTSET", Effective: "WARNING", Propagate: true, Handlers: []string{}}, tree.Resolved().Loggers["app.db"])

	_, err = tree.Apply(r.parse(t, root("NOTSET").String()), Full)
	require.NoError(t, err)
	assert.True(t, early.Core().Enabled(zapcore.DebugLevel))
	assert.False(t, early.Core().Enabled(NotSet-1), "nothing below NOTSET")
	tree.Logger("brand.new").Debug("everything")
	assert.Equal(t, []string{"DEBUG brand.new everything"}, r.take(t, "root"))
	assert.Equal(t, "NOTSET", tree.Resolved().Loggers["late.x"].Effective)
}

func TestLoggerNamesAndIdentity(t *testing.T) {
	r := newTestRegistry()
	tree := r.tree(t, hierarchyINI)
	assert.Same(t, tree.Logger(""), tree.Logger("root"))
	assert.Same(t, tree.Logger("app"), tree.Logger("app"))
	tree.Logger("").Warn("r")
	assert.Equal(t, []string{"WARNING root r"}, r.take(t, "root"))
}

func TestCriticalNeverPanics(t *testing.T) {
	r := newTestRegistry()
	tree := r.tree(t, hierarchyINI)
	assert.NotPanics(t, func() { tree.Logger("x").DPanic("critical") })
	assert.Equal(t, []string{"CRITICAL x critical"}, r.take(t, "root"))

	_, err := NewTree(r.parse(t, hierarchyINI), WithRegistry(r.Registry), WithZapOptions(zap.Development()))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "zap.Development")
}

// TestLastResort: records at WARNING and above that reach no handler go
// to stderr, message only, as in Python; a NullHandler counts as a
// handler.
func TestLastResort(t *testing.T) {
	r := newTestRegistry()
	var stderr bytes.Buffer
	tree, err := NewTree(nil, WithRegistry(r.Registry))
	require.NoError(t, err)
	defer func() { assert.NoError(t, tree.Close()) }()
	tree.lastResort = &stderr
	tree.Logger("app").Info("no handler, below WARNING")
	tree.Logger("app").Warn("no handler at all", zap.Int("n", 1))
	assert.Equal(t, "no handler at all\n", stderr.String())

	_, err = tree.Apply(r.parse(t, lltest.NewINI().Logger("root", "", "null", true).
		Handler("null", "NullHandler", "", "", "()").String()), Full)
	require.NoError(t, err)
	tree.Logger("app").Error("swallowed")
	assert.Equal(t, "no handler at all\n", stderr.String())
}

// TestCallerFromFormat: a format that shows the caller names the file,
// function and line that logged, whichever way the call was made.
func TestCallerFromFormat(t *testing.T) {
	r := newTestRegistry()
	path := filepath.Join(t.TempDir(), "caller.log")
	tree := r.tree(t, lltest.NewINI().Logger("root", "DEBUG", "h", true).
		Handler("h", "FileHandler", "", "f", lltest.FileArgs(path)).
		Formatter("f", "%(module)s %(funcName)s %(lineno)d %(filename)s %(message)s").String())
	log := tree.Logger("app")
	_, _, line, _ := runtime.Caller(0)
	log.Info("info")
	log.Sugar().Infow("infow", "k", 1)
	if ce := log.Check(zapcore.WarnLevel, "check"); ce != nil {
		ce.Write()
	}
	log.With(zap.String("w", "x")).Error("with")
	func() { log.Warn("closure") }()
	require.NoError(t, tree.Sync())
	// The calls are on lines +1, +2, +4 (ce.Write), +6 and +7 from line.
	assert.Equal(t, []string{
		fmt.Sprintf("tree_test TestCallerFromFormat %d tree_test.go info", line+1),
		fmt.Sprintf("tree_test TestCallerFromFormat %d tree_test.go infow k=1", line+2),
		fmt.Sprintf("tree_test TestCallerFromFormat %d tree_test.go check", line+4),
		fmt.Sprintf("tree_test TestCallerFromFormat %d tree_test.go with w=x", line+6),
		fmt.Sprintf("tree_test func1 %d tree_test.go closure", line+7),
	}, lltest.Lines(t, path))
}

func TestCloseStopsWritesAndApplies(t *testing.T) {
	r := newTestRegistry()
	path := filepath.Join(t.TempDir(), "c.log")
	tree, err := NewTree(r.parse(t, lltest.NewINI().Logger("root", "INFO", "f", true).
		Handler("f", "FileHandler", "", "", lltest.FileArgs(path)).String()), WithRegistry(r.Registry))
	require.NoError(t, err)
	var stderr bytes.Buffer
	tree.lastResort = &stderr
	log := tree.Logger("app")
	log.Info("one")
	require.NoError(t, tree.Close())
	require.NoError(t, tree.Close(), "Close twice is fine")
	log.Info("after close")
	assert.Equal(t, []string{"one"}, lltest.Lines(t, path))
	assert.Empty(t, tree.HandlerErrors(), "no write reached the closed file")
	_, err = tree.Apply(r.parse(t, hierarchyINI), Full)
	assert.ErrorContains(t, err, "tree is closed")
}

// TestCloseReturnsWhileAWriteIsStuck: Close returns while a write is
// stuck in a handler (a pipe nobody reads): it reports the handler and
// leaves its closing to when the write returns; it does not hold the
// tree's lock meanwhile, so Logger and Apply answer.
func TestCloseReturnsWhileAWriteIsStuck(t *testing.T) {
	r := newTestRegistry()
	tree, errOut := r.stuckTree(t, 50*time.Millisecond)
	closed := make(chan error, 1)
	go func() { closed <- tree.Close() }()
	select {
	case err := <-closed:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("Close is blocked behind a stuck write")
	}
	assert.Contains(t, errOut.String(), `handler "b": a write has not returned after 50ms`)
	assert.NotNil(t, tree.Logger("new.name"), "Logger answers after Close")
	_, err := tree.Apply(r.parse(t, hierarchyINI), Full)
	assert.ErrorContains(t, err, "tree is closed")
	r.unstick(t)
}
