package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// demoBin is the demo, built once by TestMain with buildFlags.
var (
	demoBin    string
	buildFlags []string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "multiproc-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	demoBin = filepath.Join(dir, "multiproc")
	build := exec.Command("go", append(append([]string{"build"}, buildFlags...), "-o", demoBin, ".")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the demo:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runDemo runs the built demo from the repository root (as `go run
// ./examples/multiproc` would, so the config directory is found the way a
// new user's is), colour off, within a minute. It returns the combined
// output and the exit code.
func runDemo(t *testing.T, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, demoBin, args...)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = testEnviron()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Workers share the output pipe; should the parent be killed, they
	// stop when their stdin closes. Do not wait for them forever.
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "the demo did not finish within a minute:\n%s", out.String())
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		require.NoError(t, err, out.String())
	}
	return out.String(), cmd.ProcessState.ExitCode()
}

// startDemo starts the built demo as runDemo does, with extra environment
// variables, and returns it running, with its combined output; the test
// must Wait for it. It is killed if it outlives the test's minute, and its
// output is logged at the end.
func startDemo(t *testing.T, env []string, args ...string) (*exec.Cmd, *lltest.Buffer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, demoBin, args...)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(testEnviron(), env...)
	out := &lltest.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 10 * time.Second
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { t.Logf("demo output:\n%s", out) })
	return cmd, out
}

// testEnviron is the test's environment without what would change the
// demo's behaviour, with colour off.
func testEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "ENV", "NOTIFY_SOCKET", "FORCE_COLOR", workerEnv:
		default:
			env = append(env, kv)
		}
	}
	return append(env, "NO_COLOR=1")
}

// logLine is one line of the demo's format with colour off:
// asctime - module.funcName - processName - levelname - message.
var logLine = regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) - .+ - (MainProcess|Worker #\d+) - (DEBUG|INFO|WARNING|ERROR|CRITICAL) - (.*)$`)

type record struct {
	at    time.Time
	proc  string
	level string
}

const ts = `(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})`

// The parent's phase markers, each with the time it was printed.
var markers = map[string]*regexp.Regexp{
	"push":     regexp.MustCompile(`^== step 2/4 at ` + ts + `: pushing error\.conf to`),
	"applied":  regexp.MustCompile(`^== 4 of 4 processes applied error\.conf \(acknowledged at ` + ts + `\)`),
	"temp":     regexp.MustCompile(`^== step 3/4 at ` + ts + `: pushing info\.conf for 3s \(a temporary change: it reverts by itself\) to`),
	"tempAck":  regexp.MustCompile(`^== 4 of 4 processes applied info\.conf for 3s \(acknowledged at ` + ts + `\)`),
	"reverted": regexp.MustCompile(`^== 4 of 4 processes reverted to error\.conf by themselves \(confirmed at ` + ts + `\)`),
	"stop":     regexp.MustCompile(`^== step 4/4 at ` + ts + `: shutting down`),
}

// ackLine is one process's acknowledgement (or revert) in the parent's
// report.
var ackLine = regexp.MustCompile(`^==   127\.0\.0\.1:(\d+)\s+pid (\d+)\s+(MainProcess|Worker #\d+)\s+(\S+)\s+generation \d+`)

func parseTime(t *testing.T, s string) time.Time {
	at, err := time.ParseInLocation(stampLayout, s, time.Local)
	require.NoError(t, err)
	return at
}

// TestStory runs the whole story with three workers and checks, from the
// output alone, that every process logged at DEBUG before the push, that
// INFO and DEBUG stopped everywhere once error.conf was acknowledged, that
// INFO came back during the temporary change and stopped again after the
// revert, that every process acknowledged each push, and that the demo
// exited 0.
//
// Times come from the lines themselves: a line stamped after the parent
// printed an acknowledgement was created after every process had applied
// the push, so its level must obey the new config. (A line created just
// before may still be written just after the marker; it is not counted.)
func TestStory(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 8)
	out, code := runDemo(t, "-workers", "3", "-ports", fmt.Sprintf("%d-%d", lo, hi), "-interval", "200ms")
	t.Logf("demo output:\n%s", out)
	require.Equal(t, 0, code, "exit code")
	assert.NotContains(t, out, "\x1b[", "NO_COLOR=1 must turn colour off")

	procs := []string{"MainProcess", "Worker #1", "Worker #2", "Worker #3"}
	at := map[string]time.Time{}
	var recs []record
	acks := map[string]map[string]string{} // section → process → outcome
	section := ""
	for _, line := range strings.Split(out, "\n") {
		if m := logLine.FindStringSubmatch(line); m != nil {
			recs = append(recs, record{at: parseTime(t, m[1]), proc: m[2], level: m[3]})
			continue
		}
		for name, re := range markers {
			if m := re.FindStringSubmatch(line); m != nil {
				require.NotContains(t, at, name, "marker %q twice", name)
				at[name] = parseTime(t, m[1])
				section = name
			}
		}
		if m := ackLine.FindStringSubmatch(line); m != nil {
			port := 0
			fmt.Sscan(m[1], &port)
			assert.True(t, port >= lo && port <= hi, "port %d outside the test range %d-%d", port, lo, hi)
			if acks[section] == nil {
				acks[section] = map[string]string{}
			}
			acks[section][m[3]] = m[4]
		}
	}
	for name := range markers {
		require.Contains(t, at, name, "marker %q missing", name)
	}
	require.True(t, at["push"].Before(at["applied"]) || at["push"].Equal(at["applied"]))
	require.True(t, at["applied"].Before(at["temp"]))
	require.True(t, at["tempAck"].Before(at["reverted"]))

	// Every process acknowledged both pushes with "applied", and reverted.
	want := map[string]string{}
	for _, p := range procs {
		want[p] = "applied"
	}
	assert.Equal(t, want, acks["push"], "acknowledgements of error.conf")
	assert.Equal(t, want, acks["temp"], "acknowledgements of info.conf for 3s")
	for _, p := range procs {
		want[p] = "reverted"
	}
	assert.Equal(t, want, acks["tempAck"], "reverts seen by status requests")

	// count counts the lines of proc at level stamped strictly between
	// from and to.
	count := func(proc, level string, from, to time.Time) int {
		n := 0
		for _, r := range recs {
			if r.proc == proc && r.level == level && r.at.After(from) && r.at.Before(to) {
				n++
			}
		}
		return n
	}
	var start, end time.Time // the zero time, and far in the future
	end = at["stop"].Add(time.Hour)
	for _, p := range procs {
		assert.Positive(t, count(p, "DEBUG", start, at["push"]), "%s: DEBUG lines before the push", p)
		assert.Positive(t, count(p, "INFO", start, at["push"]), "%s: INFO lines before the push", p)
		assert.Zero(t, count(p, "DEBUG", at["applied"], end), "%s: DEBUG lines after error.conf was acknowledged", p)
		assert.Zero(t, count(p, "INFO", at["applied"], at["temp"]), "%s: INFO lines between error.conf and info.conf", p)
		assert.Positive(t, count(p, "ERROR", at["applied"], at["temp"]), "%s: ERROR lines between error.conf and info.conf", p)
		assert.Positive(t, count(p, "INFO", at["tempAck"], at["reverted"]), "%s: INFO lines during the temporary change", p)
		assert.Zero(t, count(p, "INFO", at["reverted"], end), "%s: INFO lines after the revert", p)
		assert.Positive(t, count(p, "ERROR", at["reverted"], end), "%s: ERROR lines after the revert", p)
	}
	for _, p := range procs[1:] {
		assert.Regexp(t, `(?m)^== `+p+`\s+pid \d+\s+exited cleanly \(status 0\)$`, out)
	}
	assert.Regexp(t, `(?m)^== done in [\d.]+s: every process started, applied both pushes, reverted by itself, and exited cleanly$`, out)
}

// TestWorkerFailsToStart holds the second port of a two-port range: the
// parent takes the first, Worker #1 finds none free, and the demo says so
// and exits 1.
func TestWorkerFailsToStart(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	held, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", hi))
	require.NoError(t, err)
	defer held.Close()

	out, code := runDemo(t, "-workers", "1", "-ports", fmt.Sprintf("%d-%d", lo, hi))
	t.Logf("demo output:\n%s", out)
	assert.Equal(t, exitFailed, code)
	assert.Regexp(t, fmt.Sprintf(`(?m)^== MainProcess\s+pid \d+\s+listening on 127\.0\.0\.1:%d$`, lo), out)
	assert.Regexp(t, fmt.Sprintf(`(?m)^==   Worker #1 \(pid \d+\) failed to start: listener: no free port on 127\.0\.0\.1: every port of %d-%d is taken$`, lo, hi), out)
	assert.NotContains(t, out, "step 2/4", "no push after a failed start")
	assert.Contains(t, out, "== FAILED after")
}

// TestParentFailsToStart holds the only port of the range: the parent
// itself cannot listen, says so, and exits 1 without starting workers.
func TestParentFailsToStart(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 1)
	held, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", lo))
	require.NoError(t, err)
	defer held.Close()

	out, code := runDemo(t, "-workers", "0", "-ports", fmt.Sprint(lo))
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, fmt.Sprintf("multiproc: MainProcess did not start: listener: no free port on 127.0.0.1: every port of %d-%d is taken\n", lo, lo),
		lastLine(out))
	assert.NotContains(t, out, "Worker #")
}

func lastLine(s string) string {
	lines := strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1] + "\n"
}

// TestBadFlags checks that flag errors exit 2 with a message naming the
// flag, before anything starts.
func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-ports", "9030-9001"}, `multiproc: -ports "9030-9001": 9030 is above 9001`},
		{[]string{"-ports", "0-5"}, `multiproc: -ports "0-5": ports run from 1 to 65535`},
		{[]string{"-ports", "x"}, `multiproc: -ports "x": want LO-HI, e.g. 9001-9030`},
		{[]string{"-ports", "20000-20002"}, `multiproc: -ports 20000-20002 has 3 ports for 5 processes`},
		{[]string{"-workers", "-1"}, `multiproc: -workers -1: want 0 to 64`},
		{[]string{"-interval", "1ms"}, `multiproc: -interval 1ms: want at least 10ms`},
		{[]string{"-config-dir", "/nonexistent"}, `multiproc: -config-dir "/nonexistent": stat /nonexistent/debug.conf: no such file or directory`},
		{[]string{"-nope"}, `multiproc: flag provided but not defined: -nope (see -help)`},
		{[]string{"extra"}, `multiproc: unexpected argument "extra" (see -help)`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		assert.Equal(t, exitUsage, code, "%q", tc.args)
		assert.Equal(t, tc.want+"\n", stderr.String(), "%q", tc.args)
		assert.Empty(t, stdout.String(), "%q", tc.args)
	}
}

// TestFindConfigDir checks that the config directory is found from the
// repository root and from the package directory, and that -config-dir
// wins.
func TestFindConfigDir(t *testing.T) {
	dir, err := findConfigDir("")
	require.NoError(t, err)
	assert.Equal(t, "logger_config", dir, "from the package directory")

	t.Chdir(filepath.Join("..", ".."))
	dir, err = findConfigDir("")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("examples", "multiproc", "logger_config"), dir, "from the repository root")

	t.Chdir(t.TempDir())
	dir, err = findConfigDir("")
	require.NoError(t, err, "found next to the source file")
	assert.FileExists(t, filepath.Join(dir, "error.conf"))

	other := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(other, "debug.conf"), nil, 0o644))
	dir, err = findConfigDir(other)
	require.NoError(t, err)
	assert.Equal(t, other, dir)
}

// rootLevels asks every listener on lo-hi for its status and returns each
// process's root level by name.
func rootLevels(t *testing.T, lo, hi int) map[string]string {
	t.Helper()
	levels := map[string]string{}
	for _, r := range statusAll(context.Background(), fanout.Targets([]string{"127.0.0.1"}, lo, hi)) {
		if r.Err == nil && r.Reply.Status != nil {
			levels[r.Reply.Name] = rootLevel(r.Reply.Status)
		}
	}
	return levels
}

// TestServe runs the demo with -serve under a fake systemd (a real
// unixgram NOTIFY_SOCKET): READY=1 once all three processes listen; a push
// of error.conf over the wire reaches every process; SIGHUP makes every
// process (the workers through the parent) re-read debug.conf inside the
// RELOADING=1 ... READY=1 handshake; SIGTERM stops all of them cleanly.
func TestServe(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 6)
	sock := filepath.Join(t.TempDir(), "notify.sock")
	nc, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	require.NoError(t, err)
	defer nc.Close()
	notes := make(chan string, 16)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := nc.Read(buf)
			if err != nil {
				close(notes)
				return
			}
			notes <- string(buf[:n])
		}
	}()
	expect := func(prefix string) {
		t.Helper()
		select {
		case note := <-notes:
			require.True(t, strings.HasPrefix(note, prefix), "notification %q, want %q", note, prefix)
		case <-time.After(20 * time.Second):
			require.FailNow(t, "no notification", "want %q", prefix)
		}
	}

	cmd, out := startDemo(t, []string{"NOTIFY_SOCKET=" + sock}, "-serve", "-workers", "2", "-ports", fmt.Sprintf("%d-%d", lo, hi), "-interval", "200ms")
	ctx := context.Background()

	expect("READY=1")
	all := map[string]string{"MainProcess": "DEBUG", "Worker #1": "DEBUG", "Worker #2": "DEBUG"}
	assert.Equal(t, all, rootLevels(t, lo, hi), "every process listens once READY=1 is sent")
	assert.Contains(t, out.String(), fmt.Sprintf("==   ./pushcfg status --ports %d-%d\n", lo, hi))
	assert.Contains(t, out.String(), fmt.Sprintf("==   ./pushcfg --ports %d-%d --for 30s examples/multiproc/logger_config/info.conf\n", lo, hi))

	text, err := os.ReadFile(filepath.Join("logger_config", "error.conf"))
	require.NoError(t, err)
	acks := pushAll(ctx, lo, hi, wire.Envelope{Config: string(text)}, nil, func(int) bool { return true })
	require.Len(t, acks, 3)
	for _, a := range acks {
		assert.True(t, a.applied(), "%s", a)
	}
	for name := range all {
		all[name] = "ERROR"
	}
	assert.Equal(t, all, rootLevels(t, lo, hi), "after the push")
	// The push to the parent (systemd's main process) ran inside the
	// reload handshake; the workers do not talk to systemd.
	expect("RELOADING=1\nMONOTONIC_USEC=")
	expect("READY=1")

	require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
	expect("RELOADING=1\nMONOTONIC_USEC=")
	expect("READY=1")
	for name := range all {
		all[name] = "DEBUG"
	}
	lltest.WaitFor(t, 10*time.Second, func() bool { return maps.Equal(all, rootLevels(t, lo, hi)) })

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	expect("STOPPING=1")
	require.NoError(t, cmd.Wait())
	for _, w := range []string{"Worker #1", "Worker #2"} {
		assert.Regexp(t, `(?m)^== `+w+`\s+pid \d+\s+exited cleanly \(status 0\)$`, out.String())
	}
	assert.Regexp(t, `(?m)^== done in [\d.]+s: every process started, served until told to stop, and exited cleanly$`, out.String())
}

// TestWorkersStopWhenParentDies kills the parent with SIGKILL, which it
// cannot handle: the workers see their stdin close and stop by themselves,
// so no listener is left on the range.
func TestWorkersStopWhenParentDies(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 4)
	cmd, out := startDemo(t, nil, "-serve", "-workers", "2", "-ports", fmt.Sprintf("%d-%d", lo, hi))
	lltest.WaitFor(t, 20*time.Second, func() bool { return strings.Contains(out.String(), "== serving until") })
	require.Len(t, rootLevels(t, lo, hi), 3)

	require.NoError(t, cmd.Process.Kill())
	lltest.WaitFor(t, 20*time.Second, func() bool { return len(rootLevels(t, lo, hi)) == 0 })
	// The pipe closes once the workers are gone, so Wait returns.
	err := cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.False(t, ee.Exited(), "the parent was killed")
	assert.Contains(t, out.String(), "stopping on context: the parent closed stdin")
}
