package logcfg

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// iniWith is a config whose one handler h (to stdout, formatter f) has the
// given class and args, and whose formatter f has the given lines.
func iniWith(class, args, formatter string) string {
	return pyHead + "\n[handler_h]\nclass=" + class + "\nformatter=f\nargs=" + args + "\n[formatter_f]\n" + formatter + "\n"
}

// Everything WithPythonCheck reports is something CPython really rejects
// or fails on, and every config here that CPython loads and logs through
// gets no report. Each config parses in livelog.
func TestPythonCheckMatchesPython(t *testing.T) {
	dir := t.TempDir()
	out := "(sys.stdout,)"
	file := "('%(dir)s/app.log',)"
	cases := map[string]string{
		"bare rotating class":          iniWith("RotatingFileHandler", file, ""),
		"handlers. rotating class":     iniWith("handlers.RotatingFileHandler", file, ""),
		"full rotating class":          iniWith("logging.handlers.RotatingFileHandler", file, ""),
		"wrong module handlers.Stream": iniWith("handlers.StreamHandler", out, ""),
		"wrong module logging.SysLog":  iniWith("logging.SysLogHandler", "()", ""),
		"livelog's SystemdHandler":     iniWith("SystemdHandler", out, ""),
		"logging. name with a comment": iniWith("logging.StreamHandler # to stdout", out, ""),
		"eval name with a comment":     iniWith("StreamHandler # to stdout", out, ""),
		"logging. name on a new line":  iniWith("\n    logging.StreamHandler", out, ""),
		"eval name on a new line":      iniWith("\n    StreamHandler", out, ""),
		"ext:// stream in args":        iniWith("StreamHandler", "('ext://sys.stdout',)", ""),
		"ext:// stream in kwargs":      strings.Replace(iniWith("StreamHandler", "()", ""), "args=()", "kwargs={'stream': 'ext://sys.stderr'}", 1),
		"bare Formatter class":         iniWith("StreamHandler", out, "class=Formatter"),
		"full Formatter class":         iniWith("StreamHandler", out, "class=logging.Formatter"),
		"livelog's ColorFormatter":     iniWith("StreamHandler", out, "class=ColorFormatter"),
		"formatter defaults":           iniWith("StreamHandler", out, "format=%(app)s %(message)s\ndefaults={'app': 'svc'}"),
		"plain stream":                 iniWith("StreamHandler", out, "format=%(levelname)s %(message)s"),
		"dict bare class": `{"version": 1, "handlers": {"h": {"class": "StreamHandler", "stream": "ext://sys.stdout"}},
			"root": {"handlers": ["h"]}}`,
		"dict full class": `{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
			"root": {"handlers": ["h"]}}`,
		"dict handlers. class": `{"version": 1, "handlers": {"h": {"class": "handlers.WatchedFileHandler", "filename": "` +
			filepath.ToSlash(filepath.Join(dir, "w.log")) + `"}}, "root": {"handlers": ["h"]}}`,
		"dict ColorFormatter": `{"version": 1, "formatters": {"f": {"class": "ColorFormatter", "format": "%(message)s"}},
			"handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}}, "root": {"handlers": ["h"]}}`,
	}
	reg := WithRegistry(NewRegistry())
	i := 0
	for name, text := range cases {
		i++
		ext := ".ini"
		if strings.HasPrefix(text, "{") {
			ext = ".json"
		}
		path := filepath.Join(dir, fmt.Sprintf("case%02d%s", i, ext))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
		t.Run(name, func(t *testing.T) {
			var diffs []Warning
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			_, err = ParsePayload(data, path, reg, WithDefaults(map[string]string{"dir": dir}), WithPythonCheck(&diffs))
			require.NoError(t, err, "livelog loads it")
			why := lltest.PythonRejects(t, path, dir)
			if why == "" {
				assert.Empty(t, diffs, "CPython loads it and logs through it")
				return
			}
			require.NotEmpty(t, diffs, "CPython fails on it: %s", why)
			for _, d := range diffs {
				assert.Equal(t, path, d.Pos.File)
				assert.Contains(t, d.String(), "CPython")
				if ext == ".ini" {
					assert.Positive(t, d.Pos.Line, "%s", d)
				}
			}
		})
	}
}
