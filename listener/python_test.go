package listener_test

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
)

// pythonClient is the client of the Python logging documentation
// ("Configuration server example"): send the length packed with
// struct.pack('>L', ...), send the bytes, close, never read. It sends each
// file named on the command line on its own connection, in turn.
const pythonClient = `
import socket, struct, sys
port = int(sys.argv[1])
for path in sys.argv[2:]:
    with open(path, 'rb') as f:
        data_to_send = f.read()
    HOST = 'localhost'
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(('127.0.0.1', port))
    s.send(struct.pack('>L', len(data_to_send)))
    s.send(data_to_send)
    s.close()
`

// A Python client that sends and closes without reading the greeting
// still has its config applied, every time: its close may answer our
// greeting with a reset, and the frame already received is applied anyway.
func TestPythonClientChangesLevels(t *testing.T) {
	p := newProc(t)
	var applied atomic.Int32
	l := start(t, p, listener.WithHooks(listener.Hooks{OnApply: func(*logcfg.ApplyResult) { applied.Add(1) }}))
	dir := t.TempDir()
	files := []string{}
	const rounds = 10
	for i := range rounds {
		// Connections are served concurrently, so the order of the applies
		// is not the order of sending: every file sets root to ERROR, and
		// app.db alternates.
		db := []string{"DEBUG", "ERROR"}[i%2]
		path := filepath.Join(dir, strconv.Itoa(i)+".conf")
		require.NoError(t, os.WriteFile(path, []byte(p.ini("ERROR", db)), 0o600))
		files = append(files, path)
	}
	gen := p.tree.Generation()
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	lltest.RunPython(t, 30*time.Second, pythonClient, append([]string{port}, files...)...)
	lltest.WaitFor(t, 10*time.Second, func() bool { return applied.Load() == rounds })
	assert.Equal(t, gen+rounds, p.tree.Generation())
	assert.Equal(t, "ERROR", p.effective("root"))
	assert.Contains(t, []string{"DEBUG", "ERROR"}, p.effective("app.db"))
}

// A dictConfig JSON from Python (json.dumps) applies too.
func TestPythonClientJSON(t *testing.T) {
	p := newProc(t)
	l := start(t, p)
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	lltest.RunPython(t, 30*time.Second, `
import json, socket, struct, sys
data = json.dumps({"version": 1, "incremental": True, "loggers": {"app.db": {"level": "DEBUG"}}}).encode()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(struct.pack(">L", len(data)) + data)
s.close()
`, port)
	lltest.WaitFor(t, 10*time.Second, func() bool { return p.effective("app.db") == "DEBUG" })
	assert.Equal(t, "INFO", p.effective("root"))
}
