package colorfmt

import (
	"sync/atomic"
	"time"

	"go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"
)

// bufferPool holds the line buffers EncodeEntry returns; zap frees them
// after writing.
var bufferPool = buffer.NewPool()

// Options configures an [Encoder]. The zero value (and a nil *Options)
// means Python's defaults: "%" style, Python's default asctime, no colour
// tokens, no colour, multi-line records left as they are.
type Options struct {
	// Datefmt is a Python (C library) strftime format for %(asctime)s;
	// "" is Python's default, "2026-11-22 08:49:45,896".
	Datefmt string
	// Style is "%" (the default, also ""), "{" (str.format) or "$"
	// (string.Template), as in Python's logging.Formatter.
	Style string
	// Tokens makes $RESET, $BOLD, $COLOR, $RED, ... colour tokens, as
	// ColorFormatter configs use them. When false (Python's plain
	// logging.Formatter) "$X" is literal text.
	Tokens bool
	// Color makes tokens emit ANSI escape sequences; when false they
	// render as nothing. See [ShouldColor] for deciding it.
	Color bool
	// OneLine escapes "\n", "\r" and "\\" in the whole record (message,
	// fields, stack trace) so that every record is one line; [Unescape]
	// reverses it.
	OneLine bool
	// Defaults gives values to attributes a record does not have, like
	// the defaults argument of Python's logging.Formatter (3.12+):
	// %(service)s renders Defaults["service"].
	Defaults map[string]string
}

// program is a compiled format, shared (read-only, except the timestamp
// cache) by an Encoder and all its clones.
type program struct {
	segs    []segment
	date    *dateFormat // nil: Python's default asctime
	oneLine bool
	stamp   atomic.Pointer[stamp]
}

// stamp is the rendered date text of one second in one location.
type stamp struct {
	sec  int64
	loc  *time.Location
	text []byte
}

// defaultDate is the date part of Python's default asctime; ",mmm" follows.
var defaultDate, _ = compileDatefmt("%Y-%m-%d %H:%M:%S")

// Encoder renders zap entries as a Python logging format would. It is a
// [zapcore.Encoder]: pass it to zapcore.NewCore. Its methods may be called
// concurrently; EncodeEntry never parses the format again, and with fields
// of the common kinds (strings, numbers, bools, durations, errors) it
// allocates nothing beyond the pooled buffer it returns (zap.Any of a
// struct, zap.Binary and zap.Namespace do allocate). The date text is
// rebuilt, with one allocation, when the second changes.
type Encoder struct {
	prog *program
	// fieldEncoder holds the fields added by With (through the
	// zapcore.ObjectEncoder methods), pre-encoded.
	fieldEncoder
}

var _ zapcore.Encoder = (*Encoder)(nil)

// New compiles format (and opts.Datefmt) into an Encoder. A nil opts means
// the defaults; an empty format means the style's default, "%(message)s"
// for style "%", as in Python. Errors are [*FormatError] values that name the column.
func New(format string, opts *Options) (*Encoder, error) {
	if opts == nil {
		opts = &Options{}
	}
	items, err := parseFormat(format, opts)
	if err != nil {
		return nil, err
	}
	p := &program{oneLine: opts.OneLine}
	if opts.Datefmt != "" {
		if p.date, err = compileDatefmt(opts.Datefmt); err != nil {
			return nil, err
		}
	}
	p.segs = compileSegments(items, opts)
	e := &Encoder{prog: p}
	e.buf = &buffer.Buffer{}
	return e, nil
}

// Check validates format and opts as New would, without building an
// encoder: it is what a config parser calls.
func Check(format string, opts *Options) error {
	if opts == nil {
		opts = &Options{}
	}
	if _, err := parseFormat(format, opts); err != nil {
		return err
	}
	if opts.Datefmt != "" {
		if _, err := compileDatefmt(opts.Datefmt); err != nil {
			return err
		}
	}
	return nil
}

// MustNew is New for tests and examples: it panics on error.
func MustNew(format string, opts *Options) *Encoder {
	e, err := New(format, opts)
	if err != nil {
		panic(err)
	}
	return e
}

// Clone copies the encoder with its With fields; zap calls it for
// Logger.With.
func (e *Encoder) Clone() zapcore.Encoder {
	c := &Encoder{prog: e.prog}
	c.buf = &buffer.Buffer{}
	_, _ = c.buf.Write(e.buf.Bytes())
	c.ns = e.ns
	return c
}

// EncodeEntry renders one record: the compiled segments, the fields after
// the message, the stack trace on the following lines, and "\n".
func (e *Encoder) EncodeEntry(ent zapcore.Entry, fields []zapcore.Field) (*buffer.Buffer, error) {
	buf := bufferPool.Get()
	li := levelIndex(ent.Level)
	p := e.prog
	for i := range p.segs {
		s := &p.segs[i]
		switch s.kind {
		case segLit:
			_, _ = buf.Write(s.lit)
		case segLevel:
			_, _ = buf.Write(s.level[li])
		case segFields:
			e.appendFields(buf, fields)
		default:
			p.appendAttr(buf, s, &ent)
		}
	}
	if ent.Stack != "" {
		buf.AppendByte('\n')
		buf.AppendString(ent.Stack)
	}
	if p.oneLine {
		escapeBuffer(buf)
	}
	buf.AppendByte('\n')
	return buf, nil
}

// appendFields writes the With fields, then the call's fields.
func (e *Encoder) appendFields(buf *buffer.Buffer, fields []zapcore.Field) {
	_, _ = buf.Write(e.buf.Bytes())
	if len(fields) == 0 {
		return
	}
	fe := fieldEncoder{buf: buf, ns: e.ns}
	for i := range fields {
		if !fe.addFast(&fields[i]) {
			addSlow(&fe, &fields[i])
		}
	}
}

// appendAttr renders one per-entry attribute.
func (p *program) appendAttr(buf *buffer.Buffer, s *segment, ent *zapcore.Entry) {
	switch s.attr {
	case attrAsctime:
		if s.plain {
			p.appendAsctime(buf, ent.Time)
			return
		}
		tmp := bufferPool.Get()
		p.appendAsctime(tmp, ent.Time)
		appendStr(buf, bstr(tmp.Bytes()), &s.sp)
		tmp.Free()
	case attrCreated:
		appendFloat(buf, created(ent.Time), &s.sp)
	case attrMsecs:
		appendFloat(buf, float64(ent.Time.Nanosecond()/1e6), &s.sp)
	case attrRelativeCreated:
		appendFloat(buf, float64(ent.Time.Sub(startTime).Nanoseconds())/1e6, &s.sp)
	case attrLineno:
		appendInt(buf, int64(lineno(ent.Caller)), &s.sp)
	case attrThread:
		appendInt(buf, int64(threadID()), &s.sp)
	case attrThreadName:
		var scratch [32]byte
		appendStrAttr(buf, bstr(appendThreadName(scratch[:0], threadID())), s)
	default:
		appendStrAttr(buf, strAttr(s.attr, ent), s)
	}
}

// strAttr is the value of a str attribute that needs no scratch space.
func strAttr(a attr, ent *zapcore.Entry) string {
	switch a {
	case attrName:
		if ent.LoggerName == "" {
			return "root"
		}
		return ent.LoggerName
	case attrMessage:
		return ent.Message
	case attrModule:
		return module(ent.Caller)
	case attrFuncName:
		return funcName(ent.Caller)
	case attrFilename:
		return filename(ent.Caller)
	case attrPathname:
		return pathname(ent.Caller)
	case attrProcessName:
		return ProcessName()
	}
	return ""
}

func appendStrAttr(buf *buffer.Buffer, v string, s *segment) {
	if s.plain {
		buf.AppendString(v)
		return
	}
	appendStr(buf, v, &s.sp)
}

// created is Python's record.created: seconds since the epoch as a float.
func created(t time.Time) float64 {
	return float64(t.UnixNano()) / 1e9
}

// appendAsctime writes asctime, reusing the date text within a second.
func (p *program) appendAsctime(buf *buffer.Buffer, t time.Time) {
	sec, loc := t.Unix(), t.Location()
	st := p.stamp.Load()
	if st == nil || st.sec != sec || st.loc != loc {
		df := p.date
		if df == nil {
			df = defaultDate
		}
		st = &stamp{sec: sec, loc: loc, text: df.append(nil, t)}
		p.stamp.Store(st)
	}
	_, _ = buf.Write(st.text)
	if p.date == nil {
		ms := t.Nanosecond() / 1e6
		buf.AppendByte(',')
		buf.AppendByte(byte('0' + ms/100))
		buf.AppendByte(byte('0' + ms/10%10))
		buf.AppendByte(byte('0' + ms%10))
	}
}
