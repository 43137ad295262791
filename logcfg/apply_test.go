package logcfg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// fileINI is a config with the root at rootLevel writing to path through
// a FileHandler with the format "%(levelname)s %(name)s %(message)s".
func fileINI(path, rootLevel string) string {
	return fmt.Sprintf(`
[loggers]
keys=root
[handlers]
keys=file
[formatters]
keys=f
[logger_root]
level=%s
handlers=file
[handler_file]
class=FileHandler
formatter=f
args=(%q,)
[formatter_f]
format=%%(levelname)s %%(name)s %%(message)s
`, rootLevel, path)
}

func TestApplyAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.log")
	tree := newTestTree(t, fileINI(good, "INFO"))
	log := tree.Logger("app")
	log.Info("before")
	gen, cfg, view := tree.Generation(), tree.Config(), tree.Resolved()

	// The first new handler (an observer) opens; the second cannot: its
	// directory does not exist.
	bad := fmt.Sprintf(`
[loggers]
keys=root
[handlers]
keys=obs,file
[formatters]
keys=
[logger_root]
level=DEBUG
handlers=obs,file
[handler_obs]
class=test.Observer
args=('failed-apply',)
[handler_file]
class=FileHandler
args=(%q,)
`, filepath.Join(dir, "missing", "x.log"))
	opened, closed := observed.opened.Load(), observed.closed.Load()
	res, err := tree.Apply(mustParse(t, bad), Full)
	require.Error(t, err)
	assert.Nil(t, res)
	assert.True(t, errors.Is(err, ErrOpen), "%v", err)
	assert.True(t, errors.Is(err, os.ErrNotExist), "%v", err)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "handler_file", e.Section)
	assert.Equal(t, "test.ini", e.File)
	assert.Contains(t, err.Error(), `cannot open handler "file" (FileHandler): open `)

	assert.Equal(t, opened+1, observed.opened.Load(), "the first handler was opened")
	assert.Equal(t, closed+1, observed.closed.Load(), "and closed again")
	assert.Equal(t, gen, tree.Generation())
	assert.Equal(t, cfg, tree.Config())
	assert.Equal(t, view, tree.Resolved())
	assert.False(t, log.Core().Enabled(zapcore.DebugLevel), "levels unchanged")
	log.Info("after")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"INFO app before", "INFO app after"}, fileLines(t, good), "the old handler still writes")
}

func TestApplyCarriesOverUnchangedHandlers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.log")
	ini := func(level string) string {
		return strings.Replace(fileINI(path, level), fmt.Sprintf("args=(%q,)", path), fmt.Sprintf("args=(%q, 'w')", path), 1)
	}
	tree := newTestTree(t, ini("INFO"))
	tree.Logger("app").Info("one")
	res, err := tree.Apply(mustParse(t, ini("DEBUG")), Full)
	require.NoError(t, err)
	assert.Equal(t, []Change{{Kind: "logger", Name: "root", Old: zapcore.InfoLevel, New: zapcore.DebugLevel}}, res.Changes)
	tree.Logger("app").Debug("two")
	// Mode 'w' truncates on open: the line before the apply survives only
	// because the unchanged handler was carried over, not reopened.
	assert.Equal(t, []string{"INFO app one", "DEBUG app two"}, fileLines(t, path))
}

func TestApplyReplacesAndClosesHandlers(t *testing.T) {
	obsINI := func(name, level string) string {
		return fmt.Sprintf("[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n"+
			"[logger_root]\nlevel=INFO\nhandlers=h\n[handler_h]\nclass=test.Observer\nlevel=%s\nargs=(%q,)\n", level, name)
	}
	tree := newTestTree(t, obsINI("swap-a", "NOTSET"))
	opened, closed := observed.opened.Load(), observed.closed.Load()
	log := tree.Logger("app").With(zap.String("k", "v"))
	log.Info("to a")

	res, err := tree.Apply(mustParse(t, obsINI("swap-a", "ERROR")), LevelsOnly)
	require.NoError(t, err)
	assert.Equal(t, []Change{{Kind: "handler", Name: "h", Old: NotSet, New: zapcore.ErrorLevel}}, res.Changes)
	assert.Equal(t, opened, observed.opened.Load(), "a levels-only apply opens nothing")
	assert.Equal(t, closed, observed.closed.Load(), "and closes nothing")
	log.Info("filtered by the handler's new level")

	_, err = tree.Apply(mustParse(t, obsINI("swap-b", "NOTSET")), Full)
	require.NoError(t, err)
	assert.Equal(t, opened+1, observed.opened.Load())
	assert.Equal(t, closed+1, observed.closed.Load(), "the replaced handler is closed")
	log.Info("to b")
	assert.Equal(t, []string{"INFO app to a"}, obs(t, "swap-a"))
	assert.Equal(t, []string{"INFO app to b"}, obs(t, "swap-b"))
	assert.Equal(t, uint64(3), tree.Generation())
}

func TestApplyIncremental(t *testing.T) {
	tree := newTestTree(t, hierarchyINI)
	inc, err := ParseJSON([]byte(`{"version": 1, "incremental": true,
		"loggers": {"app.db": {"level": "ERROR"}, "new.one": {"level": "DEBUG"}},
		"handlers": {"app": {"level": "DEBUG"}}}`), "inc.json")
	require.NoError(t, err)
	res, err := tree.Apply(inc, Full) // incremental whatever the policy
	require.NoError(t, err)
	assert.Equal(t, []Change{
		{Kind: "logger", Name: "app.db", Old: zapcore.DebugLevel, New: zapcore.ErrorLevel},
		{Kind: "logger", Name: "new.one", Old: NotSet, New: zapcore.DebugLevel},
		{Kind: "handler", Name: "app", Old: zapcore.WarnLevel, New: zapcore.DebugLevel},
	}, res.Changes)
	r := tree.Resolved()
	assert.Equal(t, "INFO", r.Loggers["app"].Level, "loggers it does not name keep their level")
	assert.Equal(t, []string{"db"}, r.Loggers["app.db"].Handlers, "handlers stay")
	assert.False(t, r.Loggers["app.db"].Propagate)
	tree.Logger("app").Info("through app's handler now at DEBUG")
	assert.Equal(t, []string{"INFO app through app's handler now at DEBUG"}, obs(t, "app"))
}

func TestApplyRejectsBadHandBuiltConfigs(t *testing.T) {
	tree := newTestTree(t, hierarchyINI)
	gen := tree.Generation()
	base := func() *Config { return mustParse(t, hierarchyINI) }
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
			cfg := base()
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

func TestConfigIsACopy(t *testing.T) {
	cfg := mustParse(t, hierarchyINI)
	tree, err := NewTree(cfg)
	require.NoError(t, err)
	defer tree.Close()
	cfg.Loggers[0].Level = zapcore.ErrorLevel // the caller's config is theirs
	got := tree.Config()
	got.Loggers[0].Handlers[0] = "changed"
	assert.Equal(t, zapcore.WarnLevel, tree.Config().Loggers[0].Level)
	assert.Equal(t, []string{"root"}, tree.Config().Loggers[0].Handlers)
}

// TestNoLossDuringApplies: goroutines log sequence-numbered lines through
// a file handler while another goroutine applies level changes and full
// swaps to new files. Every line appears exactly once, whole.
func TestNoLossDuringApplies(t *testing.T) {
	const writers, perWriter, applies = 4, 1500, 60
	dir := t.TempDir()
	file := func(i int) string { return filepath.Join(dir, fmt.Sprintf("f%02d.log", i)) }
	tree := newTestTree(t, fileINI(file(0), "INFO"))
	levels := []string{"INFO", "DEBUG"}

	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log := tree.Logger(fmt.Sprintf("w%d", w)).With(zap.Int("w", w))
			<-start
			for i := range perWriter {
				log.Info("line", zap.Int("seq", i), zap.String("pad", strings.Repeat("x", i%50+1)))
			}
		}()
	}
	// Odd applies are levels-only (root INFO/DEBUG: the lines stay
	// enabled); even ones move the handler to a new file.
	cfgs := make([]*Config, applies+1)
	for i := 1; i <= applies; i++ {
		cfgs[i] = mustParse(t, fileINI(file(i/2), levels[i%4/2]))
	}
	done := make(chan struct{})
	var applyErr error
	go func() {
		defer close(done)
		<-start
		for i := 1; i <= applies; i++ {
			p := LevelsOnly
			if i%2 == 0 {
				p = Full
			}
			if _, err := tree.Apply(cfgs[i], p); err != nil {
				applyErr = err
				return
			}
		}
	}()
	close(start)
	wg.Wait()
	<-done
	require.NoError(t, applyErr)
	require.NoError(t, tree.Sync())

	line := regexp.MustCompile(`^INFO w(\d) line w=(\d) seq=(\d+) pad=(x*)$`)
	seen := make(map[string]int)
	paths, err := filepath.Glob(filepath.Join(dir, "*.log"))
	require.NoError(t, err)
	sort.Strings(paths)
	used := 0
	for _, p := range paths {
		lines := fileLines(t, p)
		if len(lines) > 0 {
			used++
		}
		for _, l := range lines {
			m := line.FindStringSubmatch(l)
			require.NotNil(t, m, "torn or foreign line %q in %s", l, p)
			seq, _ := strconv.Atoi(m[3])
			require.Equal(t, m[1], m[2])
			require.Equal(t, strings.Repeat("x", seq%50+1), m[4], "whole line")
			seen[m[1]+"/"+m[3]]++
		}
	}
	assert.Len(t, seen, writers*perWriter, "every line is there")
	for k, n := range seen {
		if n != 1 {
			t.Errorf("line %s appears %d times", k, n)
		}
	}
	assert.Greater(t, used, 1, "lines were spread over several files")
	assert.Empty(t, tree.HandlerErrors())
}

// blocking is the state of "test.Blocking" handlers: a write announces
// itself on entered and waits for release.
var blocking = struct {
	entered, release chan struct{}
	closed           chan struct{}
}{}

func init() {
	RegisterHandlerClass("test.Blocking", HandlerClass{
		Check: func(*HandlerConfig) error { return nil },
		Open: func(*HandlerConfig, EncoderFunc) (Output, error) {
			core := &blockingCore{}
			return Output{Core: core, Close: func() error { close(blocking.closed); return nil }}, nil
		},
	})
}

type blockingCore struct{ zapcore.Core }

func (*blockingCore) Enabled(zapcore.Level) bool { return true }
func (c *blockingCore) Write(zapcore.Entry, []zapcore.Field) error {
	blocking.entered <- struct{}{}
	<-blocking.release
	return nil
}
func (*blockingCore) Sync() error { return nil }

// TestApplyDoesNotWaitForAStuckWrite: a write blocked in a handler (a
// pipe nobody reads) does not hold Apply; the replaced handler is closed
// when the write returns, and not before.
func TestApplyDoesNotWaitForAStuckWrite(t *testing.T) {
	blocking.entered, blocking.release, blocking.closed = make(chan struct{}), make(chan struct{}), make(chan struct{})
	tree := newTestTree(t, "[loggers]\nkeys=root\n[handlers]\nkeys=b\n[formatters]\nkeys=\n"+
		"[logger_root]\nlevel=INFO\nhandlers=b\n[handler_b]\nclass=test.Blocking\nargs=()\n")
	tree.drainLimit = 20 * time.Millisecond
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		tree.Logger("app").Info("stuck")
	}()
	<-blocking.entered

	_, err := tree.Apply(mustParse(t, hierarchyINI), Full) // returns although the write is stuck
	require.NoError(t, err)
	select {
	case <-blocking.closed:
		t.Fatal("closed under a write in progress")
	default:
	}
	tree.Logger("app").Warn("new handlers")
	assert.Equal(t, []string{"WARNING app new handlers"}, obs(t, "root"))

	close(blocking.release)
	<-wrote
	select {
	case <-blocking.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the replaced handler was never closed")
	}
}
