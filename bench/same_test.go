package bench_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSameInformation renders BenchmarkInfo's call once through each side
// and checks that both lines carry the same facts, so that the benchmark
// compares equal work. The livelog side uses the benchmark's config with a
// FileHandler in place of bench.DiscardHandler (same formatter, same
// encoder path).
func TestSameInformation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "livelog.log")
	tree := newTree(t, iniWith("FileHandler", "('"+path+"',)", "WARNING", "NOTSET"))
	f1, f2, f3 := fields()

	tree.Logger("bench.app").Info(message, f1, f2, f3)
	require.NoError(t, tree.Sync())
	var zapOut bytes.Buffer
	zapLogger(&zapOut).Info(message, f1, f2, f3)

	livelogOut, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := map[string]string{"livelog": string(livelogOut), "zap": zapOut.String()}
	for side, line := range lines {
		assert.Equal(t, 1, bytes.Count([]byte(line), []byte("\n")), "%s: one line: %q", side, line)
		for _, want := range []string{
			message, "TestSameInformation", "same_test", processName, "INFO",
			"status", "200", "user", "alice", "elapsed", "1.5s",
			"\x1b[", // colour
		} {
			assert.Contains(t, line, want, "%s line %q", side, line)
		}
	}
	// Both show today's date.
	date := zapOut.String()[:10]
	assert.Contains(t, lines["livelog"], date, "livelog line shows the same date as zap's")

	// Below the level, neither writes.
	zapOut.Reset()
	tree.Logger("bench.app").Debug(message, f1, f2, f3)
	zapLogger(&zapOut).Debug(message, f1, f2, f3)
	require.NoError(t, tree.Sync())
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, livelogOut, after, "livelog wrote a DEBUG line at INFO")
	assert.Zero(t, zapOut.Len(), "zap wrote a DEBUG line at INFO")
}
