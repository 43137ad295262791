package logcfg

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// The handlers as a tree runs them. What each class writes is tested in
// package handlers.

// TestHandlerWriteErrorsReported: a handler whose writes fail is counted
// (HandlerErrors) and reported on the error output at failures 1, 2, 4,
// 8..., not at every one; the other handlers get every line.
func TestHandlerWriteErrorsReported(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	r := newTestRegistry()
	good := filepath.Join(t.TempDir(), "good.log")
	var errOut lltest.Buffer
	tree := r.tree(t, lltest.NewINI().Logger("root", "INFO", "disk,good", true).
		Handler("disk", "FileHandler", "", "", lltest.FileArgs("/dev/full")).
		Handler("good", "FileHandler", "", "", lltest.FileArgs(good)).String(),
		WithErrorOutput(&errOut))
	const n = 9
	for i := range n {
		tree.Logger("app").Info(fmt.Sprintf("line %d", i))
	}
	got := lltest.Lines(t, good)
	require.Len(t, got, n, "the other handler got every line")
	assert.Equal(t, "line 8", got[n-1])
	assert.Equal(t, []HandlerError{{Handler: "disk", Count: n, Last: "logcfg: full: record lost: write /dev/full: no space left on device"}}, tree.HandlerErrors())
	reports := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	require.Len(t, reports, 4, errOut.String())
	assert.Contains(t, reports[0], `logcfg: handler "disk": write failed (1 so far)`)
	assert.Contains(t, reports[0], "no space left on device")
	assert.Contains(t, reports[3], "(8 so far)")
}

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
