package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/livelog/livelog/colorfmt"
	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
)

// demoConfigs are the demo's config files and the levels each lets
// through, of DEBUG, INFO, WARNING and ERROR.
var demoConfigs = []struct {
	file   string
	levels []string
}{
	{"debug.conf", []string{"DEBUG", "INFO", "WARNING", "ERROR"}},
	{"info.conf", []string{"INFO", "WARNING", "ERROR"}},
	{"error.conf", []string{"ERROR"}},
}

// consoleHandler is the handler section of every demo config.
const consoleHandler = "[handler_console]\nclass=StreamHandler\nlevel=NOTSET\nformatter=color\nargs=(sys.stdout,)\n"

// plainLine is a line of the demo's format once the colour tokens are
// gone: asctime - module.funcName - processName - levelname - message.
var plainLine = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - \S+ - (\S+) - (DEBUG|INFO|WARNING|ERROR) - (.+)$`)

// levelsOf is the levelname of every line of out, which must all be
// plainLine lines from processName proc.
func levelsOf(t *testing.T, out, proc string) []string {
	t.Helper()
	var levels []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		m := plainLine.FindStringSubmatch(line)
		require.NotNil(t, m, "line %q", line)
		assert.Equal(t, proc, m[1], "line %q", line)
		levels = append(levels, m[2])
	}
	return levels
}

// TestConfigsColorFormatter: the demo's configs name the formatter class
// logging.ColorFormatter, as the Python original does, and livelog
// resolves that name to its ColorFormatter: the $ tokens are colour
// codes (none in a file, colour=auto), where logging.Formatter would
// print them as they are. Each file lets through exactly its levels.
func TestConfigsColorFormatter(t *testing.T) {
	render := func(t *testing.T, text, name string) string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "out.log")
		require.Contains(t, text, consoleHandler)
		text = strings.Replace(text, consoleHandler,
			fmt.Sprintf("[handler_console]\nclass=FileHandler\nlevel=NOTSET\nformatter=color\nargs=(%q,)\n", out), 1)
		cfg, err := logcfg.Parse(strings.NewReader(text), name)
		require.NoError(t, err)
		tree, err := logcfg.NewTree(cfg)
		require.NoError(t, err)
		log := tree.Logger("demo")
		log.Debug("cache lookup", zap.Int("job", 1))
		log.Info("order shipped", zap.Int("job", 1))
		log.Warn("queue is long", zap.Int("job", 1))
		log.Error("payment gateway timed out", zap.Int("job", 1))
		require.NoError(t, tree.Close())
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		return string(b)
	}
	for _, dc := range demoConfigs {
		t.Run(dc.file, func(t *testing.T) {
			path := filepath.Join("logger_config", dc.file)
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			text := string(b)
			require.Contains(t, text, "\n[formatter_color]\nclass=logging.ColorFormatter\n")
			cfg, err := logcfg.ParseFile(path)
			require.NoError(t, err)
			require.Len(t, cfg.Formatters, 1)
			assert.Equal(t, "logging.ColorFormatter", cfg.Formatters[0].Class)

			out := render(t, text, dc.file)
			assert.NotContains(t, out, "$")
			assert.Equal(t, dc.levels, levelsOf(t, out, colorfmt.ProcessName()))

			// The control: under logging.Formatter the tokens stay text.
			plain := render(t, strings.Replace(text, "class=logging.ColorFormatter", "class=logging.Formatter", 1), dc.file)
			assert.Contains(t, plain, "$YELLOW")
		})
	}
}

// pythonFileConfig loads a config with Python's logging.config.fileConfig,
// with logging.ColorFormatter set first (unless argv[2] is "without") to
// a small Formatter that drops the $ colour tokens, as a Python program
// with its own ColorFormatter would; it then logs one line at each level
// through the logger "demo". Without the class, it prints why
// fileConfig refused.
const pythonFileConfig = `
import logging, logging.config, os, re, sys
path, mode = sys.argv[1], sys.argv[2]

class ColorFormatter(logging.Formatter):
    """Drops the colour tokens ($COLOR, $RESET, $YELLOW, ...) from the
    format once: plain text, whatever the level."""
    TOKENS = re.compile(r"\$(RESET|BOLD|COLOR|BLACK|RED|GREEN|YELLOW|BLUE|MAGENTA|CYAN|WHITE)")

    def __init__(self, fmt=None, *args, **kwargs):
        super().__init__(fmt and self.TOKENS.sub("", fmt), *args, **kwargs)

if mode == "with":
    logging.ColorFormatter = ColorFormatter
try:
    logging.config.fileConfig(path, defaults={"here": os.path.dirname(os.path.abspath(path))})
except Exception as e:
    print("refused:", type(e).__name__, e)
    sys.exit(0)
log = logging.getLogger("demo")
log.debug("cache lookup")
log.info("order shipped")
log.warning("queue is long")
log.error("payment gateway timed out")
`

// TestConfigsInPython: CPython's fileConfig loads the very same files once
// logging.ColorFormatter names a Formatter class, and lets through the
// same levels as livelog; without that class it refuses them, so the
// files do depend on the name.
func TestConfigsInPython(t *testing.T) {
	lltest.Python(t)
	for _, dc := range demoConfigs {
		t.Run(dc.file, func(t *testing.T) {
			path := filepath.Join("logger_config", dc.file)
			out := lltest.RunPython(t, 30*time.Second, pythonFileConfig, path, "with")
			assert.Equal(t, dc.levels, levelsOf(t, out, "MainProcess"), "output:\n%s", out)
			assert.Contains(t, out, " - MainProcess - ERROR - payment gateway timed out\n")

			out = lltest.RunPython(t, 30*time.Second, pythonFileConfig, path, "without")
			assert.Regexp(t, `^refused: \w*Error .*ColorFormatter`, out)
		})
	}
}
