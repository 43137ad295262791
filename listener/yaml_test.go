package listener_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
)

// levelsYAML is baseINI's config as a YAML dictConfig, with other levels.
func levelsYAML(logPath, root, db string) string {
	return fmt.Sprintf(`# the test process's config, in YAML
version: 1
formatters:
  plain:
    format: "%%(levelname)s %%(name)s %%(message)s"
handlers:
  file:
    class: logging.FileHandler
    level: NOTSET
    formatter: plain
    filename: %q
loggers:
  app.db:
    level: %s
root:
  level: %s
  handlers: [file]
`, logPath, db, root)
}

// A YAML dictConfig pushed over a real socket applies, as JSON and INI do.
func TestYAMLPush(t *testing.T) {
	p := newProc(t)
	l := start(t, p)
	gen := p.tree.Generation()
	rep := push(t, l, wire.Envelope{Config: levelsYAML(p.logPath, "DEBUG", "ERROR"), Source: "app.yaml"})
	require.True(t, rep.OK, rep.Error)
	assert.Equal(t, gen+1, rep.Generation)
	assert.Equal(t, []wire.Change{
		{Kind: "logger", Name: "root", Old: "INFO", New: "DEBUG"},
		{Kind: "logger", Name: "app.db", Old: "WARNING", New: "ERROR"},
	}, rep.Changes)
	// The running INI config passes the file positionally (args=), the
	// YAML one by keyword (filename:); livelog compares the arguments as
	// written, so it sees new arguments, which levels-only does not apply.
	assert.Equal(t, []string{`handler "file": new args/kwargs not applied (levels-only)`}, rep.Ignored)
	assert.Equal(t, "DEBUG", p.effective("root"))
	assert.Equal(t, "ERROR", p.effective("app.db"))

	// An incremental YAML push changes the levels it names only.
	rep = push(t, l, wire.Envelope{Config: "version: 1\nincremental: yes\nloggers:\n  app.db: {level: INFO}\n"})
	require.True(t, rep.OK, rep.Error)
	assert.Equal(t, []wire.Change{{Kind: "logger", Name: "app.db", Old: "ERROR", New: "INFO"}}, rep.Changes)
	assert.Equal(t, "DEBUG", p.effective("root"))

	// A broken one is refused naming the source, line and column; nothing
	// changes.
	gen = p.tree.Generation()
	rep = push(t, l, wire.Envelope{Config: "version: 1\nroot:\n  level: LOUD\n", Source: "bad.yaml"})
	require.False(t, rep.OK)
	assert.Contains(t, rep.Error, "bad.yaml:3:10: [root] level: bad level \"LOUD\"")
	assert.Equal(t, gen, p.tree.Generation())
	assert.Equal(t, "INFO", p.effective("app.db"))
}

// Python's own client (the logging documentation's) sending a YAML file
// as a bare frame: it applies.
func TestPythonClientYAML(t *testing.T) {
	p := newProc(t)
	l := start(t, p)
	path := filepath.Join(t.TempDir(), "logging.yaml")
	require.NoError(t, os.WriteFile(path, []byte(levelsYAML(p.logPath, "WARNING", "DEBUG")), 0o600))
	gen := p.tree.Generation()
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	lltest.RunPython(t, 30*time.Second, pythonClient, port, path)
	lltest.WaitFor(t, 10*time.Second, func() bool { return p.tree.Generation() == gen+1 })
	assert.Equal(t, "WARNING", p.effective("root"))
	assert.Equal(t, "DEBUG", p.effective("app.db"))
}

// A YAML alias bomb (ten levels of ten aliases: 10^10 nodes expanded, in
// 500 bytes) pushed over the socket is refused with a short reply and
// changes nothing; so is a YAML config that repeats a key.
func TestYAMLHostilePush(t *testing.T) {
	p := newProc(t)
	l := start(t, p)
	var b strings.Builder
	b.WriteString("version: 1\nl0: &l0 [x]\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d,", i-1), 10), ","))
	}
	b.WriteString("root:\n  level: DEBUG\n  handlers: *l10\n")
	before, gen := p.tree.Resolved(), p.tree.Generation()
	for bad, why := range map[string]string{
		b.String(): "refused as an alias bomb", // the work it cost is logcfg's TestYAMLAliasBomb
		"version: 1\nroot: {level: DEBUG}\nroot: {level: ERROR}\n": `key "root" is given twice`,
	} {
		rep := push(t, l, wire.Envelope{Config: bad, Source: "bomb.yaml"})
		require.False(t, rep.OK)
		assert.Contains(t, rep.Error, why)
		assert.LessOrEqual(t, len(rep.Error), wire.MaxError+64)
		assert.Contains(t, rep.Error, "bomb.yaml:")
		assert.Equal(t, gen, p.tree.Generation())
		assert.Equal(t, before, p.tree.Resolved())
	}
}
