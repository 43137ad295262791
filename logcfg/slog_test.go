package logcfg_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg"
)

// frontINI: root at WARNING to a text file and a JSON file; app.db at
// DEBUG; app.quiet at ERROR.
const frontINI = `[loggers]
keys=root,db,quiet

[handlers]
keys=text,json

[formatters]
keys=plain,js

[logger_root]
level=WARNING
handlers=text,json

[logger_db]
level=DEBUG
handlers=
qualname=app.db

[logger_quiet]
level=ERROR
handlers=
qualname=app.quiet

[handler_text]
class=FileHandler
level=NOTSET
formatter=plain
args=(%q,)

[handler_json]
class=FileHandler
level=NOTSET
formatter=js
args=(%q,)

[formatter_plain]
format=%%(levelname)s %%(name)s %%(funcName)s: %%(message)s

[formatter_js]
class=JSONFormatter
`

// frontTree is a tree running frontINI, read from a real file, writing
// to real files in a temporary directory.
type frontTree struct {
	tree           *logcfg.Tree
	text, jsonPath string
}

func newFrontTree(t *testing.T, opts ...logcfg.TreeOption) *frontTree {
	t.Helper()
	dir := t.TempDir()
	f := &frontTree{text: filepath.Join(dir, "app.log"), jsonPath: filepath.Join(dir, "app.json")}
	conf := filepath.Join(dir, "logging.conf")
	require.NoError(t, os.WriteFile(conf, []byte(fmt.Sprintf(frontINI, f.text, f.jsonPath)), 0o600))
	cfg, err := logcfg.ParseFile(conf)
	require.NoError(t, err)
	f.tree, err = logcfg.NewTree(cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, f.tree.Close()) })
	return f
}

// lines returns the text file's lines.
func (f *frontTree) lines(t *testing.T) []string {
	t.Helper()
	require.NoError(t, f.tree.Sync())
	b, err := os.ReadFile(f.text)
	require.NoError(t, err)
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// records returns the JSON file's records.
func (f *frontTree) records(t *testing.T) []map[string]any {
	t.Helper()
	require.NoError(t, f.tree.Sync())
	b, err := os.ReadFile(f.jsonPath)
	require.NoError(t, err)
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}

func TestSlogThroughTree(t *testing.T) {
	f := newFrontTree(t)
	db := f.tree.Slog("app.db")
	db.Debug("query", "n", 1, "s", "x", "d", time.Second)
	db.Info("grouped", slog.Group("req", "id", 7, slog.Group("peer", "ip", "10.0.0.1")), "after", true)
	f.tree.Slog("app").Info("below WARNING: dropped")
	f.tree.Slog("app").Warn("inherits WARNING")
	f.tree.Slog("app.quiet").Warn("below ERROR: dropped")
	f.tree.Slog("app.db").WithGroup("g").With("w", 1).WithGroup("empty").Info("with", "k", "v")
	f.tree.Slog("app.db").WithGroup("unused").Info("no attrs")

	fn := "TestSlogThroughTree"
	assert.Equal(t, []string{
		"DEBUG app.db " + fn + ": query n=1 s=x d=1s",
		"INFO app.db " + fn + ": grouped req.id=7 req.peer.ip=10.0.0.1 after=true",
		"WARNING app " + fn + ": inherits WARNING",
		"INFO app.db " + fn + ": with g.w=1 g.empty.k=v",
		"INFO app.db " + fn + ": no attrs",
	}, f.lines(t))

	recs := f.records(t)
	require.Len(t, recs, 5)
	assert.Equal(t, "app.db", recs[0]["name"])
	assert.Equal(t, "DEBUG", recs[0]["levelname"])
	assert.Equal(t, float64(1), recs[0]["n"])
	assert.Equal(t, "1s", recs[0]["d"])
	assert.Equal(t, map[string]any{"id": float64(7), "peer": map[string]any{"ip": "10.0.0.1"}}, recs[1]["req"])
	assert.Equal(t, true, recs[1]["after"])
	assert.Equal(t, map[string]any{"w": float64(1), "empty": map[string]any{"k": "v"}}, recs[3]["g"])
	assert.NotContains(t, recs[4], "unused", "an empty group is left out")
}

// slog levels between the named ones map to the nearest Python level
// below; 12 and above is CRITICAL; below DEBUG is DEBUG.
func TestSlogLevelMapping(t *testing.T) {
	f := newFrontTree(t)
	_, err := f.tree.SetLevel("app", zapcore.DebugLevel)
	require.NoError(t, err)
	l := f.tree.Slog("app")
	ctx := context.Background()
	for _, lv := range []slog.Level{-8, slog.LevelDebug, -1, slog.LevelInfo, 2, slog.LevelWarn, 7, slog.LevelError, 11, logcfg.SlogCritical, 100} {
		l.Log(ctx, lv, fmt.Sprint(int(lv)))
	}
	want := []string{"DEBUG -8", "DEBUG -4", "DEBUG -1", "INFO 0", "INFO 2", "WARNING 4", "WARNING 7", "ERROR 8", "ERROR 11", "CRITICAL 12", "CRITICAL 100"}
	var got []string
	for _, line := range f.lines(t) {
		fs := strings.Fields(line)
		got = append(got, fs[0]+" "+fs[len(fs)-1])
	}
	assert.Equal(t, want, got)

	// Enabled compares the mapped level: app.quiet is at ERROR.
	h := f.tree.SlogHandler("app.quiet")
	assert.False(t, h.Enabled(ctx, slog.LevelError-1), "WARNING")
	assert.True(t, h.Enabled(ctx, slog.LevelError))
	assert.True(t, h.Enabled(ctx, slog.LevelError+1), "ERROR")
}

// testing/slogtest's conformance rules, read back from the JSON file
// (the JSON formatter's levelname and message keys are slog's level and
// msg).
func TestSlogConformance(t *testing.T) {
	f := newFrontTree(t)
	h := f.tree.SlogHandler("app.db")
	results := func() []map[string]any {
		recs := f.records(t)
		for _, r := range recs {
			r[slog.LevelKey], r[slog.MessageKey] = r["levelname"], r["message"]
			delete(r, "levelname")
			delete(r, "message")
			delete(r, "name")
		}
		return recs
	}
	require.NoError(t, slogtest.TestHandler(h, results))
	assert.Greater(t, len(f.records(t)), 10, "slogtest's records reached the file")
}

// zapslog over a tree logger's core, as a user wired it by hand, names
// its records after that logger, not the root.
func TestZapslogOverTreeCore(t *testing.T) {
	f := newFrontTree(t)
	l := slog.New(zapslog.NewHandler(f.tree.Logger("app.db").Core(), zapslog.WithCaller(true)))
	l.Debug("by hand")
	assert.Equal(t, []string{"DEBUG app.db TestZapslogOverTreeCore: by hand"}, f.lines(t))
}

// slog and zap through the same logger render the same bytes, colour
// included (ColorFormatter, color=always), in text and JSON.
func TestSlogSameBytesAsZap(t *testing.T) {
	dir := t.TempDir()
	text, js := filepath.Join(dir, "color.log"), filepath.Join(dir, "app.json")
	ini := strings.Replace(fmt.Sprintf(frontINI, text, js),
		"[formatter_plain]\nformat=%(levelname)s %(name)s %(funcName)s: %(message)s",
		"[formatter_plain]\nclass=ColorFormatter\ncolor=always\nformat=$COLOR%(levelname)-8s$RESET %(name)s %(lineno)d: %(message)s", 1)
	cfg, err := logcfg.Parse(strings.NewReader(ini), "color.conf")
	require.NoError(t, err)
	tree, err := logcfg.NewTree(cfg)
	require.NoError(t, err)
	defer tree.Close()
	f := &frontTree{tree: tree, text: text, jsonPath: js}
	at := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	zl := tree.Logger("app.db").WithOptions(zap.WithClock(fixedClock(at)))
	h := tree.SlogHandler("app.db")
	for _, lv := range []zapcore.Level{zapcore.DebugLevel, zapcore.WarnLevel, zapcore.ErrorLevel} {
		zl.Log(lv, "same", zap.Int("n", 1), zap.String("s", "x y"), zap.Duration("d", time.Second))
		r := slog.NewRecord(at, slog.Level(4*int(lv)), "same", 0)
		r.AddAttrs(slog.Int("n", 1), slog.String("s", "x y"), slog.Duration("d", time.Second))
		require.NoError(t, h.Handle(context.Background(), r))
	}
	lines := f.lines(t)
	require.Len(t, lines, 6)
	for i := 0; i < 6; i += 2 {
		// The line numbers differ (two call sites); the rest must not.
		z, s := stripLineno(lines[i]), stripLineno(lines[i+1])
		assert.Equal(t, z, s)
		assert.Contains(t, z, "\x1b[", "coloured")
	}
	recs := f.records(t)
	require.Len(t, recs, 6)
	for i := 0; i < 6; i += 2 {
		delete(recs[i], "caller") // two call sites
		delete(recs[i+1], "caller")
		assert.Equal(t, recs[i], recs[i+1])
	}
}

func stripLineno(s string) string { return linenoRE.ReplaceAllString(s, " N: ") }

var linenoRE = regexp.MustCompile(` \d+: `)

type fixedClock time.Time

func (c fixedClock) Now() time.Time                         { return time.Time(c) }
func (c fixedClock) NewTicker(d time.Duration) *time.Ticker { return time.NewTicker(d) }
