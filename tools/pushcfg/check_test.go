package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/logcfg"
)

const fixtureDir = "../../logcfg/testdata/fixtures"

// customFormatter is fixture 02's formatter class, which CPython's test
// suite defines; the test registers it (only for the fixture-02 subtest
// and after proving that an unregistered class is a clear error).
const customFormatter = "test.test_logging.ExceptionFormatter"

// fixtureDefaults reads the "# fileconfig-defaults: {json}" line a fixture
// may carry (the defaults CPython's test passed to fileConfig) and gives
// them as --default flags, stringified as configparser does.
func fixtureDefaults(t *testing.T, ini []byte) []string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^# fileconfig-defaults: (.*)$`).FindSubmatch(ini)
	if m == nil {
		return nil
	}
	var defaults map[string]any
	require.NoError(t, json.Unmarshal(m[1], &defaults))
	var flags []string
	for k, v := range defaults {
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case bool:
			s = map[bool]string{true: "True", false: "False"}[v]
		case float64:
			s = fmt.Sprint(v)
		default:
			b, _ := json.Marshal(v)
			s = string(b)
		}
		flags = append(flags, "--default", k+"="+s)
	}
	return flags
}

// TestCheckFixtures runs `pushcfg check --json` on every shared fixture and
// compares each field of the expected resolved view (what CPython made of
// the file) with what pushcfg prints. Where CPython rejects the file,
// pushcfg must exit 2 with logcfg's message.
func TestCheckFixtures(t *testing.T) {
	inis, err := filepath.Glob(filepath.Join(fixtureDir, "*.ini"))
	require.NoError(t, err)
	require.NotEmpty(t, inis)
	for _, ini := range inis {
		base := strings.TrimSuffix(filepath.Base(ini), ".ini")
		t.Run(base, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(fixtureDir, "expected", base+".json"))
			require.NoError(t, err)
			var expected map[string]any
			require.NoError(t, json.Unmarshal(want, &expected))
			text, err := os.ReadFile(ini)
			require.NoError(t, err)
			args := append([]string{"check", "--json"}, fixtureDefaults(t, text)...)
			args = append(args, ini)

			if strings.Contains(string(text), customFormatter) {
				// The fixture's formatter class is CPython's test suite's
				// own: unknown to pushcfg, a clear error naming it, until
				// --class says the program has it.
				code, out, errOut := runCmd(t, args...)
				assert.Equal(t, exitUsage, code)
				assert.Empty(t, out)
				assert.Contains(t, errOut, "unknown class")
				assert.Contains(t, errOut, customFormatter)
				args = append([]string{"check", "--class", customFormatter}, args[1:]...)
			}

			code, out, errOut := runCmd(t, args...)
			if _, rejected := expected["error"]; rejected {
				assert.Equal(t, exitUsage, code)
				assert.Empty(t, out)
				assert.True(t, strings.HasPrefix(errOut, "logcfg: "), "stderr: %q", errOut)
				return
			}
			require.Equal(t, exitOK, code, "stderr: %s", errOut)
			assert.Empty(t, errOut)
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			for _, section := range []string{"loggers", "handlers", "formatters"} {
				assert.Equal(t, expected[section], got[section], section)
			}
			// And the output is exactly logcfg's Resolved view.
			var typed logcfg.Resolved
			require.NoError(t, json.Unmarshal([]byte(out), &typed))
			again, err := json.MarshalIndent(typed, "", "  ")
			require.NoError(t, err)
			assert.Equal(t, string(again)+"\n", out)
		})
	}
}

// TestCheckTree prints the readable tree: every logger with its effective
// level and handlers, then handlers and formatters.
func TestCheckTree(t *testing.T) {
	conf := writeFile(t, "app.conf", debugConf+`
[logger_db]
level=NOTSET
handlers=
propagate=0
qualname=app.db
`)
	conf2 := writeFile(t, "app2.conf", strings.Replace(readString(t, conf), "keys=root,app\n", "keys=root,app,db\n", 1))
	code, out, errOut := runCmd(t, "check", conf2)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, `loggers:
  root        DEBUG              → console
    app       DEBUG              → (none)
      app.db  DEBUG (inherited)  → (none)   propagate=0
handlers:
  console  StreamHandler  NOTSET  formatter=plain
formatters:
  plain  "%(levelname)s %(name)s %(message)s"
`, out)

	code, out, _ = runCmd(t, "check", "-q", conf2)
	assert.Equal(t, exitOK, code)
	assert.Empty(t, out)
}

// TestCheckBadFile: a config that does not parse gives logcfg's message,
// naming the file and line, and exit 2; so does a missing file.
func TestCheckBadFile(t *testing.T) {
	bad := writeFile(t, "bad.conf", strings.Replace(debugConf, "level=DEBUG", "level=LOUD", 1))
	code, out, errOut := runCmd(t, "check", bad)
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "logcfg: "+bad+":")
	assert.Contains(t, errOut, `"LOUD"`)

	code, _, errOut = runCmd(t, "check", "--json", filepath.Join(t.TempDir(), "missing.conf"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "missing.conf")
}

// TestCheckDefaults: --default values fill %(key)s in handler arguments,
// as Python's fileConfig defaults do, and check opens no file.
func TestCheckDefaults(t *testing.T) {
	dir := t.TempDir()
	conf := writeFile(t, "file.conf", `[loggers]
keys=root
[handlers]
keys=file
[formatters]
keys=
[logger_root]
level=INFO
handlers=file
[handler_file]
class=FileHandler
args=('%(here)s/app.log',)
`)
	code, out, errOut := runCmd(t, "check", "--json", "--default", "here="+dir, conf)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `"class": "FileHandler"`)
	_, err := os.Stat(filepath.Join(dir, "app.log"))
	assert.True(t, os.IsNotExist(err), "check must not open handler files")

	code, _, errOut = runCmd(t, "check", conf)
	assert.Equal(t, exitUsage, code, "without --default, %(here)s is undefined")
	assert.Contains(t, errOut, "here")
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// A class the program registers itself is unknown to pushcfg, which
// cannot run the program's code; --class names it, and check accepts the
// config (the listener that has the class checks its arguments).
func TestCheckProgramClass(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.conf")
	require.NoError(t, os.WriteFile(path, []byte("[loggers]\nkeys=root\n[handlers]\nkeys=a\n[formatters]\nkeys=f\n"+
		"[logger_root]\nlevel=INFO\nhandlers=a\n[handler_a]\nclass=myapp.AuditHandler\nformatter=f\nargs=('x',)\n"+
		"[formatter_f]\nclass=myapp.AuditFormatter\nformat=%(message)s\n"), 0o644))
	code, _, errOut := runCmd(t, "check", path)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `unknown class "myapp.AuditHandler"`)
	assert.Contains(t, errOut, "RegisterHandlerClass")

	code, out, errOut := runCmd(t, "check", "--class", "myapp.AuditHandler", "--class", "myapp.AuditFormatter", path)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "AuditHandler")
}
