package handlers_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg/handlers"
)

// Check refuses what Python's constructor would, and what livelog does not
// do, saying why; Open refuses the same, before building anything.
// (SystemdHandler and JournalHandler have their own tables.)
func TestCheckRefusesBadArguments(t *testing.T) {
	for _, tc := range []struct{ class, args, kwargs, want string }{
		{"StreamHandler", "('x',)", "{}", `stream must be sys.stdout or sys.stderr, not the string "x"`},
		{"StreamHandler", "(sys.stdout, 1)", "{}", "StreamHandler takes at most 1 arguments"},
		{"StreamHandler", "()", "{'strm': sys.stdout}", `StreamHandler has no argument "strm"`},
		{"FileHandler", "()", "{}", "FileHandler needs filename"},
		{"FileHandler", "(1,)", "{}", "filename must be a non-empty string, not the number 1"},
		{"FileHandler", "('a.log', 'r')", "{}", `mode "r": 'r' opens the file for reading`},
		{"FileHandler", "('a.log', 'ab')", "{}", `mode "ab": binary modes are not supported, text modes only`},
		{"FileHandler", "('a.log', 5)", "{}", `mode must be a string such as 'a' or 'w', not the number 5`},
		{"FileHandler", "('a.log',)", "{'encoding': 'latin-1'}", `encoding must be 'utf-8' (livelog writes UTF-8), not the string "latin-1"`},
		{"FileHandler", "('a.log',)", "{'filename': 'b.log'}", "got filename twice"},
		{"RotatingFileHandler", "('a.log', 'a', 'big')", "{}", `maxBytes must be a whole number, not the string "big"`},
		{"RotatingFileHandler", "('a.log', 'a', 100)", "{'backupCount': 'x'}", "backupCount must be a whole number, not the string \"x\" (Python takes it, then fails at its first rollover)"},
		{"RotatingFileHandler", "('a.log',)", "{'maxbytes': 10}", `has no argument "maxbytes" (did you mean "maxBytes"?)`},
		{"NullHandler", "('loud',)", "{}", `NullHandler level must be a level such as DEBUG or 'DEBUG', or a number, not the string "loud"`},
		{"NullHandler", "(1, 2)", "{}", "NullHandler takes at most 1 arguments"},
		{"SysLogHandler", "(('localhost', 'x'),)", "{}", "address must be a socket path like '/dev/log' or a tuple ('host', port)"},
		{"SysLogHandler", "(('localhost', 70000),)", "{}", "address must be"},
		{"SysLogHandler", "()", "{'facility': 'local9'}", "facility must be a name like 'local0' or a number 0-23"},
		{"SysLogHandler", "()", "{'socktype': 3}", "socktype must be 1 (SOCK_STREAM) or 2 (SOCK_DGRAM)"},
	} {
		t.Run(tc.class+tc.args+tc.kwargs, func(t *testing.T) {
			c, a := builtin(t, tc.class), classArgs(t, tc.class, tc.args, tc.kwargs)
			err := c.Check(a)
			require.Error(t, err)
			assert.ErrorIs(t, err, handlers.ErrBadArgs)
			assert.Contains(t, err.Error(), tc.want)
			if tc.class == "NullHandler" {
				return // openNull opens nothing and does not check again
			}
			var outs []*os.File
			_, err = c.Open(a, consoleEncoder(&outs))
			assert.ErrorIs(t, err, handlers.ErrBadArgs)
			assert.Empty(t, outs, "nothing is built")
		})
	}
}

// A file handler takes exactly the encodings CPython's codecs.lookup
// resolves to UTF-8 (livelog writes UTF-8): every alias in
// encodings.aliases, and spellings lookup normalises to one of them or to
// nothing.
func TestEncodingNamesMatchPython(t *testing.T) {
	candidates := []string{"utf-8", "UTF8", "utf_8", "U8", "utf", "cp65001", "Utf-8", " utf 8 ", "utf--8", "utf@8", "utf+8",
		"u_8", "ut-f8", "utf.8", "utf8mb4", "UTF-8-SIG", "utf-16", "latin-1", "ascii"}
	in, err := json.Marshal(candidates)
	require.NoError(t, err)
	out := lltest.RunPython(t, time.Minute, `
import codecs, encodings.aliases, json, sys
names = json.loads(sys.argv[1]) + sorted(k for k, v in encodings.aliases.aliases.items() if v == "utf_8")
def utf8(name):
    try:
        return codecs.lookup(name).name == "utf-8"
    except LookupError:
        return False
print(json.dumps({n: utf8(n) for n in names}))
`, string(in))
	var python map[string]bool
	require.NoError(t, json.Unmarshal([]byte(out), &python))
	require.Greater(t, len(python), len(candidates), "the aliases were added")
	for _, class := range []string{"FileHandler", "RotatingFileHandler", "WatchedFileHandler"} {
		for name, utf8 := range python {
			err := builtin(t, class).Check(classArgs(t, class, "('a.log',)", fmt.Sprintf("{'encoding': %q}", name)))
			if utf8 {
				assert.NoError(t, err, "%s encoding=%q: CPython's codecs resolve it to UTF-8", class, name)
				continue
			}
			assert.ErrorIs(t, err, handlers.ErrBadArgs, "%s encoding=%q: CPython's codecs do not resolve it to UTF-8", class, name)
		}
	}
}
