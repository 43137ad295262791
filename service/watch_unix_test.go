//go:build unix

package service

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// With WithWatch, a change of the file is applied inside the reload
// handshake, as a SIGHUP reload is; a file that does not parse is reported
// and sends no handshake.
func TestRunWatch(t *testing.T) {
	sock, _ := listenNotify(t)
	conf, logFile, tree := newService(t)
	signals := make(chan os.Signal)
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), tree, WithConfigFile(conf), WithWatch(true), WithSignals(signals))
	}()
	assert.Equal(t, "READY=1", readNotify(t, sock), "sent once the watch is set up")

	writeConf(t, conf, "DEBUG", logFile)
	assert.True(t, strings.HasPrefix(readNotify(t, sock), "RELOADING=1\nMONOTONIC_USEC="))
	assert.Equal(t, "READY=1", readNotify(t, sock))
	assert.Equal(t, uint64(2), tree.Generation(), "applied between RELOADING=1 and READY=1")
	assert.True(t, tree.Logger("app").Core().Enabled(zapcore.DebugLevel))
	lltest.WaitFor(t, 10*time.Second, func() bool {
		return indexLine(readLines(t, logFile), `INFO livelog.watch: applied "`+conf+`": generation 2`) >= 0
	})
	lines := readLines(t, logFile)
	assert.GreaterOrEqual(t, indexLine(lines, "INFO livelog.audit: applied generation 2: file, "+conf), 0, lines)

	require.NoError(t, os.WriteFile(conf, []byte(badConf), 0o644))
	lltest.WaitFor(t, 10*time.Second, func() bool {
		return indexLine(readLines(t, logFile), `ERROR livelog.watch: apply of "`+conf+`" failed, keeping the running config: `) >= 0
	})
	assert.GreaterOrEqual(t, indexLine(readLines(t, logFile), "INFO livelog.audit: rejected file, "+conf+": "), 0)
	assert.Equal(t, uint64(2), tree.Generation())
	assert.Zero(t, pending(t, sock), "no handshake for a file that does not parse")

	signals <- os.Interrupt
	require.NoError(t, <-done)
	assert.Equal(t, "STOPPING=1", readNotify(t, sock))
}

// A config file whose directory cannot be watched is reported; Run goes on
// (and SIGHUP still reloads).
func TestRunWatchMissingDirectory(t *testing.T) {
	sock, _ := listenNotify(t)
	_, logFile, tree := newService(t)
	missing := filepath.Join(t.TempDir(), "gone", "logging.conf")
	signals := make(chan os.Signal)
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), tree, WithConfigFile(missing), WithWatch(true), WithSignals(signals))
	}()
	assert.Equal(t, "READY=1", readNotify(t, sock))
	lines := readLines(t, logFile)
	require.NotEmpty(t, lines)
	assert.True(t, strings.HasPrefix(lines[0], `ERROR livelog.service: not watching the config file: logcfg: Watch "`+missing+`": watch directory: `), lines[0])
	signals <- os.Interrupt
	require.NoError(t, <-done)
	assert.Equal(t, "STOPPING=1", readNotify(t, sock))
}
