//go:build unix

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
)

// workerPID waits for the parent to say that worker name listens and
// returns its pid, read from that line.
func workerPID(t *testing.T, out *lltest.Buffer, name string) int {
	t.Helper()
	re := regexp.MustCompile(`(?m)^== ` + regexp.QuoteMeta(name) + `\s+pid (\d+)\s+listening on 127\.0\.0\.1:\d+$`)
	var m []string
	lltest.WaitFor(t, 20*time.Second, func() bool { m = re.FindStringSubmatch(out.String()); return m != nil })
	pid, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return pid
}

// kill sends sig to the process pid.
func kill(t *testing.T, pid int, sig os.Signal) {
	t.Helper()
	p, err := os.FindProcess(pid)
	require.NoError(t, err)
	require.NoError(t, p.Signal(sig))
}

// exitCode waits for cmd and returns its exit code; the demo must have
// exited by itself, not been killed.
func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	if err != nil {
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee)
		require.True(t, ee.Exited(), "the demo was killed: %v", err)
	}
	return cmd.ProcessState.ExitCode()
}

// TestServeWorkerDies: with -serve the processes are a fleet. Worker #1 is
// killed with SIGKILL; the parent says so in one line naming it, its pid
// and the signal; the parent and Worker #2 keep logging and listening (a
// push reaches both); at SIGTERM everyone left stops cleanly, and the
// demo exits 1, naming the lost worker without repeating why.
func TestServeWorkerDies(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 5)
	cmd, out := startDemo(t, nil, "-serve", "-workers", "2", "-ports", fmt.Sprintf("%d-%d", lo, hi), "-interval", "100ms")
	pid1 := workerPID(t, out, "Worker #1")
	workerPID(t, out, "Worker #2")
	lltest.WaitFor(t, 20*time.Second, func() bool { return strings.Contains(out.String(), "== serving until") })
	require.Len(t, rootLevels(t, lo, hi), 3)

	kill(t, pid1, syscall.SIGKILL)
	died := fmt.Sprintf("== Worker #1    pid %-7d  was killed by signal SIGKILL; the other processes keep running\n", pid1)
	lltest.WaitFor(t, 20*time.Second, func() bool { return strings.Contains(out.String(), died) })
	at := len(out.String())

	// The others keep running: they log on, and answer.
	for _, proc := range []string{"MainProcess", "Worker #2"} {
		lltest.WaitFor(t, 20*time.Second, func() bool {
			return strings.Contains(out.String()[at:], " - "+proc+" - ERROR - payment gateway timed out")
		})
	}
	assert.Equal(t, map[string]string{"MainProcess": "DEBUG", "Worker #2": "DEBUG"}, rootLevels(t, lo, hi))
	text, err := os.ReadFile("logger_config/error.conf")
	require.NoError(t, err)
	acks := pushAll(context.Background(), lo, hi, wire.Envelope{Config: string(text)}, nil, func(int) bool { return true })
	require.Len(t, acks, 2)
	for _, a := range acks {
		assert.True(t, a.applied(), "%s", a)
	}
	assert.Equal(t, map[string]string{"MainProcess": "ERROR", "Worker #2": "ERROR"}, rootLevels(t, lo, hi))

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	assert.Equal(t, exitFailed, exitCode(t, cmd), "a worker died: not a clean run")
	s := out.String()
	assert.Equal(t, 1, strings.Count(s, "killed by signal SIGKILL"), "the reason is said once")
	assert.Regexp(t, `(?m)^== Worker #2\s+pid \d+\s+exited cleanly \(status 0\)$`, s)
	assert.NotRegexp(t, `(?m)^== Worker #1\s+pid \d+\s+exited`, s)
	assert.Regexp(t, fmt.Sprintf(`(?m)^== done in [\d.]+s: served until told to stop; Worker #1 \(pid %d\) died while serving \(reported above\); every other process exited cleanly$`, pid1), s)
	assert.NotContains(t, s, "FAILED")
}

// TestStoryWorkerDies: in the story a worker that dies stops the demo
// loudly: exit 1, a FAILED list that gives the worker's pid and signal
// once, and the other worker still stops cleanly.
func TestStoryWorkerDies(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 5)
	cmd, out := startDemo(t, nil, "-workers", "2", "-ports", fmt.Sprintf("%d-%d", lo, hi), "-interval", "100ms")
	pid1 := workerPID(t, out, "Worker #1")
	lltest.WaitFor(t, 20*time.Second, func() bool { return strings.Contains(out.String(), "== step 1/4 at ") })

	kill(t, pid1, syscall.SIGKILL)
	assert.Equal(t, exitFailed, exitCode(t, cmd))
	s := out.String()
	reason := fmt.Sprintf("Worker #1 (pid %d) was killed by signal SIGKILL", pid1)
	assert.Equal(t, 1, strings.Count(s, reason), "the reason is said once")
	assert.Equal(t, 1, strings.Count(s, "SIGKILL"))
	assert.Regexp(t, `(?m)^== FAILED after [\d.]+s:\n(==   .*\n)*==   `+regexp.QuoteMeta(reason)+`$`, s)
	assert.NotContains(t, s, "step 3/4", "the story stopped")
	assert.Regexp(t, `(?m)^== Worker #2\s+pid \d+\s+exited cleanly \(status 0\)$`, s)
	assert.NotContains(t, s, "== done in")
}
