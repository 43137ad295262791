package ini

import (
	"encoding/json"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// configparserScript reads each argument (a JSON {"text", "defaults"}) as
// fileConfig does, with configparser.ConfigParser(defaults) and a file
// read with universal newlines, and prints per argument either the error
// class or the sections (own raw keys, in order), [DEFAULT] and every
// value of every section as get() interpolates it.
const configparserScript = `
import configparser, io, json, sys
out = []
for arg in sys.argv[1:]:
    case = json.loads(arg)
    cp = configparser.ConfigParser(case["defaults"])
    try:
        cp.read_file(io.StringIO(case["text"], newline=None))
    except configparser.Error as e:
        out.append({"error": type(e).__name__})
        continue
    got = {}
    for name in cp.sections():
        got[name] = {}
        for k in cp.options(name):
            try:
                got[name][k] = cp.get(name, k)
            except configparser.Error as e:
                got[name][k] = {"error": type(e).__name__}
    out.append({
        "sections": [[name, dict(cp._sections[name])] for name in cp.sections()],
        "defaults": dict(cp._defaults),
        "get": got,
    })
print(json.dumps(out))
`

// configparserCases are read by Read and Scope, and by configparser.
var configparserCases = []struct {
	name, text string
	defaults   map[string]string
}{
	{"continuations, blank and comment lines, headers, CRLF and CR",
		"[a]\r\nx = 1\r\n  2\r\n\r\n; c\r\n   3\r\n[b]]x]\n  k : v = w\n  i=1\n[a b]\rA=\r", nil},
	{"colon delimiters, spaces and case", "[S]\nKeys : root , app\nLevel: DEBUG\n  more : text\n\tTab=1\n", nil},
	{"# and ; are comments only at the start of a line", "[s]\n# c\n  ; c\nclass = StreamHandler # kept\nformat = %% ; kept too\n", nil},
	{"trailing blank lines of a value are dropped", "[s]\nk = a\n\n  b\n\n\n[t]\nk=\n", nil},
	{"two DEFAULT sections merge", "[DEFAULT]\na=1\n[s]\n[DEFAULT]\nb=%(a)s2\n", nil},
	{"duplicate section", "[a]\n[b]\n[a]\n", nil},
	{"duplicate key differing in case", "[a]\nK=1\nk: 2\n", nil},
	{"duplicate key across two DEFAULT sections", "[DEFAULT]\na=1\n[DEFAULT]\na=2\n", nil},
	{"a duplicate key fails before an earlier stray line", "[a]\nprince\n  k=1\nk=2\n", nil},
	{"stray line", "[a]\nk=1\nprince\n", nil},
	{"stray line, then a deeper one", "[a]\nk=1\nprince\n  more\n", nil},
	{"key before any section", "level=INFO\n[a]\n", nil},
	{"no key before the delimiter", "[a]\n= 1\n", nil},
	{"interpolation from the section, DEFAULT and the caller", `[DEFAULT]
lvl = DEBUG
logdir = %(here)s/logs
from_section = %(own)s!
[h]
own = mine
level = %(LVL)s
args = ('%(logdir)s/app.log', 'a')
format = 100%% %(from_section)s
[other]
lvl = ERROR
level = %(lvl)s
`, map[string]string{"here": "/srv/app", "lvl": "INFO"}},
	{"bad references", `[DEFAULT]
a=%(b)s
b=%(a)s
[s]
cycle = %(a)s
missing = %(nope)s
empty = %()s
no_s = %(a)d
lone = 50%
ok = fine
`, map[string]string{"fmt": "%(asctime)s %(bogus", "x": "100%"}},
}

// TestReadMatchesConfigparser checks Read and Scope against Python's
// configparser: the same verdict, sections, raw values and interpolated
// values, and an error where configparser raises one.
func TestReadMatchesConfigparser(t *testing.T) {
	args := make([]string, len(configparserCases))
	for i, c := range configparserCases {
		b, err := json.Marshal(map[string]any{"text": c.text, "defaults": c.defaults})
		require.NoError(t, err)
		args[i] = string(b)
	}
	var verdicts []struct {
		Error    string
		Sections [][2]json.RawMessage
		Defaults map[string]string
		Get      map[string]map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(lltest.RunPython(t, time.Minute, configparserScript, args...)), &verdicts))
	require.Len(t, verdicts, len(configparserCases))
	for i, c := range configparserCases {
		t.Run(c.name, func(t *testing.T) {
			py := verdicts[i]
			doc, err := Read([]byte(c.text), "f")
			if py.Error != "" {
				require.Error(t, err, "configparser raises %s", py.Error)
				want := map[string]error{"DuplicateSectionError": ErrDuplicate, "DuplicateOptionError": ErrDuplicate,
					"MissingSectionHeaderError": ErrSyntax, "ParsingError": ErrSyntax}[py.Error]
				assert.ErrorIs(t, err, want, "configparser raises %s", py.Error)
				return
			}
			require.NoError(t, err)

			var names []string
			for j, s := range py.Sections {
				var name string
				var keys map[string]string
				require.NoError(t, json.Unmarshal(s[0], &name))
				require.NoError(t, json.Unmarshal(s[1], &keys))
				names = append(names, name)
				require.Less(t, j, len(doc.Sections))
				assert.Equal(t, keys, rawKeys(doc.Sections[j]), "raw keys of [%s]", name)
			}
			var got []string
			for _, s := range doc.Sections {
				got = append(got, s.Name)
			}
			assert.Equal(t, names, got, "sections in file order")
			defaults := maps.Clone(c.defaults)
			if defaults == nil {
				defaults = map[string]string{}
			}
			maps.Copy(defaults, rawKeys(doc.Defaults))
			assert.Equal(t, py.Defaults, defaults, "[DEFAULT] over the caller's defaults")

			sc := NewScope(doc, c.defaults)
			for _, s := range doc.Sections {
				for key, want := range py.Get[s.Name] {
					v, ok, err := sc.Get(s, key)
					require.True(t, ok, "[%s] %s", s.Name, key)
					if pyErr, failed := want.(map[string]any); failed {
						assert.ErrorIs(t, err, ErrInterpolation, "[%s] %s: configparser raises %v", s.Name, key, pyErr["error"])
						var e *Error
						assert.True(t, errors.As(err, &e))
						continue
					}
					require.NoError(t, err, "[%s] %s", s.Name, key)
					assert.Equal(t, want, v.Text, "[%s] %s", s.Name, key)
				}
			}
		})
	}
}

// rawKeys is s's own keys and raw values.
func rawKeys(s *Section) map[string]string {
	m := map[string]string{}
	for _, k := range s.Keys {
		m[k.Name] = k.Value
	}
	return m
}
