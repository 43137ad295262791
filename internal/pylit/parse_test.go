package pylit

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func str(s string) Value   { return Value{Kind: KindString, Str: s} }
func num(n int64) Value    { return Value{Kind: KindInt, Int: n} }
func tup(v ...Value) Value { return Value{Kind: KindTuple, Items: append([]Value{}, v...)} }

var (
	stdout = Value{Kind: KindStream, Str: "stdout"}
	stderr = Value{Kind: KindStream, Str: "stderr"}
)

func TestParse(t *testing.T) {
	tests := []struct {
		src  string
		want Value
	}{
		{"()", tup()},
		{"tuple()", tup()},
		{"list( )", tup()},
		{"dict()", Value{Kind: KindDict, Dict: map[string]Value{}}},
		{"(sys.stdout,)", tup(stdout)},
		{"(sys.stderr, )", tup(stderr)},
		{"sys.stdout,", tup(stdout)},
		{"(sys.stdout)", stdout},
		{"('ext://sys.stdout',)", tup(stdout)},
		{`("ext://sys.stderr",)`, tup(stderr)},
		{"('ext://sys.stdin',)", tup(str("ext://sys.stdin"))},
		{"[1, 2,]", tup(num(1), num(2))},
		{"[(1, 2)]", tup(tup(num(1), num(2)))},
		{"[1]", tup(num(1))},
		{"((1,),)", tup(tup(num(1)))},
		{"'app.log', 'a'", tup(str("app.log"), str("a"))},
		{`("a" 'b' r"\n" u'c',)`, tup(str(`ab\nc`))},
		{`('it\'s', "tab\there", '\x41\u00e9\U0001F600\101\n', '\d')`, tup(str("it's"), str("tab\there"), str("Aé😀A\n"), str(`\d`))},
		{`(r'C:\logs\app.log', R"\"")`, tup(str(`C:\logs\app.log`), str(`\"`))},
		{`('''multi
line''', """x""")`, tup(str("multi\nline"), str("x"))},
		{"(0, -1, +2, 1_000, 0x1F, 0o17, 0b101, 000, - - 3)", tup(num(0), num(-1), num(2), num(1000), num(31), num(15), num(5), num(0), num(3))},
		{"(1.5, -.5, 5., 1e3, 2.5E-1, 1_0.0_1)", tup(
			Value{Kind: KindFloat, Float: 1.5}, Value{Kind: KindFloat, Float: -0.5}, Value{Kind: KindFloat, Float: 5},
			Value{Kind: KindFloat, Float: 1000}, Value{Kind: KindFloat, Float: 0.25}, Value{Kind: KindFloat, Float: 10.01})},
		{"(True, False, None)", tup(Value{Kind: KindBool, Bool: true}, Value{Kind: KindBool}, Value{Kind: KindNone})},
		{"(10, ERROR, handlers.SysLogHandler.LOG_LOCAL3)", tup(num(10), num(40), num(19))},
		{"{'stream': sys.stdout,}", Value{Kind: KindDict, Dict: map[string]Value{"stream": stdout}}},
		{`{"a": {"b": [1]}, 'c': ()}`, Value{Kind: KindDict, Dict: map[string]Value{
			"a": {Kind: KindDict, Dict: map[string]Value{"b": tup(num(1))}}, "c": tup()}}},
		{"(  # eval skips comments\n  'x', # here too\n)", tup(str("x"))},
		{"('a', \\\n 'b')", tup(str("a"), str("b"))},
		{"('/var/log/app.log', 'a', 10485760, 5)", tup(str("/var/log/app.log"), str("a"), num(10485760), num(5))},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := Parse(tt.src, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		src  string
		col  int    // 1-based column of the error
		want string // part of the message
	}{
		{"", 1, "empty value"},
		{"  # only a comment", 19, "empty value"},
		{"(foo,)", 2, `name "foo" is not allowed: livelog evaluates nothing`},
		{"(os.system('rm'),)", 2, "call os.system(...) is not allowed"},
		{"(__import__('os'),)", 2, "call __import__(...)"},
		{"tuple([1])", 1, "call tuple(...)"},
		{"(1+2,)", 3, "found '+' (livelog evaluates nothing: no operators)"},
		{"(-'a',)", 2, `unary "-" applies to numbers only`},
		{"(-True,)", 2, "unary"},
		{"('abc", 2, "unterminated string"},
		{"('ab\nc')", 2, "a line ends inside it"},
		{"(b'x',)", 2, `string prefix "b" is not supported`},
		{"(f'{x}',)", 2, `string prefix "f"`},
		{`('\N{DASH}',)`, 3, `\N{...}`},
		{`('\x4',)`, 3, `bad escape \x`},
		{`('\U00110000',)`, 3, `bad escape \U`},
		{"(1, 2", 6, `expected ')' to close the '(' at column 1`},
		{"[1, 2)", 6, `expected ']'`},
		{"{'a' 1}", 6, `expected ':' after dict key "a"`},
		{"{1: 2}", 2, "dict keys must be strings"},
		{"{'a', 'b'}", 5, "sets are not supported"},
		{"(017,)", 2, "leading zeros"},
		{"(1j,)", 2, "complex numbers"},
		{"(99999999999999999999,)", 2, "out of the 64-bit range"},
		{"(0x,)", 2, "not a Python number"},
		{"(1__0,)", 2, "not a Python number"},
		{"(1.2.3,)", 2, "not a Python number"},
		{"(1e,)", 2, "not a Python number"},
		{"() ()", 4, "unexpected '(' after the value"},
		{"(sys.stdout,) x", 15, "unexpected 'x' after the value"},
		{"(sys.stdin,)", 2, `name "sys.stdin" is not allowed`},
		{"(1,\n  é)", 3, "unexpected 'é'"},
		{strings.Repeat("(", 40) + strings.Repeat(")", 40), 34, "nested deeper than 32 levels"},
		{"-" + strings.Repeat("-", 40) + "1", 34, "nested deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := Parse(tt.src, nil)
			var e *Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Contains(t, e.Msg, tt.want)
			assert.Equal(t, e.Msg, err.Error(), "the message names no position of its own")
			assert.Equal(t, tt.col, column(tt.src, e.Offset), "column of %q", e.Msg)
			assert.Equal(t, tt.col, e.Column, "Column of %q", e.Msg)
		})
	}
}

// TestParseMatchesPythonEval checks the values against what
// Python's eval() (as fileConfig calls it) makes of the same text.
func TestParseMatchesPythonEval(t *testing.T) {
	srcs := []string{
		`("a" 'b' r"\n", '\x41\u00e9\101\d', """x""")`,
		"(0, -1, +2, 1_000, 0x1F, 0o17, 0b101, 000, - - 3)",
		"(1.5, -.5, 5., 1e3, 2.5E-1, 1_0.0_1, 1e-7)",
		"{'a': [1, (2,)], 'b': {'c': None}, 'd': True}",
		"('a', \\\n 'b',) # trailing",
	}
	// Python prints each eval result as JSON (tuples as lists,
	// None as null); both sides are compared as decoded JSON.
	script := `
import json, sys
for src in sys.argv[1:]:
    print(json.dumps(eval(src, {"__builtins__": {}})))
`
	out := lltest.RunPython(t, time.Minute, script, srcs...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, len(srcs))
	for i, src := range srcs {
		v, lerr := Parse(src, nil)
		require.NoError(t, lerr, src)
		var want any
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &want))
		b, err := json.Marshal(plain(v))
		require.NoError(t, err)
		var got any
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, want, got, src)
	}
}

// plain turns v into Go values that encoding/json renders as Python's json
// renders the same literal.
func plain(v Value) any {
	switch v.Kind {
	case KindBool:
		return v.Bool
	case KindInt:
		return v.Int
	case KindFloat:
		return v.Float
	case KindString:
		return v.Str
	case KindTuple:
		items := make([]any, len(v.Items))
		for i, it := range v.Items {
			items[i] = plain(it)
		}
		return items
	case KindDict:
		d := map[string]any{}
		for k, e := range v.Dict {
			d[k] = plain(e)
		}
		return d
	}
	return nil
}

func TestParseWhere(t *testing.T) {
	where := func(off int) string { return "line 7, offset " + strings.Repeat("I", off+1) }
	_, err := Parse("[1,\n 2", where)
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "expected ']' to close the '[' at line 7, offset I, found end of value", e.Msg)
	assert.Equal(t, [2]int{6, 3}, [2]int{e.Offset, e.Column}, "the column counts from the start of the error's line")
}

func TestEmptyCallsShareNothing(t *testing.T) {
	a, err := Parse("dict()", nil)
	require.NoError(t, err)
	a.Dict["k"] = str("v")
	b, err := Parse("dict()", nil)
	require.NoError(t, err)
	assert.Empty(t, b.Dict)
}
