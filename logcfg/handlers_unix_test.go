//go:build unix

package logcfg

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// TestSyncIgnoresUnsyncableOutputs: fsync on a pipe fails with EINVAL,
// which Tree.Sync does not count as a failure.
func TestSyncIgnoresUnsyncableOutputs(t *testing.T) {
	r := newTestRegistry()
	fifo := filepath.Join(t.TempDir(), "pipe")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	reader, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	require.NoError(t, err)
	defer reader.Close()
	tree := r.tree(t, lltest.NewINI().Logger("root", "INFO", "h", true).
		Handler("h", "FileHandler", "", "f", lltest.FileArgs(fifo)).Formatter("f", "%(levelname)s %(message)s").String())
	tree.Logger("app").Info("through a pipe")
	assert.NoError(t, tree.Sync(), "fsync on a pipe is EINVAL, not a failure")
	buf := make([]byte, 64)
	n, _ := reader.Read(buf)
	assert.Equal(t, "INFO through a pipe\n", string(buf[:n]))
	assert.Empty(t, tree.HandlerErrors())
}
