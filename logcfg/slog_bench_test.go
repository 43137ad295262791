package logcfg

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// benchFormat shows what slog's TextHandler shows: time, level, message
// and the attributes (and the logger name).
const benchFormat = "%(asctime)s %(levelname)s %(name)s %(message)s"

// benchSlogTree runs the root at INFO into one test.Discard handler
// (encodes each record with benchFormat and drops it).
func benchSlogTree(b *testing.B) *Tree {
	r := newTestRegistry()
	return r.tree(b, lltest.NewINI().Logger("root", "INFO", "h", true).
		Handler("h", "test.Discard", "", "c", "()").
		Formatter("c", benchFormat).String())
}

// benchLoggers are the slog loggers compared: livelog's own handler, slog's
// TextHandler to io.Discard, zapslog over a zap console core to io.Discard,
// and zapslog over the tree's zap core (the alternative to livelog's own
// handler). The calls run in one goroutine: slog's TextHandler holds a
// mutex around each write, which parallel runs on a loaded machine turn
// into contention, not encoding cost.
func benchLoggers(b *testing.B) []struct {
	name string
	l    *slog.Logger
} {
	tree := benchSlogTree(b)
	console := zapcore.NewCore(zapcore.NewConsoleEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zapcore.InfoLevel)
	return []struct {
		name string
		l    *slog.Logger
	}{
		{"livelog", tree.Slog("app")},
		{"slogtext", slog.New(slog.NewTextHandler(io.Discard, nil))},
		{"zapslog", slog.New(zapslog.NewHandler(console))},
		{"zapslog-tree", slog.New(zapslog.NewHandler(tree.Logger("app").Core(), zapslog.WithName("app")))},
	}
}

func BenchmarkSlog(b *testing.B) {
	benchEach(b, func(l *slog.Logger) { l.Info("msg", "n", 1, "s", "x", "d", time.Second) })
}

func BenchmarkSlogDisabled(b *testing.B) {
	benchEach(b, func(l *slog.Logger) { l.Debug("msg", "n", 1, "s", "x", "d", time.Second) })
}

// benchEach runs call on each of benchLoggers as a sub-benchmark.
func benchEach(b *testing.B, call func(*slog.Logger)) {
	for _, bl := range benchLoggers(b) {
		b.Run(bl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				call(bl.l)
			}
		})
	}
}

// BenchmarkWithLevelContext: what a context floor adds to a disabled and
// an enabled call, through slog and through zap. "never" runs before any
// WithLevel in the process (the fast path); "nofloor" after one, with a
// context that carries none.
func BenchmarkWithLevelContext(b *testing.B) {
	tree := benchSlogTree(b)
	sl, zl := tree.Slog("app"), tree.Logger("app")
	bg := context.Background()
	debug := WithLevel(bg, zapcore.DebugLevel)
	above := WithLevel(bg, zapcore.ErrorLevel)
	run := func(name string, before func(), f func()) {
		b.Run(name, func(b *testing.B) {
			before()
			b.ReportAllocs()
			for b.Loop() {
				f()
			}
		})
	}
	never := func() { floorsUsed.Store(false) }
	used := func() { floorsUsed.Store(true) }
	run("slog/disabled/never", never, func() { sl.DebugContext(bg, "off", "n", 1) })
	run("slog/disabled/nofloor", used, func() { sl.DebugContext(bg, "off", "n", 1) })
	run("slog/disabled/floor-above", used, func() { sl.DebugContext(above, "off", "n", 1) })
	run("slog/enabled/nofloor", used, func() { sl.InfoContext(bg, "on", "n", 1) })
	run("slog/enabled/by-floor", used, func() { sl.DebugContext(debug, "on", "n", 1) })
	run("zap/disabled/Logger", used, func() { zl.Debug("off") })
	run("zap/disabled/LoggerContext-nofloor", used, func() { tree.LoggerContext(bg, "app").Debug("off") })
	zabove := tree.LoggerContext(above, "app")
	run("zap/disabled/LoggerContext-floor-above", used, func() { zabove.Debug("off") })
	run("zap/enabled/Logger", used, func() { zl.Info("on", zap.Int("n", 1)) })
	byFloor := tree.LoggerContext(debug, "app")
	run("zap/enabled/LoggerContext-by-floor", used, func() { byFloor.Debug("on", zap.Int("n", 1)) })
}
