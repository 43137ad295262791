package robust_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livelog/livelog/logcfg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

// longEnv turns on the long variants (scripts/robust-long.sh sets it).
const longEnv = "LIVELOG_ROBUST_LONG"

func long() bool { return os.Getenv(longEnv) != "" }

// lossINI sends logger app (at level) to file, a FileHandler writing the
// bare message.
func lossINI(file, level string) string {
	return `[loggers]
keys=root,app

[handlers]
keys=file

[formatters]
keys=bare

[logger_root]
level=WARNING
handlers=

[logger_app]
level=` + level + `
handlers=file
qualname=app
propagate=0

[handler_file]
class=FileHandler
args=('` + file + `', 'a')
formatter=bare

[formatter_bare]
format=%(message)s
`
}

// Line shape: writer, level, sequence number, 96 letters that depend on
// both (a torn or interleaved line cannot match).
var lossLine = regexp.MustCompile(`^w(\d+) (INFO|DEBUG) (\d{8}) ([a-z]{96})$`)

func lossPad(w, seq int) string {
	return strings.Repeat(string(rune('a'+(w*7+seq)%26)), 96)
}

// TestNoLoss has several goroutines log sequence-numbered lines to a
// FileHandler while the tree is re-applied thousands of times: levels-only
// flips of the logger's level between INFO and DEBUG, and every fourth
// apply a Full swap to a new file. Every INFO line (always enabled) must
// appear exactly once, whole, across the files; DEBUG lines (enabled or
// not, depending on the moment) at most once, whole.
func TestNoLoss(t *testing.T) {
	applies, burst, budget := 2000, 16, 20*time.Second
	if long() {
		applies, budget = 100_000, 10*time.Minute
	}
	const writers = 4
	dir := t.TempDir()
	file := func(k int) string { return filepath.Join(dir, fmt.Sprintf("gen-%06d.log", k)) }
	parse := func(k int, level string) *logcfg.Config {
		cfg, err := logcfg.Parse(strings.NewReader(lossINI(file(k), level)), "loss.ini")
		require.NoError(t, err)
		return cfg
	}
	tree, err := logcfg.NewTree(parse(0, "INFO"))
	require.NoError(t, err)
	log := tree.Logger("app")

	// The applier sends each writer a tick after every apply; a writer logs
	// a burst of lines per tick, so logging and applying overlap and the
	// number of lines stays bounded.
	ticks := make([]chan struct{}, writers)
	logged := make([]int, writers) // lines each writer logged
	var wg sync.WaitGroup
	stopWriters := sync.OnceFunc(func() {
		for _, c := range ticks {
			close(c)
		}
		wg.Wait()
	})
	defer stopWriters() // also when a require below fails
	for w := range writers {
		ticks[w] = make(chan struct{}, 1)
		wg.Go(func() {
			seq := 0
			for range ticks[w] {
				for range burst {
					lvl := zapcore.InfoLevel
					if seq%2 == 1 {
						lvl = zapcore.DebugLevel
					}
					log.Log(lvl, fmt.Sprintf("w%d %s %08d %s", w, logcfg.LevelName(lvl), seq, lossPad(w, seq)))
					seq++
				}
			}
			logged[w] = seq
		})
	}

	cur, done := 0, 0
	levels := [2]string{"DEBUG", "INFO"}
	end := time.Now().Add(budget)
	for i := 0; i < applies && time.Now().Before(end); i++ {
		var err error
		if i%4 == 3 {
			cur++
			_, err = tree.Apply(parse(cur, levels[i%2]), logcfg.Full)
		} else {
			_, err = tree.Apply(parse(cur, levels[i%2]), logcfg.LevelsOnly)
		}
		require.NoError(t, err, "apply %d", i)
		done++
		for _, c := range ticks {
			select {
			case c <- struct{}{}:
			default: // the writer is still busy with its last burst
			}
		}
	}
	stopWriters()
	require.NoError(t, tree.Close())
	t.Logf("%d applies (%d Full, to %d files), lines logged per writer: %v", done, cur, cur+1, logged)
	require.GreaterOrEqual(t, done, min(applies, 500), "too few applies within %s to mean anything", budget)

	seen := make([]map[int]int, writers)
	for w := range seen {
		seen[w] = map[int]int{}
	}
	var debugSeen, filesWithLines int
	names, err := filepath.Glob(filepath.Join(dir, "gen-*.log"))
	require.NoError(t, err)
	for _, name := range names {
		f, err := os.Open(name)
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			n++
			m := lossLine.FindStringSubmatch(sc.Text())
			if !assert.NotNil(t, m, "%s: torn or foreign line %q", filepath.Base(name), sc.Text()) {
				continue
			}
			w, _ := strconv.Atoi(m[1])
			seq, _ := strconv.Atoi(m[3])
			require.Less(t, w, writers)
			assert.Equal(t, lossPad(w, seq), m[4], "line %q mixes two records", sc.Text())
			assert.Equal(t, seq%2 == 1, m[2] == "DEBUG", "line %q has the wrong level", sc.Text())
			seen[w][seq]++
			if m[2] == "DEBUG" {
				debugSeen++
			}
		}
		require.NoError(t, sc.Err())
		f.Close()
		if n > 0 {
			filesWithLines++
		}
	}
	for w := range writers {
		require.Positive(t, logged[w], "writer %d never ran", w)
		for seq := 0; seq < logged[w]; seq++ {
			c := seen[w][seq]
			if seq%2 == 0 {
				if c != 1 {
					assert.Failf(t, "INFO line lost or doubled", "writer %d line %d appears %d times", w, seq, c)
				}
			} else if c > 1 {
				assert.Failf(t, "DEBUG line doubled", "writer %d line %d appears %d times", w, seq, c)
			}
		}
	}
	assert.Positive(t, debugSeen, "DEBUG lines appear while the level is DEBUG")
	assert.Greater(t, filesWithLines, 1, "lines went to several files across the Full swaps")
}
