package logcfg_test

import (
	"errors"
	"log"
	"log/slog"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

func TestRedirectStdLog(t *testing.T) {
	f := newFrontTree(t)
	restore := f.tree.RedirectStdLog("dep.http", zapcore.WarnLevel)
	log.Printf("from a dependency: %d", 42)
	log.Println("println")
	restore()
	quiet := f.tree.RedirectStdLog("app.quiet", zapcore.WarnLevel)
	log.Print("below app.quiet's ERROR: dropped")
	quiet()
	assert.Equal(t, os.Stderr, log.Writer(), "restored")
	assert.Equal(t, log.LstdFlags, log.Flags(), "restored")
	assert.Equal(t, []string{
		"WARNING dep.http TestRedirectStdLog: from a dependency: 42",
		"WARNING dep.http TestRedirectStdLog: println",
	}, f.lines(t))
	assert.Panics(t, func() { f.tree.RedirectStdLog("x", zapcore.FatalLevel) })
}

// slog.SetDefault sends slog's and the log package's default loggers to
// the tree.
func TestSlogSetDefault(t *testing.T) {
	f := newFrontTree(t)
	old := slog.Default()
	slog.SetDefault(f.tree.Slog("app.db"))
	slog.Debug("slog default", "k", 1)
	log.Printf("log through slog")
	slog.SetDefault(old)
	assert.Equal(t, []string{
		"DEBUG app.db TestSlogSetDefault: slog default k=1",
		"INFO app.db TestSlogSetDefault: log through slog",
	}, f.lines(t))
}

func logrHelper(f *frontTree) {
	f.tree.Logr("app.db").WithCallDepth(1).Info("through a helper")
}

func TestLogr(t *testing.T) {
	f := newFrontTree(t)
	db := f.tree.Logr("app.db")
	db.Info("v0", "n", 1, "s", "x")
	db.V(1).Info("v1")
	db.V(3).Info("v3")
	db.WithValues("req", 7).WithName("pool").Info("named", "size", 4)
	db.Error(errors.New("boom"), "failed", "attempt", 2)
	db.Info("odd", "k")
	logrHelper(f)
	app := f.tree.Logr("app")
	assert.False(t, app.V(0).Enabled(), "app inherits WARNING")
	app.Info("dropped")
	app.Error(errors.New("e"), "app error")
	quiet := f.tree.Logr("app.quiet")
	quiet.Error(errors.New("e"), "quiet error")
	assert.True(t, db.V(5).Enabled())
	assert.Equal(t, []string{
		"INFO app.db TestLogr: v0 n=1 s=x",
		"DEBUG app.db TestLogr: v1",
		"DEBUG app.db TestLogr: v3",
		"INFO app.db.pool TestLogr: named req=7 size=4",
		"ERROR app.db TestLogr: failed attempt=2 error=boom",
		"INFO app.db TestLogr: odd !BADKEY=k",
		"INFO app.db TestLogr: through a helper",
		"ERROR app TestLogr: app error error=e",
		"ERROR app.quiet TestLogr: quiet error error=e",
	}, f.lines(t))
	recs := f.records(t)
	require.Len(t, recs, 9)
	assert.Equal(t, "boom", recs[4]["error"])
}
