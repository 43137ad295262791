package logcfg

import (
	"time"

	"github.com/go-logr/logr"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Logr returns a logr.Logger (for controller-runtime, client-go and other
// logr users) over the logger name, through the same tree as
// [Tree.Logger]: its level, handlers and formats, every later Apply.
// logr's verbosity maps onto the tree's levels:
//
//	logr          tree
//	V(0).Info     INFO
//	V(1+).Info    DEBUG (V(1), V(2), ... all DEBUG)
//	Error         ERROR (the error as the field "error")
//
// so V(1) and beyond show when the logger is at DEBUG. WithName("x")
// gives the tree's logger name.x, at that logger's level (as zap's Named);
// WithValues adds fields, rendered as zap.Any of each value (keys must be
// strings; a non-string key or a missing value is logged under the key
// "!BADKEY", as slog does). The caller is logr's caller, honouring
// WithCallDepth.
func (t *Tree) Logr(name string) logr.Logger {
	return logr.New(&logrSink{core: t.node(name).core})
}

// logrSink is the tree's logr.LogSink.
type logrSink struct {
	core  *routerCore
	depth int // frames to skip past logr's own (WithCallDepth)
}

var (
	_ logr.LogSink          = (*logrSink)(nil)
	_ logr.CallDepthLogSink = (*logrSink)(nil)
)

// logrLevel is the tree's level of a logr V-level.
func logrLevel(v int) zapcore.Level {
	if v <= 0 {
		return zapcore.InfoLevel
	}
	return zapcore.DebugLevel
}

// Init takes logr's call depth; its own frames are skipped by name, so
// only the depth beyond them counts.
func (s *logrSink) Init(info logr.RuntimeInfo) { s.depth = max(info.CallDepth-1, 0) }

func (s *logrSink) Enabled(v int) bool {
	return logrLevel(v) >= zapcore.Level(s.core.n.level.Load())
}

func (s *logrSink) Info(v int, msg string, kv ...any) {
	s.write(logrLevel(v), msg, nil, kv)
}

func (s *logrSink) Error(err error, msg string, kv ...any) {
	if zapcore.ErrorLevel < zapcore.Level(s.core.n.level.Load()) {
		return
	}
	s.write(zapcore.ErrorLevel, msg, err, kv)
}

func (s *logrSink) write(l zapcore.Level, msg string, err error, kv []any) {
	ent := zapcore.Entry{Level: l, Time: time.Now(), LoggerName: s.core.n.name, Message: msg}
	st := s.core.t.state.Load()
	if st.needCaller {
		ent.Caller = callerOutside(s.depth, "github.com/go-logr/logr.")
	}
	fields := kvFields(kv, 1)
	if err != nil {
		fields = append(fields, zap.Error(err))
	}
	_ = s.core.writeIn(st, ent, fields, nil)
}

func (s *logrSink) WithValues(kv ...any) logr.LogSink {
	fs := kvFields(kv, 0)
	if len(fs) == 0 {
		return s
	}
	return &logrSink{core: s.core.withFields(fs, nil), depth: s.depth}
}

// WithName is the logger name.x of the tree, with this sink's values.
func (s *logrSink) WithName(name string) logr.LogSink {
	full := s.core.n.name + "." + name
	if s.core.n.name == "root" {
		full = name
	}
	return &logrSink{core: s.core.as(full), depth: s.depth}
}

func (s *logrSink) WithCallDepth(depth int) logr.LogSink {
	return &logrSink{core: s.core, depth: s.depth + depth}
}

// kvFields turns logr's alternating keys and values into zap fields,
// with room for extra more.
func kvFields(kv []any, extra int) []zapcore.Field {
	if len(kv) == 0 && extra == 0 {
		return nil
	}
	fs := make([]zapcore.Field, 0, (len(kv)+1)/2+extra)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok || i+1 == len(kv) {
			fs = append(fs, zap.Any("!BADKEY", kv[i]))
			i--
			continue
		}
		fs = append(fs, zap.Any(k, kv[i+1]))
	}
	return fs
}
