//go:build linux

package robust_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// freshNamesINI is a config of about 800 KB naming n loggers that no
// earlier push named (their qualnames carry round), each at DEBUG.
func freshNamesINI(logFile string, round, n int) string {
	var b strings.Builder
	b.WriteString("[loggers]\nkeys=root")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, ",l%d", i)
	}
	b.WriteString("\n[handlers]\nkeys=file\n[formatters]\nkeys=plain\n[logger_root]\nlevel=INFO\nhandlers=file\n")
	pad := strings.Repeat("x", 40)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[logger_l%d]\nlevel=DEBUG\nhandlers=\nqualname=push%d.%s.name%d\n", i, round, pad, i)
	}
	fmt.Fprintf(&b, "[handler_file]\nclass=FileHandler\nargs=('%s',)\nformatter=plain\n[formatter_plain]\nformat=%%(levelname)s %%(name)s %%(message)s\n", logFile)
	return b.String()
}

// TestFreshNamesMemory: twenty pushes of about 800 KB of logger names
// that only the network ever named leave the listener process within
// 64 MiB of where it started (four times that under -race), and status
// still answers, with only the last push's names in it.
func TestFreshNamesMemory(t *testing.T) {
	logFile := t.TempDir() + "/child.log"
	p := startChild(t, childOptions{config: levelsINI(logFile, "INFO", "WARNING")})
	const n = 9000 // under the 10,000-section cap
	warm := freshNamesINI(logFile, 0, n)
	require.Greater(t, len(warm), 780<<10)
	require.LessOrEqual(t, len(warm), 1<<20, "fits the payload cap")
	rep := p.push(t, warm)
	require.True(t, rep.OK, "warm-up push: %s", rep.Error)
	before := p.rssKiB(t)

	for round := 1; round <= 20; round++ {
		rep := p.push(t, freshNamesINI(logFile, round, n))
		require.True(t, rep.OK, "push %d: %s", round, rep.Error)
	}
	limit := 64 << 10
	if raceEnabled {
		limit *= 4
	}
	// The runtime gives freed memory back in the background: poll, with
	// a deadline, as assertRSS does.
	var after int
	for end := time.Now().Add(15 * time.Second); ; {
		after = p.rssKiB(t)
		if after-before < limit || time.Now().After(end) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("RSS %d KiB before, %d KiB after 20 pushes (%+d KiB)", before, after, after-before)
	assert.Less(t, after-before, limit, "RSS growth in KiB")

	st := p.status(t)
	assert.Equal(t, "DEBUG", st.Levels["push20."+strings.Repeat("x", 40)+".name0"])
	_, old := st.Levels["push1."+strings.Repeat("x", 40)+".name0"]
	assert.False(t, old, "a name only an earlier push mentioned is dropped")
}
