package pylit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// evalNames evaluates each name of stdin (a JSON list) as fileConfig
// evaluates args=: eval(name, vars(logging)) after logging.config is
// imported. It prints {name: null} where Python fails, else the value's
// kind and value.
const evalNames = `
import json, logging, logging.config, socket, sys
out = {}
for name in json.load(sys.stdin):
    try:
        v = eval(name, dict(vars(logging)))
    except Exception:
        out[name] = None
        continue
    if v is sys.stdout or v is sys.stderr:
        out[name] = ["stream", name.split(".")[-1]]
    elif v is None or isinstance(v, bool):
        out[name] = ["const", repr(v)]
    elif isinstance(v, int):
        out[name] = ["int", int(v)]
    else:
        out[name] = ["other", repr(v)]
print(json.dumps(out))
`

// refusedOnPurpose are names Python resolves that livelog refuses, and why.
var refusedOnPurpose = map[string]string{
	"sys.stdin": "no handler can write to standard input",
	// Python's namespace reaches any module attribute; the table holds
	// only what handler arguments use.
	"os.sep":                  "not a handler argument",
	"handlers.socket.AF_INET": "not a handler argument",
}

// candidates are the table's names and their spellings with and without
// the logging., handlers. and socket. prefixes.
func candidates() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, n := range Names() {
		add(n)
		add("logging." + n)
		if rest, ok := strings.CutPrefix(n, "handlers."); ok {
			add(rest)
			add("logging.handlers." + rest)
			if s, ok := strings.CutPrefix(rest, "socket."); ok {
				add("socket." + s)
				add(s)
			}
			if s, ok := strings.CutPrefix(rest, "SysLogHandler."); ok {
				add("SysLogHandler." + s)
				add(s)
			}
		}
	}
	for n := range refusedOnPurpose {
		add(n)
	}
	add("logging.handlers.SysLogHandler.LOG_LOCAL0")
	return out
}

func TestNamesMatchPython(t *testing.T) {
	names := candidates()
	in, err := json.Marshal(names)
	require.NoError(t, err)
	out, _ := lltest.RunPythonInput(t, time.Minute, string(in), evalNames)
	var py map[string][]any
	require.NoError(t, json.Unmarshal([]byte(out), &py))
	require.Len(t, py, len(names))
	resolved := 0
	for _, n := range names {
		got, ok := Lookup(n)
		want := py[n]
		if why, refused := refusedOnPurpose[n]; refused {
			assert.NotNil(t, want, "%s: Python resolves it", n)
			assert.False(t, ok, "%s is refused on purpose: %s", n, why)
			continue
		}
		if want == nil {
			assert.False(t, ok, "%s: Python's namespace does not resolve it, livelog must refuse it", n)
			_, err := Parse("("+n+",)", nil)
			assert.ErrorContains(t, err, "is not allowed", n)
			continue
		}
		resolved++
		if !assert.True(t, ok, "%s: Python resolves it to %v, livelog refuses it", n, want) {
			continue
		}
		switch want[0] {
		case "stream":
			assert.Equal(t, Value{Kind: KindStream, Str: want[1].(string)}, got, n)
		case "int":
			assert.Equal(t, Value{Kind: KindInt, Int: int64(want[1].(float64))}, got, n)
		case "const":
			assert.Equal(t, want[1], map[Kind]string{KindNone: "None", KindBool: map[bool]string{true: "True", false: "False"}[got.Bool]}[got.Kind], n)
		default:
			t.Errorf("%s: Python gives %v, which the table cannot hold", n, want)
		}
		v, err := Parse("("+n+",)", nil)
		require.NoError(t, err, n)
		assert.Equal(t, got, v.Items[0], n)
	}
	assert.Equal(t, len(Names()), resolved, "every name of the table resolves in Python")
}

func TestKeystoneSyslogArgs(t *testing.T) {
	v, err := Parse(`(('localhost', handlers.SYSLOG_UDP_PORT), handlers.SysLogHandler.LOG_LOCAL0)`, nil)
	require.NoError(t, err)
	assert.Equal(t, tup(tup(str("localhost"), num(514)), num(16)), v)
}

func TestUnknownNameHints(t *testing.T) {
	tests := []struct{ src, want string }{
		{"logging.handlers.SYSLOG_UDP_PORT", "logging itself is not defined (a NameError): write handlers.SYSLOG_UDP_PORT"},
		{"logging.DEBUG", "write DEBUG"},
		{"SYSLOG_UDP_PORT", "write handlers.SYSLOG_UDP_PORT"},
		{"socket.SOCK_DGRAM", "write handlers.socket.SOCK_DGRAM"},
		{"sys.stdot", "did you mean sys.stdout?"},
		{"handlers.SysLogHandler.LOG_LOCAL9", "did you mean handlers.SysLogHandler.LOG_LOCAL0?"},
		{"frobnicate", "allowed: True, False, None, sys.stdout"},
	}
	for _, tt := range tests {
		_, err := Parse("("+tt.src+",)", nil)
		assert.ErrorContains(t, err, tt.want, tt.src)
	}
	_, err := Parse("("+strings.Repeat("x", 5000)+",)", nil)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 1200, "a long name is clipped")
	assert.NotContains(t, err.Error(), "did you mean")
}

func TestClosest(t *testing.T) {
	levels := []string{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "NOTSET"}
	assert.Equal(t, "WARNING", Closest("WARNIG", levels))
	assert.Equal(t, "INFO", Closest("info", levels))
	assert.Equal(t, "DEBUG", Closest("DEBGU", levels))
	assert.Equal(t, "", Closest("VERBOSE", levels), "not close to any")
	assert.Equal(t, "", Closest("X", levels))
	assert.Equal(t, "RotatingFileHandler", Closest("RotatingFilehandler", []string{"FileHandler", "RotatingFileHandler"}))
}
