package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadFlags: every bad flag or argument is exit 2 with a message that
// names the flag (or says what is missing), before anything is read or
// contacted.
func TestBadFlags(t *testing.T) {
	conf := writeFile(t, "error.conf", errorConf)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus", conf}, "--bogus"},
		{[]string{"--ports", "9030-9001", conf}, `--ports "9030-9001"`},
		{[]string{"--ports", "abc", conf}, `--ports "abc"`},
		{[]string{"--ports", "0-10", conf}, "--ports"},
		{[]string{"--ports", "1-70000", conf}, "--ports"},
		{[]string{"--timeout", "soon", conf}, "--timeout"},
		{[]string{"--timeout", "0s", conf}, "--timeout"},
		{[]string{"--timeout"}, "--timeout"},
		{[]string{"--for", "-5m", conf}, "--for"},
		{[]string{"--for", "ever", conf}, "--for"},
		{[]string{"--host", "", conf}, "--host"},
		{[]string{"--host", "bad host", conf}, "--host"},
		{[]string{"--host", "127.0.0.1:9001", conf}, "--host"},
		{[]string{"--host", "no-such-host.invalid", "--ports", "1-1", conf}, `--host "no-such-host.invalid"`},
		{[]string{"--default", "novalue", conf}, "--default"},
		{[]string{"--default", "=x", conf}, "--default"},
		{[]string{"--secret-file", "/nonexistent/secret", conf}, "--secret-file"},
		{[]string{"--for", "30", conf}, "--for 30: missing unit, e.g. 30s or 10m"},
		{[]string{"--dry-run", "--legacy", conf}, "--dry-run cannot be sent with --legacy"},
		{[]string{"set"}, "set needs NAME=LEVEL"},
		{[]string{"history", "x"}, "history takes no argument"},
		{[]string{"loggers", "a", "b"}, "loggers takes at most one PATTERN"},
		{[]string{"completion", "fish"}, "completion takes one shell, bash or zsh"},
		{[]string{"set", "--full", "root=DEBUG"}, "--full does not apply to set"},
		{[]string{"loggers", "--for", "1m"}, "--for does not apply to loggers"},
		{[]string{"--json=maybe", conf}, "--json"},
		{[]string{}, "needs a config FILE"},
		{[]string{conf, conf}, "takes one FILE"},
		{[]string{"check"}, "check needs a config FILE"},
		{[]string{"status", conf}, "status takes no argument"},
		{[]string{"check", "--ports", "1-2", conf}, "--ports does not apply to check"},
		{[]string{"status", "--legacy"}, "--legacy does not apply to status"},
		{[]string{"status", "--for", "1m"}, "--for does not apply to status"},
	} {
		code, out, errOut := runCmd(t, tc.args...)
		assert.Equal(t, exitUsage, code, "%q", tc.args)
		assert.Empty(t, out, "%q", tc.args)
		assert.Contains(t, errOut, tc.want, "%q", tc.args)
		assert.Contains(t, errOut, "pushcfg: ", "%q", tc.args)
	}
}

// TestHelp prints the usage with the exit codes on stdout and exits 0.
func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "-help"} {
		code, out, errOut := runCmd(t, arg)
		assert.Equal(t, exitOK, code)
		assert.Empty(t, errOut)
		assert.Contains(t, out, "Exit codes:")
		for _, want := range []string{"--default key=value", "--ports LO-HI", "--host HOST", "--timeout", "--for",
			"--full", "--secret-file", "--legacy", "--strict", "--json", "-q", "\n  3  no listener found"} {
			assert.Contains(t, out, want)
		}
	}
}

// TestParseArgs: flags may come before or after the command and FILE;
// defaults apply; --host and --default accumulate.
func TestParseArgs(t *testing.T) {
	o, err := parseArgs([]string{"error.conf", "--ports", "7000-7010", "--host", "::1", "--host", "[::1]",
		"--host", "localhost", "--default", "Here=/srv", "--default", "x=a=b", "--for", "90s", "-q"})
	require.NoError(t, err)
	assert.Equal(t, cmdPush, o.cmd)
	assert.Equal(t, "error.conf", o.file)
	assert.Equal(t, []int{7000, 7010}, []int{o.portLo, o.portHi})
	assert.Equal(t, []string{"::1", "localhost"}, o.hosts)
	assert.Equal(t, map[string]string{"here": "/srv", "x": "a=b"}, o.defaults)
	assert.Equal(t, 90*time.Second, o.forDur)
	assert.True(t, o.quiet)

	o, err = parseArgs([]string{"--json", "status"})
	require.NoError(t, err)
	assert.Equal(t, cmdStatus, o.cmd)
	assert.True(t, o.json)
	assert.Equal(t, []string{defaultHost}, o.hosts)
	assert.Equal(t, []int{9001, 9030}, []int{o.portLo, o.portHi})
	assert.Equal(t, defaultTimeout, o.timeout)

	o, err = parseArgs([]string{"--ports", "7000", "check", "x.conf"})
	require.Error(t, err, "--ports does not apply to check")

	o, err = parseArgs([]string{"--ports", "7000", "./check"})
	require.NoError(t, err, "a file named like a command is pushed with a path")
	assert.Equal(t, []int{7000, 7000}, []int{o.portLo, o.portHi})
	assert.Equal(t, "./check", o.file)

	secret := writeFile(t, "secret", "s3cret\n")
	o, err = parseArgs([]string{"--secret-file", secret, "x.conf"})
	require.NoError(t, err)
	assert.Equal(t, []byte("s3cret"), o.secret)
}
