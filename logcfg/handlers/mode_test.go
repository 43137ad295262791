package handlers_test

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
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg/handlers"
)

// pythonModes runs each case of stdin (JSON [[path, mode, class], ...]) in
// CPython: the handler is made (opening the file, delay=False), one
// record "new" is logged, the handler closed. It prints, per case, whether
// the record reached the file and the file's text (null if none).
const pythonModes = `
import json, logging, logging.handlers, sys
logging.raiseExceptions = False
out = []
for path, mode, cls in json.load(sys.stdin):
    ok = True
    try:
        h = getattr(logging.handlers, cls, None) or getattr(logging, cls)
        h = h(path, mode)
        h.setFormatter(logging.Formatter("%(message)s"))
        r = logging.makeLogRecord({"msg": "new", "levelno": 20, "levelname": "INFO"})
        h.emit(r)
        h.close()
    except Exception as e:
        ok = False
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        text = None
    out.append({"ok": ok and text is not None and text.endswith("new\n"), "text": text})
print(json.dumps(out))
`

// File modes are Python's text modes: a, w, x with t and +, in any order;
// each leaves the same file as CPython's FileHandler (on a file that
// exists and on one that does not), and every mode CPython cannot log
// with (binary, read, malformed) is refused when the config is checked,
// or for 'x' on an existing file, when the handler opens.
func TestFileModesMatchPython(t *testing.T) {
	modes := []string{"a", "w", "x", "at", "wt", "a+", "w+", "x+", "ta", "+a", "at+", "xt",
		"ab", "wb", "r", "r+", "aw", "aa", "q", "", "U", "a t", "wtb"}
	type fileCase struct {
		mode, class string
		exists      bool
		goPath      string
		pyPath      string
	}
	dir := t.TempDir()
	var cases []fileCase
	var pyIn [][]string
	for i, m := range modes {
		for _, class := range []string{"FileHandler", "WatchedFileHandler"} {
			for _, exists := range []bool{true, false} {
				c := fileCase{mode: m, class: class, exists: exists,
					goPath: filepath.Join(dir, fmt.Sprintf("go-%d-%s-%v.log", i, class, exists)),
					pyPath: filepath.Join(dir, fmt.Sprintf("py-%d-%s-%v.log", i, class, exists))}
				if exists {
					require.NoError(t, os.WriteFile(c.goPath, []byte("old\n"), 0o600))
					require.NoError(t, os.WriteFile(c.pyPath, []byte("old\n"), 0o600))
				}
				cases = append(cases, c)
				pyIn = append(pyIn, []string{c.pyPath, m, class})
			}
		}
	}
	in, err := json.Marshal(pyIn)
	require.NoError(t, err)
	out, _ := lltest.RunPythonInput(t, time.Minute, string(in), pythonModes)
	var py []struct {
		OK   bool    `json:"ok"`
		Text *string `json:"text"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &py))
	require.Len(t, py, len(cases))
	for i, c := range cases {
		name := fmt.Sprintf("%s(%q) on a file that exists=%v", c.class, c.mode, c.exists)
		cls := builtin(t, c.class)
		a := classArgs(t, c.class, fmt.Sprintf("(%q, %q)", c.goPath, c.mode), "")
		err := cls.Check(a)
		if !py[i].OK {
			if err == nil {
				var o handlers.Output
				o, err = cls.Open(a, consoleEncoder(new([]*os.File)))
				if err == nil {
					assert.NoError(t, o.Close())
				}
			}
			assert.Error(t, err, "%s: CPython cannot log with it", name)
			if strings.HasSuffix(c.mode, "b") {
				assert.ErrorContains(t, err, "text modes only", name)
			}
			got, readErr := os.ReadFile(c.goPath)
			if c.exists {
				require.NoError(t, readErr)
				assert.Equal(t, "old\n", string(got), "%s: a refused mode leaves the file alone", name)
			} else {
				assert.ErrorIs(t, readErr, os.ErrNotExist, "%s: a refused mode creates no file", name)
			}
			continue
		}
		if why, ok := stricterModes[c.mode]; ok {
			assert.Error(t, err, "%s: livelog refuses it on purpose: %s", name, why)
			continue
		}
		require.NoError(t, err, "%s: CPython logs with it", name)
		o, err := cls.Open(a, plainEncoder)
		require.NoError(t, err, name)
		zap.New(o.Core).Info("new")
		require.NoError(t, o.Close())
		got, err := os.ReadFile(c.goPath)
		require.NoError(t, err)
		assert.Equal(t, *py[i].Text, string(got), name)
	}
}

// stricterModes are modes CPython logs with that livelog refuses, and why
// (the README's differences list them).
var stricterModes = map[string]string{
	"r+": "it writes over the file from its start, record by record; no handler means that",
}

// plainEncoder writes the message alone, as Formatter("%(message)s").
var plainEncoder = func(*os.File) (zapcore.Encoder, error) {
	return zapcore.NewConsoleEncoder(zapcore.EncoderConfig{MessageKey: "msg"}), nil
}

// MoinMoin's FileHandler args parse as a whole config.
func TestMoinMoinMode(t *testing.T) {
	dir := t.TempDir()
	ini := lltest.NewINI().Logger("root", "INFO", "file", true).
		Handler("file", "FileHandler", "", "f", "('%(dir)s/app.log', 'at')").
		Formatter("f", "%(message)s").String()
	tree := configTree(t, ini, dir)
	tree.Logger("moin").Info("hello")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"hello"}, lltest.Lines(t, filepath.Join(dir, "app.log")))
}
