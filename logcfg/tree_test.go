package logcfg

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// observed holds what each "test.Observer" handler received, by the name
// given in its args: args=('name',).
var observed = struct {
	sync.Mutex
	logs map[string]*observer.ObservedLogs
	// opened and closed count Opens and Closes of test.Observer outputs.
	opened, closed atomic.Int64
}{logs: map[string]*observer.ObservedLogs{}}

func init() {
	RegisterHandlerClass("test.Observer", HandlerClass{
		Check: func(h *HandlerConfig) error {
			if len(h.Args) != 1 || h.Args[0].Kind != KindString {
				return fmt.Errorf("%w: test.Observer takes one name", ErrBadArgs)
			}
			return nil
		},
		Open: func(h *HandlerConfig, _ EncoderFunc) (Output, error) {
			core, logs := observer.New(zapcore.Level(-128))
			observed.Lock()
			observed.logs[h.Args[0].Str] = logs
			observed.Unlock()
			observed.opened.Add(1)
			return Output{Core: core, Close: func() error { observed.closed.Add(1); return nil }}, nil
		},
	})
}

// obs returns (and empties) what the observer handler name received, as
// "level logger message" lines.
func obs(t *testing.T, name string) []string {
	t.Helper()
	observed.Lock()
	logs := observed.logs[name]
	observed.Unlock()
	require.NotNil(t, logs, "observer %q was never opened", name)
	var out []string
	for _, e := range logs.TakeAll() {
		out = append(out, fmt.Sprintf("%s %s %s", LevelName(e.Level), e.LoggerName, e.Message))
	}
	return out
}

func mustParse(t *testing.T, ini string) *Config {
	t.Helper()
	cfg, err := Parse(strings.NewReader(ini), "test.ini")
	require.NoError(t, err)
	return cfg
}

func newTestTree(t *testing.T, ini string, opts ...TreeOption) *Tree {
	t.Helper()
	tree, err := NewTree(mustParse(t, ini), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, tree.Close()) })
	return tree
}

func fileLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// hierarchyINI: root (WARNING) → obs "root" (NOTSET); app (INFO) → obs
// "app" (level WARNING); app.db (DEBUG, propagate=0) → obs "db".
const hierarchyINI = `
[loggers]
keys=root,app,db
[handlers]
keys=root,app,db
[formatters]
keys=
[logger_root]
level=WARNING
handlers=root
[logger_app]
level=INFO
handlers=app
qualname=app
[logger_db]
level=DEBUG
handlers=db
qualname=app.db
propagate=0
[handler_root]
class=test.Observer
args=('root',)
[handler_app]
class=test.Observer
level=WARNING
args=('app',)
[handler_db]
class=test.Observer
args=('db',)
`

func TestPropagationAndHandlerLevels(t *testing.T) {
	tree := newTestTree(t, hierarchyINI)
	app := tree.Logger("app.web") // not configured: inherits INFO from app
	app.Debug("below app's level")
	app.Info("info")
	app.Warn("warn")
	// app.web's INFO reaches the root's handler although the root logger
	// is at WARNING: a record is filtered by each handler's level, never by
	// an ancestor logger's. The app handler (WARNING) drops it.
	assert.Equal(t, []string{"INFO app.web info", "WARNING app.web warn"}, obs(t, "root"))
	assert.Equal(t, []string{"WARNING app.web warn"}, obs(t, "app"))

	db := tree.Logger("app.db")
	db.Debug("query")
	assert.Equal(t, []string{"DEBUG app.db query"}, obs(t, "db"))
	assert.Empty(t, obs(t, "app"), "propagate=0 stops at app.db")
	assert.Empty(t, obs(t, "root"))

	tree.Logger("app.db.pool").Debug("deeper") // NOTSET: inherits DEBUG, reaches db only
	assert.Equal(t, []string{"DEBUG app.db.pool deeper"}, obs(t, "db"))
	assert.Empty(t, obs(t, "root"))

	tree.Logger("other").Info("dropped") // inherits the root's WARNING
	tree.Logger("other").Error("kept")
	assert.Equal(t, []string{"ERROR other kept"}, obs(t, "root"))
}

func TestEffectiveLevels(t *testing.T) {
	early := func(tree *Tree) *zap.Logger { return tree.Logger("late.x") }
	tree := newTestTree(t, hierarchyINI)
	lx := early(tree) // asked for before any config names "late"
	assert.False(t, lx.Core().Enabled(zapcore.InfoLevel), "inherits root WARNING")
	assert.True(t, lx.Core().Enabled(zapcore.WarnLevel))

	ini := strings.Replace(hierarchyINI, "keys=root,app,db\n[handlers]", "keys=root,app,db,late\n[handlers]", 1) +
		"[logger_late]\nlevel=DEBUG\nhandlers=\nqualname=late\n"
	_, err := tree.Apply(mustParse(t, ini), Full)
	require.NoError(t, err)
	assert.True(t, lx.Core().Enabled(zapcore.DebugLevel), "picks up the level of a later config")
	lx.Debug("now")
	assert.Equal(t, []string{"DEBUG late.x now"}, obs(t, "root"))

	// Root NOTSET lets everything through.
	_, err = tree.Apply(mustParse(t, strings.Replace(hierarchyINI, "level=WARNING\nhandlers=root", "level=NOTSET\nhandlers=root", 1)), Full)
	require.NoError(t, err)
	assert.True(t, tree.Logger("zzz").Core().Enabled(zapcore.DebugLevel))
	assert.False(t, lx.Core().Enabled(NotSet-1), "nothing below NOTSET")
	assert.Equal(t, "NOTSET", tree.Resolved().Loggers["late.x"].Effective)
}

func TestUnmentionedLoggersInherit(t *testing.T) {
	tree := newTestTree(t, hierarchyINI)
	db := tree.Logger("app.db")
	require.True(t, db.Core().Enabled(zapcore.DebugLevel))
	// A config without app and app.db: they go back to inheriting from the
	// root (WARNING), rather than being disabled as Python's
	// disable_existing_loggers would.
	res, err := tree.Apply(mustParse(t, `
[loggers]
keys=root
[handlers]
keys=root
[formatters]
keys=
[logger_root]
level=WARNING
handlers=root
[handler_root]
class=test.Observer
args=('root',)
`), Full)
	require.NoError(t, err)
	assert.Equal(t, []Change{
		{Kind: "logger", Name: "app", Old: zapcore.InfoLevel, New: NotSet},
		{Kind: "logger", Name: "app.db", Old: zapcore.DebugLevel, New: NotSet},
	}, res.Changes)
	assert.False(t, db.Core().Enabled(zapcore.InfoLevel))
	db.Warn("still logs")
	assert.Equal(t, []string{"WARNING app.db still logs"}, obs(t, "root"), "and now propagates to the root")
	r := tree.Resolved()
	assert.Equal(t, ResolvedLogger{Level: "NOTSET", Effective: "WARNING", Propagate: true, Handlers: []string{}}, r.Loggers["app.db"])
}

func TestLoggerNamesAndIdentity(t *testing.T) {
	tree := newTestTree(t, hierarchyINI)
	assert.Same(t, tree.Logger(""), tree.Logger("root"))
	assert.Same(t, tree.Logger("app"), tree.Logger("app"))
	tree.Logger("").Warn("r")
	assert.Equal(t, []string{"WARNING root r"}, obs(t, "root"))
}

func TestCriticalNeverPanics(t *testing.T) {
	tree := newTestTree(t, hierarchyINI)
	assert.NotPanics(t, func() { tree.Logger("x").DPanic("critical") })
	assert.Equal(t, []string{"CRITICAL x critical"}, obs(t, "root"))

	_, err := NewTree(mustParse(t, hierarchyINI), WithZapOptions(zap.Development()))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "zap.Development")
}

func TestLastResort(t *testing.T) {
	var stderr bytes.Buffer
	tree, err := NewTree(nil)
	require.NoError(t, err)
	defer tree.Close()
	tree.lastResort = &stderr
	tree.Logger("app").Info("no handler, below WARNING")
	tree.Logger("app").Warn("no handler at all", zap.Int("n", 1))
	assert.Equal(t, "no handler at all\n", stderr.String())

	// A NullHandler counts as a handler, as in Python.
	_, err = tree.Apply(mustParse(t, "[loggers]\nkeys=root\n[handlers]\nkeys=null\n[formatters]\nkeys=\n"+
		"[logger_root]\nhandlers=null\n[handler_null]\nclass=NullHandler\nargs=()\n"), Full)
	require.NoError(t, err)
	tree.Logger("app").Error("swallowed")
	assert.Equal(t, "no handler at all\n", stderr.String())
}

func TestCallerFromFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "caller.log")
	tree := newTestTree(t, fmt.Sprintf(`
[loggers]
keys=root
[handlers]
keys=file
[formatters]
keys=f
[logger_root]
level=DEBUG
handlers=file
[handler_file]
class=FileHandler
formatter=f
args=(%q,)
[formatter_f]
format=%%(module)s.%%(funcName)s:%%(lineno)d %%(message)s
`, path))
	log := tree.Logger("app")
	_, _, line, _ := runtime.Caller(0)
	log.Info("direct")
	log.With(zap.Int("k", 1)).Info("with")
	log.Sugar().Infow("sugar")
	func() { log.Warn("closure") }()
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{
		fmt.Sprintf("tree_test.TestCallerFromFormat:%d direct", line+1),
		fmt.Sprintf("tree_test.TestCallerFromFormat:%d with k=1", line+2),
		fmt.Sprintf("tree_test.TestCallerFromFormat:%d sugar", line+3),
		fmt.Sprintf("tree_test.func1:%d closure", line+4),
	}, fileLines(t, path))
}

func TestWithFieldsSurviveFullApply(t *testing.T) {
	dir := t.TempDir()
	ini := func(file string) string {
		return fmt.Sprintf(`
[loggers]
keys=root
[handlers]
keys=file
[formatters]
keys=f
[logger_root]
level=INFO
handlers=file
[handler_file]
class=FileHandler
formatter=f
args=(%q,)
[formatter_f]
format=%%(levelname)s %%(name)s %%(message)s
`, filepath.Join(dir, file))
	}
	tree := newTestTree(t, ini("a.log"))
	req := tree.Logger("app").With(zap.String("req", "r1")).With(zap.Int("user", 7))
	req.Info("before")
	_, err := tree.Apply(mustParse(t, ini("b.log")), Full)
	require.NoError(t, err)
	req.Info("after")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"INFO app before req=r1 user=7"}, fileLines(t, filepath.Join(dir, "a.log")))
	assert.Equal(t, []string{"INFO app after req=r1 user=7"}, fileLines(t, filepath.Join(dir, "b.log")))
}

func TestHandlerWriteErrorsReported(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	good := filepath.Join(t.TempDir(), "good.log")
	var errOut bytes.Buffer
	tree := newTestTree(t, fmt.Sprintf(`
[loggers]
keys=root
[handlers]
keys=full,good
[formatters]
keys=
[logger_root]
level=INFO
handlers=full,good
[handler_full]
class=FileHandler
args=('/dev/full',)
[handler_good]
class=FileHandler
args=(%q,)
`, good), WithErrorOutput(zapcore.AddSync(&errOut)))
	for i := range 5 {
		tree.Logger("app").Info(fmt.Sprint("line ", i))
	}
	assert.Len(t, fileLines(t, good), 5, "the other handler got every line")
	assert.Equal(t, []HandlerError{{Handler: "full", Count: 5, Last: "logcfg: full: record lost: write /dev/full: no space left on device"}}, tree.HandlerErrors())
	// Reported the first time and at each power of two: 1, 2, 4.
	assert.Equal(t, 3, strings.Count(errOut.String(), "no space left on device"), errOut.String())
	assert.Contains(t, errOut.String(), `logcfg: handler "full": write failed (1 so far)`)
}

func TestCloseStopsWritesAndApplies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.log")
	tree, err := NewTree(mustParse(t, fmt.Sprintf("[loggers]\nkeys=root\n[handlers]\nkeys=f\n[formatters]\nkeys=\n"+
		"[logger_root]\nlevel=INFO\nhandlers=f\n[handler_f]\nclass=FileHandler\nargs=(%q,)\n", path)))
	require.NoError(t, err)
	var stderr bytes.Buffer
	tree.lastResort = &stderr
	log := tree.Logger("app")
	log.Info("one")
	require.NoError(t, tree.Close())
	require.NoError(t, tree.Close(), "Close twice is fine")
	log.Info("after close")
	assert.Equal(t, []string{"one"}, fileLines(t, path))
	assert.Empty(t, tree.HandlerErrors(), "no write reached the closed file")
	_, err = tree.Apply(mustParse(t, hierarchyINI), Full)
	assert.ErrorContains(t, err, "closed")
}

func TestSyncIgnoresUnsyncableOutputs(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	reader, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	require.NoError(t, err)
	defer reader.Close()
	tree := newTestTree(t, oneHandlerINI("FileHandler", fmt.Sprintf("(%q,)", fifo), "{}"))
	tree.Logger("app").Info("through a pipe")
	assert.NoError(t, tree.Sync(), "fsync on a pipe is EINVAL, not a failure")
	buf := make([]byte, 64)
	n, _ := reader.Read(buf)
	assert.Equal(t, "INFO through a pipe\n", string(buf[:n]))
}
