package logcfg

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"
)

// BenchmarkWatchLatency measures, per op, the time from a change of the
// config file (a plain rewrite, or a ConfigMap update: new timestamped
// directory, ..data swapped, old directory removed) to the root's new
// level taking effect in the tree, the default 20 ms debounce included.
// It reports the median and the slowest op too.
func BenchmarkWatchLatency(b *testing.B) {
	b.Run("rewrite", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "app.conf")
		benchLatency(b, path, func(_ int, text string) { writeFile(b, path, text) })
	})
	b.Run("configmap", func(b *testing.B) {
		dir := b.TempDir()
		require := func(err error) {
			if err != nil {
				b.Fatal(err)
			}
		}
		old := ""
		swap := func(i int, text string) {
			ts := fmt.Sprintf("..2026_12_02_10_00_00.%09d", i)
			require(os.Mkdir(filepath.Join(dir, ts), 0o755))
			writeFile(b, filepath.Join(dir, ts, "app.conf"), text)
			require(os.Symlink(ts, filepath.Join(dir, "..data_tmp")))
			require(os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")))
			if old != "" {
				require(os.RemoveAll(filepath.Join(dir, old)))
			}
			old = ts
		}
		path := filepath.Join(dir, "app.conf")
		require(os.Symlink(filepath.Join("..data", "app.conf"), path))
		benchLatency(b, path, swap)
	})
}

// benchLatency writes the first config with change(0, ...), watches path,
// and times each further change until the root's level follows.
func benchLatency(b *testing.B, path string, change func(i int, text string)) {
	levels := [2]string{"WARNING", "DEBUG"}
	want := [2]zapcore.Level{zapcore.WarnLevel, zapcore.DebugLevel}
	change(0, levelsINI(levels[0], "INFO", "NOTSET", "NOTSET"))
	f := startWatch(b, path)
	root := f.tree.Logger("")
	var took []time.Duration
	for i := 1; b.Loop(); i++ {
		start := time.Now()
		change(i, levelsINI(levels[i%2], "INFO", "NOTSET", "NOTSET"))
		for root.Level() != want[i%2] {
			time.Sleep(100 * time.Microsecond)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "ms-max")
}
