package logcfg

import (
	"runtime"
	"strings"
	"sync"

	"go.uber.org/zap/zapcore"
)

// frameInfo is what one program counter says about the caller: the first
// frame at that PC (inlined frames expanded) outside zap, or none.
type frameInfo struct {
	caller   zapcore.EntryCaller
	internal bool // every frame at this PC is inside zap
}

// frames caches frameInfo by PC. The set of PCs that log is bounded by the
// program's code, so the cache is too.
var frames sync.Map // uintptr → *frameInfo

// callerOf finds the application's call into zap, the way zap's AddCaller
// does, but resolving each PC to a frame only once: a cache hit costs one
// runtime.Callers and a map load, with no allocation.
func callerOf() zapcore.EntryCaller {
	// Skip runtime.Callers, callerOf and routerCore.Write. The caller is
	// usually the third frame (CheckedEntry.Write, Logger.Info, caller):
	// unwind 4 first, as the cost grows with every frame; then deeper.
	var pcs [16]uintptr
	for skip, want := 3, 4; ; skip, want = skip+want, len(pcs) {
		n := runtime.Callers(skip, pcs[:want])
		for _, pc := range pcs[:n] {
			if fi := frameAt(pc); !fi.internal {
				return fi.caller
			}
		}
		if n < want || skip > 3 {
			return zapcore.EntryCaller{}
		}
	}
}

func frameAt(pc uintptr) *frameInfo {
	if v, ok := frames.Load(pc); ok {
		return v.(*frameInfo)
	}
	fi := &frameInfo{internal: true}
	it := runtime.CallersFrames([]uintptr{pc})
	for {
		f, more := it.Next()
		if !insideZap(f.Function) {
			fi.internal = false
			fi.caller = zapcore.EntryCaller{Defined: true, PC: pc, File: f.File, Line: f.Line, Function: f.Function}
			break
		}
		if !more {
			break
		}
	}
	frames.Store(pc, fi)
	return fi
}

func insideZap(fn string) bool {
	return strings.HasPrefix(fn, "go.uber.org/zap.") || strings.HasPrefix(fn, "go.uber.org/zap/")
}
