package logcfg

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// watchFixture is a tree built from a real file and a Watch on it.
type watchFixture struct {
	tree *Tree
	r    *testRegistry
	path string
	mu   sync.Mutex
	errs []error
	done chan error
}

// startWatch builds a tree from the file at path (already written) and
// watches it until the test ends.
func startWatch(t testing.TB, path string, opts ...WatchOption) *watchFixture {
	t.Helper()
	f := &watchFixture{r: newTestRegistry(), path: path, done: make(chan error, 1)}
	cfg, err := ParseFile(path, WithRegistry(f.r.Registry))
	require.NoError(t, err)
	f.tree, err = NewTree(cfg, WithRegistry(f.r.Registry), WithClock(lltest.NewFakeClock()))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	opts = append([]WatchOption{WatchReady(func() { close(ready) }), WatchOnError(func(err error) {
		f.mu.Lock()
		f.errs = append(f.errs, err)
		f.mu.Unlock()
	})}, opts...)
	go func() { f.done <- Watch(ctx, f.tree, path, opts...) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-f.done, "Watch returns nil when ctx is done")
		assert.NoError(t, f.tree.Close())
	})
	select {
	case <-ready:
	case err := <-f.done:
		t.Fatalf("Watch returned early: %v", err)
	}
	return f
}

func (f *watchFixture) errors() []error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]error(nil), f.errs...)
}

// waitRoot waits until the root's level is level.
func (f *watchFixture) waitRoot(t *testing.T, level string) {
	t.Helper()
	lltest.WaitFor(t, 10*time.Second, func() bool { return f.tree.Resolved().Loggers["root"].Level == level })
}

// needSymlinks skips on Windows, where making a symlink takes a privilege
// (or developer mode) a test cannot count on.
func needSymlinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need a privilege on Windows")
	}
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
}

// The Kubernetes ConfigMap volume layout, as the kubelet's AtomicWriter
// makes it: app.conf -> ..data/app.conf, ..data -> ..<timestamp>; an
// update writes a new timestamped directory, points ..data_tmp at it,
// renames ..data_tmp over ..data and removes the old directory.
func TestWatchConfigMap(t *testing.T) {
	needSymlinks(t)
	dir := t.TempDir()
	old := "..2026_12_02_10_00_00.123456789"
	require.NoError(t, os.Mkdir(filepath.Join(dir, old), 0o755))
	writeFile(t, filepath.Join(dir, old, "app.conf"), levelsINI("WARNING", "INFO", "NOTSET", "NOTSET"))
	require.NoError(t, os.Symlink(old, filepath.Join(dir, "..data")))
	path := filepath.Join(dir, "app.conf")
	require.NoError(t, os.Symlink(filepath.Join("..data", "app.conf"), path))
	f := startWatch(t, path)
	require.Equal(t, uint64(1), f.tree.Generation())

	update := func(ts, root string) {
		require.NoError(t, os.Mkdir(filepath.Join(dir, ts), 0o755))
		writeFile(t, filepath.Join(dir, ts, "app.conf"), levelsINI(root, "INFO", "NOTSET", "NOTSET"))
		require.NoError(t, os.Symlink(ts, filepath.Join(dir, "..data_tmp")))
		require.NoError(t, os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")))
		require.NoError(t, os.RemoveAll(filepath.Join(dir, old)))
		old = ts
	}
	update("..2026_12_02_10_05_00.987654321", "DEBUG")
	f.waitRoot(t, "DEBUG")
	assert.Equal(t, uint64(2), f.tree.Generation())
	h := f.tree.History()[0]
	assert.Equal(t, SourceFile, h.Kind)
	assert.Equal(t, "file", h.From)
	assert.Equal(t, path, h.File, "the path watched, not the timestamped target")

	update("..2026_12_02_10_10_00.000000001", "ERROR")
	f.waitRoot(t, "ERROR")
	assert.Equal(t, uint64(3), f.tree.Generation())
	assert.Empty(t, f.errors())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 3, "app.conf, ..data and one timestamped directory")
}

// Every other way a file is replaced.
func TestWatchReplacements(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replace func(t *testing.T, path, text string)
	}{
		{"plain rewrite", func(t *testing.T, path, text string) { writeFile(t, path, text) }},
		{"editor write and rename", func(t *testing.T, path, text string) {
			tmp := filepath.Join(filepath.Dir(path), ".app.conf.swp")
			writeFile(t, tmp, text)
			require.NoError(t, os.Rename(tmp, path))
		}},
		{"mv from another directory", func(t *testing.T, path, text string) {
			other := filepath.Join(filepath.Dir(filepath.Dir(path)), "staging.conf")
			writeFile(t, other, text)
			require.NoError(t, os.Rename(other, path))
		}},
		{"symlink swapped", func(t *testing.T, path, text string) {
			needSymlinks(t)
			target := filepath.Join(filepath.Dir(filepath.Dir(path)), "v2.conf")
			writeFile(t, target, text)
			tmp := path + ".tmp"
			require.NoError(t, os.Symlink(target, tmp))
			require.NoError(t, os.Rename(tmp, path))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "conf")
			require.NoError(t, os.Mkdir(dir, 0o755))
			path := filepath.Join(dir, "app.conf")
			writeFile(t, path, levelsINI("WARNING", "INFO", "NOTSET", "NOTSET"))
			f := startWatch(t, path)
			tc.replace(t, path, levelsINI("DEBUG", "INFO", "NOTSET", "NOTSET"))
			f.waitRoot(t, "DEBUG")
			assert.Equal(t, uint64(2), f.tree.Generation())
			tc.replace(t, path, levelsINI("CRITICAL", "INFO", "NOTSET", "NOTSET"))
			f.waitRoot(t, "CRITICAL")
			assert.Equal(t, uint64(3), f.tree.Generation())
			assert.Empty(t, f.errors())
		})
	}
}

// A file that does not parse keeps the running config, is reported, and
// the next change is tried again.
func TestWatchBrokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.conf")
	writeFile(t, path, levelsINI("WARNING", "INFO", "NOTSET", "NOTSET"))
	f := startWatch(t, path)
	writeFile(t, path, "[loggers]\nkeys=root\n\n[handlers]\nkeys=\n\n[formatters]\nkeys=\n")
	lltest.WaitFor(t, 10*time.Second, func() bool { return len(f.errors()) == 1 })
	err := f.errors()[0]
	assert.Contains(t, err.Error(), `apply of "`+path+`" failed, keeping the running config: `)
	assert.Contains(t, err.Error(), "logger_root")
	assert.Equal(t, uint64(1), f.tree.Generation())
	assert.Equal(t, "WARNING", f.tree.Resolved().Loggers["root"].Level)
	lines := f.r.take(t, "h")
	require.NotEmpty(t, lines)
	assert.True(t, strings.HasPrefix(lines[0], "ERROR livelog.watch apply of "), lines[0])

	writeFile(t, path, levelsINI("DEBUG", "INFO", "NOTSET", "NOTSET"))
	f.waitRoot(t, "DEBUG")
	assert.Equal(t, uint64(2), f.tree.Generation())
	assert.Len(t, f.errors(), 1)
}

// A file that disappears keeps the running config and is reported once;
// when it comes back, it is applied.
func TestWatchRemovedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.conf")
	writeFile(t, path, levelsINI("WARNING", "INFO", "NOTSET", "NOTSET"))
	f := startWatch(t, path)
	require.NoError(t, os.Remove(path))
	lltest.WaitFor(t, 10*time.Second, func() bool { return len(f.errors()) == 1 })
	assert.Contains(t, f.errors()[0].Error(), `config file "`+path+`" is gone: `)
	assert.Equal(t, uint64(1), f.tree.Generation())
	assert.Equal(t, "WARNING", f.tree.Resolved().Loggers["root"].Level)

	writeFile(t, path, levelsINI("ERROR", "INFO", "NOTSET", "NOTSET"))
	f.waitRoot(t, "ERROR")
	assert.Equal(t, uint64(2), f.tree.Generation())
	assert.Len(t, f.errors(), 1)
}

// A burst of 50 writes is one apply. The quiet window is long here so
// that a slow machine's pause inside the burst does not end it.
func TestWatchBurst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.conf")
	writeFile(t, path, levelsINI("WARNING", "INFO", "NOTSET", "NOTSET"))
	f := startWatch(t, path, WatchDebounce(500*time.Millisecond))
	levels := []string{"DEBUG", "INFO", "ERROR", "CRITICAL"}
	for i := range 49 {
		writeFile(t, path, levelsINI(levels[i%len(levels)], "INFO", "NOTSET", "NOTSET"))
	}
	writeFile(t, path, levelsINI("ERROR", "DEBUG", "NOTSET", "NOTSET"))
	lltest.WaitFor(t, 10*time.Second, func() bool { return f.tree.Resolved().Loggers["app"].Level == "DEBUG" })
	assert.Equal(t, uint64(2), f.tree.Generation(), "one apply for the burst")
	assert.Equal(t, "ERROR", f.tree.Resolved().Loggers["root"].Level)
}

// A temporary change in force when the file changes keeps its levels and
// its expiry; when it ends, its levels go to the file's.
func TestWatchKeepsTemporaryChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.conf")
	writeFile(t, path, levelsINI("WARNING", "INFO", "NOTSET", "NOTSET"))
	f := startWatch(t, path)
	clock := f.tree.clock.(*lltest.FakeClock)
	push, err := Parse(strings.NewReader(levelsINI("DEBUG", "INFO", "DEBUG", "DEBUG")), "push.conf", WithRegistry(f.r.Registry))
	require.NoError(t, err)
	res, err := f.tree.ApplyFor(push, LevelsOnly, 10*time.Minute)
	require.NoError(t, err)
	levels := func() [4]string {
		r := f.tree.Resolved()
		return [4]string{r.Loggers["root"].Level, r.Loggers["app"].Level, r.Loggers["app.db"].Level, r.Handlers["h"].Level}
	}
	require.Equal(t, [4]string{"DEBUG", "INFO", "DEBUG", "DEBUG"}, levels())

	// The file changes root, app and the handler; app.db it leaves at NOTSET.
	writeFile(t, path, levelsINI("ERROR", "WARNING", "NOTSET", "INFO"))
	lltest.WaitFor(t, 10*time.Second, func() bool { return f.tree.Resolved().Loggers["app"].Level == "WARNING" })
	assert.Equal(t, uint64(3), f.tree.Generation())
	assert.Equal(t, [4]string{"DEBUG", "WARNING", "DEBUG", "DEBUG"}, levels(), "the temporary levels stay, app follows the file")
	temps := f.tree.Temporary()
	require.Len(t, temps, 1)
	assert.Equal(t, res.Expires, temps[0].Expires, "its own expiry")
	var changes []string
	for _, c := range temps[0].Changes {
		changes = append(changes, c.String())
	}
	assert.ElementsMatch(t, []string{"logger root: ERROR -> DEBUG", "logger app.db: NOTSET -> DEBUG", "handler h: INFO -> DEBUG"},
		changes, "it reverts to the file's levels")
	assert.Equal(t, SourceFile, f.tree.History()[0].Kind)

	clock.Add(10 * time.Minute)
	r := f.tree.Resolved()
	assert.Equal(t, "ERROR", r.Loggers["root"].Level, "the file's levels once it ends")
	assert.Equal(t, "WARNING", r.Loggers["app"].Level)
	assert.Equal(t, "INFO", r.Handlers["h"].Level)
	// app.db is back at NOTSET: an unconfigured logger, which an
	// incremental revert drops from the config; it inherits app's.
	assert.NotContains(t, r.Loggers, "app.db")
	assert.Equal(t, "WARNING", LevelName(f.tree.Logger("app.db").Level()))
	assert.Empty(t, f.tree.Temporary())
}

// A SIGHUP-style full apply, by contrast, ends the temporary change (the
// contract of Tree.ApplyFor); Watch's differs on purpose.
func TestFullApplyEndsTemporaryChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.conf")
	writeFile(t, path, levelsINI("WARNING", "INFO", "NOTSET", "NOTSET"))
	f := startWatch(t, path)
	push, err := Parse(strings.NewReader(levelsINI("DEBUG", "INFO", "NOTSET", "NOTSET")), "push.conf", WithRegistry(f.r.Registry))
	require.NoError(t, err)
	_, err = f.tree.ApplyFor(push, LevelsOnly, 10*time.Minute)
	require.NoError(t, err)
	cfg, err := Parse(strings.NewReader(levelsINI("ERROR", "INFO", "NOTSET", "NOTSET")), path, WithRegistry(f.r.Registry))
	require.NoError(t, err)
	_, err = f.tree.Apply(cfg, Full, WithSource("sighup", path))
	require.NoError(t, err)
	assert.Equal(t, "ERROR", f.tree.Resolved().Loggers["root"].Level)
	assert.Empty(t, f.tree.Temporary())
}

// File changes and temporary changes of root and app.db at the same time: every file content
// is applied or superseded, nothing races (run with -race), and once the
// pushes end and their changes run out the tree runs the file's last
// levels.
func TestWatchConcurrentPushes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.conf")
	writeFile(t, path, levelsINI("WARNING", "INFO", "NOTSET", "NOTSET"))
	f := startWatch(t, path, WatchDebounce(time.Millisecond))
	clock := f.tree.clock.(*lltest.FakeClock)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 20 {
			name := [2]string{"root", "app.db"}[i%2]
			_, err := f.tree.SetLevelFor(name, zapcore.DebugLevel, time.Minute)
			assert.NoError(t, err)
			f.tree.Logger("app.db").Debug("during")
		}
	})
	for i, level := range []string{"ERROR", "INFO", "CRITICAL", "ERROR", "WARNING"} {
		writeFile(t, path, levelsINI("INFO", level, "NOTSET", "NOTSET"))
		want := level
		lltest.WaitFor(t, 10*time.Second, func() bool { return f.tree.Resolved().Loggers["app"].Level == want })
		assert.GreaterOrEqual(t, f.tree.Generation(), uint64(i+2))
	}
	wg.Wait()
	clock.Add(time.Minute)
	r := f.tree.Resolved()
	assert.Equal(t, "INFO", r.Loggers["root"].Level, "the file's root once the pushes ran out")
	assert.Equal(t, "WARNING", r.Loggers["app"].Level)
	assert.Empty(t, f.tree.Temporary())
	assert.Empty(t, f.errors())
}
