package logcfg

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// TestConcurrentApplies: goroutines log numbered lines of varying length,
// and create new loggers, while another applies levels-only changes and
// Full configs that move the output to a new file, alternately.
// Afterwards every line at an enabled level is in exactly one file,
// exactly once and whole, and no write failed. Run it with -race.
func TestConcurrentApplies(t *testing.T) {
	const (
		writers   = 4
		maxLines  = 20000 // per writer
		maxApply  = 300
		applyTime = 3 * time.Second
	)
	r := newTestRegistry()
	dir := t.TempDir()
	cfg := func(file int, rootLevel string) *Config {
		return r.parse(t, lltest.NewINI().Logger("root", rootLevel, "h", true).
			Handler("h", "FileHandler", "", "f", lltest.FileArgs(filepath.Join(dir, fmt.Sprintf("out-%03d.log", file)))).
			Formatter("f", "%(levelname)s %(name)s %(message)s").String())
	}
	tree, err := NewTree(cfg(0, "INFO"), WithRegistry(r.Registry))
	require.NoError(t, err)

	var stop atomic.Bool
	var wg sync.WaitGroup
	written := make([]int, writers) // INFO lines per writer
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log := tree.Logger(fmt.Sprintf("app.w%d", w)).With(zap.Int("w", w))
			seq := 0
			for ; seq < maxLines && !stop.Load(); seq++ {
				log.Info("seq", zap.Int("n", seq), zap.String("pad", strings.Repeat("x", seq%50+1)))
				log.Debug("dbg", zap.Int("n", seq)) // enabled only some of the time
			}
			written[w] = seq
		}()
	}
	var created atomic.Int64 // loggers made and written to during applies
	wg.Add(1)
	go func() {
		defer wg.Done()
		for k := 0; k < maxLines && !stop.Load(); k++ {
			tree.Logger("dyn." + strconv.Itoa(k)).Info("made")
			created.Add(1)
		}
	}()

	applies, file, level := 0, 0, "INFO"
	for end := time.Now().Add(applyTime); applies < maxApply && time.Now().Before(end); applies++ {
		var p Policy
		if applies%2 == 0 {
			level = map[string]string{"INFO": "DEBUG", "DEBUG": "INFO"}[level]
			p = LevelsOnly
		} else {
			file++
			p = Full
		}
		res, err := tree.Apply(cfg(file, level), p)
		require.NoError(t, err)
		require.Empty(t, res.Ignored)
	}
	stop.Store(true)
	wg.Wait()
	assert.Empty(t, tree.HandlerErrors())
	require.NoError(t, tree.Close())
	t.Logf("%d applies (%d files), %v INFO lines per writer, %d loggers created", applies, file+1, written, created.Load())
	require.Greater(t, applies, 10)

	// The last config's level holds for every logger, old and new.
	for _, name := range []string{"app.w0", "dyn.0", "dyn." + strconv.Itoa(int(created.Load()-1))} {
		assert.Equal(t, level == "DEBUG", tree.Logger(name).Core().Enabled(zapcore.DebugLevel), name)
	}

	line := regexp.MustCompile(`^(INFO app\.w(\d) seq w=\d n=(\d+) pad=(x+)|DEBUG app\.w(\d) dbg w=\d n=(\d+)|INFO dyn\.(\d+) made)$`)
	seen := map[string]int{}
	infos := make([]int, writers)
	files, err := filepath.Glob(filepath.Join(dir, "out-*.log"))
	require.NoError(t, err)
	assert.Len(t, files, file+1)
	used := 0
	for _, f := range files {
		lines := lltest.Lines(t, f)
		if len(lines) > 0 {
			used++
		}
		for _, l := range lines {
			m := line.FindStringSubmatch(l)
			require.NotNil(t, m, "torn or foreign line %q in %s", l, filepath.Base(f))
			seen[l]++
			if m[2] != "" {
				infos[m[2][0]-'0']++
				n, err := strconv.Atoi(m[3])
				require.NoError(t, err)
				require.Equal(t, strings.Repeat("x", n%50+1), m[4], "whole line %q", l)
			}
		}
	}
	assert.Greater(t, used, 1, "lines were spread over several files")
	for l, n := range seen {
		assert.Equal(t, 1, n, "line %q written %d times", l, n)
	}
	for w := range writers {
		assert.Equal(t, written[w], infos[w], "writer %d: INFO lines found", w)
		for _, n := range []int{0, written[w] / 2, written[w] - 1} {
			assert.Equal(t, 1, seen[fmt.Sprintf("INFO app.w%d seq w=%d n=%d pad=%s", w, w, n, strings.Repeat("x", n%50+1))], "writer %d line %d", w, n)
		}
	}
	for k := range int(created.Load()) {
		assert.Equal(t, 1, seen["INFO dyn."+strconv.Itoa(k)+" made"], "logger dyn.%d", k)
	}
}

// TestConcurrentLoggerCreation: many goroutines asking for the same
// and new names during applies get one logger per name, at the level the
// running config gives it.
func TestConcurrentLoggerCreation(t *testing.T) {
	r := newTestRegistry()
	cfg := func(level string) *Config {
		return r.parse(t, lltest.NewINI().Logger("root", "WARNING", "", true).Logger("svc", level, "", true).String())
	}
	tree, err := NewTree(cfg("INFO"), WithRegistry(r.Registry))
	require.NoError(t, err)
	defer func() { assert.NoError(t, tree.Close()) }()
	const goroutines, names = 8, 300
	got := make([][]*zap.Logger, goroutines)
	var wg sync.WaitGroup
	var running atomic.Int32
	running.Store(goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer running.Add(-1)
			for i := range names {
				got[g] = append(got[g], tree.Logger(fmt.Sprintf("svc.n%d.m%d", i%50, i)))
			}
		}()
	}
	// Apply until every goroutine is done (bounded), so that the last
	// apply may race with the last creations.
	last, applies := "", 0
	for ; running.Load() > 0 && applies < 5000; applies++ {
		last = []string{"DEBUG", "ERROR"}[applies%2]
		_, err := tree.Apply(cfg(last), LevelsOnly)
		require.NoError(t, err)
	}
	wg.Wait()
	t.Logf("%d applies while creating", applies)
	want, err := ParseLevel(last)
	if applies == 0 {
		want, err = zapcore.InfoLevel, nil
	}
	require.NoError(t, err)
	for i := range names {
		l := got[0][i]
		for g := 1; g < goroutines; g++ {
			require.Same(t, l, got[g][i], "name %d", i)
		}
		assert.False(t, l.Core().Enabled(want-1), "name %d: the last apply's level", i)
		assert.True(t, l.Core().Enabled(want), "name %d", i)
	}
}
