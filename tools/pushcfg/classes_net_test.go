package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// netClassesConf uses SocketHandler, DatagramHandler, SMTPHandler and
// HTTPHandler in every argument form their constructors take.
const netClassesConf = "testdata/net_classes.conf"

// `pushcfg check` accepts the config with all four network classes in
// all their argument forms, and CPython's fileConfig builds the same
// handlers from it (its constructors connect to nothing either).
func TestCheckNetClasses(t *testing.T) {
	code, out, errOut := runCmd(t, "check", netClassesConf)
	require.Equal(t, exitOK, code, "stderr: %s", errOut)
	for class, n := range map[string]int{"SocketHandler": 3, "DatagramHandler": 3, "SMTPHandler": 4, "HTTPHandler": 3} {
		assert.Equal(t, n, strings.Count(out, " "+class+" "), "%s handlers in pushcfg's summary", class)
	}

	abs, err := filepath.Abs(netClassesConf)
	require.NoError(t, err)
	got := lltest.RunPython(t, time.Minute, `
import logging, logging.config, sys
logging.config.fileConfig(sys.argv[1])
hs = [h for l in [logging.getLogger(), logging.getLogger("app.audit")] for h in l.handlers]
print(len(hs), sorted({type(h).__name__ for h in hs}))
`, abs)
	assert.Equal(t, "13 ['DatagramHandler', 'HTTPHandler', 'SMTPHandler', 'SocketHandler']", strings.TrimSpace(got))
}

// Arguments CPython's constructors refuse (python: fileConfig raises),
// or that fail every record in CPython or make no sense (livelog is
// stricter, as the package doc lists), are errors of `pushcfg check` that
// name the class, the argument and the section.
func TestCheckNetClassesBadArgs(t *testing.T) {
	cases := []struct {
		class, args, want string
		python            bool
	}{
		{"SocketHandler", "('localhost',)", "SocketHandler needs port", true},
		{"SocketHandler", "('localhost', 'x')", "SocketHandler port must be", false},
		{"DatagramHandler", "(5, 9021)", "DatagramHandler host must be", false},
		{"SMTPHandler", "('localhost', 'a@x')", "SMTPHandler needs toaddrs", true},
		{"SMTPHandler", "('localhost:2525', 'a@x', 'b@x', 's')", "SMTPHandler mailhost must be", false},
		{"SMTPHandler", "('localhost', 'a@x', 'b@x', 's', 'user')", "SMTPHandler credentials must be", false},
		{"SMTPHandler", "('localhost', 'a@x', 'b@x', 's', ('u', 'p'), ('key',))", "SMTPHandler secure=(keyfile,) needs a certfile", false},
		{"SMTPHandler", "('localhost', 'a@x', 'b@x', 's', None, None, -1)", "SMTPHandler timeout must be", false},
		{"HTTPHandler", "('localhost', '/log', 'PUT')", "HTTPHandler method must be GET or POST", true},
		{"HTTPHandler", "('localhost', 'log')", "HTTPHandler url must be a path", false},
		{"HTTPHandler", "('localhost', '/a b')", "HTTPHandler url", false},
		{"HTTPHandler", "('localhost', '/log', 'GET', False, None, 'ctx')", "HTTPHandler context must be None", true},
	}
	dir := t.TempDir() // the files outlive the subtests, for CPython
	var paths, pythonRaises []string
	for i, c := range cases {
		t.Run(c.class+c.args, func(t *testing.T) {
			ini := lltest.NewINI().Logger("root", "INFO", "h", true).Handler("h", "handlers."+c.class, "", "", c.args).String()
			path := filepath.Join(dir, fmt.Sprintf("bad%d.conf", i))
			require.NoError(t, os.WriteFile(path, []byte(ini), 0o600))
			code, _, errOut := runCmd(t, "check", path)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut, c.want)
			assert.Contains(t, errOut, "handler_h", "the section is named")
			paths = append(paths, path)
			pythonRaises = append(pythonRaises, map[bool]string{true: "True", false: "False"}[c.python])
		})
	}
	raised := lltest.RunPython(t, time.Minute, `
import logging.config, sys
for path in sys.argv[1:]:
    try:
        logging.config.fileConfig(path)
        print(False)
    except Exception:
        print(True)
`, paths...)
	assert.Equal(t, pythonRaises, strings.Fields(raised), "CPython's fileConfig raises")
}
