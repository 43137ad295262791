package handlers

import (
	"errors"
	"fmt"
	"sync"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
)

// memorySig is MemoryHandler's signature in CPython 3.11.
var memorySig = signature{"MemoryHandler", []string{"capacity", "flushLevel", "target", "flushOnClose"}, 1}

// memoryArgs are a MemoryHandler's checked arguments.
type memoryArgs struct {
	capacity     int64
	flushLevel   int64 // a Python level number
	flushOnClose bool
}

func memoryArgsOf(a Args) (memoryArgs, error) {
	got, err := memorySig.bind(a)
	if err != nil {
		return memoryArgs{}, err
	}
	ma := memoryArgs{flushLevel: 40, flushOnClose: true}
	bad := func(name, want string, v pylit.Value) error {
		return fmt.Errorf("%w: MemoryHandler %s must be %s, not %s", ErrBadArgs, name, want, pylit.Describe(v))
	}
	if v := got["capacity"]; v.Kind != pylit.KindInt {
		return ma, bad("capacity", "a whole number (how many records to hold)", v)
	} else {
		ma.capacity = v.Int
	}
	if v, ok := got["flushLevel"]; ok {
		if v.Kind != pylit.KindInt {
			return ma, bad("flushLevel", "a level number such as ERROR or 40", v)
		}
		ma.flushLevel = v.Int
	}
	if v, ok := got["target"]; ok && v.Kind != pylit.KindNone {
		return ma, fmt.Errorf("%w: MemoryHandler target must be None in args or kwargs, not %s: name the target handler with the section's target= key", ErrBadArgs, pylit.Describe(v))
	}
	if v, ok := got["flushOnClose"]; ok {
		n, isInt := intOf(v)
		if !isInt {
			return ma, bad("flushOnClose", "True or False", v)
		}
		ma.flushOnClose = n != 0
	}
	return ma, nil
}

func checkMemory(a Args) error {
	_, err := memoryArgsOf(a)
	return err
}

// openMemory opens a MemoryHandler. Its core gets its target with
// SetTarget once every handler of the config is open, as CPython's
// fileConfig calls setTarget; its own formatter is never used (the
// target formats the records).
func openMemory(a Args, _ EncoderFunc) (Output, error) {
	ma, err := memoryArgsOf(a)
	if err != nil {
		return Output{}, err
	}
	h := &memoryHandler{args: ma, buf: make([]bufferedRecord, 0, min(max(ma.capacity, 1), 1024))}
	return Output{Core: &memoryCore{h: h}, Close: h.close}, nil
}

// TargetSetter is implemented by the core of a handler that sends its
// records on to another handler of the same config (MemoryHandler, or a
// program's own class): logcfg calls SetTarget with the target's core,
// after opening every handler and before any record is written. The
// target's level does not filter what it gets this way (as in CPython,
// where MemoryHandler.flush calls target.handle). logcfg closes such a
// handler before its target.
type TargetSetter interface {
	SetTarget(target zapcore.Core)
}

// memoryHandler is CPython's MemoryHandler: records are held until the
// buffer holds capacity of them or one is at flushLevel or above, then
// all go to the target, in order, under the handler's lock (as in
// CPython, a flush holds up the handler's other writers while the target
// writes).
//
// Records are kept as zap gives them: their fields are encoded when they
// are flushed, as CPython formats a record's arguments only then. A field
// that refers to memory its caller changes afterwards (zap.ByteString of
// a reused buffer) shows what that memory holds at the flush.
type memoryHandler struct {
	args memoryArgs

	mu     sync.Mutex
	target zapcore.Core // nil until SetTarget, and after close
	buf    []bufferedRecord
	closed bool
}

// bufferedRecord is one held record: the core (with its With fields)
// that took it, the entry, and a copy of its fields. The slots of buf are
// reused, fields' backing arrays with them, so a steady state holds no
// new allocation per record.
type bufferedRecord struct {
	from   *memoryCore
	ent    zapcore.Entry
	fields []zapcore.Field
}

// memoryCore is a MemoryHandler's core, or one made from it by With.
type memoryCore struct {
	h    *memoryHandler
	with []zapcore.Field
	// tcore is the target's core with the With fields, made at the first
	// flush to a target (tfor); guarded by h.mu.
	tcore, tfor zapcore.Core
}

var (
	_ zapcore.Core = (*memoryCore)(nil)
	_ TargetSetter = (*memoryCore)(nil)
)

// SetTarget sets where the handler's records go.
func (c *memoryCore) SetTarget(target zapcore.Core) {
	c.h.mu.Lock()
	defer c.h.mu.Unlock()
	if !c.h.closed {
		c.h.target = target
	}
}

func (c *memoryCore) Enabled(zapcore.Level) bool { return true }

func (c *memoryCore) With(fields []zapcore.Field) zapcore.Core {
	with := make([]zapcore.Field, 0, len(c.with)+len(fields))
	return &memoryCore{h: c.h, with: append(append(with, c.with...), fields...)}
}

func (c *memoryCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(ent, c)
}

// Write holds the record, and flushes when the buffer is full or the
// record is at flushLevel or above (CPython's shouldFlush). Without a
// target a full buffer is dropped (CPython keeps it for ever, writing it
// nowhere).
func (c *memoryCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	h := c.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return errors.New("logcfg: write to a MemoryHandler after it was closed")
	}
	n := len(h.buf)
	if n < cap(h.buf) {
		h.buf = h.buf[:n+1]
	} else {
		h.buf = append(h.buf, bufferedRecord{})
	}
	r := &h.buf[n]
	r.from, r.ent, r.fields = c, ent, append(r.fields[:0], fields...)
	if int64(len(h.buf)) >= h.args.capacity || pyLevelNo(ent.Level) >= h.args.flushLevel {
		return h.flushLocked()
	}
	return nil
}

// flushLocked is CPython's MemoryHandler.flush: every held record goes
// to the target, then the buffer is empty. h.mu is held.
func (h *memoryHandler) flushLocked() error {
	var errs []error
	if h.target != nil {
		for i := range h.buf {
			r := &h.buf[i]
			if err := r.from.targetCore(h.target).Write(r.ent, r.fields); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for i := range h.buf {
		r := &h.buf[i]
		clear(r.fields) // drop the references, keep the array
		r.from, r.ent, r.fields = nil, zapcore.Entry{}, r.fields[:0]
	}
	h.buf = h.buf[:0]
	return errors.Join(errs...)
}

// targetCore is target with c's With fields; h.mu is held.
func (c *memoryCore) targetCore(target zapcore.Core) zapcore.Core {
	if len(c.with) == 0 {
		return target
	}
	if c.tfor != target {
		c.tcore, c.tfor = target.With(c.with), target
	}
	return c.tcore
}

// Sync syncs nothing and flushes nothing: the held records wait for
// their flush (the tree syncs the target itself).
func (c *memoryCore) Sync() error { return nil }

// close is CPython's MemoryHandler.close: flush if flushOnClose, then
// forget the target and the records.
func (h *memoryHandler) close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	var err error
	if h.args.flushOnClose {
		err = h.flushLocked()
	}
	h.target, h.buf, h.closed = nil, nil, true
	return err
}

// pyLevelNo is a level's Python number: DEBUG 10 (and below), INFO 20,
// WARNING 30, ERROR 40, CRITICAL 50 (DPanic and above).
func pyLevelNo(l zapcore.Level) int64 {
	return 10 * min(max(int64(l)+2, 1), 5)
}
