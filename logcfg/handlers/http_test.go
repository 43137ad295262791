package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// pyHTTPReceiver is a python3 http.server that prints each request as a
// JSON line: method, path, the headers, and the form fields in order
// (parse_qsl of the query string or the body). The first line is its port.
const pyHTTPReceiver = `
import http.server, json, sys, urllib.parse

class H(http.server.BaseHTTPRequestHandler):
    def handle_one_request(self):
        super().handle_one_request()
    def answer(self):
        path, _, query = self.path.partition("?")
        if self.command == "POST":
            query = self.rfile.read(int(self.headers["Content-length"])).decode()
        headers = {k.lower(): v for k, v in self.headers.items()}
        print(json.dumps({"method": self.command, "path": path, "headers": headers,
                          "fields": urllib.parse.parse_qsl(query, keep_blank_values=True)}), flush=True)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    do_GET = do_POST = answer
    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
`

// httpRequest is what pyHTTPReceiver prints of a request.
type httpRequest struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"` // names in lower case
	Fields  [][2]string       `json:"fields"`
}

func (r httpRequest) field(k string) (string, bool) {
	for _, f := range r.Fields {
		if f[0] == k {
			return f[1], true
		}
	}
	return "", false
}

func (r httpRequest) keys() []string {
	var out []string
	for _, f := range r.Fields {
		out = append(out, f[0])
	}
	return out
}

// HTTPHandler sends what CPython's HTTPHandler sends for the same record
// (logger app.db, INFO "hello", fields of each Python type as extra
// attributes: int, float, bool, list, dict), by GET and by POST, with
// and without a query in the url and credentials: the same method, path,
// form fields in the same order with the same values (except those of
// the time, the caller and the process), Content-type, Content-length
// and Authorization.
func TestHTTPHandlerMatchesPython(t *testing.T) {
	server := startPyServer[httpRequest](t, pyHTTPReceiver)
	host := fmt.Sprintf("127.0.0.1:%d", server.port)
	const pySend = `
import ast, logging, logging.handlers, sys
h = logging.handlers.HTTPHandler(*ast.literal_eval(sys.argv[1]))
log = logging.getLogger("app.db")
log.addHandler(h)
log.setLevel(logging.INFO)
log.info("hello", extra={"user": 42, "ratio": 1e20, "ok": True, "tags": ["a", "b'c"], "obj": {"k": [1, None]}})
`
	differ := map[string]bool{"pathname": true, "filename": true, "module": true, "lineno": true, "funcName": true,
		"created": true, "msecs": true, "relativeCreated": true, "thread": true, "threadName": true,
		"processName": true, "process": true}
	for _, args := range []string{
		fmt.Sprintf("('%s', '/log')", host),
		fmt.Sprintf("('%s', '/log?app=x', 'get')", host),
		fmt.Sprintf("('%s', '/log', 'POST', False, ('user', 'pässword'))", host),
	} {
		t.Run(args, func(t *testing.T) {
			lltest.RunPython(t, time.Minute, pySend, args)
			python := server.next(t)

			tree := netConfig(t, "handlers.HTTPHandler", args)
			tree.Logger("app.db").Info("hello", zap.Int("user", 42), zap.Float64("ratio", 1e20), zap.Bool("ok", true),
				zap.Strings("tags", []string{"a", "b'c"}), zap.Object("obj", zapcore.ObjectMarshalerFunc(func(e zapcore.ObjectEncoder) error {
					return e.AddArray("k", zapcore.ArrayMarshalerFunc(func(a zapcore.ArrayEncoder) error {
						a.AppendInt(1)
						return a.AppendReflected(nil)
					}))
				})))
			got := server.next(t)

			assert.Equal(t, python.Method, got.Method)
			assert.Equal(t, python.Path, got.Path)
			assert.Equal(t, python.keys(), got.keys())
			for _, f := range python.Fields {
				if v, _ := got.field(f[0]); !differ[f[0]] {
					assert.Equal(t, f[1], v, f[0])
				}
			}
			for _, h := range []string{"content-type", "content-length", "authorization", "accept-encoding", "user-agent"} {
				if h == "content-length" && got.Method == "POST" {
					assert.Equal(t, fmt.Sprint(len(strings.Join(fieldsEncoded(got), "&"))), got.Headers[h])
					continue
				}
				assert.Equal(t, python.Headers[h], got.Headers[h], h)
			}
			lineno, _ := got.field("lineno")
			assert.NotEqual(t, "0", lineno, "the caller is sent")
			assert.Empty(t, tree.HandlerErrors())
		})
	}
}

// fieldsEncoded is the fields form-encoded again, as they were sent.
func fieldsEncoded(r httpRequest) []string {
	var out []string
	for _, f := range r.Fields {
		out = append(out, quotePlus(f[0])+"="+quotePlus(f[1]))
	}
	return out
}

func quotePlus(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("_.-~", c) >= 0:
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Records the handler's goroutine could not deliver (here: the server
// answers the first request with 500) are reported with a later logging call: the tree's
// HandlerErrors show the failure, with the number of records and the
// server's answer.
func TestHTTPHandlerReportsUndelivered(t *testing.T) {
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got.Add(1) == 1 {
			http.Error(w, "down for maintenance", http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	tree := netConfig(t, "handlers.HTTPHandler", fmt.Sprintf("('%s', '/log', 'POST')", strings.TrimPrefix(srv.URL, "http://")))
	log := tree.Logger("app")
	log.Error("first")
	lltest.WaitFor(t, 10*time.Second, func() bool { return got.Load() == 1 })
	lltest.WaitFor(t, 10*time.Second, func() bool {
		log.Error("next") // reports what failed before it
		return len(tree.HandlerErrors()) == 1
	})
	errs := tree.HandlerErrors()
	assert.Contains(t, errs[0].Last, "records not delivered")
	assert.Contains(t, errs[0].Last, "500 Internal Server Error")
	assert.NoError(t, tree.Close(), "the records after the first were delivered")
}
