package service

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
)

// writeConf writes a config sending every logger at level (and up) to
// logFile, one "LEVEL name: message" line per record.
func writeConf(t *testing.T, conf, level, logFile string) {
	t.Helper()
	// Forward slashes need no escaping in the Python literal, and Windows
	// takes them.
	text := strings.NewReplacer("LEVEL", level, "LOGFILE", filepath.ToSlash(logFile)).Replace(`[loggers]
keys=root

[handlers]
keys=file

[formatters]
keys=plain

[logger_root]
level=LEVEL
handlers=file

[handler_file]
class=FileHandler
args=('LOGFILE', 'a')
formatter=plain

[formatter_plain]
format=%(levelname)s %(name)s: %(message)s
`)
	require.NoError(t, os.WriteFile(conf, []byte(text), 0o644))
}

// badConf is a config that does not parse: [logger_root] is missing.
const badConf = "[loggers]\nkeys=root\n\n[handlers]\nkeys=\n\n[formatters]\nkeys=\n"

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	require.NoError(t, err)
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func indexLine(lines []string, prefix string) int {
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return i
		}
	}
	return -1
}

// waitLine waits until a line of path starting with prefix appears after
// line from, and returns its index.
func waitLine(t *testing.T, path string, from int, prefix string) int {
	t.Helper()
	at := -1
	lltest.WaitFor(t, 10*time.Second, func() bool {
		lines := readLines(t, path)
		if from+1 > len(lines) {
			return false
		}
		if i := indexLine(lines[from+1:], prefix); i >= 0 {
			at = from + 1 + i
			return true
		}
		return false
	})
	return at
}

// newService writes an INFO config logging to a file in a temp dir and
// builds its tree.
func newService(t *testing.T) (conf, logFile string, tree *logcfg.Tree) {
	t.Helper()
	dir := t.TempDir()
	conf, logFile = filepath.Join(dir, "logging.conf"), filepath.Join(dir, "app.log")
	writeConf(t, conf, "INFO", logFile)
	cfg, err := logcfg.ParseFile(conf)
	require.NoError(t, err)
	tree, err = logcfg.NewTree(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { tree.Close() })
	return conf, logFile, tree
}

// TestRunOutsideSystemd is Run as it runs on every OS without systemd (and
// on Windows, with or without NOTIFY_SOCKET): a SIGHUP on the channel
// reloads, os.Interrupt or SIGTERM stops, and no notification is tried.
func TestRunOutsideSystemd(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	for _, tc := range []struct {
		stop   os.Signal
		reason string
	}{{os.Interrupt, "SIGINT"}, {syscall.SIGTERM, "SIGTERM"}} {
		t.Run(tc.reason, func(t *testing.T) {
			conf, logFile, tree := newService(t)
			writeConf(t, conf, "DEBUG", logFile)
			signals := make(chan os.Signal, 2)
			signals <- syscall.SIGHUP
			signals <- tc.stop
			require.NoError(t, Run(context.Background(), tree, WithConfigFile(conf), WithSignals(signals)))
			lines := readLines(t, logFile)
			require.Len(t, lines, 3, "no warnings about notifications: %q", lines)
			assert.True(t, strings.HasPrefix(lines[0], "INFO livelog.audit: applied generation 2: SIGHUP reload, "+conf+": 1 change: logger root INFO→DEBUG "), lines[0])
			assert.Contains(t, lines[0], `source="SIGHUP reload"`)
			assert.Regexp(t, `^INFO livelog.service: reloaded ".*logging.conf": generation 2, 1 level changes$`, lines[1])
			assert.Equal(t, "INFO livelog.service: stopping on "+tc.reason, lines[2])
			assert.Equal(t, logcfg.SourceReload, h0Kind(tree))
			h := tree.History()
			require.NotEmpty(t, h)
			assert.Equal(t, "sighup", h[0].From, "the tree's history says where the reload came from")
			assert.True(t, filepath.IsAbs(h[0].File), h[0].File)
			assert.Equal(t, filepath.Base(conf), filepath.Base(h[0].File))
			assert.False(t, h[0].At.IsZero(), "with the time it happened")
		})
	}
}

// h0Kind is the Kind of the tree's newest history entry.
func h0Kind(tree *logcfg.Tree) string {
	if h := tree.History(); len(h) > 0 {
		return h[0].Kind
	}
	return ""
}
