package handlers_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
		{"FileHandler", "('a.log', 'r')", "{}", `mode must be 'a' or 'w', not the string "r"`},
		{"FileHandler", "('a.log',)", "{'encoding': 'latin-1'}", `encoding must be 'utf-8' (livelog writes UTF-8), not the string "latin-1"`},
		{"FileHandler", "('a.log',)", "{'filename': 'b.log'}", "got filename twice"},
		{"RotatingFileHandler", "('a.log', 'a', -1)", "{}", "maxBytes must be a whole number >= 0, not the number -1"},
		{"RotatingFileHandler", "('a.log',)", "{'backupCount': 'x'}", "backupCount must be a whole number"},
		{"RotatingFileHandler", "('a.log',)", "{'maxbytes': 10}", `has no argument "maxbytes" (did you mean "maxBytes"?)`},
		{"WatchedFileHandler", "('a.log',)", "{'delay': 'no'}", "delay must be True or False"},
		{"NullHandler", "(1,)", "{}", "NullHandler takes at most 0 arguments"},
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

// Every name CPython's codecs resolve to UTF-8 is accepted as a file
// handler's encoding.
func TestCheckAcceptsUTF8Names(t *testing.T) {
	for _, class := range []string{"FileHandler", "RotatingFileHandler", "WatchedFileHandler"} {
		for _, name := range []string{"utf-8", "UTF8", "utf_8", "U8", "utf", "cp65001", "Utf-8", " utf 8 "} {
			err := builtin(t, class).Check(classArgs(t, class, "('a.log',)", fmt.Sprintf("{'encoding': %q}", name)))
			assert.NoError(t, err, "%s encoding=%q", class, name)
		}
	}
}
