package httplevel_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/livelog/livelog/httplevel"
	"github.com/livelog/livelog/logcfg"
)

const treeINI = `[loggers]
keys=root
[handlers]
keys=file
[formatters]
keys=plain
[logger_root]
level=INFO
handlers=file
[handler_file]
class=FileHandler
formatter=plain
args=(%q,)
[formatter_plain]
format=%%(levelname)s %%(name)s %%(message)s
`

var secret = []byte("s3cret-shared-with-the-listener")

// server is a real HTTP server behind the middleware whose handler logs
// at DEBUG through slog and zap with the request's context.
type server struct {
	*httptest.Server
	tree    *logcfg.Tree
	logPath string
	mu      sync.Mutex
	rejects []string
}

func newServer(t *testing.T) *server {
	t.Helper()
	dir := t.TempDir()
	s := &server{logPath: filepath.Join(dir, "app.log")}
	conf := filepath.Join(dir, "logging.conf")
	require.NoError(t, os.WriteFile(conf, []byte(fmt.Sprintf(treeINI, s.logPath)), 0o600))
	cfg, err := logcfg.ParseFile(conf)
	require.NoError(t, err)
	s.tree, err = logcfg.NewTree(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.tree.Close()) })
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	mw, err := httplevel.New(secret, &httplevel.Options{
		Now: func() time.Time { return now },
		OnReject: func(_ *http.Request, reason string) {
			s.mu.Lock()
			s.rejects = append(s.rejects, reason)
			s.mu.Unlock()
		},
	})
	require.NoError(t, err)
	s.Server = httptest.NewServer(mw.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		s.tree.Slog("app.http").DebugContext(r.Context(), "slog debug", "id", id)
		s.tree.LoggerContext(r.Context(), "app.db").Debug("zap debug", zap.String("id", id))
		s.tree.Slog("app.http").InfoContext(r.Context(), "served", "id", id)
	})))
	t.Cleanup(s.Close)
	return s
}

func (s *server) get(t *testing.T, id string, headers ...string) {
	t.Helper()
	req, err := http.NewRequest("GET", s.URL+"/?id="+id, nil)
	require.NoError(t, err)
	for i := 0; i < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func (s *server) lines(t *testing.T) []string {
	t.Helper()
	require.NoError(t, s.tree.Sync())
	b, err := os.ReadFile(s.logPath)
	require.NoError(t, err)
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func TestSignedHeaderSetsTheFloor(t *testing.T) {
	s := newServer(t)
	exp := fmt.Sprint(time.Date(2026, 12, 2, 13, 0, 0, 0, time.UTC).Unix())
	s.get(t, "plain")
	s.get(t, "signed", httplevel.DefaultHeader, "DEBUG", httplevel.DefaultSignatureHeader, httplevel.Sign(secret, "DEBUG"))
	s.get(t, "expiring", httplevel.DefaultHeader, "DEBUG;exp="+exp, httplevel.DefaultSignatureHeader, httplevel.Sign(secret, "DEBUG;exp="+exp))
	assert.Equal(t, []string{
		"INFO app.http served id=plain",
		"DEBUG app.http slog debug id=signed",
		"DEBUG app.db zap debug id=signed",
		"INFO app.http served id=signed",
		"DEBUG app.http slog debug id=expiring",
		"DEBUG app.db zap debug id=expiring",
		"INFO app.http served id=expiring",
	}, s.lines(t))
	assert.Empty(t, s.rejects)
}

// Unsigned, wrongly signed, expired or malformed headers change nothing.
func TestBadHeadersChangeNothing(t *testing.T) {
	s := newServer(t)
	past := fmt.Sprint(time.Date(2026, 12, 2, 11, 0, 0, 0, time.UTC).Unix())
	long := "DEBUG;exp=" + strings.Repeat("9", 200)
	cases := []struct {
		id      string
		headers []string
		reason  string
	}{
		{"unsigned", []string{"Livelog-Level", "DEBUG"}, "Livelog-Level header is not signed (no Livelog-Level-Signature header)"},
		{"other-secret", []string{"Livelog-Level", "DEBUG", "Livelog-Level-Signature", httplevel.Sign([]byte("another"), "DEBUG")}, "bad signature: Livelog-Level was not signed with this secret, or was altered"},
		{"altered", []string{"Livelog-Level", "DEBUG", "Livelog-Level-Signature", httplevel.Sign(secret, "INFO")}, "bad signature: Livelog-Level was not signed with this secret, or was altered"},
		{"not-hex", []string{"Livelog-Level", "DEBUG", "Livelog-Level-Signature", "zz"}, "Livelog-Level-Signature is not a hex HMAC-SHA256"},
		{"bad-level", []string{"Livelog-Level", "LOUD", "Livelog-Level-Signature", httplevel.Sign(secret, "LOUD")}, `Livelog-Level: bad level "LOUD" (want DEBUG, INFO, WARNING, ERROR, CRITICAL or NOTSET)`},
		{"expired", []string{"Livelog-Level", "DEBUG;exp=" + past, "Livelog-Level-Signature", httplevel.Sign(secret, "DEBUG;exp="+past)}, "Livelog-Level expired at 2026-12-02T11:00:00Z"},
		{"bad-exp", []string{"Livelog-Level", "DEBUG;until=1", "Livelog-Level-Signature", httplevel.Sign(secret, "DEBUG;until=1")}, `Livelog-Level: want LEVEL or LEVEL;exp=UNIXTIME, not "DEBUG;until=1"`},
		{"long", []string{"Livelog-Level", long, "Livelog-Level-Signature", httplevel.Sign(secret, long)}, "Livelog-Level header is 210 bytes (limit 100)"},
	}
	var want, reasons []string
	for _, c := range cases {
		s.get(t, c.id, c.headers...)
		want = append(want, "INFO app.http served id="+c.id)
		reasons = append(reasons, c.reason)
	}
	assert.Equal(t, want, s.lines(t), "no DEBUG line: nothing changed")
	assert.Equal(t, reasons, s.rejects)
}

func TestNewNeedsASecret(t *testing.T) {
	for _, sec := range [][]byte{nil, {}, []byte(" \n")} {
		mw, err := httplevel.New(sec, nil)
		assert.Nil(t, mw)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "httplevel: New: no secret")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "secret")
	require.NoError(t, os.WriteFile(path, []byte("  abc\n"), 0o600))
	b, err := httplevel.ReadSecretFile(path)
	require.NoError(t, err)
	assert.Equal(t, []byte("abc"), b)
	require.NoError(t, os.WriteFile(path, []byte("\n"), 0o600))
	_, err = httplevel.ReadSecretFile(path)
	assert.ErrorContains(t, err, "is empty")
}
