package logcfg

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
