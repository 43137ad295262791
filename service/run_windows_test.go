package service

import (
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

// On Windows Run waits for Ctrl-C (os.Interrupt) and SIGTERM only, and the
// notifications send nothing even when NOTIFY_SOCKET is set.
func TestWindowsSignalsAndNotify(t *testing.T) {
	assert.Equal(t, []os.Signal{os.Interrupt, syscall.SIGTERM}, runSignals)
	t.Setenv("NOTIFY_SOCKET", `C:\nowhere\notify.sock`)
	assert.NoError(t, Ready())
	assert.NoError(t, Stopping())
	ran := false
	assert.NoError(t, Reload(func() error { ran = true; return nil }))
	assert.True(t, ran)
}
