package logcfg

import (
	"context"
	"log/slog"
	"sync"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// SlogCritical is the slog level livelog maps to Python's CRITICAL: slog
// names none above LevelError, and 12 continues its spacing of 4.
const SlogCritical = slog.LevelError + 4

// ZapLevelOfSlog maps a slog level onto the tree's levels:
// slog.LevelDebug, LevelInfo, LevelWarn and LevelError are DEBUG, INFO,
// WARNING and ERROR, [SlogCritical] (12) and above CRITICAL, and any other
// level the nearest Python level below it (slog.LevelInfo+2 is INFO,
// LevelWarn-1 is INFO). Levels below LevelDebug are DEBUG: Python has no
// record level below DEBUG that a handler would show.
func ZapLevelOfSlog(l slog.Level) zapcore.Level {
	switch {
	case l < slog.LevelInfo:
		return zapcore.DebugLevel
	case l < slog.LevelWarn:
		return zapcore.InfoLevel
	case l < slog.LevelError:
		return zapcore.WarnLevel
	case l < SlogCritical:
		return zapcore.ErrorLevel
	}
	return Critical
}

// Slog returns a *slog.Logger over [Tree.SlogHandler](name).
// slog.SetDefault(tree.Slog("app")) makes it the program's default, and
// the standard log package's output then goes to it too (at INFO), as
// slog.SetDefault does for any handler.
func (t *Tree) Slog(name string) *slog.Logger { return slog.New(t.SlogHandler(name)) }

// SlogHandler returns a slog.Handler that sends records through the same
// tree as [Tree.Logger](name): the logger's effective level, its handlers
// and their formats and colours, every later Apply. The record's logger
// name is name ("%(name)s" shows it); its level maps as
// [ZapLevelOfSlog] says; its attributes are rendered as zap fields would
// be (a string, number, bool, duration or time as the matching zap field,
// anything else as zap.Any, a LogValuer resolved first). Groups, made with
// WithGroup or slog.Group, are dotted keys in the text formatters
// (Formatter, ColorFormatter: req.id=7) and nested objects in the JSON
// formatter ({"req":{"id":7}}); empty attributes and empty groups are
// left out, as slog's own handlers do. The caller (%(funcName)s,
// %(lineno)d, ...) is the record's PC, or, for a record without one (the
// log package through slog.SetDefault), the first frame outside log and
// log/slog.
//
// Enabled costs one atomic load of the logger's level when the record
// is at or above it. Below it, a context carrying a level floor
// ([WithLevel]) lets the record through: Enabled and Handle honour the
// floor, then handlers filter by their own levels.
func (t *Tree) SlogHandler(name string) slog.Handler {
	return &slogHandler{core: t.node(name).core}
}

// slogHandler is the tree's slog.Handler: a router core (carrying the
// With attributes, and the groups they are in, as zap fields) and the
// groups opened since the last attributes, which become zap namespaces
// only once an attribute lands in them (slog shows no empty group).
type slogHandler struct {
	core    *routerCore
	pending []string
	grouped *routerCore // core with the pending groups' namespaces; nil if none
}

var _ slog.Handler = (*slogHandler)(nil)

func (h *slogHandler) Enabled(ctx context.Context, l slog.Level) bool {
	zl := ZapLevelOfSlog(l)
	if zl >= zapcore.Level(h.core.n.level.Load()) {
		return true
	}
	floor, ok := levelFloor(ctx)
	return ok && zl >= floor
}

func (h *slogHandler) Handle(ctx context.Context, r slog.Record) error {
	if !h.Enabled(ctx, r.Level) {
		return nil
	}
	ent := zapcore.Entry{Level: ZapLevelOfSlog(r.Level), Time: r.Time, LoggerName: h.core.n.name, Message: r.Message}
	st := h.core.t.state.Load()
	if st.needCaller {
		if r.PC != 0 {
			ent.Caller = frameAt(r.PC).caller
		} else {
			// No PC: the log package through slog.SetDefault (without
			// Lshortfile), or a record made by hand.
			ent.Caller = callerOutside(0, "log/slog.", "log.")
		}
	}
	fb := fieldBufs.Get().(*fieldBuf)
	r.Attrs(func(a slog.Attr) bool {
		fb.add(a)
		return true
	})
	var flat []zapcore.Field
	if fb.grouped {
		flat = fb.flat
	}
	core := h.core
	if h.grouped != nil && len(fb.fields) > 0 {
		core = h.grouped
	}
	err := core.writeIn(st, ent, fb.fields, flat)
	fb.free()
	return err
}

func (h *slogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	var fb fieldBuf
	for _, g := range h.pending {
		fb.fields = append(fb.fields, zap.Namespace(g))
	}
	fb.open = len(fb.fields)
	for _, a := range attrs {
		fb.add(a)
	}
	if len(fb.fields) == fb.open {
		return h
	}
	var flat []zapcore.Field
	if fb.grouped {
		flat = fb.flat
	}
	return &slogHandler{core: h.core.withFields(fb.fields, flat)}
}

// WithGroup opens a group: the attributes after it become name.key in
// text formatters and {"name":{...}} in JSON (a zap namespace, opened
// once an attribute lands in it).
func (h *slogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	pending := append(h.pending[:len(h.pending):len(h.pending)], name)
	ns := make([]zapcore.Field, len(pending))
	for i, g := range pending {
		ns[i] = zap.Namespace(g)
	}
	return &slogHandler{core: h.core, pending: pending, grouped: h.core.withFields(ns, nil)}
}

// fieldBuf collects a record's attributes as zap fields: fields for JSON
// and other formatters (groups as nested objects), and, once a group is
// met, flat for the text formatters (groups as dotted keys).
type fieldBuf struct {
	fields  []zapcore.Field
	flat    []zapcore.Field
	grouped bool
	open    int // leading namespace fields (WithAttrs: the pending groups)
}

var fieldBufs = sync.Pool{New: func() any { return &fieldBuf{fields: make([]zapcore.Field, 0, 8)} }}

// free returns fb to the pool, unless it grew large.
func (fb *fieldBuf) free() {
	if cap(fb.fields) > 64 || cap(fb.flat) > 64 {
		return
	}
	clear(fb.fields)
	clear(fb.flat)
	fb.fields, fb.flat, fb.grouped = fb.fields[:0], fb.flat[:0], false
	fieldBufs.Put(fb)
}

func (fb *fieldBuf) add(a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Value.Kind() != slog.KindGroup {
		if isEmpty(a) {
			return
		}
		f := attrField(a.Key, a.Value)
		fb.fields = append(fb.fields, f)
		if fb.grouped {
			fb.flat = append(fb.flat, f)
		}
		return
	}
	g := a.Value.Group()
	if !hasAttrs(g) {
		return
	}
	if a.Key == "" { // an inline group: its attributes at this level
		for _, sub := range g {
			fb.add(sub)
		}
		return
	}
	if !fb.grouped {
		fb.grouped = true
		fb.flat = append(fb.flat, fb.fields...)
	}
	fb.fields = append(fb.fields, zap.Object(a.Key, groupObject(g)))
	fb.flat = appendFlat(fb.flat, a.Key+".", g)
}

// appendFlat adds the attributes of a group as prefix+key fields.
func appendFlat(fs []zapcore.Field, prefix string, g []slog.Attr) []zapcore.Field {
	for _, a := range g {
		a.Value = a.Value.Resolve()
		switch {
		case a.Value.Kind() == slog.KindGroup:
			if sub := a.Value.Group(); hasAttrs(sub) {
				p := prefix
				if a.Key != "" {
					p += a.Key + "."
				}
				fs = appendFlat(fs, p, sub)
			}
		case !isEmpty(a):
			fs = append(fs, attrField(prefix+a.Key, a.Value))
		}
	}
	return fs
}

// isEmpty is slog's rule for an attribute to leave out: an empty key and
// a zero value (the key is tested first: it is the cheap part).
func isEmpty(a slog.Attr) bool { return a.Key == "" && a.Value.Equal(slog.Value{}) }

// hasAttrs says whether a group holds something to show.
func hasAttrs(g []slog.Attr) bool {
	for _, a := range g {
		v := a.Value.Resolve()
		if v.Kind() == slog.KindGroup {
			if hasAttrs(v.Group()) {
				return true
			}
		} else if !isEmpty(a) {
			return true
		}
	}
	return false
}

// groupObject is a slog group as a zap object (nested in JSON).
type groupObject []slog.Attr

func (g groupObject) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	for _, a := range g {
		a.Value = a.Value.Resolve()
		switch {
		case a.Value.Kind() == slog.KindGroup:
			sub := a.Value.Group()
			switch {
			case !hasAttrs(sub):
			case a.Key == "":
				if err := groupObject(sub).MarshalLogObject(enc); err != nil {
					return err
				}
			default:
				if err := enc.AddObject(a.Key, groupObject(sub)); err != nil {
					return err
				}
			}
		case !isEmpty(a):
			f := attrField(a.Key, a.Value)
			f.AddTo(enc)
		}
	}
	return nil
}

// attrField is the zap field for a resolved, non-group slog value.
func attrField(key string, v slog.Value) zapcore.Field {
	switch v.Kind() {
	case slog.KindString:
		return zap.String(key, v.String())
	case slog.KindInt64:
		return zap.Int64(key, v.Int64())
	case slog.KindUint64:
		return zap.Uint64(key, v.Uint64())
	case slog.KindFloat64:
		return zap.Float64(key, v.Float64())
	case slog.KindBool:
		return zap.Bool(key, v.Bool())
	case slog.KindDuration:
		return zap.Duration(key, v.Duration())
	case slog.KindTime:
		return zap.Time(key, v.Time())
	}
	return zap.Any(key, v.Any())
}
