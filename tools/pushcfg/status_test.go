package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
)

// TestStatus lists the listening processes with their levels; it changes
// nothing and writes nothing to a port that is not livelog.
func TestStatus(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 4)
	a := startChild(t, lo, lo+1, childOpts{name: "worker-a"})
	b := startChild(t, lo, lo+1, childOpts{name: "worker-b"})
	rec := lltest.StartRecorder(t, lo+3, nil)

	code, out, errOut := runCmd(t, "status", "--ports", portsFlag(lo, hi), "--timeout", testTimeout)
	assert.Equal(t, exitOK, code)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 1+2+1+1, out)
	assert.Regexp(t, `^PORT +PID +NAME +STATE +UPTIME +GEN +LAST CHANGE +TEMP LEFT +LEVELS$`, lines[0])
	assertAligned(t, lines[:len(lines)-1])
	for i, k := range []*child{a, b} {
		assert.Regexp(t, fmt.Sprintf(`^%s +%d +worker-[ab] +ok +\d+s +1 +.* +- +root=DEBUG app=DEBUG`,
			regexp.QuoteMeta(addr(k.port)), k.cmd.Process.Pid), lines[1+i])
	}
	assert.Regexp(t, fmt.Sprintf(`^%s +- +- +skipped +- +- +- +- +not a livelog listener: nothing sent$`, regexp.QuoteMeta(addr(lo+3))), lines[3])
	assert.Equal(t, fmt.Sprintf("2 listeners on 127.0.0.1:%d-%d, 1 skipped, 0 failed", lo, hi), lines[4])

	code, out, _ = runCmd(t, "status", "--json", "--ports", portsFlag(lo, hi), "--timeout", testTimeout)
	assert.Equal(t, exitOK, code)
	rep := decodeJSON[statusReport](t, out)
	assert.Equal(t, statusSummary{Ports: 4, Found: 2, Skipped: 1, Closed: 1}, rep.Summary)
	require.Len(t, rep.Results, 3)
	for _, r := range rep.Results[:2] {
		assert.Equal(t, outStatus, r.Outcome)
		require.NotNil(t, r.Status)
		assert.Equal(t, map[string]string{"root": "DEBUG", "app": "DEBUG"}, onlyConfigured(r.Status.Levels))
		assert.Equal(t, uint64(1), r.Status.Generation, "status changed nothing")
	}
	assert.Nil(t, rep.Results[2].Status)
	assert.Empty(t, rec.Bytes(), "status wrote to a port that is not livelog")

	// After a push, status shows the change and where it came from.
	conf := writeFile(t, "error.conf", errorConf)
	code, _, _ = runCmd(t, "--ports", portsFlag(lo, lo+1), "--timeout", testTimeout, conf)
	require.Equal(t, exitOK, code)
	code, out, _ = runCmd(t, "status", "-q", "--ports", portsFlag(lo, lo+1), "--timeout", testTimeout)
	assert.Equal(t, exitOK, code)
	lines = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 2, "-q: no header, no summary:\n%s", out)
	for _, l := range lines {
		assert.Regexp(t, ` ok +\d+s +2 +\d+s ago: push from 127\.0\.0\.1, `+regexp.QuoteMeta(conf)+` .* root=ERROR app=ERROR( |$)`, l) // then the listener's own loggers
	}
}

// onlyConfigured drops loggers other than root and app from a status'
// levels (a listener may report its own logger too).
func onlyConfigured(levels map[string]string) map[string]string {
	out := map[string]string{}
	for _, n := range []string{"root", "app"} {
		if l, ok := levels[n]; ok {
			out[n] = l
		}
	}
	return out
}

// TestStatusNoneFound: exit 3 on an empty range.
func TestStatusNoneFound(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	code, out, _ := runCmd(t, "status", "--ports", portsFlag(lo, hi), "--timeout", testTimeout)
	assert.Equal(t, exitNotFound, code)
	assert.Equal(t, fmt.Sprintf("0 listeners on 127.0.0.1:%d-%d, 0 skipped, 0 failed\n", lo, hi), out)
}

// TestColorOnlyOnTerminal: outcomes are coloured on a terminal (a real
// pty), never in a pipe or file, and never with NO_COLOR.
func TestColorOnlyOnTerminal(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	lltest.StartRecorder(t, lo, nil)
	args := []string{"status", "--ports", portsFlag(lo, hi), "--timeout", testTimeout}
	t.Setenv("TERM", "xterm")
	t.Setenv("NO_COLOR", "")
	t.Setenv("FORCE_COLOR", "")

	onTTY := func() string {
		ptmx, tty, err := pty.Open()
		require.NoError(t, err)
		defer ptmx.Close()
		got := make(chan string, 1)
		go func() {
			var b strings.Builder
			buf := make([]byte, 4096)
			for !strings.Contains(b.String(), "failed") {
				n, err := ptmx.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			got <- b.String()
		}()
		code := run(args, tty, io.Discard)
		tty.Close()
		assert.Equal(t, exitNotFound, code)
		select {
		case s := <-got:
			return s
		case <-time.After(10 * time.Second):
			t.Fatal("no output on the pty")
			return ""
		}
	}
	out := onTTY()
	assert.Contains(t, out, colorYellow+"skipped"+colorReset)
	assert.Contains(t, out, colorBold+"PORT"+colorReset)
	// Colour does not break alignment: strip it and the table is aligned.
	plainOut := regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(strings.ReplaceAll(out, "\r\n", "\n"), "")
	lines := strings.Split(strings.TrimSuffix(plainOut, "\n"), "\n")
	assertAligned(t, lines[:len(lines)-1])

	_, pipeOut, _ := runCmd(t, args...)
	assert.NotContains(t, pipeOut, "\x1b[")
	assert.Contains(t, pipeOut, "skipped")

	t.Setenv("NO_COLOR", "1")
	assert.NotContains(t, onTTY(), "\x1b[")
}

// TestStatusUnits: the table's duration and level texts.
func TestStatusUnits(t *testing.T) {
	assert.Equal(t, "0s", durationText(0.2))
	assert.Equal(t, "59s", durationText(59))
	assert.Equal(t, "1m00s", durationText(60))
	assert.Equal(t, "2h05m", durationText(2*3600+5*60+7))
	assert.Equal(t, "3d4h", durationText(3*86400+4*3600))
	assert.Equal(t, "-", tempText(0))
	assert.Equal(t, "root=INFO a=DEBUG a.b=ERROR", levelsText(map[string]string{"a.b": "ERROR", "root": "INFO", "a": "DEBUG"}))
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	assert.Equal(t, "4m10s ago from 127.0.0.1:5555 (error.conf)",
		lastChangeText(&wire.LastChange{At: now.Add(-250 * time.Second), From: "127.0.0.1:5555", Source: "error.conf"}, now))
	assert.Equal(t, "-", lastChangeText(nil, now))
	assert.Equal(t, "4m10s ago: revert to generation 3 (push from 127.0.0.1), /srv/info.conf",
		lastChangeText(&wire.LastChange{At: now.Add(-250 * time.Second), From: "revert", Source: "/srv/info.conf",
			Origin: "revert to generation 3 (push from 127.0.0.1)"}, now))
	assert.Equal(t, "at an unknown time: SIGHUP reload, /srv/app.conf",
		lastChangeText(&wire.LastChange{Origin: "SIGHUP reload", Source: "/srv/app.conf"}, now), "never -9223372036s ago")
}
