package listener_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
)

// serveHTTP mounts the handler under /actuator/ on a real loopback server.
func serveHTTP(t *testing.T, p *proc, opts ...listener.Option) string {
	t.Helper()
	mux := http.NewServeMux()
	h := listener.HTTPHandler(p.tree, opts...)
	mux.Handle("/actuator/loggers", h)
	mux.Handle("/actuator/loggers/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/actuator/loggers"
}

type httpEntry struct {
	ConfiguredLevel *string `json:"configuredLevel"`
	EffectiveLevel  string  `json:"effectiveLevel"`
}

func do(t *testing.T, method, url, token, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func getOne(t *testing.T, url string) httpEntry {
	t.Helper()
	code, _, body := do(t, "GET", url, "", "")
	require.Equal(t, http.StatusOK, code, body)
	var e httpEntry
	require.NoError(t, json.Unmarshal([]byte(body), &e))
	return e
}

func strp(s string) *string { return &s }

func TestHTTPGetAndSet(t *testing.T) {
	p := newProc(t)
	p.tree.Logger("app.db.pool") // asked for by the program, not configured
	base := serveHTTP(t, p)

	code, hdr, body := do(t, "GET", base, "", "")
	require.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, "application/json", hdr.Get("Content-Type"))
	var all struct {
		Levels  []string             `json:"levels"`
		Loggers map[string]httpEntry `json:"loggers"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &all))
	assert.Equal(t, []string{"NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}, all.Levels)
	assert.Equal(t, httpEntry{strp("INFO"), "INFO"}, all.Loggers["root"])
	assert.Equal(t, httpEntry{strp("WARNING"), "WARNING"}, all.Loggers["app.db"])
	assert.Equal(t, httpEntry{nil, "WARNING"}, all.Loggers["app.db.pool"], "an unset level is null, its effective level inherited")
	assert.Contains(t, body, `"app.db.pool":{"configuredLevel":null,"effectiveLevel":"WARNING"}`)

	assert.Equal(t, httpEntry{strp("WARNING"), "WARNING"}, getOne(t, base+"/app.db"))
	assert.Equal(t, httpEntry{nil, "INFO"}, getOne(t, base+"/never.seen"), "an unknown name inherits from root")
	assert.Equal(t, httpEntry{nil, "WARNING"}, getOne(t, base+"/app.db.x.y"), "and from its nearest known ancestor")
	n := len(p.tree.Loggers())

	code, hdr, body = do(t, "POST", base+"/app.db", "", `{"configuredLevel":"DEBUG"}`)
	require.Equal(t, http.StatusNoContent, code, body)
	assert.Empty(t, body)
	assert.Equal(t, "DEBUG", p.effective("app.db"))
	assert.Equal(t, httpEntry{strp("DEBUG"), "DEBUG"}, getOne(t, base+"/app.db"))
	assert.Equal(t, httpEntry{nil, "DEBUG"}, getOne(t, base+"/app.db.pool"))
	assert.Equal(t, "2", hdr.Get("Livelog-Generation"))
	assert.Len(t, p.tree.Loggers(), n, "a GET creates no logger")

	h := p.tree.History()
	require.NotEmpty(t, h)
	assert.Equal(t, logcfg.SourceSet, h[0].Kind)
	assert.Equal(t, "set from 127.0.0.1", h[0].Origin)
	assert.Equal(t, "http app.db=DEBUG", h[0].File)
	log := p.log(t)
	assert.Contains(t, log, "INFO livelog.audit applied generation 2: set from 127.0.0.1, http app.db=DEBUG: 1 change: logger app.db WARNING→DEBUG")

	// Lower case as pushcfg set takes it; root by name.
	code, _, body = do(t, "POST", base+"/root", "", `{"configuredLevel":"error"}`)
	require.Equal(t, http.StatusNoContent, code, body)
	assert.Equal(t, "ERROR", p.effective("root"))

	// null resets to NOTSET: the logger inherits again.
	code, _, body = do(t, "POST", base+"/app.db", "", `{"configuredLevel":null}`)
	require.Equal(t, http.StatusNoContent, code, body)
	assert.Equal(t, httpEntry{nil, "ERROR"}, getOne(t, base+"/app.db"))

	// A name never seen may be set; then it is listed.
	code, _, body = do(t, "POST", base+"/new.one", "", `{"configuredLevel":"INFO"}`)
	require.Equal(t, http.StatusNoContent, code, body)
	assert.Equal(t, httpEntry{strp("INFO"), "INFO"}, getOne(t, base+"/new.one"))

	code, hdr, _ = do(t, "DELETE", base+"/app.db", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, code)
	assert.Equal(t, "GET, HEAD, POST", hdr.Get("Allow"))
	code, hdr, _ = do(t, "POST", base, "", `{"configuredLevel":"INFO"}`)
	assert.Equal(t, http.StatusMethodNotAllowed, code)
	assert.Equal(t, "GET, HEAD", hdr.Get("Allow"))
}

func TestHTTPBadRequests(t *testing.T) {
	p := newProc(t)
	base := serveHTTP(t, p)
	gen := p.tree.Generation()
	for _, c := range []struct{ name, path, body, want string }{
		{"bad JSON", "/app.db", `{"configuredLevel":`, `body: unexpected EOF`},
		{"bad level", "/app.db", `{"configuredLevel":"LOUD"}`, `bad level \"LOUD\"`},
		{"Spring's TRACE", "/app.db", `{"configuredLevel":"TRACE"}`, `bad level \"TRACE\"`},
		{"number", "/app.db", `{"configuredLevel":10}`, `\"configuredLevel\" is 10`},
		{"no level", "/app.db", `{}`, `no \"configuredLevel\"`},
		{"unknown key", "/app.db", `{"configuredLevel":"INFO","level":"x"}`, `unknown field \"level\"`},
		{"bad duration", "/app.db", `{"configuredLevel":"DEBUG","for":"soon"}`, `bad duration \"soon\"`},
		{"negative duration", "/app.db", `{"configuredLevel":"DEBUG","for":"-1m"}`, `bad duration \"-1m\"`},
		{"two values", "/app.db", `{"configuredLevel":"DEBUG"}{}`, `more than one JSON value`},
		{"space in name", "/app%20db", `{"configuredLevel":"DEBUG"}`, `holds a space`},
		{"long name", "/" + strings.Repeat("a", 5000), `{"configuredLevel":"DEBUG"}`, `logger name of 5000 bytes: the limit is 200`},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, hdr, body := do(t, "POST", base+c.path, "", c.body)
			assert.Equal(t, http.StatusBadRequest, code, body)
			assert.Equal(t, "application/json", hdr.Get("Content-Type"))
			assert.Contains(t, body, c.want)
			assert.Less(t, len(body), 1200, "clipped")
			var e struct{ Error string }
			assert.NoError(t, json.Unmarshal([]byte(body), &e))
		})
	}
	huge := `{"configuredLevel":"DEBUG","for":"` + strings.Repeat("1", 2<<20) + `"}`
	code, _, body := do(t, "POST", base+"/app.db", "", huge)
	assert.Equal(t, http.StatusRequestEntityTooLarge, code)
	assert.Contains(t, body, "body over 65536 bytes")
	assert.Equal(t, gen, p.tree.Generation(), "nothing changed")
	assert.Equal(t, "WARNING", p.effective("app.db"))
	assert.Contains(t, p.log(t), "INFO livelog.audit rejected set from 127.0.0.1")
}

func TestHTTPTemporary(t *testing.T) {
	clock := lltest.NewFakeClock()
	p := newProc(t, logcfg.WithClock(clock))
	base := serveHTTP(t, p)
	code, hdr, body := do(t, "POST", base+"/app.db", "", `{"configuredLevel":"DEBUG","for":"10m"}`)
	require.Equal(t, http.StatusNoContent, code, body)
	assert.Equal(t, clock.Now().Add(10*time.Minute).UTC().Format(time.RFC3339), hdr.Get("Livelog-Expires"))
	assert.Equal(t, "DEBUG", p.effective("app.db"))
	clock.Add(9 * time.Minute)
	assert.Equal(t, "DEBUG", p.effective("app.db"))
	clock.Add(time.Minute)
	require.Eventually(t, func() bool { return p.effective("app.db") == "WARNING" }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, logcfg.SourceRevert, p.tree.History()[0].Kind)
}

// WithMaxTemporary applies to HTTP as to TCP: a permanent DEBUG becomes
// temporary, capped.
func TestHTTPMaxTemporary(t *testing.T) {
	clock := lltest.NewFakeClock()
	p := newProc(t, logcfg.WithClock(clock))
	base := serveHTTP(t, p, listener.WithMaxTemporary(time.Minute))
	code, hdr, body := do(t, "POST", base+"/app.db", "", `{"configuredLevel":"DEBUG"}`)
	require.Equal(t, http.StatusNoContent, code, body)
	assert.Equal(t, clock.Now().Add(time.Minute).UTC().Format(time.RFC3339), hdr.Get("Livelog-Expires"))
	clock.Add(time.Minute)
	require.Eventually(t, func() bool { return p.effective("app.db") == "WARNING" }, 5*time.Second, 5*time.Millisecond)
}

func TestHTTPAuth(t *testing.T) {
	p := newProc(t)
	secret := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(secret, []byte("s3cret-token\n"), 0o600))
	base := serveHTTP(t, p, listener.WithSecretFile(secret))

	code, hdr, body := do(t, "GET", base, "", "")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, hdr.Get("WWW-Authenticate"), "Bearer")
	assert.Contains(t, body, "bearer token")
	code, _, _ = do(t, "POST", base+"/app.db", "wrong", `{"configuredLevel":"DEBUG"}`)
	assert.Equal(t, http.StatusUnauthorized, code)
	code, _, _ = do(t, "POST", base+"/app.db", "s3cret-token-and-more", `{"configuredLevel":"DEBUG"}`)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, "WARNING", p.effective("app.db"))
	log := p.log(t)
	assert.Contains(t, log, "INFO livelog.audit rejected set from 127.0.0.1, http POST: HTTP request without the right bearer token")
	assert.Contains(t, log, "INFO livelog.audit rejected status from 127.0.0.1, http GET: HTTP request without the right bearer token")

	code, _, body = do(t, "POST", base+"/app.db", "s3cret-token", `{"configuredLevel":"DEBUG"}`)
	require.Equal(t, http.StatusNoContent, code, body)
	assert.Equal(t, "DEBUG", p.effective("app.db"))
	assert.Regexp(t, `^sha256:[0-9a-f]{12}$`, p.tree.History()[0].KeyID)

	// With a secret any address is served; without one, only loopback.
	h := listener.HTTPHandler(p.tree, listener.WithSecretFile(secret))
	req := httptest.NewRequest("GET", "/loggers/app.db", nil)
	req.RemoteAddr = "192.0.2.7:4567"
	req.Header.Set("Authorization", "Bearer s3cret-token")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	// An unreadable secret file fails closed.
	h = listener.HTTPHandler(p.tree, listener.WithSecretFile(filepath.Join(t.TempDir(), "missing")))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/loggers", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "secret file")
}

func TestHTTPLoopbackOnly(t *testing.T) {
	p := newProc(t)
	h := listener.HTTPHandler(p.tree)
	for _, addr := range []string{"192.0.2.7:4567", "[2001:db8::1]:80", "10.0.0.1:1", "garbage"} {
		req := httptest.NewRequest("POST", "/loggers/app.db", strings.NewReader(`{"configuredLevel":"DEBUG"}`))
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusForbidden, rec.Code, addr)
		assert.Contains(t, rec.Body.String(), "loopback clients only")
	}
	for _, addr := range []string{"127.0.0.1:5000", "127.3.2.1:5000", "[::1]:5000"} {
		req := httptest.NewRequest("GET", "/loggers/app.db", nil)
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusOK, rec.Code, addr)
	}
	assert.Equal(t, "WARNING", p.effective("app.db"))
}

// The mount prefix is everything up to the first /loggers segment.
func TestHTTPPaths(t *testing.T) {
	p := newProc(t)
	h := listener.HTTPHandler(p.tree)
	for path, want := range map[string]int{
		"/loggers": 200, "/loggers/": 200, "/a/b/loggers": 200, "/x/loggers/app.db": 200,
		"/loggersx": 404, "/other": 404, "/x/loggers/nope": 200, "/loggersx/loggers/app.db": 200,
	} {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = "127.0.0.1:1234" // httptest's default is 192.0.2.1
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, want, rec.Code, path)
	}
}

func TestHTTPCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed")
	}
	p := newProc(t)
	secret := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(secret, []byte("tok"), 0o600))
	base := serveHTTP(t, p, listener.WithSecretFile(secret))

	out, err := exec.Command(curl, "-sS", "-w", "%{http_code}", "-H", "Authorization: Bearer tok",
		"-H", "Content-Type: application/json", "-d", `{"configuredLevel":"DEBUG"}`, base+"/app.db").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Equal(t, "204", string(out))
	assert.Equal(t, "DEBUG", p.effective("app.db"))

	out, err = exec.Command(curl, "-sS", "-H", "Authorization: Bearer tok", base+"/app.db").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.JSONEq(t, `{"configuredLevel":"DEBUG","effectiveLevel":"DEBUG"}`, string(out))

	out, err = exec.Command(curl, "-sS", "-w", "%{http_code}", base+"/app.db").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.True(t, strings.HasSuffix(string(out), "401"), string(out))
}

func TestHTTPConcurrent(t *testing.T) {
	p := newProc(t)
	base := serveHTTP(t, p)
	var wg sync.WaitGroup
	levels := []string{"DEBUG", "INFO", "ERROR"}
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				code, _, body := do(t, "POST", base+"/app.db", "", `{"configuredLevel":"`+levels[(i+j)%3]+`"}`)
				assert.Equal(t, http.StatusNoContent, code, body)
				code, _, body = do(t, "GET", base, "", "")
				assert.Equal(t, http.StatusOK, code, body)
			}
		}(i)
	}
	wg.Wait()
	assert.Equal(t, uint64(81), p.tree.Generation())
	assert.Contains(t, levels, getOne(t, base+"/app.db").EffectiveLevel)
}

// pythonLevels applies an INI with fileConfig, then each NAME=LEVEL as
// the incremental dictConfig a set sends, and prints for each asked name
// its own level (None for NOTSET) and its effective level.
const pythonLevels = `
import json, logging, logging.config, sys
logging.config.fileConfig(sys.argv[1])
for kv in sys.argv[2].split(","):
    name, level = kv.split("=")
    doc = {"version": 1, "incremental": True}
    if name == "root":
        doc["root"] = {"level": level}
    else:
        doc["loggers"] = {name: {"level": level}}
    logging.config.dictConfig(doc)
out = {}
for name in sys.argv[3].split(","):
    lg = logging.getLogger(name)
    own = logging.getLevelName(lg.level) if lg.level else None
    out[name] = {"configuredLevel": own, "effectiveLevel": logging.getLevelName(lg.getEffectiveLevel())}
print(json.dumps(out))
`

// The levels GET answers after POSTs are Python's after the same sets,
// names never seen included (CPython is the oracle).
func TestHTTPLevelsMatchPython(t *testing.T) {
	p := newProc(t)
	base := serveHTTP(t, p)
	sets := []string{"app.db=DEBUG", "root=ERROR", "app.db=NOTSET", "app.web=INFO", "app=CRITICAL"}
	for _, kv := range sets {
		name, lvl, _ := strings.Cut(kv, "=")
		body := `{"configuredLevel":"` + lvl + `"}`
		if lvl == "NOTSET" {
			body = `{"configuredLevel":null}`
		}
		code, _, b := do(t, "POST", base+"/"+name, "", body)
		require.Equal(t, http.StatusNoContent, code, b)
	}
	names := []string{"root", "app", "app.db", "app.db.pool", "app.web", "app.web.x", "never.seen"}
	ini := filepath.Join(t.TempDir(), "base.conf")
	require.NoError(t, os.WriteFile(ini, []byte(p.ini("INFO", "WARNING")), 0o600))
	var want map[string]httpEntry
	out := lltest.RunPython(t, 30*time.Second, pythonLevels, ini, strings.Join(sets, ","), strings.Join(names, ","))
	require.NoError(t, json.Unmarshal([]byte(out), &want), out)
	for _, n := range names {
		assert.Equal(t, want[n], getOne(t, base+"/"+n), n)
	}
}

// The HTTP endpoint is levels-only even under WithFull(true), and runs
// the listener's hooks around and after each apply.
func TestHTTPLevelsOnlyAndHooks(t *testing.T) {
	p := newProc(t)
	var around, after int
	var res *logcfg.ApplyResult
	base := serveHTTP(t, p, listener.WithFull(true), trustingVerify, listener.WithHooks(listener.Hooks{
		AroundApply: func(apply func() error) error { around++; return apply() },
		OnApply:     func(r *logcfg.ApplyResult) { after++; res = r },
	}))
	code, _, body := do(t, "POST", base+"/app.db", "", `{"configuredLevel":"DEBUG","full":true}`)
	assert.Equal(t, http.StatusBadRequest, code, "no full key in the HTTP body")
	assert.Contains(t, body, `unknown field \"full\"`)
	code, _, body = do(t, "POST", base+"/app.db", "", `{"configuredLevel":"DEBUG"}`)
	require.Equal(t, http.StatusNoContent, code, body)
	assert.Equal(t, 1, around)
	assert.Equal(t, 1, after)
	require.NotNil(t, res)
	assert.Empty(t, res.Opened, "levels only: no handler opened")
	assert.Empty(t, res.Closed)
	assert.Equal(t, []logcfg.Change{{Kind: logcfg.ChangeLogger, Name: "app.db", Old: zapcore.WarnLevel, New: zapcore.DebugLevel}}, res.Changes)
}
