package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// TestPushFanOut: four listener processes, one killed in the middle of the
// range, a gap, a raw TCP server, an HTTP server and a Python
// logging.config.listen server. Every live listener applies the config
// (checked through the status op), the dead port is absent, the three
// other programs are listed as skipped and are never sent a byte.
func TestPushFanOut(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 8)
	var kids []*child
	for _, name := range []string{"worker-a", "worker-b", "worker-c", "worker-d"} {
		kids = append(kids, startChild(t, lo, lo+3, childOpts{name: name}))
	}
	rec := lltest.StartRecorder(t, lo+5, nil)
	httpHits := startHTTP(t, lo+6)
	py := startPython(t, lo+7)
	dead := kids[1]
	dead.kill(t)
	live := []*child{kids[0], kids[2], kids[3]}
	conf := writeFile(t, "error.conf", errorConf)

	code, out, errOut := runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitOK, code)
	assert.Empty(t, errOut)

	// Every live process changed, as it says itself.
	for _, k := range live {
		st := status(t, k.port)
		assert.Equal(t, "ERROR", st.Status.Levels["root"], "port %d", k.port)
		assert.Equal(t, "ERROR", st.Status.Levels["app"], "port %d", k.port)
		assert.Equal(t, uint64(2), st.Generation, "port %d", k.port)
	}
	// Nothing else was written to.

	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 1+3+3+1, "header, 3 applied, 3 skipped, summary:\n%s", out)
	assertAligned(t, lines[:len(lines)-1])
	for i, k := range live {
		line := lines[1+i]
		assert.Regexp(t, fmt.Sprintf(`^%s +%d +worker-[acd] +applied +generation 2: `,
			regexp.QuoteMeta(addr(k.port)), k.cmd.Process.Pid), line)
		assert.Contains(t, line, "root DEBUG→ERROR")
		assert.Contains(t, line, "app DEBUG→ERROR")
	}
	for i, p := range []int{lo + 5, lo + 6, lo + 7} {
		assert.Regexp(t, fmt.Sprintf(`^%s +- +- +skipped +not a livelog listener`, regexp.QuoteMeta(addr(p))), lines[4+i])
	}
	assert.NotContains(t, out, addr(dead.port))
	assert.NotContains(t, out, addr(lo+4))
	assert.Equal(t, fmt.Sprintf("3 applied, 3 skipped of 3 listeners on 127.0.0.1:%d-%d", lo, hi), lines[len(lines)-1])

	// Pushed again with --json and -v: nothing changes, the closed ports are
	// listed, and the document has the documented shape.
	code, out, _ = runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, "--json", "-v", conf)
	assert.Equal(t, exitOK, code)
	rep := decodeJSON[pushReport](t, out)
	assert.Equal(t, summary{Ports: 8, Found: 3, Applied: 3, Skipped: 3, Closed: 2, Exit: 0}, rep.Summary)
	require.Len(t, rep.Results, 8)
	for i, r := range rep.Results {
		assert.Equal(t, "127.0.0.1", r.Host)
		assert.Equal(t, lo+i, r.Port, "results are in port order")
		switch r.Port {
		case dead.port, lo + 4:
			assert.Equal(t, outClosed, r.Outcome)
			assert.Equal(t, "connection refused", r.Error)
		case lo + 5, lo + 6, lo + 7:
			assert.Equal(t, outSkipped, r.Outcome)
		default:
			assert.Equal(t, outApplied, r.Outcome)
			assert.NotZero(t, r.PID)
			assert.Regexp(t, `^worker-[acd]$`, r.Name)
			assert.Equal(t, uint64(3), r.Generation)
			assert.Empty(t, r.Changes, "already at ERROR")
			assert.NotNil(t, r.Changes, "changes is always an array")
			assert.Empty(t, r.Error)
		}
	}
	assert.Contains(t, out, `"changes": []`)
	assert.Contains(t, out, `"ignored": []`)
	// Neither push wrote to the other programs.
	assert.Empty(t, rec.Bytes(), "raw TCP server was sent bytes")
	assert.Zero(t, httpHits.Load(), "HTTP server got a request")
	assert.Equal(t, "WARNING", py.level(t), "Python listener's level changed")
	assert.Empty(t, py.received(t), "Python listener was sent a frame")
}

// TestPushRejected: one listener rejects (its verify hook says no), the
// other applies: exit 1, the reason is reported, and the rejecting process
// is unchanged.
func TestPushRejected(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 3)
	ok := startChild(t, lo, hi, childOpts{name: "accepts"})
	no := startChild(t, lo, hi, childOpts{name: "refuses", reject: "change freeze until Monday"})
	conf := writeFile(t, "error.conf", errorConf)

	code, out, _ := runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitFailed, code)
	assert.Regexp(t, fmt.Sprintf(`(?m)^%s +%d +refuses +rejected +.*change freeze until Monday`,
		regexp.QuoteMeta(addr(no.port)), no.cmd.Process.Pid), out)
	assert.Regexp(t, fmt.Sprintf(`(?m)^%s +%d +accepts +applied `, regexp.QuoteMeta(addr(ok.port)), ok.cmd.Process.Pid), out)
	assert.Contains(t, out, "1 applied, 1 rejected of 2 listeners")
	assert.Equal(t, "ERROR", status(t, ok.port).Status.Levels["root"])
	assert.Equal(t, "DEBUG", status(t, no.port).Status.Levels["root"])

	// -q prints only what went wrong.
	code, out, _ = runCmd(t, "-q", "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, 1, strings.Count(out, "\n"), out)
	assert.Contains(t, out, "rejected")
}

// TestPushNoneFound: exit 3 when no listener answers, whether the range is
// empty or holds only programs that are not livelog.
func TestPushNoneFound(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 3)
	conf := writeFile(t, "error.conf", errorConf)
	code, out, _ := runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitNotFound, code)
	assert.Equal(t, fmt.Sprintf("no livelog listener found on 127.0.0.1:%d-%d\n", lo, hi), out)

	rec := lltest.StartRecorder(t, lo+1, nil)
	code, out, _ = runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitNotFound, code)
	assert.Contains(t, out, "skipped")
	assert.Contains(t, out, "--legacy")
	assert.Empty(t, rec.Bytes())
}

// TestPushBadFile: a config that does not parse is never sent: exit 2 with
// logcfg's message, and the listener is untouched.
func TestPushBadFile(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	k := startChild(t, lo, hi, childOpts{name: "worker"})
	bad := writeFile(t, "bad.conf", strings.Replace(errorConf, "class=StreamHandler", "class=NoSuchHandler", 1))
	code, out, errOut := runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, bad)
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "logcfg: "+bad)
	assert.Contains(t, errOut, "NoSuchHandler")
	assert.Contains(t, errOut, "was not sent to any listener")
	st := status(t, k.port)
	assert.Equal(t, uint64(1), st.Generation)
	assert.Equal(t, "DEBUG", st.Status.Levels["root"])
}

// TestPushLegacy: with --legacy a Python logging.config.listen server gets
// the file's text as one frame, applies it, and is reported as not
// acknowledged; the livelog listener beside it still gets a real push.
// --strict turns the unacknowledged delivery into exit 1.
func TestPushLegacy(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 3)
	py := startPython(t, lo)
	k := startChild(t, lo+1, hi, childOpts{name: "worker"})
	conf := writeFile(t, "error.conf", errorConf)
	require.Equal(t, "WARNING", py.level(t))

	code, out, _ := runCmd(t, "--legacy", "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitOK, code)
	assert.Regexp(t, fmt.Sprintf(`(?m)^%s +- +- +unacknowledged +delivered, not acknowledged`, regexp.QuoteMeta(addr(lo))), out)
	assert.Regexp(t, fmt.Sprintf(`(?m)^%s +%d +worker +applied `, regexp.QuoteMeta(addr(k.port)), k.cmd.Process.Pid), out)
	assert.Contains(t, out, "1 applied, 1 not acknowledged of 2 listeners")

	lltest.WaitFor(t, 20*time.Second, func() bool { return py.level(t) == "ERROR" })
	assert.Equal(t, errorConf, string(py.received(t)), "Python got exactly the file")
	assert.Equal(t, "ERROR", status(t, k.port).Status.Levels["root"])

	code, out, _ = runCmd(t, "--legacy", "--strict", "--json", "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitFailed, code)
	rep := decodeJSON[pushReport](t, out)
	assert.Equal(t, 1, rep.Summary.Unacknowledged)
	assert.Equal(t, exitFailed, rep.Summary.Exit)
}

// TestPushSecret: a listener that requires signed requests is not sent an
// unsigned one; with --secret-file the push is signed and applied.
func TestPushSecret(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	secret := writeFile(t, "secret", "correct horse battery staple\n")
	k := startChild(t, lo, hi, childOpts{name: "signed", secret: secret})
	conf := writeFile(t, "error.conf", errorConf)

	code, out, _ := runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "--secret-file")
	assert.Equal(t, "DEBUG", statusSigned(t, k.port, secret).Status.Levels["root"])

	wrong := writeFile(t, "wrong", "tr0ub4dor&3")
	code, out, _ = runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, "--secret-file", wrong, conf)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "rejected")
	assert.Equal(t, "DEBUG", statusSigned(t, k.port, secret).Status.Levels["root"])

	code, _, _ = runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, "--secret-file", secret, conf)
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "ERROR", statusSigned(t, k.port, secret).Status.Levels["root"])

	// status, too, signs with --secret-file and sends nothing without it.
	code, out, _ = runCmd(t, "status", "--ports", portsFlag(lo, hi), "--timeout", testTimeout)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "--secret-file")
	code, out, _ = runCmd(t, "status", "--ports", portsFlag(lo, hi), "--timeout", testTimeout, "--secret-file", secret)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "root=ERROR")
}

// TestPushFor: --for makes a temporary change; the report says when it
// reverts and the listener's status shows the time left.
func TestPushFor(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	k := startChild(t, lo, hi, childOpts{name: "worker"})
	conf := writeFile(t, "error.conf", errorConf)
	before := time.Now()
	code, out, _ := runCmd(t, "--for", "1h", "--json", "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	require.Equal(t, exitOK, code)
	rep := decodeJSON[pushReport](t, out)
	require.Len(t, rep.Results, 1)
	require.NotNil(t, rep.Results[0].Expires)
	assert.WithinDuration(t, before.Add(time.Hour), *rep.Results[0].Expires, 5*time.Minute)
	st := status(t, k.port)
	assert.Equal(t, "ERROR", st.Status.Levels["root"])
	assert.Greater(t, st.Status.TempRemaining, 0.0)

	code, out, _ = runCmd(t, "--for", "1h", "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "reverts at ")
}

// assertAligned checks that every column of a table starts at the same
// offset on every line as it does in the header line.
func assertAligned(t *testing.T, lines []string) {
	t.Helper()
	require.NotEmpty(t, lines)
	header := []rune(lines[0])
	var starts []int
	for i, r := range header {
		if r != ' ' && (i == 0 || (i >= 2 && header[i-1] == ' ' && header[i-2] == ' ')) {
			starts = append(starts, i)
		}
	}
	for _, l := range lines[1:] {
		row := []rune(l)
		for _, s := range starts {
			if s >= len(row) {
				break
			}
			assert.NotEqual(t, ' ', row[s], "column at %d in %q", s, l)
			if s > 0 {
				assert.Equal(t, ' ', row[s-1], "column at %d in %q", s, l)
			}
		}
	}
}

// TestPushOptions: --default values travel with the push and the listener
// interpolates them; --full is asked for, and a listener that does not
// allow it says so in the ignored list, which the report shows.
func TestPushOptions(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	k := startChild(t, lo, hi, childOpts{name: "worker"})
	conf := writeFile(t, "level.conf", strings.ReplaceAll(debugConf, "level=DEBUG", "level=%(lvl)s"))

	code, _, errOut := runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitUsage, code, "without --default, %(lvl)s is undefined")
	assert.Contains(t, errOut, "lvl")

	code, out, _ := runCmd(t, "--default", "lvl=INFO", "--full", "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "root DEBUG→INFO")
	assert.Regexp(t, `ignored: .*full reconfiguration`, out)
	st := status(t, k.port)
	assert.Equal(t, "INFO", st.Status.Levels["root"])
	assert.Equal(t, "INFO", st.Status.Levels["app"])
}
