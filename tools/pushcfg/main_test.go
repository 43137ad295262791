package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
)

// The test binary doubles as a listener process: with childEnv set,
// TestMain runs childListener instead of the tests (see child_test.go).
const (
	childEnv       = "PUSHCFG_TEST_CHILD"        // config file the child runs
	childPortsEnv  = "PUSHCFG_TEST_CHILD_PORTS"  // "lo-hi" for listener.WithPorts
	childNameEnv   = "PUSHCFG_TEST_CHILD_NAME"   // process name the listener reports
	childRejectEnv = "PUSHCFG_TEST_CHILD_REJECT" // if set, a verify hook rejects every push with this reason
	childSecretEnv = "PUSHCFG_TEST_CHILD_SECRET" // if set, a secret file: the listener requires signed requests
	childAddrEnv   = "PUSHCFG_TEST_CHILD_ADDR"   // if set, the loopback address the listener binds (listener.WithAddress)
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childListener())
	}
	os.Exit(m.Run())
}

// testTimeout is --timeout in tests: each silent port costs this much.
const testTimeout = "1s"

// debugConf is what the child listeners start with.
const debugConf = `[loggers]
keys=root,app

[handlers]
keys=console

[formatters]
keys=plain

[logger_root]
level=DEBUG
handlers=console

[logger_app]
level=DEBUG
handlers=
qualname=app

[handler_console]
class=StreamHandler
level=NOTSET
formatter=plain
args=(sys.stderr,)

[formatter_plain]
format=%(levelname)s %(name)s %(message)s
`

// errorConf is what the tests push: the same loggers at ERROR. Python's
// fileConfig accepts it too.
var errorConf = strings.ReplaceAll(debugConf, "level=DEBUG", "level=ERROR")

// writeFile writes content to name in a fresh temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// runCmd calls run and returns the exit code, stdout and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	t.Logf("pushcfg %s → exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	return code, out.String(), errOut.String()
}

// portsFlag is "lo-hi".
func portsFlag(lo, hi int) string { return fmt.Sprintf("%d-%d", lo, hi) }

func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// child is a listener process started from the test binary.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	port   int
	addr   string        // the address it listens on
	conf   string        // the config file it runs (absolute)
	stderr *syncBuffer   // what it logged (its handler writes to stderr)
	done   chan struct{} // closed when the process has exited
}

// childOpts configures startChild.
type childOpts struct {
	name   string
	reject string // reason for a verify hook to reject with; "" accepts
	secret string // path of a secret file; "" means no auth
	conf   string // the config it starts with; "" is debugConf
	addr   string // the loopback address it binds; "" is the listener's default, 127.0.0.1
}

// startChild starts a listener process running debugConf on the first free
// port of lo..hi and returns once it listens. It is killed at cleanup.
func startChild(t *testing.T, lo, hi int, o childOpts) *child {
	t.Helper()
	text := debugConf
	if o.conf != "" {
		text = o.conf
	}
	conf := writeFile(t, "debug.conf", text)
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(),
		childEnv+"="+conf,
		childPortsEnv+"="+portsFlag(lo, hi),
		childNameEnv+"="+o.name,
		childRejectEnv+"="+o.reject,
		childSecretEnv+"="+o.secret,
		childAddrEnv+"="+o.addr,
		"NOTIFY_SOCKET=", // never notify a real systemd
	)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	c := &child{cmd: cmd, stdin: stdin, addr: cmp.Or(o.addr, "127.0.0.1"), conf: conf, stderr: &stderr, done: make(chan struct{})}
	t.Cleanup(func() { c.kill(t) })

	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		if s.Scan() {
			line <- s.Text()
		}
		close(line)
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		close(c.done)
	}()
	select {
	case l, ok := <-line:
		require.True(t, ok, "child listener exited before listening:\n%s", stderr.String())
		port, found := strings.CutPrefix(l, "port ")
		require.True(t, found, "child said %q:\n%s", l, stderr.String())
		c.port, err = strconv.Atoi(port)
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatalf("child listener did not start within 30s:\n%s", stderr.String())
	}
	return c
}

// kill ends the child and waits until it is gone.
func (c *child) kill(t *testing.T) {
	t.Helper()
	c.cmd.Process.Kill()
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		t.Errorf("child %d did not exit", c.cmd.Process.Pid)
	}
}

// status asks a listener for its status directly over the wire, not
// through pushcfg.
func status(t *testing.T, port int) *wire.Reply {
	t.Helper()
	conn, _, err := wire.Dial(context.Background(), addr(port), 10*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	reply, err := conn.Status()
	require.NoError(t, err)
	require.True(t, reply.OK, "status refused: %s", reply.Error)
	require.NotNil(t, reply.Status)
	return reply
}

// statusSigned is status for a listener that wants signed requests.
func statusSigned(t *testing.T, port int, secretFile string) *wire.Reply {
	t.Helper()
	secret, err := readSecret(secretFile)
	require.NoError(t, err)
	conn, _, err := wire.Dial(context.Background(), addr(port), 10*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	env := wire.Envelope{Op: wire.OpStatus}
	wire.Sign(&env, secret, time.Now(), conn.Hello().Nonce, wire.NewNonce())
	reply, err := conn.Request(env)
	require.NoError(t, err)
	require.True(t, reply.OK, "status refused: %s", reply.Error)
	require.NotNil(t, reply.Status)
	return reply
}

// startHTTP starts an HTTP server on port that counts requests.
func startHTTP(t *testing.T, port int) *atomic.Int32 {
	t.Helper()
	ln, err := net.Listen("tcp", addr(port))
	require.NoError(t, err)
	var n atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		fmt.Fprintln(w, "supervisor")
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return &n
}

// pythonListener is a Python logging.config.listen server. Its verify hook
// appends every frame it receives to log before Python applies it.
type pythonListener struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  *bufio.Scanner
	log    string
	stderr *syncBuffer
}

const pythonListenScript = `
import logging, logging.config, os, sys
port, log = int(sys.argv[1]), sys.argv[2]
def verify(data):
    with open(log, "ab") as f:
        f.write(data)
    return data
t = logging.config.listen(port, verify=verify)
t.start()
if not t.ready.wait(20):
    sys.exit("listen did not start")
print("ready", flush=True)
for line in sys.stdin:
    print(logging.getLevelName(logging.getLogger().getEffectiveLevel()), flush=True)
os._exit(0)
`

func startPython(t *testing.T, port int) *pythonListener {
	t.Helper()
	log := filepath.Join(t.TempDir(), "received")
	require.NoError(t, os.WriteFile(log, nil, 0o600))
	p := &pythonListener{log: log, stderr: &syncBuffer{}}
	p.cmd = exec.Command(lltest.Python(t), "-c", pythonListenScript, strconv.Itoa(port), log)
	p.cmd.Stderr = p.stderr
	var err error
	p.stdin, err = p.cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := p.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	p.lines = bufio.NewScanner(stdout)
	require.True(t, p.lines.Scan(), "python listener did not start: %s", p.stderr.String())
	require.Equal(t, "ready", p.lines.Text())
	// Python binds in its thread before setting ready: the port is open now.
	return p
}

// level asks the Python process for its root logger's effective level.
func (p *pythonListener) level(t *testing.T) string {
	t.Helper()
	_, err := io.WriteString(p.stdin, "level\n")
	require.NoError(t, err)
	require.True(t, p.lines.Scan(), "python listener died: %s", p.stderr.String())
	return p.lines.Text()
}

// received is what Python's verify hook saw.
func (p *pythonListener) received(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(p.log)
	require.NoError(t, err)
	return b
}

// syncBuffer is lltest's Buffer: safe for a process's output goroutine.
type syncBuffer = lltest.Buffer

// decodeJSON decodes a --json document.
func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&v), "output: %s", s)
	return v
}
