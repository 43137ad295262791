//go:build !race

package handlers_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

// The handlers of this issue cost no allocation beyond FileHandler's on
// an enabled call (which are zap's own): TimedRotatingFileHandler checks
// the clock and compares; MemoryHandler copies the fields into a reused
// slot, and its flushes write through the target's encoder.
func TestAllocTimedAndMemoryLikeFile(t *testing.T) {
	dir := t.TempDir()
	file := handlerTree(t, dir, "FileHandler", "('%(dir)s/file.log',)", "")
	timed := handlerTree(t, dir, "handlers.TimedRotatingFileHandler", "('%(dir)s/timed.log', 'midnight', 1, 7)", "")
	memory := handlerTree(t, dir, "handlers.MemoryHandler", "(10,)", dir+"/memory.log")
	for _, log := range []*zap.Logger{file, timed, memory} {
		infoCall(log) // the first write of a generation routes the logger
	}
	base := testing.AllocsPerRun(1000, func() { infoCall(file) })
	assert.LessOrEqual(t, testing.AllocsPerRun(1000, func() { infoCall(timed) }), base, "TimedRotatingFileHandler")
	assert.LessOrEqual(t, testing.AllocsPerRun(1000, func() { infoCall(memory) }), base, "MemoryHandler")
	st, err := os.Stat(filepath.Join(dir, "memory.log"))
	require.NoError(t, err)
	assert.Positive(t, st.Size(), "the MemoryHandler flushed")
}
