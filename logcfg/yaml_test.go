package logcfg

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/ini"
	"github.com/livelog/livelog/internal/lltest"
)

// readYAML reads text as ParseYAML does, up to the dnodes.
func readYAML(text string) (*dnode, error) {
	return newYAMLReader("t.yaml", len(text)).read([]byte(text))
}

// pyYAMLScalars prints, for each key of the YAML document on stdin, the
// type PyYAML's safe_load gives its value and the value as text.
const pyYAMLScalars = `
import json, math, sys, yaml
out = {}
for k, v in yaml.safe_load(sys.stdin.read()).items():
    t = type(v).__name__
    if t == "float":
        s = "nan" if math.isnan(v) else repr(v)
    elif t == "bool":
        s = "true" if v else "false"
    else:
        s = str(v)
    out[k] = [t, s]
print(json.dumps(out))
`

// TestYAMLScalarsMatchPyYAML: plain, quoted and tagged scalars get the
// type and value PyYAML's safe_load gives them.
func TestYAMLScalarsMatchPyYAML(t *testing.T) {
	scalars := []string{
		"yes", "No", "ON", "off", "true", "False", "y", "n", "nO",
		"~", "null", "Null", "", "NULL", "nil",
		"0", "12", "-7", "+3", "1_000", "0x1F", "0b101", "0644", "0_3", "09", "1:30", "-1:30:00", "0o17",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
		"1.5", "1.", ".5", "-2.5e+3", "1e3", "1.0e3", "1_0.5", ".inf", "-.Inf", ".nan", "1:30.5", "6.8523015e+5",
		"2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
		"'yes'", `"12"`, "!!str 12", "!!int '12'", "!!float 3", "!!bool yes", "!!null ''",
		"a string", "ext://sys.stdout", "<<x", "'%(message)s'",
	}
	var doc strings.Builder
	for i, s := range scalars {
		fmt.Fprintf(&doc, "v%02d: %s\n", i, s)
	}
	stdout, _ := lltest.RunPythonInput(t, time.Minute, doc.String(), pyYAMLScalars)
	var py map[string][2]string
	require.NoError(t, json.Unmarshal([]byte(stdout), &py), stdout)

	top, err := readYAML(doc.String())
	require.NoError(t, err)
	for i, s := range scalars {
		key := fmt.Sprintf("v%02d", i)
		want, n := py[key], top.get(key)
		require.NotNil(t, n, key)
		var got [2]string
		switch n.kind {
		case dNull:
			got = [2]string{"NoneType", "None"}
		case dBool:
			got = [2]string{"bool", strconv.FormatBool(n.b)}
		case dInt:
			got = [2]string{"int", strconv.FormatInt(n.i, 10)}
			if n.big {
				got[1] = want[1] // Python's ints have no limit; livelog marks it too big (tested below)
			}
		case dFloat:
			got = [2]string{"float", pyFloatRepr(n.f)}
		case dString:
			got = [2]string{"str", n.s}
		case dTimestamp:
			got = [2]string{want[0], want[1]} // a date or datetime: refused where read (tested below)
			assert.Contains(t, []string{"date", "datetime"}, want[0], "%s: PyYAML reads %q as %s", key, s, want[0])
		}
		assert.Equal(t, want, got, "%s: %q", key, s)
	}
	at := func(s string) *dnode { return top.get(fmt.Sprintf("v%02d", slices.Index(scalars, s))) }
	assert.True(t, at("9223372036854775808").big, "2^63 does not fit")
	assert.False(t, at("-9223372036854775808").big, "-2^63 fits")
	assert.Equal(t, int64(math.MinInt64), at("-9223372036854775808").i)
	assert.True(t, at("-9223372036854775809").big)
}

// pyFloatRepr writes f as Python's repr does, for the values tested.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if e := strings.IndexByte(s, 'e'); e >= 0 {
		// Python switches to exponents at 1e16, Go's 'g' at 1e21.
		return s
	}
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

const yamlConfig = `# a service
version: 1
formatters:
  brief:
    format: "%(levelname)s %(message)s"
    defaults: {tenant: none, shard: 3}
handlers:
  console:
    class: logging.StreamHandler
    level: INFO
    formatter: brief
    stream: ext://sys.stdout
loggers:
  app.db:
    level: DEBUG
    propagate: no
    handlers: [console]
root:
  level: WARNING
  handlers: [console]
`

func TestParseYAML(t *testing.T) {
	cfg, err := ParseYAML([]byte(yamlConfig), "app.yaml")
	require.NoError(t, err)
	require.Len(t, cfg.Loggers, 2)
	assert.Equal(t, LoggerConfig{Key: "root", Name: "root", Level: zapcore.WarnLevel, Handlers: []string{"console"}, Propagate: true,
		Pos: Pos{File: "app.yaml", Line: 19, Column: 3, Section: "root"}}, cfg.Loggers[0])
	assert.Equal(t, LoggerConfig{Key: "app.db", Name: "app.db", Level: zapcore.DebugLevel, Handlers: []string{"console"}, Propagate: false,
		Pos: Pos{File: "app.yaml", Line: 15, Column: 5, Section: "loggers.app.db"}}, cfg.Loggers[1])
	require.Len(t, cfg.Handlers, 1)
	assert.Equal(t, "logging.StreamHandler", cfg.Handlers[0].Class)
	assert.Equal(t, map[string]Value{"stream": stdout}, cfg.Handlers[0].Kwargs)
	require.Len(t, cfg.Formatters, 1)
	assert.Equal(t, `{"shard": 3, "tenant": "none"}`, cfg.Formatters[0].Extra["defaults"], "defaults as the dict literal formatters read")
	assert.Empty(t, cfg.Warnings)
}

// TestParseYAMLRejects: every error names the file, line and column of the
// node at fault, the section and the key.
func TestParseYAMLRejects(t *testing.T) {
	tests := []struct {
		name, yaml   string
		is           error
		line, col    int
		section, key string
		msg          string
	}{
		{"unknown class", "version: 1\nhandlers:\n  h:\n    class: logging.Nope\n", ErrUnknownClass, 4, 12, "handlers.h", "class", `"logging.Nope"`},
		{"bad level", "version: 1\nloggers:\n  a:\n    level: LOUD\n", ErrBadLevel, 4, 12, "loggers.a", "level", `bad level "LOUD"`},
		{"factory", "version: 1\nfilters:\n  f:\n    (): my.Filter\n", ErrUnknownClass, 4, 5, "filters.f", "()", `"()" factories are not supported`},
		{"ext module", "version: 1\nhandlers:\n  h:\n    class: logging.StreamHandler\n    stream: ext://my.stream\n", ErrBadLiteral, 5, 13, "handlers.h", "stream", "only ext://sys.stdout"},
		{"cfg reference", "version: 1\nformatters:\n  f:\n    format: cfg://formatters.g\n", ErrBadLiteral, 4, 13, "formatters.f", "format", `"cfg://formatters.g"`},
		{"duplicate key", "version: 1\nroot:\n  level: INFO\n  level: DEBUG\n", ErrDuplicate, 4, 3, "", "", `key "level" is given twice in one mapping`},
		{"key not a string", "version: 1\nloggers:\n  404: {level: INFO}\n", ErrSyntax, 3, 3, "", "", "a key must be a string, not a number (quote it)"},
		{"timestamp argument", "version: 1\nhandlers:\n  h:\n    class: logging.StreamHandler\n    x: 2001-12-14\n", ErrBadLiteral, 5, 8, "handlers.h", "x", "PyYAML reads \"2001-12-14\" as one"},
		{"big number", "version: 1\nhandlers:\n  h:\n    class: logging.StreamHandler\n    x: 99999999999999999999\n", ErrBadLiteral, 5, 8, "handlers.h", "x", "out of range"},
		{"second document", "version: 1\n---\nversion: 1\n", ErrSyntax, 2, 1, "", "", "a second YAML document"},
		{"application tag", "version: 1\nroot: !!python/object:os.system {}\n", ErrSyntax, 2, 7, "", "", "tag !!python/object:os.system is not supported"},
		{"wrong tag", "version: !!int one\n", ErrSyntax, 1, 10, "", "", `"one" is not a !!int`},
		{"self alias", "version: 1\nhandlers: &h\n  h: *h\n", ErrSyntax, 3, 6, "", "", "alias *h refers to the node that contains it"},
		{"not a mapping", "- version: 1\n", ErrSyntax, 1, 1, "", "", "the YAML config must be a mapping, not a list"},
		{"bad merge", "version: 1\nroot:\n  <<: [1]\n", ErrSyntax, 3, 7, "", "", "a merge key (<<) takes a mapping or a list of mappings"},
		{"version 2", "version: 2\n", ErrSyntax, 1, 10, "", "version", "unsupported version 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseYAML([]byte(tt.yaml), "app.yaml")
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.is)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "app.yaml", e.File)
			assert.Equal(t, [2]int{tt.line, tt.col}, [2]int{e.Line, e.Column}, "%v", err)
			assert.Equal(t, tt.section, e.Section)
			assert.Equal(t, tt.key, e.Key)
			assert.Contains(t, err.Error(), tt.msg)
			assert.True(t, strings.HasPrefix(err.Error(), fmt.Sprintf("logcfg: app.yaml:%d:%d: ", tt.line, tt.col)), err.Error())
		})
	}
}

func TestParseYAMLSyntaxAndEncoding(t *testing.T) {
	_, err := ParseYAML([]byte("version: 1\nroot:\n  level: [INFO\n"), "app.yaml")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrSyntax)
	assert.Positive(t, e.Line, "the YAML reader's line")
	assert.Contains(t, err.Error(), "not a YAML document")

	for _, empty := range []string{"", "# only a comment\n", "---\n"} {
		_, err = ParseYAML([]byte(empty), "app.yaml")
		assert.ErrorIs(t, err, ErrSyntax, "%q", empty)
	}

	_, err = ParseYAML([]byte("version: 1\nroot:\n  level: INF\xffO\n"), "app.yaml")
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrEncoding)
	assert.Equal(t, 3, e.Line)

	cfg, err := ParseYAML([]byte("\xef\xbb\xbfversion: 1\n"), "app.yaml")
	require.NoError(t, err, "a BOM is allowed")
	assert.Equal(t, "root", cfg.Loggers[0].Name)
}

// TestYAMLMergeKeys: merge keys give what PyYAML gives: the mapping's own
// keys win over merged ones, and of a list of merged mappings the first
// listed wins.
func TestYAMLMergeKeys(t *testing.T) {
	doc := `base: &base {a: 1, b: 1, c: 1}
other: &other {b: 2, d: 2}
m1: {<<: *base, c: 3}
m2: {<<: [*other, *base], e: 5}
m3:
  <<: *base
  "<<": quoted
`
	stdout, _ := lltest.RunPythonInput(t, time.Minute, doc, `
import json, sys, yaml
d = yaml.safe_load(sys.stdin.read())
print(json.dumps({k: d[k] for k in ("m1", "m2", "m3")}, sort_keys=True))
`)
	var py map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &py))
	top, err := readYAML(doc)
	require.NoError(t, err)
	got := map[string]map[string]any{}
	for _, k := range []string{"m1", "m2", "m3"} {
		got[k] = map[string]any{}
		for _, e := range top.get(k).entries {
			if e.val.kind == dInt {
				got[k][e.key] = float64(e.val.i)
			} else {
				got[k][e.key] = e.val.s
			}
		}
	}
	assert.Equal(t, py, got)
}

// billionLaughs is n levels of aliases, each a list of k of the level
// before: k^n nodes once expanded, in a few hundred bytes.
func billionLaughs(k, n int) string {
	var b strings.Builder
	b.WriteString("version: 1\nl0: &l0 [x]\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), k), ", "))
	}
	b.WriteString("handlers:\n  h:\n    class: test.Recorder\n    x: *l" + strconv.Itoa(n) + "\n")
	return b.String()
}

// TestYAMLAliasBomb: aliases that expand past MaxYAMLNodes are refused,
// after work linear in the input; aliases within it are read as PyYAML
// reads them, and the whole parse's work stays linear too.
func TestYAMLAliasBomb(t *testing.T) {
	for _, tc := range []struct{ k, n int }{{2, 4}, {9, 4}, {9, 9}, {10, 30}} {
		data := billionLaughs(tc.k, tc.n)
		var work int
		_, err := ParseYAML([]byte(data), "bomb.yaml", countWork{&work}, WithRegistry(newTestRegistry().Registry))
		expanded := math.Pow(float64(tc.k), float64(tc.n))
		t.Logf("k=%d n=%d: %d bytes, %.3g nodes expanded, work %d", tc.k, tc.n, len(data), expanded, work)
		assert.LessOrEqual(t, work, 2*(len(data)+ini.WorkBase)+2, "work within the budget")
		if expanded < float64(ini.WorkBase) {
			assert.NoError(t, err)
			continue
		}
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrSyntax)
		assert.Contains(t, err.Error(), "refused as an alias bomb")
		assert.LessOrEqual(t, len(err.Error()), 1024)
	}
}

// TestYAMLBoundsLists: big configs cost work linear in their size, and
// their errors and warnings stay capped.
func TestYAMLBoundsLists(t *testing.T) {
	gen := map[string]func(n int) string{
		"undefined handlers": func(n int) string {
			var b strings.Builder
			b.WriteString("version: 1\nroot:\n  handlers:\n")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "    - h%d\n", i)
			}
			return b.String()
		},
		"unknown keys": func(n int) string {
			var b strings.Builder
			b.WriteString("version: 1\n")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "k%d: %d\n", i, i)
			}
			return b.String()
		},
		"loggers": func(n int) string {
			var b strings.Builder
			b.WriteString("version: 1\nloggers:\n")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "  app.l%d: {level: DEBUG, propagate: no}\n", i)
			}
			return b.String()
		},
	}
	for name, g := range gen {
		t.Run(name, func(t *testing.T) {
			var perByte []float64
			for _, n := range []int{1000, 10000, 50000} {
				data := g(n)
				var work int
				cfg, err := ParseYAML([]byte(data), "bounds.yaml", countWork{&work})
				perByte = append(perByte, float64(work)/float64(len(data)))
				assert.LessOrEqual(t, work, workPerByte*len(data)+ini.WorkBase)
				if err != nil {
					assert.LessOrEqual(t, len(err.Error()), MaxErrorText)
					assert.LessOrEqual(t, strings.Count(err.Error(), "\n"), 11, "problems listed")
				} else {
					assert.LessOrEqual(t, len(cfg.Warnings), maxWarnings+1)
				}
			}
			t.Logf("work per byte: %v", perByte)
			assert.LessOrEqual(t, perByte[2], perByte[0]*1.25+0.5)
		})
	}
}
