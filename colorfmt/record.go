package colorfmt

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"go.uber.org/zap/zapcore"
)

var (
	// pid is %(process)d.
	pid = os.Getpid()
	// startTime is what %(relativeCreated)d counts from, like the time
	// Python's logging module was imported.
	startTime = time.Now()
	// processName is %(processName)s.
	processName atomic.Pointer[string]
	// mainThread is the thread %(threadName)s calls MainThread: the one
	// that runs package initialisation, to which the runtime locks the
	// main goroutine until main.main starts, i.e. the process's first
	// thread (on Linux its id is the pid). Where threadID is always 0,
	// every thread is MainThread.
	mainThread = threadID()
)

func init() {
	name := filepath.Base(os.Args[0])
	processName.Store(&name)
}

// SetProcessName sets what %(processName)s renders in every encoder, e.g.
// "Worker #2". The default is the base name of os.Args[0]. It is safe to
// call at any time, concurrently with logging.
func SetProcessName(name string) {
	processName.Store(&name)
}

// ProcessName returns what %(processName)s renders.
func ProcessName() string {
	return *processName.Load()
}

// appendThreadName is %(threadName)s: "MainThread" for the process's first
// thread (see mainThread), "Thread-<tid>" for the others. threadID, the
// id of the OS thread running the logging goroutine, sits in one file per
// OS (thread_*.go).
func appendThreadName(dst []byte, tid int) []byte {
	if tid == mainThread {
		return append(dst, "MainThread"...)
	}
	return strconv.AppendInt(append(dst, "Thread-"...), int64(tid), 10)
}

// Python's LogRecord values when the caller is unknown.
const (
	unknownFile     = "(unknown file)"
	unknownFunction = "(unknown function)"
)

// pathname is %(pathname)s: the caller's full file path.
func pathname(c zapcore.EntryCaller) string {
	if !c.Defined || c.File == "" {
		return unknownFile
	}
	return c.File
}

// filename is %(filename)s: the base name of the caller's file.
func filename(c zapcore.EntryCaller) string {
	p := pathname(c)
	if i := strings.LastIndexByte(p, '/'); i >= 0 && c.Defined {
		return p[i+1:]
	}
	return p
}

// module is %(module)s: the file name without its extension, as Python's
// os.path.splitext gives it ("handler.go" → "handler").
func module(c zapcore.EntryCaller) string {
	f := filename(c)
	if !c.Defined {
		return f
	}
	if i := strings.LastIndexByte(f, '.'); i > 0 {
		return f[:i]
	}
	return f
}

// funcName is %(funcName)s: the last component of the Go function name,
// e.g. "Method" for "example.com/pkg.(*T).Method", "func1" for a closure,
// "Map" for the generic "pkg.Map[...]".
func funcName(c zapcore.EntryCaller) string {
	fn := c.Function
	if !c.Defined || fn == "" {
		return unknownFunction
	}
	fn = strings.TrimSuffix(fn, "[...]")
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.LastIndexByte(fn, '.'); i >= 0 {
		return fn[i+1:]
	}
	return fn
}

// lineno is %(lineno)d; 0 when the caller is unknown, as in Python.
func lineno(c zapcore.EntryCaller) int {
	if !c.Defined {
		return 0
	}
	return c.Line
}
