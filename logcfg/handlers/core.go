package handlers

import (
	"go.uber.org/zap/zapcore"
)

// Sink is where a handler's encoded records go: a stream, a file, a
// socket. WriteRecord gets the entry (for its level, when the sink adds a
// priority) and the encoder's rendering of it, which the sink must not
// keep after it returns. Sinks are safe for concurrent use.
type Sink interface {
	WriteRecord(ent zapcore.Entry, text []byte) error
	Sync() error
}

// NewCore is the one core every built-in handler is made of: enc renders
// each entry and s delivers it. Like zapcore's ioCore, but without a level
// (the tree filters by the handler's level before calling it) and without
// ioCore's sync after every record above ERROR, which zap does because
// DPanic may crash the program: a tree's CRITICAL never does.
func NewCore(enc zapcore.Encoder, s Sink) zapcore.Core {
	return &core{enc: enc, sink: s}
}

type core struct {
	enc  zapcore.Encoder
	sink Sink
}

var _ zapcore.Core = (*core)(nil)

func (c *core) Enabled(zapcore.Level) bool { return true }

func (c *core) With(fields []zapcore.Field) zapcore.Core {
	enc := c.enc.Clone()
	for i := range fields {
		fields[i].AddTo(enc)
	}
	return &core{enc: enc, sink: c.sink}
}

func (c *core) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(ent, c)
}

func (c *core) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	buf, err := c.enc.EncodeEntry(ent, fields)
	if err != nil {
		return err
	}
	err = c.sink.WriteRecord(ent, buf.Bytes())
	buf.Free()
	return err
}

func (c *core) Sync() error { return c.sink.Sync() }
