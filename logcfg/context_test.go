package logcfg_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg"
)

// Concurrent requests through slog and zap loggers: only the one whose
// context carries a DEBUG floor logs at DEBUG, through every named logger
// it passes.
func TestWithLevelConcurrentRequests(t *testing.T) {
	f := newFrontTree(t)
	const requests, marked = 16, 5
	var wg sync.WaitGroup
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			if i == marked {
				ctx = logcfg.WithLevel(ctx, zapcore.DebugLevel)
			}
			for j := range 20 {
				f.tree.Slog("app").DebugContext(ctx, "slog app", "req", i, "j", j)
				f.tree.Slog("app.quiet").InfoContext(ctx, "slog quiet", "req", i, "j", j)
				f.tree.LoggerContext(ctx, "app.http").Debug("zap http", zap.Int("req", i), zap.Int("j", j))
				f.tree.LoggerContext(ctx, "app").Named("sub").Debug("zap named", zap.Int("req", i), zap.Int("j", j))
				f.tree.Slog("app").WarnContext(ctx, "warn", "req", i, "j", j)
			}
		}()
	}
	wg.Wait()
	counts := map[string]int{}
	for _, line := range f.lines(t) {
		fields := strings.Fields(line)
		counts[fields[0]+" "+fields[1]+" "+fields[len(fields)-2]]++
	}
	want := map[string]int{
		"DEBUG app req=5":      20,
		"INFO app.quiet req=5": 20,
		"DEBUG app.http req=5": 20,
		"DEBUG app.sub req=5":  20,
	}
	for i := range requests {
		want[fmt.Sprintf("WARNING app req=%d", i)] = 20
	}
	assert.Equal(t, want, counts)
}

func TestWithLevelIsAFloor(t *testing.T) {
	f := newFrontTree(t)
	ctx := logcfg.WithLevel(context.Background(), zapcore.ErrorLevel)
	f.tree.Slog("app.db").DebugContext(ctx, "a floor above the level changes nothing")
	h := f.tree.SlogHandler("app")
	assert.False(t, h.Enabled(ctx, slog.LevelWarn-1), "INFO below both")
	assert.True(t, h.Enabled(ctx, slog.LevelWarn), "WARNING: the logger's own level")
	info := logcfg.WithLevel(context.Background(), zapcore.InfoLevel)
	assert.True(t, h.Enabled(info, slog.LevelInfo))
	assert.False(t, h.Enabled(info, slog.LevelDebug))
	assert.False(t, h.Enabled(context.Background(), slog.LevelInfo))
	// Handle honours the floor too, when called without Enabled.
	require.NoError(t, h.Handle(context.Background(), slog.NewRecord(zeroTime, slog.LevelInfo, "no floor: dropped", 0)))
	require.NoError(t, h.Handle(info, slog.NewRecord(zeroTime, slog.LevelInfo, "floor INFO", 0)))

	zl := f.tree.LoggerContext(info, "app")
	assert.Same(t, zl, f.tree.LoggerContext(info, "app"), "cached per floor")
	assert.Same(t, f.tree.Logger("app"), f.tree.LoggerContext(context.Background(), "app"), "no floor: the logger itself")
	assert.Equal(t, zapcore.InfoLevel, zl.Level())
	zl.With(zap.String("k", "v")).Info("zap with")
	zl.Debug("below the floor: dropped")

	// The logger's own level still counts at each call.
	_, err := f.tree.SetLevel("app", zapcore.DebugLevel)
	require.NoError(t, err)
	zl.Debug("own level DEBUG now")
	lines := f.lines(t)
	sort.Strings(lines)
	assert.Equal(t, []string{
		"DEBUG app TestWithLevelIsAFloor: own level DEBUG now",
		"DEBUG app.db TestWithLevelIsAFloor: a floor above the level changes nothing",
		"INFO app TestWithLevelIsAFloor: floor INFO",
		"INFO app TestWithLevelIsAFloor: zap with k=v",
	}, lines)
}

// Handlers keep filtering by their own levels under a floor.
func TestWithLevelHandlersStillFilter(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/app.log"
	ini := strings.Replace(fmt.Sprintf(frontINI, path, dir+"/app.json"), "[handler_text]\nclass=FileHandler\nlevel=NOTSET", "[handler_text]\nclass=FileHandler\nlevel=INFO", 1)
	cfg, err := logcfg.Parse(strings.NewReader(ini), "logging.conf")
	require.NoError(t, err)
	tree, err := logcfg.NewTree(cfg)
	require.NoError(t, err)
	defer tree.Close()
	f := &frontTree{tree: tree, text: path, jsonPath: dir + "/app.json"}
	ctx := logcfg.WithLevel(context.Background(), zapcore.DebugLevel)
	tree.Slog("app").DebugContext(ctx, "json only")
	tree.Slog("app").InfoContext(ctx, "both")
	assert.Equal(t, []string{"INFO app TestWithLevelHandlersStillFilter: both"}, f.lines(t))
	assert.Len(t, f.records(t), 2)
}

var zeroTime time.Time

// slog loggers made before reconfigurations follow them: levels pushed
// from code and a full apply that replaces the text handler's format,
// while goroutines log (run under -race). Every line written is whole
// and in one of the two formats, and once the goroutines are done a
// With logger made before the swap writes its fields in the new format.
func TestSlogAcrossApplies(t *testing.T) {
	f := newFrontTree(t)
	with := f.tree.Slog("app.db").With("req", "r1").WithGroup("g")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				with.Info("line", "w", i, "j", j)
			}
		}()
	}
	for i := range 20 {
		lv := zapcore.DebugLevel
		if i%2 == 1 {
			lv = zapcore.InfoLevel
		}
		_, err := f.tree.SetLevel("app", lv)
		require.NoError(t, err)
	}
	ini, err := os.ReadFile(filepath.Join(filepath.Dir(f.text), "logging.conf"))
	require.NoError(t, err)
	next, err := logcfg.Parse(strings.NewReader(strings.Replace(string(ini), "format=%(levelname)s %(name)s %(funcName)s: %(message)s", "format=NEW %(levelname)s %(name)s: %(message)s", 1)), "next.conf")
	require.NoError(t, err)
	res, err := f.tree.Apply(next, logcfg.Full)
	require.NoError(t, err)
	require.Contains(t, res.Opened, "text")
	close(stop)
	wg.Wait()
	with.Info("after", "k", "v")
	lines := f.lines(t)
	require.NotEmpty(t, lines)
	for _, l := range lines {
		ok := strings.HasPrefix(l, "INFO app.db func1: line req=r1 g.w=") || strings.HasPrefix(l, "NEW INFO app.db: line req=r1 g.w=") ||
			l == "NEW INFO app.db: after req=r1 g.k=v"
		assert.True(t, ok, "%q", l)
	}
	assert.Equal(t, "NEW INFO app.db: after req=r1 g.k=v", lines[len(lines)-1])
}
