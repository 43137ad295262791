package handlers_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/logcfg/handlers"
)

// pyReceiver is the logging cookbook's network receiver
// (LogRecordStreamHandler): for each frame (4-byte big-endian length and
// a pickle) it makes the record with logging.makeLogRecord(pickle.loads())
// and prints it as one JSON line: every attribute as [type name, value],
// and the record formatted by a Formatter, as a receiving program would.
// argv: tcp|udp, port (0 for any), or unix, socket path; the first line
// is the bound port.
const pyReceiver = `
import json, logging, pickle, socket, socketserver, struct, sys

fmt = logging.Formatter("%(name)s|%(levelname)s|%(message)s|%(funcName)s|%(lineno)d|%(filename)s|%(process)d")

def show(data):
    record = logging.makeLogRecord(pickle.loads(data))
    attrs = {k: [type(v).__name__, v if isinstance(v, (str, int, float, bool, list, dict, type(None))) else repr(v)]
             for k, v in record.__dict__.items()}
    print(json.dumps({"attrs": attrs, "formatted": fmt.format(record)}), flush=True)

class Stream(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            chunk = self.connection.recv(4)
            if len(chunk) < 4:
                break
            slen = struct.unpack('>L', chunk)[0]
            chunk = self.connection.recv(slen)
            while len(chunk) < slen:
                chunk = chunk + self.connection.recv(slen - len(chunk))
            show(chunk)

class Datagram(socketserver.BaseRequestHandler):
    def handle(self):
        data = self.request[0]
        assert struct.unpack('>L', data[:4])[0] == len(data) - 4
        show(data[4:])

kind, port = sys.argv[1], sys.argv[2]
if kind == "unix":
    server = socketserver.ThreadingUnixStreamServer(port, Stream)
    print(0, flush=True)
    server.serve_forever()
port = int(port)
if kind == "tcp":
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Stream)
else:
    server = socketserver.UDPServer(("127.0.0.1", port), Datagram)
print(server.server_address[1], flush=True)
server.serve_forever()
`

// pyRecord is what pyReceiver prints of a record.
type pyRecord struct {
	Attrs     map[string][2]any `json:"attrs"`
	Formatted string            `json:"formatted"`
}

// receiver is a running pyReceiver.
type receiver = pyServer[pyRecord]

// startReceiver runs pyReceiver (kind tcp or udp) on port (0: any free
// one) until stop or the end of the test.
func startReceiver(t *testing.T, kind string, port int) *receiver {
	t.Helper()
	return startPyServer[pyRecord](t, pyReceiver, kind, fmt.Sprint(port))
}

// pySent is what the receiver prints for the record CPython's own
// SocketHandler (or DatagramHandler) sends for logger app.db, INFO
// "hello", extra {"user": 42}.
func pySent(t *testing.T, r *receiver, class string) pyRecord {
	t.Helper()
	lltest.RunPython(t, time.Minute, `
import logging, logging.handlers, sys
h = getattr(logging.handlers, sys.argv[1])("127.0.0.1", int(sys.argv[2]))
log = logging.getLogger("app.db")
log.addHandler(h)
log.setLevel(logging.INFO)
log.info("hello", extra={"user": 42})
h.close()
`, class, fmt.Sprint(r.port))
	return r.next(t)
}

// attrTypes are the Python types of a record's attributes.
func attrTypes(rec pyRecord) map[string]any {
	out := map[string]any{}
	for k, v := range rec.Attrs {
		out[k] = v[0]
	}
	return out
}

// netConfig is a config sending everything from DEBUG on through one
// handler of class with args.
func netConfig(t *testing.T, class, args string) *logcfg.Tree {
	t.Helper()
	ini := lltest.NewINI().Logger("root", "DEBUG", "net", true).Handler("net", class, "", "", args).String()
	return configTree(t, ini, t.TempDir())
}

// A Python receiver built from the logging cookbook receives livelog's
// records over TCP and UDP: the attributes CPython's own handler sends,
// with the same Python types, the record's values, zap fields as extra
// attributes (a field named like an attribute prefixed with "field_"),
// and a Formatter renders the received record as it does a local one.
func TestSocketHandlersPythonReceiver(t *testing.T) {
	for _, c := range []struct{ class, kind string }{{"SocketHandler", "tcp"}, {"DatagramHandler", "udp"}} {
		t.Run(c.class, func(t *testing.T) {
			r := startReceiver(t, c.kind, 0)
			python := pySent(t, r, c.class)

			tree := netConfig(t, "handlers."+c.class, fmt.Sprintf("('127.0.0.1', %d)", r.port))
			log := tree.Logger("app.db").With(zap.String("request", "r-1"))
			_, file, line, _ := runtime.Caller(0)
			log.Info("hello", zap.Int("user", 42), zap.String("name", "clash"), zap.Float64("ratio", 0.5),
				zap.Bool("ok", true), zap.Strings("tags", []string{"a", "b"}), zap.Namespace("ns"), zap.Int64("big", 1<<40))
			line++
			got := r.next(t)

			types := attrTypes(got)
			for k, typ := range attrTypes(python) {
				assert.Equal(t, typ, types[k], "the Python type of %s", k)
			}
			want := map[string][2]any{
				"name": {"str", "app.db"}, "msg": {"str", "hello"}, "args": {"NoneType", nil},
				"levelname": {"str", "INFO"}, "levelno": {"int", 20.0}, "pathname": {"str", file},
				"filename": {"str", "socket_test.go"}, "module": {"str", "socket_test"},
				"funcName": {"str", "func1"}, "lineno": {"int", float64(line)},
				"exc_info": {"NoneType", nil}, "exc_text": {"NoneType", nil}, "stack_info": {"NoneType", nil},
				"process": {"int", float64(os.Getpid())}, "processName": {"str", filepath.Base(os.Args[0])},
				"request": {"str", "r-1"}, "user": {"int", 42.0}, "field_name": {"str", "clash"},
				"ratio": {"float", 0.5}, "ok": {"bool", true}, "tags": {"list", []any{"a", "b"}},
				"ns": {"dict", map[string]any{"big": float64(1 << 40)}},
			}
			for k, v := range want {
				assert.Equal(t, v, got.Attrs[k], k)
			}
			assert.NotContains(t, got.Attrs, "message", "makePickle drops message (bpo-25685)")
			assert.Equal(t, fmt.Sprintf("app.db|INFO|hello|func1|%d|socket_test.go|%d", line, os.Getpid()), got.Formatted)
			assert.Empty(t, tree.HandlerErrors())
		})
	}
}

// Over a Unix stream socket (port None) the receiver gets the records too.
func TestSocketHandlerUnixSocket(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("python3's socketserver has no Unix servers on Windows")
	}
	dir, err := os.MkdirTemp("", "ll") // short: a socket path has at most 104 bytes
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	sock := filepath.Join(dir, "log.sock")
	r := startPyServer[pyRecord](t, pyReceiver, "unix", sock)
	tree := netConfig(t, "handlers.SocketHandler", fmt.Sprintf("('%s', None)", sock))
	tree.Logger("app").Warn("over unix", zap.Int("n", 7))
	got := r.next(t)
	assert.Equal(t, [2]any{"str", "over unix"}, got.Attrs["msg"])
	assert.Equal(t, [2]any{"int", 7.0}, got.Attrs["n"])
	assert.Equal(t, [2]any{"str", "WARNING"}, got.Attrs["levelname"])
}

// The receiver restarts: records logged while it is down wait (or are
// dropped and counted), and records logged after it is back arrive, the
// handler reconnecting with Python's backoff.
func TestSocketHandlerReceiverRestarts(t *testing.T) {
	r := startReceiver(t, "tcp", 0)
	tree := netConfig(t, "handlers.SocketHandler", fmt.Sprintf("('127.0.0.1', %d)", r.port))
	log := tree.Logger("app")
	log.Info("before")
	assert.Equal(t, "before", r.next(t).Attrs["msg"][1])

	r.stop()
	r2 := startReceiver(t, "tcp", r.port)
	// The first records after the restart may be lost in the old
	// connection, as with Python's handler; log until one arrives.
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; ; i++ {
		log.Info("after", zap.Int("i", i))
		select {
		case rec := <-r2.values:
			assert.Equal(t, "after", rec.Attrs["msg"][1])
			return
		case <-time.After(20 * time.Millisecond):
		}
		require.True(t, time.Now().Before(deadline), "no record reached the restarted receiver")
	}
}

// stuckPeer is a TCP listener that accepts connections and never reads.
func stuckPeer(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// closedPort is a loopback port nobody listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return port
}

// A peer that is unreachable (nobody listens) or stuck (accepts, never
// reads) never blocks the logging call: n calls, each with a 64 KiB
// field so that the socket buffers fill, all return while the peer is
// stuck, the records that did not fit in the queue are dropped, and the
// tree's HandlerErrors count every drop. Closing the handler then gives
// up on the queued records within its deadline and says how many.
func TestSocketHandlerNeverBlocks(t *testing.T) {
	const n = 5000
	big := strings.Repeat("x", 64<<10)
	for name, port := range map[string]int{"unreachable": closedPort(t), "stuck": stuckPeer(t)} {
		t.Run(name, func(t *testing.T) {
			ini := lltest.NewINI().Logger("root", "DEBUG", "net", true).
				Handler("net", "handlers.SocketHandler", "", "", fmt.Sprintf("('127.0.0.1', %d)", port)).String()
			cfg, err := logcfg.Parse(strings.NewReader(ini), "net.ini", logcfg.WithRegistry(logcfg.NewRegistry()))
			require.NoError(t, err)
			errOut := &lltest.Buffer{}
			tree, err := logcfg.NewTree(cfg, logcfg.WithRegistry(logcfg.NewRegistry()), logcfg.WithErrorOutput(errOut))
			require.NoError(t, err)
			log := tree.Logger("app")

			returned := make(chan struct{})
			go func() {
				defer close(returned)
				for i := range n {
					log.Info("record", zap.Int("i", i), zap.String("big", big))
				}
			}()
			select {
			case <-returned:
			case <-time.After(time.Minute):
				t.Fatalf("%d log calls did not return within a minute: the logging call blocks", n)
			}
			errs := tree.HandlerErrors()
			require.Len(t, errs, 1)
			t.Logf("dropped %d", errs[0].Count)
			assert.Equal(t, "net", errs[0].Handler)
			if name == "unreachable" {
				// All but the queue and the record waiting to be sent.
				assert.GreaterOrEqual(t, errs[0].Count, int64(n-handlers.QueueSize-1), "records dropped")
			} else {
				// How many the socket buffers take (about 60 records a
				// connection here, one connection a second) depends on
				// the machine and the speed of the calls.
				assert.Positive(t, errs[0].Count, "records dropped")
			}
			assert.Contains(t, errs[0].Last, "queue of 1024 records is full")
			assert.Contains(t, errOut.String(), "record dropped")

			closed := make(chan error, 1)
			go func() { closed <- tree.Close() }()
			select {
			case err := <-closed:
				require.Error(t, err)
				assert.Contains(t, err.Error(), "records not delivered")
			case <-time.After(time.Minute):
				t.Fatal("Close did not return within a minute")
			}
		})
	}
}
