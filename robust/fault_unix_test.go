//go:build unix

package robust_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
)

// TestFaultPipeClosed: a handler writing to a FIFO whose reader has gone
// away (every write fails with EPIPE) does not stop the application or the
// other handler, and the failure is reported.
func TestFaultPipeClosed(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	reader, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	require.NoError(t, err)
	goodPath := filepath.Join(dir, "good.log")
	cfg, err := logcfg.Parse(strings.NewReader(faultINI(fifo, goodPath)), "fault.ini")
	require.NoError(t, err)
	var errOut lltest.Buffer
	tree, err := logcfg.NewTree(cfg, logcfg.WithErrorOutput(&errOut))
	require.NoError(t, err)
	defer tree.Close()

	// While the reader is there, the pipe gets the lines.
	tree.Logger("app").Info("before", zap.Int("i", -1))
	require.NoError(t, tree.Sync())
	require.NoError(t, reader.SetReadDeadline(time.Now().Add(5*time.Second)))
	got, err := bufio.NewReader(reader).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "INFO before i=-1\n", got)
	require.NoError(t, reader.Close())
	require.NoError(t, os.Truncate(goodPath, 0))

	logAndCheckGood(t, tree, goodPath, 0)
	assert.Contains(t, errOut.String(), "broken pipe", "the failure is reported")
	assertHandlerErrors(t, tree, "broken pipe")
}
