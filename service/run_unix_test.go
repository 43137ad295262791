//go:build unix

package service

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun drives Run in-process through an injected signal channel.
func TestRun(t *testing.T) {
	sock, _ := listenNotify(t)
	conf, logFile, tree := newService(t)
	app := tree.Logger("app")

	signals := make(chan os.Signal)
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), tree, WithConfigFile(conf), WithSignals(signals)) }()
	assert.Equal(t, "READY=1", readNotify(t, sock))

	app.Debug("hidden")
	app.Info("shown")
	assert.Equal(t, []string{"INFO app: shown"}, readLines(t, logFile))

	// A good config: applied between RELOADING=1 and READY=1.
	writeConf(t, conf, "DEBUG", logFile)
	signals <- syscall.SIGHUP
	assert.True(t, strings.HasPrefix(readNotify(t, sock), "RELOADING=1\nMONOTONIC_USEC="))
	assert.Equal(t, "READY=1", readNotify(t, sock))
	app.Debug("now shown")
	lines := readLines(t, logFile)
	require.Len(t, lines, 4)
	assert.True(t, strings.HasPrefix(lines[1], "INFO livelog.audit: applied generation 2: SIGHUP reload, "), lines[1])
	assert.Regexp(t, `^INFO livelog.service: reloaded ".*logging.conf": generation 2, \d+ level changes$`, lines[2])
	assert.Equal(t, "DEBUG app: now shown", lines[3])

	// A bad config: logged with its reason, the running config stays.
	require.NoError(t, os.WriteFile(conf, []byte(badConf), 0o644))
	signals <- syscall.SIGHUP
	assert.True(t, strings.HasPrefix(readNotify(t, sock), "RELOADING=1\nMONOTONIC_USEC="))
	assert.Equal(t, "READY=1", readNotify(t, sock))
	app.Debug("still shown")
	lines = readLines(t, logFile)
	require.Len(t, lines, 7)
	assert.Contains(t, lines[4], `ERROR livelog.service: reload of "`+conf+`" failed, keeping the running config: logcfg: `)
	assert.Contains(t, lines[4], "logger_root")
	assert.True(t, strings.HasPrefix(lines[5], "INFO livelog.audit: rejected SIGHUP reload, "+conf+": logcfg: "), lines[5])
	assert.Equal(t, "DEBUG app: still shown", lines[6])
	assert.Equal(t, uint64(2), tree.Generation())

	signals <- syscall.SIGTERM
	require.NoError(t, <-done)
	assert.Equal(t, "STOPPING=1", readNotify(t, sock))
	lines = readLines(t, logFile)
	assert.Equal(t, "INFO livelog.service: stopping on SIGTERM", lines[len(lines)-1])
	assert.Zero(t, pending(t, sock))
}

func TestRunStops(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stop   func(cancel context.CancelFunc, signals chan os.Signal)
		reason string
	}{
		{"SIGINT", func(_ context.CancelFunc, s chan os.Signal) { s <- syscall.SIGINT }, "stopping on SIGINT"},
		{"SIGTERM", func(_ context.CancelFunc, s chan os.Signal) { s <- syscall.SIGTERM }, "stopping on SIGTERM"},
		{"closed channel", func(_ context.CancelFunc, s chan os.Signal) { close(s) }, "stopping on closed signal channel"},
		{"context", func(cancel context.CancelFunc, _ chan os.Signal) { cancel() }, "stopping on context: context canceled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sock, _ := listenNotify(t)
			_, logFile, tree := newService(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			signals := make(chan os.Signal)
			done := make(chan error, 1)
			go func() { done <- Run(ctx, tree, WithSignals(signals), WithLogger("svc")) }()
			assert.Equal(t, "READY=1", readNotify(t, sock))
			tc.stop(cancel, signals)
			require.NoError(t, <-done)
			assert.Equal(t, "STOPPING=1", readNotify(t, sock))
			assert.Equal(t, []string{"INFO svc: " + tc.reason}, readLines(t, logFile))
		})
	}
}

// Without a config file SIGHUP still completes the handshake, so that
// `systemctl reload` never hangs.
func TestRunWithoutConfigFile(t *testing.T) {
	sock, _ := listenNotify(t)
	_, logFile, tree := newService(t)
	signals := make(chan os.Signal, 2)
	signals <- syscall.SIGHUP
	signals <- syscall.SIGTERM
	require.NoError(t, Run(context.Background(), tree, WithSignals(signals)))
	assert.Equal(t, []string{"READY=1", "RELOADING=1", "READY=1", "STOPPING=1"}, []string{
		readNotify(t, sock), strings.SplitN(readNotify(t, sock), "\n", 2)[0], readNotify(t, sock), readNotify(t, sock),
	})
	assert.Equal(t, []string{
		"WARNING livelog.service: SIGHUP: nothing to reload (no config file given)",
		"INFO livelog.service: stopping on SIGTERM",
	}, readLines(t, logFile))
}

// Outside systemd Run works the same, and a notification that cannot be
// delivered is logged as a warning, not fatal.
func TestRunNotifyFailureIsWarning(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "gone.sock"))
	_, logFile, tree := newService(t)
	signals := make(chan os.Signal, 1)
	signals <- syscall.SIGTERM
	require.NoError(t, Run(context.Background(), tree, WithSignals(signals)))
	lines := readLines(t, logFile)
	require.Len(t, lines, 3)
	assert.True(t, strings.HasPrefix(lines[0], `WARNING livelog.service: service: notify "READY=1": `), lines[0])
	assert.Equal(t, "INFO livelog.service: stopping on SIGTERM", lines[1])
	assert.True(t, strings.HasPrefix(lines[2], `WARNING livelog.service: service: notify "STOPPING=1": `), lines[2])
}

// TestRunChildProcess runs this test binary as a real service process
// (childMain) and drives it with real signals, as systemd would.
func TestRunChildProcess(t *testing.T) {
	sock, sockPath := listenNotify(t)
	dir := t.TempDir()
	conf, logFile := filepath.Join(dir, "logging.conf"), filepath.Join(dir, "app.log")
	writeConf(t, conf, "INFO", logFile)

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+conf, "NOTIFY_SOCKET="+sockPath)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	})

	assert.Equal(t, "READY=1", readNotify(t, sock))
	first := waitLine(t, logFile, -1, "INFO child: tick info")
	assert.Equal(t, -1, indexLine(readLines(t, logFile), "DEBUG"), "INFO config: no DEBUG line")

	// systemctl reload: SIGHUP with a new level.
	writeConf(t, conf, "DEBUG", logFile)
	require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
	assert.True(t, strings.HasPrefix(readNotify(t, sock), "RELOADING=1\nMONOTONIC_USEC="))
	assert.Equal(t, "READY=1", readNotify(t, sock))
	reloaded := waitLine(t, logFile, first, `INFO livelog.service: reloaded "`+conf+`": generation 2`)
	waitLine(t, logFile, reloaded, "DEBUG child: tick debug")

	// A bad config: the error is logged and DEBUG lines go on.
	require.NoError(t, os.WriteFile(conf, []byte(badConf), 0o644))
	require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
	assert.True(t, strings.HasPrefix(readNotify(t, sock), "RELOADING=1\nMONOTONIC_USEC="))
	assert.Equal(t, "READY=1", readNotify(t, sock))
	failed := waitLine(t, logFile, reloaded, `ERROR livelog.service: reload of "`+conf+`" failed, keeping the running config: logcfg: `)
	waitLine(t, logFile, failed, "DEBUG child: tick debug")

	// systemctl stop: SIGTERM.
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-exited:
		require.NoError(t, err, "exit code 0; child output:\n%s", stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("child did not exit after SIGTERM; output:\n%s", stderr.String())
	}
	assert.Equal(t, 0, cmd.ProcessState.ExitCode())
	assert.Equal(t, "STOPPING=1", readNotify(t, sock))
	assert.Zero(t, pending(t, sock))
	lines := readLines(t, logFile)
	stop := indexLine(lines[failed:], "INFO livelog.service: stopping on SIGTERM")
	require.GreaterOrEqual(t, stop, 0, "the reason for stopping is logged")
	for _, l := range lines[failed+stop+1 : len(lines)-1] {
		assert.Contains(t, l, "child: tick", "only ticks already in flight follow the stop line")
	}
	assert.Equal(t, "INFO child: bye", lines[len(lines)-1], "the last line, written after Run returned, reached the file")
	assert.Empty(t, stderr.String())
}
