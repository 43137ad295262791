package logcfg

import (
	"bytes"
	"fmt"
	"log"
	"runtime"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap/zapcore"
)

// RedirectStdLog sends the standard library's log package (log.Printf,
// log.Println, ... on the default logger) into the tree: each line becomes
// a record of the logger name at level, through that logger's level,
// handlers and formats, with the caller of log.Printf as its caller. The
// log package's own prefix and flags are cleared (the tree's formats show
// the time and the caller), and a trailing newline is dropped. restore
// puts back the output, prefix and flags from before.
//
// It panics if level is not a record level (DEBUG to CRITICAL): the
// standard log package has no way to return an error.
//
// slog.SetDefault(tree.Slog(name)) also sends the log package to the
// tree (at INFO); RedirectStdLog chooses the level and leaves slog's
// default alone.
func (t *Tree) RedirectStdLog(name string, level zapcore.Level) (restore func()) {
	if level < zapcore.DebugLevel || level > Critical {
		panic(fmt.Sprintf("logcfg: RedirectStdLog(%q): level %d is not DEBUG, INFO, WARNING, ERROR or CRITICAL", clip(name), int(level)))
	}
	flags, prefix, out := log.Flags(), log.Prefix(), log.Writer()
	log.SetFlags(0)
	log.SetPrefix("")
	log.SetOutput(&stdWriter{core: t.node(name).core, level: level})
	return func() {
		log.SetFlags(flags)
		log.SetPrefix(prefix)
		log.SetOutput(out)
	}
}

// stdWriter is the log package's output: one Write per line.
type stdWriter struct {
	core  *routerCore
	level zapcore.Level
}

func (w *stdWriter) Write(p []byte) (int, error) {
	if w.level < zapcore.Level(w.core.n.level.Load()) {
		return len(p), nil
	}
	ent := zapcore.Entry{Level: w.level, Time: time.Now(), LoggerName: w.core.n.name, Message: string(bytes.TrimSuffix(p, []byte{'\n'}))}
	s := w.core.t.state.Load()
	if s.needCaller {
		ent.Caller = callerOutside(0, "log.")
	}
	return len(p), w.core.writeIn(s, ent, nil, nil)
}

// callerOutside is the application's call into a front end: the first
// frame (inlined frames counted) outside the front ends of this package
// and the packages named by prefix (e.g. "log."), then depth frames
// further out (logr's WithCallDepth). Frames are resolved once per PC.
func callerOutside(depth int, prefixes ...string) zapcore.EntryCaller {
	var pcs [24]uintptr
	n := runtime.Callers(3, pcs[:]) // skip Callers, callerOutside and its caller
	out := false
	for _, pc := range pcs[:n] {
		for _, f := range framesAt(pc) {
			if !out {
				out = !isFrontEnd(f.Function) && !hasAnyPrefix(f.Function, prefixes)
			}
			if out {
				if depth == 0 {
					return f
				}
				depth--
			}
		}
	}
	return zapcore.EntryCaller{}
}

// pcFrames caches, by PC, every frame at it, innermost first.
var pcFrames sync.Map // uintptr → []zapcore.EntryCaller

func framesAt(pc uintptr) []zapcore.EntryCaller {
	if v, ok := pcFrames.Load(pc); ok {
		return v.([]zapcore.EntryCaller)
	}
	var fs []zapcore.EntryCaller
	it := runtime.CallersFrames([]uintptr{pc})
	for {
		f, more := it.Next()
		fs = append(fs, zapcore.EntryCaller{Defined: true, PC: pc, File: f.File, Line: f.Line, Function: f.Function})
		if !more {
			break
		}
	}
	pcFrames.Store(pc, fs)
	return fs
}

func isFrontEnd(fn string) bool {
	return insideZap(fn) || strings.HasPrefix(fn, "github.com/livelog/livelog/logcfg.(*stdWriter)") ||
		strings.HasPrefix(fn, "github.com/livelog/livelog/logcfg.(*logrSink)") ||
		strings.HasPrefix(fn, "github.com/livelog/livelog/logcfg.(*slogHandler)") ||
		strings.HasPrefix(fn, "github.com/livelog/livelog/logcfg.(*routerCore)")
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
