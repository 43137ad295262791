package listener_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
)

// baseINI is the config a test process starts with: root at INFO and
// app.db at WARNING, logging to a file (the listener's own WARNINGs land
// there too).
const baseINI = `[loggers]
keys=root,db

[handlers]
keys=file

[formatters]
keys=plain

[logger_root]
level=INFO
handlers=file

[logger_db]
level=WARNING
handlers=
qualname=app.db

[handler_file]
class=FileHandler
level=NOTSET
formatter=plain
args=(%q,)

[formatter_plain]
format=%%(levelname)s %%(name)s %%(message)s
`

// levelsINI is baseINI with other levels (same handlers and formatters).
func levelsINI(logPath, root, db string) string {
	s := fmt.Sprintf(baseINI, logPath)
	s = strings.Replace(s, "[logger_root]\nlevel=INFO", "[logger_root]\nlevel="+root, 1)
	return strings.Replace(s, "[logger_db]\nlevel=WARNING", "[logger_db]\nlevel="+db, 1)
}

// proc is a process under test: a tree built from baseINI and its log.
type proc struct {
	tree    *logcfg.Tree
	logPath string
}

func newProc(t *testing.T, opts ...logcfg.TreeOption) *proc {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "app.log")
	cfg, err := logcfg.Parse(strings.NewReader(fmt.Sprintf(baseINI, logPath)), "base.conf")
	require.NoError(t, err)
	tree, err := logcfg.NewTree(cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { tree.Close() })
	return &proc{tree: tree, logPath: logPath}
}

// ini returns the base config with other levels.
func (p *proc) ini(root, db string) string { return levelsINI(p.logPath, root, db) }

func (p *proc) effective(name string) string {
	return p.tree.Resolved().Loggers[name].Effective
}

func (p *proc) log(t *testing.T) string {
	t.Helper()
	require.NoError(t, p.tree.Sync())
	b, err := os.ReadFile(p.logPath)
	require.NoError(t, err)
	return string(b)
}

// start starts a listener for p on a free test range (never 9001-9030).
func start(t *testing.T, p *proc, opts ...listener.Option) *listener.Listener {
	t.Helper()
	lo, hi := lltest.FreePortRange(t, 3)
	l, err := listener.Start(p.tree, append([]listener.Option{listener.WithPorts(lo, hi), listener.WithProcessName("test #1")}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, l.Close()) })
	return l
}

func dial(t *testing.T, l *listener.Listener) *wire.Conn {
	t.Helper()
	c, _, err := wire.Dial(context.Background(), l.Addr().String(), 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// push sends env on a fresh connection and returns the reply.
func push(t *testing.T, l *listener.Listener, env wire.Envelope) *wire.Reply {
	t.Helper()
	rep, err := dial(t, l).Apply(env)
	require.NoError(t, err)
	return rep
}

// trustingVerify is a verify hook that lets every payload through: it
// stands for the authentication WithFull(true) requires.
var trustingVerify = listener.WithVerify(func(b []byte) ([]byte, error) { return b, nil })
