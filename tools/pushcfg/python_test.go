package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// pythonVerdict is why CPython rejects the config at path, or "".
func pythonVerdict(t *testing.T, path string) string {
	t.Helper()
	return lltest.PythonRejects(t, path, filepath.Dir(path))
}

// pyConfig is a config with one handler and one formatter: class, args
// and the formatter's lines as given.
func pyConfig(class, args, formatter string) string {
	return "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=f\n[logger_root]\nlevel=INFO\nhandlers=h\n" +
		"[handler_h]\nclass=" + class + "\nargs=" + args + "\nformatter=f\n[formatter_f]\n" + formatter + "\n"
}

// `check --python` reports each thing livelog accepts that CPython
// rejects, at its line and key, and exits 1; python3 really rejects each
// file reported (or fails on every record). The same file written the way
// the report says loads in both: exit 0, and CPython loads it.
func TestCheckPython(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ name, file, text, where string }{
		{"bare class", "bare.ini", pyConfig("RotatingFileHandler", "('app.log',)", ""), "[handler_h] class:"},
		{"wrong module", "module.ini", pyConfig("handlers.StreamHandler", "(sys.stdout,)", ""), "[handler_h] class:"},
		{"livelog's class", "systemd.ini", pyConfig("SystemdHandler", "(sys.stdout,)", ""), "[handler_h] class:"},
		{"ext:// in args", "ext.ini", pyConfig("StreamHandler", "('ext://sys.stdout',)", ""), "[handler_h] args:"},
		{"formatter class", "fmt.ini", pyConfig("StreamHandler", "(sys.stdout,)", "class=Formatter"), "[formatter_f] class:"},
		{"formatter defaults", "defaults.ini", pyConfig("StreamHandler", "(sys.stdout,)", "format=%(app)s %(message)s\ndefaults={'app': 'a'}"),
			"[formatter_f] defaults:"},
		{"dictConfig bare class", "bare.json", `{"version": 1, "handlers": {"h": {"class": "StreamHandler"}}, "root": {"handlers": ["h"]}}`,
			"[handlers.h] class:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			require.NoError(t, os.WriteFile(path, []byte(c.text), 0o600))
			code, out, errOut := runCmd(t, "check", "--python", "-q", path)
			assert.Equal(t, exitFailed, code, "%s", errOut)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Len(t, lines, 1, "one report: %s", out)
			assert.True(t, strings.HasPrefix(lines[0], "python: logcfg: "+path), lines[0])
			assert.Contains(t, lines[0], c.where)
			assert.NotEmpty(t, pythonVerdict(t, path), "CPython rejects or fails on %s", c.file)

			code, _, _ = runCmd(t, "check", path)
			assert.Equal(t, exitOK, code, "without --python the check is livelog's alone")
		})
	}

	fixed := filepath.Join(dir, "fixed.ini")
	text := strings.Replace(pyConfig("handlers.RotatingFileHandler", "('"+filepath.ToSlash(filepath.Join(dir, "app.log"))+"',)",
		"class=logging.Formatter\nformat=%(levelname)s %(message)s"), "keys=h\n", "keys=h,o\n", 1)
	text = strings.Replace(text, "handlers=h\n", "handlers=h,o\n", 1) +
		"[handler_o]\nclass=StreamHandler\nargs=(sys.stdout,)\nformatter=f\n"
	require.NoError(t, os.WriteFile(fixed, []byte(text), 0o600))
	code, out, _ := runCmd(t, "check", "--python", fixed)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "python: CPython's logging.config would load it too")
	assert.Empty(t, pythonVerdict(t, fixed), "CPython loads it")

	code, out, _ = runCmd(t, "check", "--python", "--json", filepath.Join(dir, "bare.ini"))
	assert.Equal(t, exitFailed, code)
	var res struct {
		Loggers map[string]any `json:"loggers"`
		Python  []string       `json:"python"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Contains(t, res.Loggers, "root", "the resolved view is still there")
	require.Len(t, res.Python, 1)
	assert.Contains(t, res.Python[0], "write handlers.RotatingFileHandler")
}

// A config that uses every built-in class of Python's logging and every
// argument form of the names table and of the file modes loads in both:
// `check --python` finds nothing and exits 0, and python3 loads it and
// logs through every handler (to files of the test and a UDP port of its
// own).
func TestCheckEveryClassLoadsInBoth(t *testing.T) {
	dir := t.TempDir()
	port, _ := lltest.FreePortRange(t, 1)
	// Nobody listens on these: CPython's SocketHandler drops what it cannot
	// send, and a datagram to a closed port is sent all the same.
	tcpPort, _ := lltest.FreePortRange(t, 1)
	f := func(name string) string { return "'" + filepath.ToSlash(filepath.Join(dir, name)) + "'" }
	ini := `[loggers]
keys=root,app
[handlers]
keys=out,err,file,moin,watched,rotating,null,syslog,timed,memory,socket,datagram
[formatters]
keys=plain,brace
[logger_root]
level=DEBUG
handlers=out,err,file,moin,watched,rotating,null,syslog,timed,memory,socket,datagram
[logger_app]
level=INFO
handlers=null
qualname=app
propagate=0
[handler_out]
class=StreamHandler
args=(sys.stdout,)
formatter=plain
[handler_err]
class=logging.StreamHandler
kwargs={'stream': sys.stderr}
level=ERROR
formatter=brace
[handler_file]
class=FileHandler
args=(` + f("file.log") + `, 'w', 'utf-8', True)
formatter=plain
[handler_moin]
class=logging.FileHandler
args=(` + f("moin.log") + `, 'at')
[handler_watched]
class=handlers.WatchedFileHandler
args=(` + f("watched.log") + `, 'a+')
[handler_rotating]
class=logging.handlers.RotatingFileHandler
args=(` + f("rot.log") + `, 'a', 1048576, 3)
kwargs={'encoding': 'utf8', 'delay': 'yes'}
[handler_null]
class=NullHandler
args=(logging.DEBUG,)
[handler_syslog]
class=handlers.SysLogHandler
args=(('127.0.0.1', ` + fmt.Sprint(port) + `), handlers.SysLogHandler.LOG_LOCAL0, handlers.socket.SOCK_DGRAM)
formatter=plain
[handler_timed]
class=handlers.TimedRotatingFileHandler
args=(` + f("timed.log") + `, 'midnight', 1, 7)
kwargs={'utc': True}
formatter=plain
[handler_memory]
class=logging.handlers.MemoryHandler
args=(100, ERROR)
target=file
[handler_socket]
class=handlers.SocketHandler
args=('127.0.0.1', ` + fmt.Sprint(tcpPort) + `)
[handler_datagram]
class=logging.handlers.DatagramHandler
args=('127.0.0.1', ` + fmt.Sprint(port) + `)
[formatter_plain]
class=logging.Formatter
format=%(asctime)s %(levelname)-8s %(name)s %(message)s
[formatter_brace]
format={levelname:<8} {msecs:+} {name:010} {message}
style={
`
	path := filepath.Join(dir, "every.ini")
	require.NoError(t, os.WriteFile(path, []byte(ini), 0o600))
	code, out, errOut := runCmd(t, "check", "--python", path)
	assert.Equal(t, exitUsage, code, "logging.DEBUG is no name in fileConfig's namespace (in Python either)")
	assert.Contains(t, errOut, "write DEBUG")
	assert.NotEmpty(t, pythonVerdict(t, path), "CPython rejects logging.DEBUG too")

	ini = strings.Replace(ini, "args=(logging.DEBUG,)", "args=(DEBUG,)", 1)
	require.NoError(t, os.WriteFile(path, []byte(ini), 0o600))
	code, out, errOut = runCmd(t, "check", "--python", path)
	require.Equal(t, exitOK, code, "%s%s", out, errOut)
	assert.Contains(t, out, "python: CPython's logging.config would load it too")
	assert.Empty(t, pythonVerdict(t, path), "CPython loads it and logs through every handler")
}
