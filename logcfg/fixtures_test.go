package logcfg

import (
	"encoding/json"
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

// fixtureDefaults reads the "# fileconfig-defaults: {...}" line of a
// fixture: the defaults CPython's test passes to fileConfig, turned into
// text as configparser does with str().
func fixtureDefaults(t *testing.T, data []byte) map[string]string {
	for line := range strings.Lines(string(data)) {
		js, ok := strings.CutPrefix(line, "# fileconfig-defaults: ")
		if !ok {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(js), &m))
		out := map[string]string{}
		for k, v := range m {
			switch x := v.(type) {
			case string:
				out[k] = x
			case bool:
				out[k] = map[bool]string{true: "True", false: "False"}[x]
			default:
				b, err := json.Marshal(x)
				require.NoError(t, err)
				out[k] = string(b)
			}
		}
		return out
	}
	return nil
}

// resolvedJSON is c.Resolve() marshalled and read back as generic JSON.
func resolvedJSON(t *testing.T, c *Config) map[string]any {
	b, err := json.Marshal(c.Resolve())
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// assertSameView checks every field of want (Python's view) against got.
func assertSameView(t *testing.T, want, got map[string]any) {
	t.Helper()
	for _, k := range []string{"loggers", "handlers", "formatters"} {
		require.Contains(t, want, k)
		assert.Equal(t, want[k], got[k], "%s differ", k)
	}
}

func TestFixtures(t *testing.T) {
	reg := WithRegistry(newTestRegistry().Registry)
	files, err := filepath.Glob("testdata/fixtures/*.ini")
	require.NoError(t, err)
	require.Len(t, files, 12, "the fixtures copied from ../shared/fixtures")
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			exp, err := os.ReadFile(filepath.Join("testdata/fixtures/expected", strings.TrimSuffix(filepath.Base(path), ".ini")+".json"))
			require.NoError(t, err)
			var want map[string]any
			require.NoError(t, json.Unmarshal(exp, &want))

			variants := map[string][]ParseOption{"no defaults": {reg}}
			if d := fixtureDefaults(t, data); d != nil {
				variants["with the test's defaults"] = []ParseOption{reg, WithDefaults(d)}
			}
			for name, opts := range variants {
				cfg, err := ParseFile(path, opts...)
				if pyErr, rejected := want["error"]; rejected {
					require.Error(t, err, "%s: Python rejects it: %v", name, pyErr)
					var e *Error
					require.ErrorAs(t, err, &e)
					assert.Equal(t, path, e.File)
					assert.Positive(t, e.Line)
					assert.Contains(t, err.Error(), path+":")
					continue
				}
				require.NoError(t, err, name)
				assertSameView(t, want, resolvedJSON(t, cfg))
			}
		})
	}
}

// pythonCase is a config whose verdict python_resolve.py gives.
type pythonCase struct {
	name     string
	ini      string
	defaults map[string]string
	// errIs is the category livelog's error must have when Python rejects.
	errIs error
	// line is the line livelog's error must point at (0: not checked).
	line int
	// stricter says why livelog rejects a config that Python accepts.
	stricter string
}

const pyHead = `[loggers]
keys=root
[handlers]
keys=h
[formatters]
keys=f
[logger_root]
level=INFO
handlers=h
`

var pythonCases = []pythonCase{
	{name: "inline # after class is a Python comment", ini: pyHead + `
[handler_h]
class=StreamHandler # a comment eval() skips
formatter=f
args=(sys.stdout,) # so does this
[formatter_f]
format=%(message)s # not a comment here
`},
	{name: "inline # after a level is part of it", ini: `[loggers]
keys=root
[handlers]
keys=
[formatters]
keys=
[logger_root]
level=INFO # loud
handlers=
`, errIs: ErrBadLevel, line: 8},
	{name: "DEFAULT and caller defaults interpolate", defaults: map[string]string{"here": "/srv/app"}, ini: `[DEFAULT]
lvl = DEBUG
logdir = %(here)s/logs
` + pyHead + `
[handler_h]
class = FileHandler
level = %(lvl)s
args = ('%(logdir)s/app.log', 'a')
formatter = f
[formatter_f]
format = 100%% %(message)s
datefmt = %%H:%%M
`},
	{name: "section values shadow DEFAULT", ini: `[DEFAULT]
lvl = ERROR
` + pyHead + `
[handler_h]
lvl = DEBUG
class = StreamHandler
level = %(lvl)s
formatter = f
[formatter_f]
`},
	{name: "level inherited from DEFAULT", ini: `[DEFAULT]
level=ERROR
[loggers]
keys=root,a
[handlers]
keys=
[formatters]
keys=
[logger_root]
handlers=
[logger_a]
handlers=
qualname=a.b
level=NOTSET
`},
	{name: "missing interpolation name", ini: pyHead + `
[handler_h]
class=StreamHandler
level=%(nope)s
formatter=f
[formatter_f]
`, errIs: ErrInterpolation, line: 13},
	{name: "bad interpolation syntax", ini: pyHead + `
[handler_h]
class=StreamHandler
args=('100%',)
formatter=f
[formatter_f]
`, errIs: ErrInterpolation, line: 13},
	{name: "interpolation cycle", ini: `[DEFAULT]
a=%(b)s
b=%(a)s
` + pyHead + `
[handler_h]
class=StreamHandler
level=%(a)s
formatter=f
[formatter_f]
`, errIs: ErrInterpolation},
	{name: "bad reference in a key nothing reads", ini: pyHead + `
[handler_h]
class=StreamHandler
formatter=f
comment=100% unread
[formatter_f]
`},
	{name: "caller defaults containing %( are harmless", defaults: map[string]string{"fmt": "%(asctime)s %(bogus", "x": "100%"}, ini: pyHead + `
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
format=%(message)s
`},
	{name: "duplicate section", ini: pyHead + `
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
[handler_h]
level=INFO
`, errIs: ErrDuplicate, line: 15},
	{name: "duplicate key differing in case", ini: pyHead + `
[handler_h]
class=StreamHandler
Class=StreamHandler
formatter=f
[formatter_f]
`, errIs: ErrDuplicate, line: 13},
	{name: "duplicate key across two DEFAULT sections", ini: `[DEFAULT]
a=1
[DEFAULT]
a=2
` + pyHead + `
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
`, errIs: ErrDuplicate, line: 4},
	{name: "two DEFAULT sections", ini: `[DEFAULT]
a=1
[DEFAULT]
b=2
` + pyHead + `
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
`},
	{name: "empty keys everywhere but root", ini: `[loggers]
keys=root
[handlers]
keys=
[formatters]
keys=
[logger_root]
handlers=
`},
	{name: "empty loggers keys", ini: `[loggers]
keys=
[handlers]
keys=
[formatters]
keys=
[logger_root]
handlers=
`, errIs: ErrMissingKey, line: 2},
	{name: "listed logger without qualname", ini: `[loggers]
keys=root,app
[handlers]
keys=
[formatters]
keys=
[logger_root]
handlers=
[logger_app]
level=DEBUG
handlers=
`, errIs: ErrMissingKey, line: 9},
	{name: "logger without handlers key", ini: `[loggers]
keys=root
[handlers]
keys=
[formatters]
keys=
[logger_root]
level=INFO
`, errIs: ErrMissingKey, line: 7},
	{name: "missing logger_root", ini: `[loggers]
keys=root
[handlers]
keys=
[formatters]
keys=
`, errIs: ErrMissingSection},
	{name: "colon delimiters and spaces", ini: `[loggers]
keys : root , app
[handlers]
keys: h
[formatters]
keys:f
[logger_root]
level : WARNING
handlers :
[logger_app]
level: DEBUG
handlers: h
qualname: app.db
propagate: 0
[handler_h]
class: StreamHandler
args: (sys.stderr,)
formatter: f
[formatter_f]
format: %(levelname)s: %(message)s
datefmt:
`},
	{name: "multi-line values with blank lines and comments", ini: `[loggers]
keys=root,
  app
[handlers]
keys=h
[formatters]
keys=f
[logger_root]
level=INFO
handlers=h
[logger_app]
qualname=app
handlers=

[handler_h]
class=StreamHandler
formatter=f
args=(
    sys.stdout,

  # a comment line inside the value
    )
[formatter_f]
format=%(levelname)s
  %(message)s

  end

`},
	{name: "case-insensitive keys", ini: `[loggers]
Keys=root,app
[handlers]
KEYS=h
[formatters]
keys=f
[logger_root]
Level=ERROR
Handlers=h
[logger_app]
QualName=app
LEVEL=DEBUG
handlers=
Propagate=0
[handler_h]
CLASS=StreamHandler
Formatter=f
Args=(sys.stdout,)
[formatter_f]
Format=%(message)s
DateFmt=%H
`},
	{name: "handler referenced but not listed", ini: pyHead + `
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
[handler_other]
class=StreamHandler
[logger_x]
qualname=x
handlers=other
`},
	{name: "logger names an unlisted handler", ini: `[loggers]
keys=root
[handlers]
keys=
[formatters]
keys=
[logger_root]
handlers=console
`, errIs: ErrUndefined, line: 8},
	{name: "handler names an unlisted formatter", ini: pyHead + `
[handler_h]
class=StreamHandler
formatter=g
[formatter_f]
`, errIs: ErrUndefined, line: 13},
	{name: "listed handler without a section", ini: pyHead + `
[formatter_f]
`, errIs: ErrMissingSection, line: 4},
	{name: "unknown handler class", ini: pyHead + `
[handler_h]
class=NoSuchHandler
formatter=f
[formatter_f]
`, errIs: ErrUnknownClass, line: 12},
	{name: "one-element args without comma", ini: pyHead + `
[handler_h]
class=StreamHandler
args=(sys.stdout)
formatter=f
[formatter_f]
`, errIs: ErrBadArgs, line: 13},
	{name: "args that call code", ini: pyHead + `
[handler_h]
class=StreamHandler
args=(open('/dev/null'),)
formatter=f
[formatter_f]
`, errIs: ErrBadLiteral, line: 13, stricter: "livelog evaluates nothing"},
	{name: "empty args", ini: pyHead + `
[handler_h]
class=StreamHandler
args=
formatter=f
[formatter_f]
`, errIs: ErrBadLiteral, line: 13},
	{name: "args without parentheses and a kwargs dict", ini: pyHead + `
[handler_h]
class=FileHandler
args='app.log', "w"
kwargs={'encoding': 'utf-8', "delay": True,}
formatter=f
[formatter_f]
`},
	{name: "propagate is Python's int()", ini: `[loggers]
keys=root,a,b
[handlers]
keys=
[formatters]
keys=
[logger_root]
handlers=
[logger_a]
qualname=a
handlers=
propagate= -0_0
[logger_b]
qualname=b
handlers=
propagate=+2
`},
	{name: "propagate that is not an int", ini: `[loggers]
keys=root,a
[handlers]
keys=
[formatters]
keys=
[logger_root]
handlers=
[logger_a]
qualname=a
handlers=
propagate=yes
`, errIs: ErrSyntax, line: 12},
	{name: "stray line", ini: pyHead + `
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
prince
`, errIs: ErrSyntax, line: 15},
	{name: "key before any section", ini: "level=INFO\n" + pyHead, errIs: ErrSyntax, line: 1},
	{name: "bad style", ini: pyHead + `
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
style=%%
`, errIs: ErrBadFormat, line: 15},
	{name: "brace style default format", ini: pyHead + `
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
style={
`},
	{name: "formatter listed but unused", ini: `[loggers]
keys=root
[handlers]
keys=h
[formatters]
keys=f, g
[logger_root]
handlers=h
[handler_h]
class=NullHandler
formatter=f
[formatter_f]
format=%(name)s %(message)s
datefmt=%Y
[formatter_g]
format=%(message)s
`},
	{name: "CRLF line endings", ini: strings.ReplaceAll(pyHead+`
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
format=%(message)s
`, "\n", "\r\n")},
}

// pythonDriver runs python_resolve.py's main once per line of stdin
// ("CONFIG.ini [--default k=v ...]" as a JSON list), each in a child forked
// from one interpreter that has imported logging already: a fresh logging
// state per config without paying python3's start-up each time. Each
// child's verdict goes to CONFIG.ini.json.
const pythonDriver = `
import json, os, sys
sys.path.insert(0, "testdata")
import python_resolve
for line in sys.stdin:
    argv = json.loads(line)
    pid = os.fork()
    if pid == 0:
        with open(argv[0] + ".json", "w") as out:
            sys.stdout = out
            python_resolve.main(argv)
            out.flush()
        os._exit(0)
    os.waitpid(pid, 0)
`

// pythonVerdicts gives what CPython's fileConfig makes of each config.
func pythonVerdicts(t *testing.T, paths []string, defaults []map[string]string) []map[string]any {
	var stdin strings.Builder
	for i, path := range paths {
		argv := []string{path}
		for k, v := range defaults[i] {
			argv = append(argv, "--default", k+"="+v)
		}
		b, err := json.Marshal(argv)
		require.NoError(t, err)
		stdin.Write(append(b, '\n'))
	}
	out, _ := lltest.RunPythonInput(t, 2*time.Minute, stdin.String(), pythonDriver)
	verdicts := make([]map[string]any, len(paths))
	for i, path := range paths {
		b, err := os.ReadFile(path + ".json")
		require.NoError(t, err, "no verdict for %s: %s", path, out)
		require.NoError(t, json.Unmarshal(b, &verdicts[i]), "%s", b)
	}
	return verdicts
}

func TestMatchesPython(t *testing.T) { matchPython(t, pythonCases) }

// matchPython runs each case through CPython's fileConfig and livelog's
// Parse and checks that livelog agrees: the same view where Python
// accepts, an error of the case's category at its line where Python
// rejects, and the case's stricter reason where livelog alone rejects.
func matchPython(t *testing.T, cases []pythonCase) {
	reg := WithRegistry(newTestRegistry().Registry)
	dir := t.TempDir()
	paths := make([]string, len(cases))
	for i, c := range cases {
		paths[i] = filepath.Join(dir, fmt.Sprintf("case%02d.ini", i))
		require.NoError(t, os.WriteFile(paths[i], []byte(c.ini), 0o600))
	}
	defaults := make([]map[string]string, len(cases))
	for i, c := range cases {
		defaults[i] = c.defaults
	}
	verdicts := pythonVerdicts(t, paths, defaults)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, py := paths[i], verdicts[i]
			cfg, err := ParseFile(path, reg, WithDefaults(c.defaults))
			_, rejected := py["error"]
			if c.stricter != "" {
				require.False(t, rejected, "Python accepts it, though livelog does not: %s", c.stricter)
				assert.ErrorIs(t, err, c.errIs, "livelog rejects it: %s", c.stricter)
				return
			}
			if rejected {
				require.Error(t, err, "Python rejects it: %v", py["error"])
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, path, e.File)
				if c.errIs != nil {
					assert.ErrorIs(t, err, c.errIs)
				}
				if c.line > 0 {
					assert.Equal(t, c.line, e.Line, "%v", err)
				}
				return
			}
			require.NoError(t, err, "Python accepts it")
			require.Nil(t, c.errIs, "the case expects an error but Python accepts the config")
			assertSameView(t, py, resolvedJSON(t, cfg))
		})
	}
}
