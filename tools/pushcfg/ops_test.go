package main

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
)

// Tests of issue 14 (pushcfg for the operator on call), each against
// real listener processes (child_test.go).

// infoConf is debugConf at INFO.
var infoConf = strings.ReplaceAll(debugConf, "level=DEBUG", "level=INFO")

// waitFor polls the listener's status until ok says so, or fails after
// 20 s.
func waitFor(t *testing.T, port int, what string, ok func(*wire.Status) bool) *wire.Status {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st := status(t, port).Status
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20s; last status: %+v", what, st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// statusLine runs pushcfg status -q on one port and returns its one line.
func statusLine(t *testing.T, port int, extra ...string) string {
	t.Helper()
	code, out, _ := runCmd(t, append([]string{"status", "-q", "--ports", portsFlag(port, port), "--timeout", testTimeout}, extra...)...)
	require.Equal(t, exitOK, code)
	return strings.TrimSuffix(out, "\n")
}

// At start, status names the file the process started with, absolutely,
// although the process named it relatively.
func TestStatusAtStartNamesTheFileAbsolutely(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 1)
	c := startChild(t, lo, lo, childOpts{name: "w"})
	require.False(t, filepath.IsAbs(filepath.Base(c.conf)))
	assert.Regexp(t, ` \d+s ago: start, `+regexp.QuoteMeta(c.conf)+` `, statusLine(t, c.port))
}

// After a SIGHUP reload, status shows its real time, "SIGHUP reload" and
// the file's absolute path (it showed "-9223372036s ago from application"
// and "at": "0001-01-01T00:00:00Z").
func TestStatusAfterSIGHUPReload(t *testing.T) {
	if !canSIGHUP {
		t.Skip("no SIGHUP on this OS")
	}
	lo, _ := lltest.FreePortRange(t, 1)
	c := startChild(t, lo, lo, childOpts{name: "w"})
	require.NoError(t, os.WriteFile(c.conf, []byte(errorConf), 0o600))
	before := time.Now()
	require.NoError(t, sighup(c.cmd))
	st := waitFor(t, c.port, "the reload", func(s *wire.Status) bool { return s.Generation == 2 })

	line := statusLine(t, c.port)
	assert.Regexp(t, ` 2 +\d+s ago: SIGHUP reload, `+regexp.QuoteMeta(c.conf)+` +- +root=ERROR app=ERROR`, line)
	assert.NotContains(t, line, "-9223372036")

	lc := st.LastChange
	require.NotNil(t, lc)
	assert.False(t, lc.At.Before(before.Add(-time.Second)), "the reload's real time, not %s", lc.At)
	assert.Equal(t, "sighup", lc.From)
	assert.Equal(t, "SIGHUP reload", lc.Kind)
	assert.Equal(t, "SIGHUP reload", lc.Origin)
	assert.Equal(t, c.conf, lc.Source)

	code, out, _ := runCmd(t, "status", "--json", "--ports", portsFlag(c.port, c.port), "--timeout", testTimeout)
	require.Equal(t, exitOK, code)
	assert.NotContains(t, out, "0001-01-01")
	rep := decodeJSON[statusReport](t, out)
	require.Len(t, rep.Results, 1)
	assert.Equal(t, "SIGHUP reload", rep.Results[0].Status.History[0].Source)
	assert.Equal(t, c.conf, rep.Results[0].Status.History[0].File)
}

// After a --for change reverts, status names what it went back to: the
// generation and the push that made it, with that push's file (it named
// the start file).
func TestStatusAfterRevert(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 1)
	c := startChild(t, lo, lo, childOpts{name: "w"})
	info := writeFile(t, "info.conf", infoConf)
	errConf := writeFile(t, "error.conf", errorConf)
	ports := portsFlag(c.port, c.port)
	code, _, _ := runCmd(t, "--ports", ports, "--timeout", testTimeout, info)
	require.Equal(t, exitOK, code)
	code, out, _ := runCmd(t, "--ports", ports, "--timeout", testTimeout, "--for", "1s", errConf)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "generation 3: root INFO→ERROR, app INFO→ERROR; reverts at ")
	waitFor(t, c.port, "the revert", func(s *wire.Status) bool { return s.Generation == 4 })

	line := statusLine(t, c.port)
	assert.Regexp(t, ` 4 +\d+s ago: revert to generation 2 \(push from 127\.0\.0\.1\), `+regexp.QuoteMeta(info)+` +- +root=INFO app=INFO`, line)
	assert.NotContains(t, line, c.conf)
}

// Warnings travel: the listener's parse warnings come back and are
// printed under the push; the summary says there are some; --strict
// refuses before anything is sent.
func TestPushWarningsTravel(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 2)
	a := startChild(t, lo, lo+1, childOpts{name: "a"})
	b := startChild(t, lo, lo+1, childOpts{name: "b"})
	misspelt := writeFile(t, "typo.conf", strings.Replace(debugConf, "[logger_app]\nlevel=DEBUG", "[logger_app]\nlevle=DEBUG", 1))
	ports := portsFlag(lo, lo+1)

	code, out, errOut := runCmd(t, "--strict", "--ports", ports, "--timeout", testTimeout, misspelt)
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "levle")
	assert.Contains(t, errOut, "pushcfg: --strict: "+misspelt+" has 1 warning; it was not sent to any listener")
	assert.Equal(t, uint64(1), status(t, a.port).Generation, "nothing was sent")

	code, out, _ = runCmd(t, "--ports", ports, "--timeout", testTimeout, misspelt)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "generation 2: app DEBUG→NOTSET; 1 warning (below)")
	assert.Regexp(t, `(?m)^warning \(2 of 2 listeners\): logcfg: `+regexp.QuoteMeta(misspelt)+`:\d+: \[logger_app\] levle: .*$`, out)
	assert.Contains(t, out, "2 applied of 2 listeners on 127.0.0.1:"+ports+"; 1 warning: see above")

	code, out, _ = runCmd(t, "--json", "--ports", ports, "--timeout", testTimeout, misspelt)
	assert.Equal(t, exitOK, code)
	rep := decodeJSON[pushReport](t, out)
	require.Len(t, rep.Results, 2)
	assert.Len(t, rep.Results[0].Warnings, 1)
	assert.Equal(t, 1, rep.Summary.Warnings)
	_ = b
}

// set changes the loggers named and nothing else, with a push's report;
// the history records a set.
func TestSet(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 1)
	c := startChild(t, lo, lo, childOpts{name: "w"})
	ports := portsFlag(c.port, c.port)

	code, out, _ := runCmd(t, "set", "--ports", ports, "--timeout", testTimeout, "app=warning", "new.one=ERROR")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "generation 2: app DEBUG→WARNING, new.one NOTSET→ERROR\n")
	st := status(t, c.port).Status
	assert.Equal(t, "DEBUG", st.Levels["root"], "nothing else moved")
	assert.Equal(t, "WARNING", st.Levels["app"])
	assert.Equal(t, "set", st.LastChange.Kind)
	assert.Equal(t, "set from 127.0.0.1", st.LastChange.Origin)
	assert.Equal(t, "set app=warning new.one=ERROR", st.LastChange.Source)
	// The audit line, on the child's stderr (root at DEBUG lets it through).
	eventually(t, func() bool {
		return strings.Contains(c.stderr.String(), "INFO livelog.audit applied generation 2: set from 127.0.0.1, set app=warning new.one=ERROR: ")
	}, "%s", c.stderr)
	assert.Contains(t, c.stderr.String(), "INFO livelog.audit applied generation 2: set from 127.0.0.1, set app=warning new.one=ERROR: 2 changes: logger app DEBUG→WARNING, logger new.one NOTSET→ERROR")

	code, out, _ = runCmd(t, "set", "--for", "1s", "--ports", ports, "--timeout", testTimeout, "root=ERROR")
	assert.Equal(t, exitOK, code)
	assert.Regexp(t, `generation 3: root DEBUG→ERROR; reverts at \d\d:\d\d:\d\d`, out)
	waitFor(t, c.port, "the revert", func(s *wire.Status) bool { return s.Levels["root"] == "DEBUG" })

	for _, bad := range [][]string{{"app"}, {"app="}, {"app=LOUD"}, {"a=INFO", "a=DEBUG"}} {
		code, out, errOut := runCmd(t, append([]string{"set", "--ports", ports, "--timeout", testTimeout}, bad...)...)
		assert.Equal(t, exitUsage, code, "%q", bad)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "nothing was sent", "%q", bad)
	}
	assert.Equal(t, uint64(4), status(t, c.port).Generation)
}

// --dry-run: each listener answers what it would change and ignore, and
// changes nothing; a listener that does not list the feature is sent
// nothing (it would apply).
func TestDryRun(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 2)
	c := startChild(t, lo, lo, childOpts{name: "w"})
	old, err := json.Marshal(wire.Hello{Livelog: 1, PID: 77, Name: "old", Generation: 1})
	require.NoError(t, err)
	frame := binary.BigEndian.AppendUint32(nil, uint32(len(old)))
	rec := lltest.StartRecorder(t, lo+1, append(frame, old...))
	errConf := writeFile(t, "error.conf", errorConf)
	ports := portsFlag(lo, lo+1)

	code, out, _ := runCmd(t, "--dry-run", "--full", "--ports", ports, "--timeout", testTimeout, errConf)
	assert.Equal(t, exitFailed, code, "the old listener counts as a failure: it could not answer")
	assert.Contains(t, out, "dry-run  at generation 1 (dry run): would change root DEBUG→ERROR, app DEBUG→ERROR; would ignore: full reconfiguration: not allowed by this listener, levels only")
	assert.Regexp(t, ` +77 +old +error +`+regexp.QuoteMeta(notDryRun)+`\n`, out)
	assert.Contains(t, out, "1 would apply (dry run: nothing changed), 1 failed of 2 listeners")
	assert.Empty(t, rec.Bytes(), "nothing was sent to the old listener")
	st := status(t, c.port).Status
	assert.Equal(t, uint64(1), st.Generation, "nothing changed")
	assert.Equal(t, "DEBUG", st.Levels["root"])

	code, out, _ = runCmd(t, "set", "--dry-run", "--json", "--ports", portsFlag(lo, lo), "--timeout", testTimeout, "root=INFO")
	assert.Equal(t, exitOK, code)
	rep := decodeJSON[pushReport](t, out)
	require.Len(t, rep.Results, 1)
	assert.Equal(t, outDryRun, rep.Results[0].Outcome)
	assert.Equal(t, []wire.Change{{Kind: "logger", Name: "root", Old: "DEBUG", New: "INFO"}}, rep.Results[0].Changes)
	assert.Equal(t, 1, rep.Summary.DryRun)
	assert.Equal(t, "DEBUG", status(t, c.port).Status.Levels["root"])
}

// loggers groups processes with the same loggers into one table with a
// count; a process that differs stands out.
func TestLoggers(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 3)
	a := startChild(t, lo, lo+2, childOpts{name: "a"})
	b := startChild(t, lo, lo+2, childOpts{name: "b"})
	c := startChild(t, lo, lo+2, childOpts{name: "c", conf: infoConf})
	ports := portsFlag(lo, lo+2)

	code, out, _ := runCmd(t, "loggers", "--ports", ports, "--timeout", testTimeout, "app")
	assert.Equal(t, exitOK, code)
	blocks := strings.Split(out, "\n\n")
	require.Len(t, blocks, 2, out)
	assert.Regexp(t, `^2 processes: [ab] \(pid \d+, 127\.0\.0\.1:\d+\), [ab] \(pid \d+, 127\.0\.0\.1:\d+\)\n`, blocks[0])
	assert.Regexp(t, `(?m)^  app +DEBUG +DEBUG$`, blocks[0])
	assert.NotContains(t, blocks[0], "root", "PATTERN app selects app and its descendants")
	assert.Regexp(t, `^1 process DIFFER from the first group: c \(pid `, blocks[1])
	assert.Regexp(t, `(?m)^  app +INFO +INFO +≠ first group: DEBUG/DEBUG$`, blocks[1])
	assert.Contains(t, blocks[1], "3 listeners on 127.0.0.1:"+ports+", 2 sets of loggers, 0 failed")

	code, out, _ = runCmd(t, "loggers", "--json", "--ports", ports, "--timeout", testTimeout)
	assert.Equal(t, exitOK, code)
	rep := decodeJSON[loggersReport](t, out)
	require.Len(t, rep.Groups, 2)
	assert.Equal(t, 2, rep.Groups[0].Count)
	assert.True(t, rep.Groups[0].Majority)
	assert.Contains(t, rep.Groups[0].Loggers, wire.LoggerLevel{Name: "livelog.listener", Level: "NOTSET", Effective: "DEBUG"},
		"a logger only asked for by the program is listed")
	assert.Equal(t, c.cmd.Process.Pid, rep.Groups[1].Processes[0].PID)
	_, _ = a, b
}

// history lists the changes of every process, newest first, rejections
// included; status marks a process that started after a push as drift.
func TestHistoryAndDrift(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 3)
	a := startChild(t, lo, lo+2, childOpts{name: "a"})
	b := startChild(t, lo, lo+2, childOpts{name: "b"})
	ports := portsFlag(lo, lo+2)
	errConf := writeFile(t, "error.conf", errorConf)
	code, _, _ := runCmd(t, "--ports", ports, "--timeout", testTimeout, errConf)
	require.Equal(t, exitOK, code)
	late := startChild(t, lo, lo+2, childOpts{name: "late"})
	bad := writeFile(t, "bad.conf", strings.Replace(debugConf, "level=DEBUG", "level=LOUD", 1))
	code, _, _ = runCmd(t, "set", "--ports", portsFlag(a.port, a.port), "--timeout", testTimeout, "app=INFO")
	require.Equal(t, exitOK, code)
	// A rejected push, as the listener sees one: sent raw, past pushcfg's own check.
	conn, _, err := wire.Dial(t.Context(), addr(b.port), 10*time.Second)
	require.NoError(t, err)
	raw, err := os.ReadFile(bad)
	require.NoError(t, err)
	rep, err := conn.RequestRaw(raw)
	require.NoError(t, err)
	require.False(t, rep.OK)
	conn.Close()

	code, out, _ := runCmd(t, "history", "--ports", ports, "--timeout", testTimeout)
	assert.Equal(t, exitOK, code)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 1+7+1, out) // header, 7 changes (3 starts, 2 pushes, a set, a rejection), summary
	assert.Regexp(t, `^TIME +PROCESS +GEN +OUTCOME +SOURCE +FILE +WHAT$`, lines[0])
	assert.Regexp(t, `b \(\d+\) +2 +rejected +push from 127\.0\.0\.1 +- +logcfg: push:\d+: \[logger_root\] level: bad level "LOUD"`, lines[1])
	assert.Regexp(t, `a \(\d+\) +3 +applied +set from 127\.0\.0\.1 +set app=INFO +app ERROR→INFO$`, lines[2])
	assert.Regexp(t, `late \(\d+\) +1 +applied +start +`+regexp.QuoteMeta(late.conf)+` +`, lines[3])
	for _, l := range lines[4:6] {
		assert.Regexp(t, ` +2 +applied +push from 127\.0\.0\.1 +`+regexp.QuoteMeta(errConf)+` +root DEBUG→ERROR, app DEBUG→ERROR$`, l)
	}
	assert.Equal(t, "7 changes from 3 listeners on 127.0.0.1:"+ports+", 0 failed", lines[8])

	code, out, _ = runCmd(t, "history", "--json", "--ports", ports, "--timeout", testTimeout)
	assert.Equal(t, exitOK, code)
	h := decodeJSON[historyReport](t, out)
	require.Len(t, h.History, 7)
	for i := 1; i < len(h.History); i++ {
		assert.False(t, h.History[i].At.After(h.History[i-1].At), "newest first")
	}
	assert.Equal(t, "rejected", h.History[0].Outcome)

	// b and late differ from a now? a: app=INFO root=ERROR; b: ERROR, ERROR; late: DEBUG, DEBUG:
	// three different sets, no majority: all drift. Bring a back in line.
	code, _, _ = runCmd(t, "set", "--ports", portsFlag(a.port, a.port), "--timeout", testTimeout, "app=ERROR")
	require.Equal(t, exitOK, code)
	code, out, _ = runCmd(t, "status", "--ports", ports, "--timeout", testTimeout)
	assert.Equal(t, exitOK, code)
	assert.Regexp(t, `(?m)^\S+ +\d+ +late +drift +`, out)
	assert.Regexp(t, `(?m)^\S+ +\d+ +a +ok +`, out)
	assert.Regexp(t, `(?m)^\S+ +\d+ +b +ok +`, out)
	assert.Contains(t, out, "3 listeners on 127.0.0.1:"+ports+", 0 skipped, 0 failed, 1 drift (levels differ from most of the fleet: see 'pushcfg loggers')")
}

// A signed push is audited with the key's id; a rejected one too.
func TestAuditNamesTheKey(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 1)
	secret := writeFile(t, "secret", "s3cret\n")
	c := startChild(t, lo, lo, childOpts{name: "w", secret: secret})
	ports := portsFlag(lo, lo)
	code, _, _ := runCmd(t, "set", "--secret-file", secret, "--ports", ports, "--timeout", testTimeout, "app=INFO")
	require.Equal(t, exitOK, code)
	// sha256("s3cret"), first 12 hex digits: the id names the key without revealing it.
	eventually(t, func() bool { return strings.Contains(c.stderr.String(), "INFO livelog.audit applied") }, "%s", c.stderr)
	assert.Contains(t, c.stderr.String(), "INFO livelog.audit applied generation 2: set from 127.0.0.1 with key sha256:"+keyPrefix(t, "s3cret")+", set app=INFO: 1 change: logger app DEBUG→INFO")

	other := writeFile(t, "other", "wrong\n")
	code, _, _ = runCmd(t, "set", "--secret-file", other, "--ports", ports, "--timeout", testTimeout, "app=ERROR")
	require.Equal(t, exitFailed, code)
	eventually(t, func() bool {
		return strings.Contains(c.stderr.String(), "INFO livelog.audit rejected set from 127.0.0.1, set app=ERROR: bad signature")
	}, "the rejection's audit line:\n%s", c.stderr)
	h := statusSigned(t, c.port, secret).Status.History
	require.NotEmpty(t, h)
	assert.Equal(t, "rejected", h[0].Outcome)
	assert.Equal(t, "set", h[0].Source)
}

// keyPrefix is the first 12 hex digits of the SHA-256 of s, computed by
// sha256sum where it exists.
func keyPrefix(t *testing.T, s string) string {
	t.Helper()
	cmd := exec.Command("sha256sum")
	cmd.Stdin = strings.NewReader(s)
	out, err := cmd.Output()
	if err != nil {
		t.Skip("no sha256sum")
	}
	return string(out[:12])
}

// -h lists every command, with one line each; version and --version
// print the module version from the build info.
func TestHelpListsEveryCommand(t *testing.T) {
	code, out, _ := runCmd(t, "-h")
	require.Equal(t, exitOK, code)
	for _, c := range append([]string{"[flags] FILE"}, commands...) {
		assert.Regexp(t, `(?m)^  pushcfg `+regexp.QuoteMeta(c)+`.* {2,}\S`, out, "command %s", c)
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := runCmd(t, args...)
		assert.Equal(t, exitOK, code)
		assert.Empty(t, errOut)
		assert.Regexp(t, `^pushcfg github\.com/livelog/livelog \S+ \(.*go1\.\d+`, out)
	}
}

// completion prints scripts that bash (and zsh, if installed) parse, and
// that name every command and flag.
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh"} {
		code, out, _ := runCmd(t, "completion", sh)
		require.Equal(t, exitOK, code)
		for _, want := range append([]string{"--dry-run", "--secret-file", "--for", "--strict"}, commands...) {
			assert.Contains(t, out, want, sh)
		}
		path, err := exec.LookPath(sh)
		if err != nil {
			t.Logf("%s is not installed: its script is not parsed", sh)
			continue
		}
		script := writeFile(t, "pushcfg."+sh, out)
		msg, err := exec.Command(path, "-n", script).CombinedOutput()
		assert.NoError(t, err, "%s -n: %s", sh, msg)
	}
	// bash completes set's flags, and file names after --secret-file.
	if _, err := exec.LookPath("bash"); err == nil {
		_, script, _ := runCmd(t, "completion", "bash")
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "my.secret"), nil, 0o600))
		probe := script + `
COMP_WORDS=(pushcfg set --dr); COMP_CWORD=2; _pushcfg; echo "${COMPREPLY[@]}"
COMP_WORDS=(pushcfg --secret-file my.s); COMP_CWORD=2; _pushcfg; echo "${COMPREPLY[@]}"
`
		cmd := exec.Command("bash", "-c", probe)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Equal(t, "--dry-run\nmy.secret\n", string(out))
	}
}

// eventually polls cond for up to 20 s (a child's stderr arrives through
// a pipe after its reply).
func eventually(t *testing.T, cond func() bool, msg string, args ...any) {
	t.Helper()
	require.Eventually(t, cond, 20*time.Second, 10*time.Millisecond, append([]any{msg}, args...)...)
}

// set --legacy: a Python logging.config.listen server gets the set as
// the incremental dictConfig it is, framed as Python reads it, and applies
// it (Python is the oracle); the livelog listener beside it gets a set.
func TestSetLegacyPython(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	py := startPython(t, lo)
	k := startChild(t, lo+1, hi, childOpts{name: "worker"})
	require.Equal(t, "WARNING", py.level(t))
	code, out, _ := runCmd(t, "set", "--legacy", "--ports", portsFlag(lo, hi), "--timeout", testTimeout, "root=ERROR")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "1 applied, 1 not acknowledged of 2 listeners")
	lltest.WaitFor(t, 20*time.Second, func() bool { return py.level(t) == "ERROR" })
	assert.JSONEq(t, `{"version":1,"incremental":true,"root":{"level":"ERROR"}}`, string(py.received(t)))
	assert.Equal(t, "ERROR", status(t, k.port).Status.Levels["root"])
}

// From a listener too old to list loggers, loggers falls back on the
// effective levels (own level "?") and drift on them; a tie for the most
// common set marks every process, a lone process never drifts.
func TestOldListenerFallbacksAndDriftTies(t *testing.T) {
	old := &wire.Status{Levels: map[string]string{"app": "INFO", "root": "DEBUG"}}
	assert.Equal(t, []wire.LoggerLevel{{Name: "root", Level: "?", Effective: "DEBUG"}, {Name: "app", Level: "?", Effective: "INFO"}}, loggersOf(old))

	st := func(root string) statusResult {
		return statusResult{Outcome: outStatus, Status: &wire.Status{Loggers: []wire.LoggerLevel{
			{Name: "root", Level: root, Effective: root}, {Name: "only.asked", Level: "NOTSET", Effective: root}}}}
	}
	rs := []statusResult{st("INFO"), st("INFO"), st("DEBUG")}
	markDrift(rs)
	assert.Equal(t, []bool{false, false, true}, []bool{rs[0].Drift, rs[1].Drift, rs[2].Drift})
	rs = []statusResult{st("INFO"), st("DEBUG")}
	markDrift(rs)
	assert.Equal(t, []bool{true, true}, []bool{rs[0].Drift, rs[1].Drift}, "no majority")
	rs = []statusResult{st("INFO")}
	markDrift(rs)
	assert.False(t, rs[0].Drift)
	// A logger only asked for by one process does not make it drift.
	extra := st("INFO")
	extra.Status.Loggers = append(extra.Status.Loggers, wire.LoggerLevel{Name: "x", Level: "NOTSET", Effective: "INFO"})
	rs = []statusResult{st("INFO"), st("INFO"), extra}
	markDrift(rs)
	assert.False(t, rs[2].Drift)
}
