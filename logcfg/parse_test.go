package logcfg

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// Values for the expectations of the parse tests.
func str(s string) Value   { return Value{Kind: KindString, Str: s} }
func num(n int64) Value    { return Value{Kind: KindInt, Int: n} }
func tup(v ...Value) Value { return Value{Kind: KindTuple, Items: append([]Value{}, v...)} }

var stdout, stderr = Value{Kind: KindStream, Str: "stdout"}, Value{Kind: KindStream, Str: "stderr"}

// parseString parses ini as the file "app.conf" with the test classes.
func parseString(t *testing.T, ini string, opts ...ParseOption) (*Config, error) {
	t.Helper()
	return Parse(strings.NewReader(ini), "app.conf", append(opts, WithRegistry(newTestRegistry().Registry))...)
}

const fullINI = `# a comment
; another
[loggers]
keys = root, db

[handlers]
keys = console, audit

[formatters]
keys = plain, fancy

[logger_root]
level = INFO
handlers = console

[logger_db]
level = DEBUG
handlers = audit, console
qualname = app.db
propagate = 0

[handler_console]
class = StreamHandler
level = WARNING
formatter = plain
args = (sys.stderr,)

[handler_audit]
class = test.Recorder
args = ('audit.log', 'a',
        10485760,
        5)
kwargs = {'encoding': 'utf-8'}

[formatter_plain]
format = %(levelname)s %(name)s: %(message)s
datefmt =
color = never
oneline = true

[formatter_fancy]
style = {
`

func TestParseFields(t *testing.T) {
	cfg, err := parseString(t, fullINI)
	require.NoError(t, err)
	assert.Equal(t, "app.conf", cfg.File)
	assert.Empty(t, cfg.Warnings)
	assert.False(t, cfg.Incremental)

	assert.Equal(t, []LoggerConfig{
		{Key: "root", Name: "root", Level: zapcore.InfoLevel, Handlers: []string{"console"}, Propagate: true,
			Pos: Pos{File: "app.conf", Line: 12, Section: "logger_root"}},
		{Key: "db", Name: "app.db", Level: zapcore.DebugLevel, Handlers: []string{"audit", "console"}, Propagate: false,
			Pos: Pos{File: "app.conf", Line: 16, Section: "logger_db"}},
	}, cfg.Loggers)

	require.Len(t, cfg.Handlers, 2)
	assert.Equal(t, HandlerConfig{Key: "console", Class: "StreamHandler", Level: zapcore.WarnLevel, Formatter: "plain",
		Args: []Value{stderr}, Kwargs: map[string]Value{}, Pos: Pos{File: "app.conf", Line: 22, Section: "handler_console"}},
		cfg.Handlers[0])
	assert.Equal(t, HandlerConfig{Key: "audit", Class: "test.Recorder", Level: NotSet,
		Args:   []Value{str("audit.log"), str("a"), num(10485760), num(5)},
		Kwargs: map[string]Value{"encoding": str("utf-8")},
		Pos:    Pos{File: "app.conf", Line: 28, Section: "handler_audit"}}, cfg.Handlers[1])

	require.Len(t, cfg.Formatters, 2)
	assert.Equal(t, FormatterConfig{Key: "plain", Format: "%(levelname)s %(name)s: %(message)s", Datefmt: "", HasDatefmt: true,
		Style: "%", Extra: map[string]string{"color": "never", "oneline": "true"},
		Pos: Pos{File: "app.conf", Line: 35, Section: "formatter_plain"}}, cfg.Formatters[0])
	assert.Equal(t, "{message}", cfg.Formatters[1].Format, "Python's default format for style {")
	assert.False(t, cfg.Formatters[1].HasDatefmt)
}

func TestParseCallsClassCheck(t *testing.T) {
	r := newTestRegistry()
	_, err := Parse(strings.NewReader(fullINI), "app.conf", WithRegistry(r.Registry))
	require.NoError(t, err)
	r.mu.Lock()
	got := r.checked
	r.mu.Unlock()
	assert.Equal(t, "audit", got.Key)
	assert.Equal(t, []Value{str("audit.log"), str("a"), num(10485760), num(5)}, got.Args)

	refuse := strings.Replace(fullINI, "('audit.log', 'a',", "('refuse', 'a',", 1)
	_, err = parseString(t, refuse)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, &Error{File: "app.conf", Line: 30, Section: "handler_audit", Key: "args", Err: e.Err}, e,
		"a Check's *Error gets the file, section and the line of the key it names")
	assert.ErrorIs(t, err, ErrBadArgs)

	plain := strings.Replace(fullINI, "('audit.log', 'a',", "('plain', 'a',", 1)
	_, err = parseString(t, plain)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 28, e.Line, "a plain error from Check points at the section")
	assert.Equal(t, "handler_audit", e.Section)
	assert.EqualError(t, err, `logcfg: app.conf:28: [handler_audit] bad handler arguments: plainly refused`)
}

// TestParseErrorsSayWhere checks that each kind of problem is an *Error
// naming the file, line, section and key, with the right category.
func TestParseErrorsSayWhere(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(string) string
		is      error
		line    int
		section string
		key     string
		msg     string
	}{
		{"unknown class", repl("class = test.Recorder", "class = handlers.NoSuchHandler"),
			ErrUnknownClass, 29, "handler_audit", "class", `unknown class "handlers.NoSuchHandler" (known: `},
		{"handler referenced but not listed", repl("handlers = audit, console", "handlers = audit, nosuch"),
			ErrUndefined, 18, "logger_db", "handlers", `handler "nosuch" is not listed in [handlers] keys=`},
		{"bad level", repl("level = DEBUG", "level = debug"),
			ErrBadLevel, 17, "logger_db", "level", `bad level "debug" (did you mean DEBUG? want DEBUG, INFO, WARNING, ERROR, CRITICAL or NOTSET; case matters)`},
		{"bad literal on a continuation line", repl("10485760,", "10485760 * 2,"),
			ErrBadLiteral, 31, "handler_audit", "args", `bad literal at column 18: expected ')' to close the '(' at line 30, column 8, found '*' (livelog evaluates nothing: no operators)`},
		{"kwargs not a dict", repl("kwargs = {'encoding': 'utf-8'}", "kwargs = ('utf-8',)"),
			ErrBadArgs, 33, "handler_audit", "kwargs", `kwargs must be a dict such as {'mode': 'w'}, not a tuple`},
		{"missing logger_root", repl("[logger_root]", "[logger_main]"),
			ErrMissingSection, 4, "logger_root", "", "every config needs a [logger_root] section"},
		{"listed logger without qualname", repl("qualname = app.db", ""),
			ErrMissingKey, 16, "logger_db", "qualname", "[logger_db] needs qualname= (the dotted logger name"},
		{"listed handler without section", repl("[handler_audit]", "[handler_other]"),
			ErrMissingSection, 7, "handlers", "keys", `missing section [handler_audit]: "audit" is listed in [handlers] keys= but has no section`},
		{"handler without class", repl("class = StreamHandler", ""),
			ErrMissingKey, 22, "handler_console", "class", "[handler_console] needs class= (e.g. StreamHandler)"},
		{"formatter not listed", repl("formatter = plain", "formatter = other"),
			ErrUndefined, 25, "handler_console", "formatter", `formatter "other" is not listed in [formatters] keys=`},
		{"duplicate section", func(s string) string { return s + "\n[logger_db]\nlevel=INFO\n" },
			ErrDuplicate, 44, "logger_db", "", "duplicate section [logger_db]: it already started at line 16"},
		{"duplicate key", repl("propagate = 0", "propagate = 0\nPropagate = 1"),
			ErrDuplicate, 21, "logger_db", "propagate", `duplicate key "propagate": it is already set at line 20`},
		{"bad interpolation", repl("args = (sys.stderr,)", "args = ('%(nope)s',)"),
			ErrInterpolation, 26, "handler_console", "args", `"('%(nope)s',)" refers to %(nope)s, which is not a key of [handler_console], [DEFAULT] or the caller's defaults`},
		{"stray line", repl("[formatter_fancy]", "prince\n[formatter_fancy]"),
			ErrSyntax, 41, "formatter_plain", "", `line "prince" is not a [section] header, a key = value line, a comment or an indented continuation`},
		{"bad propagate", repl("propagate = 0", "propagate = off"),
			ErrSyntax, 20, "logger_db", "propagate", `propagate "off" is not an integer (use 0 or 1)`},
		{"bad style", repl("style = {", "style = %%"),
			ErrBadFormat, 42, "formatter_fancy", "style", `style "%%" (want "%", "{" or "$")`},
		{"empty name in keys", repl("keys = root, db", "keys = root,, db"),
			ErrSyntax, 4, "loggers", "keys", `empty name in "root,, db"`},
		{"root listed twice", repl("keys = root, db", "keys = root, db, root"),
			ErrDuplicate, 4, "loggers", "keys", `root is listed twice (Python's fileConfig configures the root once`},
		{"missing [handlers]", repl("[handlers]\nkeys = console, audit", ""),
			ErrMissingSection, 0, "handlers", "", "missing section [handlers] (fileConfig needs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseString(t, tt.edit(fullINI))
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.is)
			var e *Error
			require.ErrorAs(t, err, &e, "%v", err)
			assert.Equal(t, "app.conf", e.File)
			assert.Equal(t, tt.line, e.Line, "%v", err)
			assert.Equal(t, tt.section, e.Section, "%v", err)
			assert.Equal(t, tt.key, e.Key, "%v", err)
			assert.Contains(t, e.Error(), tt.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "logcfg: app.conf:"), "%v", err)
		})
	}
}

func repl(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("test edit: " + old + " not found")
		}
		return strings.Replace(s, old, new, 1)
	}
}

func TestParseJoinsProblemsInFileOrder(t *testing.T) {
	ini := repl("level = DEBUG", "level = LOUD")(repl("class = StreamHandler", "class = Nope")(repl("propagate = 0", "propagate = x")(fullINI)))
	_, err := parseString(t, ini)
	require.Error(t, err)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 17, e.Line, "the first error is the earliest in the file")
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 3, "%v", err)
	assert.Contains(t, lines[0], "app.conf:17: [logger_db] level: bad level")
	assert.Contains(t, lines[1], "app.conf:20: [logger_db] propagate:")
	assert.Contains(t, lines[2], "app.conf:23: [handler_console] class: unknown class")
	assert.ErrorIs(t, err, ErrUnknownClass)
	assert.ErrorIs(t, err, ErrBadLevel)

	var many strings.Builder
	many.WriteString("[loggers]\nkeys=root\n")
	for i := range 25 {
		fmt.Fprintf(&many, "junk line %d\n", i)
	}
	_, err = parseString(t, many.String())
	require.Error(t, err)
	assert.Len(t, strings.Split(err.Error(), "\n"), 11, "ten errors and a count of the rest")
	assert.Contains(t, err.Error(), "and 15 more problems")
}

func TestParseWarnings(t *testing.T) {
	ini := `[DEFAULT]
inherited = 1
[loggers]
keys = root, a, a
junk = 1
[handlers]
keys = h
[formatters]
keys = f
[logger_root]
handlers = h, h
qualname = nope
propagate = 0
[logger_a]
qualname = a
handlers =
levle = DEBUG
[handler_h]
class = StreamHandler
formatter = f
target = other
colour = red
[formatter_f]
format = %(message)s
color = always
defaults = {"x": "y"}
[logger_unlisted]
qualname = b
handlers =
`
	cfg, err := parseString(t, ini)
	require.NoError(t, err)
	var got []string
	for _, w := range cfg.Warnings {
		got = append(got, w.String())
	}
	assert.Equal(t, []string{
		`logcfg: app.conf:4: [loggers] keys: "a" is listed twice; it is configured once`,
		`logcfg: app.conf:5: [loggers] junk: fileConfig does not read key "junk"; Python ignores it`,
		`logcfg: app.conf:11: [logger_root] handlers: handler "h" is listed twice; it is attached once`,
		`logcfg: app.conf:12: [logger_root] qualname: the root logger does not read key "qualname"; Python ignores it`,
		`logcfg: app.conf:13: [logger_root] propagate: the root logger does not read key "propagate"; Python ignores it`,
		`logcfg: app.conf:17: [logger_a] levle: a logger section does not read key "levle"; Python ignores it`,
		`logcfg: app.conf:21: [handler_h] target: only MemoryHandler reads target=; Python ignores it for StreamHandler`,
		`logcfg: app.conf:22: [handler_h] colour: a handler section does not read key "colour"; Python ignores it`,
		`logcfg: app.conf:27: [logger_unlisted] section [logger_unlisted] is not listed in any keys=; Python ignores it`,
	}, got)
	assert.Equal(t, map[string]string{"color": "always", "defaults": `{"x": "y"}`}, cfg.Formatters[0].Extra)
	assert.Equal(t, []string{"h"}, cfg.Loggers[0].Handlers)
	assert.Len(t, cfg.Loggers, 2)
	assert.Equal(t, got, cfg.Resolve().Warnings)
}

func TestWithDefaults(t *testing.T) {
	ini := `[DEFAULT]
here = /from/file
[loggers]
keys=root
[handlers]
keys=h
[formatters]
keys=
[logger_root]
level = %(LVL)s
handlers=h
[handler_h]
class=FileHandler
args=('%(Here)s/%(name)s.log',)
`
	d := map[string]string{"lvl": "ERROR", "Name": "app", "here": "/from/caller"}
	opt := WithDefaults(d)
	d["lvl"] = "changed after the call"
	cfg, err := parseString(t, ini, opt)
	require.NoError(t, err)
	assert.Equal(t, zapcore.ErrorLevel, cfg.Loggers[0].Level, "keys are case-insensitive; the map was copied")
	assert.Equal(t, []Value{str("/from/file/app.log")}, cfg.Handlers[0].Args, "the file's [DEFAULT] wins over the caller")

	_, err = parseString(t, ini)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrInterpolation)
	assert.Equal(t, 10, e.Line)
	assert.Equal(t, "level", e.Key)
}

func TestParseFile(t *testing.T) {
	_, err := ParseFile(filepath.Join(t.TempDir(), "missing.conf"))
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.ErrorContains(t, err, "logcfg: open ")

	path := filepath.Join(t.TempDir(), "app.conf")
	require.NoError(t, os.WriteFile(path, []byte("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nhandlers=\n"), 0o600))
	cfg, err := ParseFile(path)
	require.NoError(t, err)
	assert.Equal(t, path, cfg.File)
	assert.Equal(t, Pos{File: path, Line: 7, Section: "logger_root"}, cfg.Loggers[0].Pos)
}

func TestPyInt(t *testing.T) {
	for s, want := range map[string][2]bool{
		"1": {true, true}, "0": {false, true}, " -0_0 ": {false, true}, "+2": {true, true}, "1_000": {true, true},
		"": {false, false}, "_1": {false, false}, "1_": {false, false}, "1__0": {false, false}, "0x1": {false, false},
		"yes": {false, false}, "+-1": {false, false}, "1.0": {false, false},
	} {
		nonzero, ok := pyInt(s)
		assert.Equal(t, want, [2]bool{nonzero, ok}, "%q", s)
	}
}

// pyInt reads every Unicode decimal digit that Python's int() reads, with
// its value's zeroness, as propagate= needs it.
func TestPyIntDigitsMatchPython(t *testing.T) {
	out := lltest.RunPython(t, time.Minute, `
import json, sys
print(json.dumps({c: int(chr(c)) for c in range(sys.maxunicode + 1) if chr(c).isdecimal()}))`)
	var py map[string]int
	require.NoError(t, json.Unmarshal([]byte(out), &py))
	require.Greater(t, len(py), 500)
	for k, v := range py {
		var r rune
		_, err := fmt.Sscan(k, &r)
		require.NoError(t, err)
		if !unicode.IsDigit(r) {
			continue // a digit newer than Go's Unicode tables
		}
		nonzero, ok := pyInt(string(r))
		assert.True(t, ok, "U+%04X", r)
		assert.Equal(t, v != 0, nonzero, "U+%04X is %d", r, v)
		assert.Equal(t, v, digitValue(r), "U+%04X", r)
	}
	nonzero, ok := pyInt("\x1c١\x1f")
	assert.True(t, ok && nonzero, "\\x1c-\\x1f are whitespace to int()")
}
