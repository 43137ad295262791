package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// pyLoads runs CPython's fileConfig on argv[1] with here=argv[2] and
// prints the handler names it made, or the exception's name.
const pyLoads = `
import json, logging, logging.config, sys
try:
    logging.config.fileConfig(sys.argv[1], defaults={"here": sys.argv[2]})
    print(json.dumps(sorted(logging._handlers.keys())))
except Exception as e:
    print(type(e).__name__)
logging.shutdown()
`

// handlerKeys are the keys= of a config's [handlers] section.
func handlerKeys(t *testing.T, path string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\[handlers\]\nkeys=(.*)$`).FindStringSubmatch(readString(t, path))
	require.NotNil(t, m, path)
	return regexp.MustCompile(`\s*,\s*`).Split(m[1], -1)
}

// pushcfg check accepts every argument form of TimedRotatingFileHandler
// and MemoryHandler (every when, positional and keyword arguments,
// levels by name and number, targets, a chain of MemoryHandlers, atTime),
// lists every handler, and opens no file. CPython's fileConfig loads the
// same file (all but atTime, which it cannot evaluate).
func TestCheckTimedAndMemoryHandlers(t *testing.T) {
	for _, c := range []struct{ file, python string }{
		{"testdata/timed_memory.conf", ""},
		{"testdata/timed_attime.conf", "NameError"},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			dir := t.TempDir()
			keys := handlerKeys(t, c.file)
			require.NotEmpty(t, keys)

			code, out, errOut := runCmd(t, "check", "--json", "--default", "here="+dir, c.file)
			require.Equal(t, exitOK, code, errOut)
			for _, k := range keys {
				assert.Contains(t, out, `"`+k+`"`, "handler %s is listed", k)
			}
			code, out, errOut = runCmd(t, "check", "--default", "here="+dir, c.file)
			require.Equal(t, exitOK, code, errOut)
			for _, k := range keys {
				assert.Regexp(t, `(?m)^  `+regexp.QuoteMeta(k)+` +(TimedRotatingFileHandler|MemoryHandler) `, out)
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "check opens no handler")

			py := lltest.RunPython(t, time.Minute, pyLoads, c.file, t.TempDir())
			if c.python != "" {
				assert.Contains(t, py, c.python)
				return
			}
			var made []string
			require.NoError(t, json.Unmarshal([]byte(py), &made), py)
			assert.ElementsMatch(t, keys, made, "CPython makes the same handlers")
		})
	}
}
