package handlers

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/colorfmt"
	"github.com/livelog/livelog/internal/pickle"
)

// recordForm is how a recordEncoder writes a record's attribute dict.
type recordForm uint8

const (
	// formPickle is SocketHandler.makePickle: a 4-byte big-endian length,
	// then pickle.dumps(d, 1).
	formPickle recordForm = iota
	// formURL is HTTPHandler's urllib.parse.urlencode(record.__dict__).
	formURL
)

// recordAttrNames are the attributes of Python's LogRecord in the order
// LogRecord.__init__ sets them, plus the two Formatter.format adds: a
// field of one of these names is renamed (see the package doc), as
// Python's makeRecord refuses an extra of one of them.
var recordAttrNames = map[string]bool{
	"name": true, "msg": true, "args": true, "levelname": true, "levelno": true, "pathname": true,
	"filename": true, "module": true, "exc_info": true, "exc_text": true, "stack_info": true,
	"lineno": true, "funcName": true, "created": true, "msecs": true, "relativeCreated": true,
	"thread": true, "threadName": true, "processName": true, "process": true,
	"message": true, "asctime": true,
}

// fieldPrefix goes before a field name that is a LogRecord attribute.
const fieldPrefix = "field_"

// recordEncoder is a zapcore.Encoder that renders an entry as the Python
// LogRecord attribute dict, in one of the recordForms; zap fields are
// extra attributes. The formatter of the handler's config is not used, as
// Python's SocketHandler and HTTPHandler do not format the record.
type recordEncoder struct {
	pyDict        // the With fields, written to fields
	fields []byte // the With fields, encoded
}

var _ zapcore.Encoder = (*recordEncoder)(nil)

func newRecordEncoder(form recordForm) *recordEncoder {
	e := &recordEncoder{}
	e.pyDict = pyDict{pyOut: pyOut{mode: topMode(form), b: &e.fields}, top: true}
	return e
}

func topMode(form recordForm) outMode {
	if form == formURL {
		return modeURL
	}
	return modePickle
}

func (e *recordEncoder) Clone() zapcore.Encoder {
	c := &recordEncoder{pyDict: e.pyDict, fields: append([]byte(nil), e.fields...)}
	c.b = &c.fields
	return c
}

// encodeState is what EncodeEntry works in, pooled: the record's bytes,
// and the dict the call's fields go to (which escapes, being passed to
// Field.AddTo as an interface).
type encodeState struct {
	b []byte
	d pyDict
}

var states = sync.Pool{New: func() any { return &encodeState{b: make([]byte, 0, 1024)} }}

func (e *recordEncoder) EncodeEntry(ent zapcore.Entry, fields []zapcore.Field) (*buffer.Buffer, error) {
	st := states.Get().(*encodeState)
	st.b = st.b[:0]
	if e.mode == modePickle {
		st.b = append(st.b, 0, 0, 0, 0) // the length, filled in below
		st.b = pickle.AppendDictStart(st.b)
	}
	st.b = appendRecordAttrs(st.b, e.mode, ent)
	st.b = append(st.b, e.fields...)
	st.d = e.pyDict
	st.d.b = &st.b
	for i := range fields {
		fields[i].AddTo(&st.d)
	}
	st.d.closeNamespaces()
	st.d = pyDict{}
	b := st.b
	out := pool.Get()
	if e.mode == modePickle {
		b = pickle.AppendStop(pickle.AppendDictEnd(b))
		binary.BigEndian.PutUint32(b, uint32(len(b)-4))
		_, _ = out.Write(b)
	} else {
		_, _ = out.Write(b[1:]) // without the '&' before the first pair
	}
	if cap(b) <= maxKept {
		st.b = b
		states.Put(st)
	}
	return out, nil
}

// appendRecordAttrs writes the LogRecord attributes of ent, as
// makePickle sends them (msg is the message, args and exc_info None) or
// as HTTPHandler sends record.__dict__ (args is the empty tuple).
func appendRecordAttrs(b []byte, mode outMode, ent zapcore.Entry) []byte {
	r := colorfmt.RecordOf(ent)
	d := pyDict{pyOut: pyOut{mode: mode, b: &b}}
	d.key("name")
	d.str(r.Name)
	d.key("msg")
	d.str(ent.Message)
	d.key("args")
	if mode == modeURL {
		d.raw("()")
	} else {
		d.none()
	}
	d.key("levelname")
	d.str(r.LevelName)
	d.key("levelno")
	d.int(r.LevelNo)
	d.key("pathname")
	d.str(r.Pathname)
	d.key("filename")
	d.str(r.Filename)
	d.key("module")
	d.str(r.Module)
	d.key("exc_info")
	d.none()
	d.key("exc_text")
	d.none()
	d.key("stack_info")
	if ent.Stack != "" {
		d.str(ent.Stack)
	} else {
		d.none()
	}
	d.key("lineno")
	d.int(int64(r.Lineno))
	d.key("funcName")
	d.str(r.FuncName)
	d.key("created")
	d.float(r.Created)
	d.key("msecs")
	d.float(r.Msecs)
	d.key("relativeCreated")
	d.float(r.RelativeCreated)
	d.key("thread")
	d.int(int64(r.Thread))
	d.key("threadName")
	var tn [32]byte
	name := r.AppendThreadName(tn[:0])
	d.str(unsafe.String(unsafe.SliceData(name), len(name)))
	d.key("processName")
	d.str(r.ProcessName)
	d.key("process")
	d.int(int64(r.Process))
	return b
}

// outMode is how pyOut writes a value.
type outMode uint8

const (
	modePickle outMode = iota // pickle opcodes
	modeURL                   // a form-encoded pair's value: quote_plus(str(v))
	modeRepr                  // Python's repr(v), inside a value of modeURL
)

// pyOut writes Python values to *b.
type pyOut struct {
	mode outMode
	b    *[]byte
}

func (o pyOut) str(s string) {
	switch o.mode {
	case modePickle:
		*o.b = pickle.AppendString(*o.b, s)
	case modeURL:
		*o.b = appendQuotePlus(*o.b, s)
	default:
		*o.b = colorfmt.AppendPyRepr(*o.b, s)
	}
}

// raw writes s as the text of a value that is not a str (an int, None).
func (o pyOut) raw(s string) {
	if o.mode == modeURL {
		*o.b = appendQuotePlus(*o.b, s)
		return
	}
	*o.b = append(*o.b, s...)
}

func (o pyOut) none() {
	if o.mode == modePickle {
		*o.b = pickle.AppendNone(*o.b)
		return
	}
	o.raw("None")
}

func (o pyOut) bool(v bool) {
	switch {
	case o.mode == modePickle:
		*o.b = pickle.AppendBool(*o.b, v)
	case v:
		o.raw("True")
	default:
		o.raw("False")
	}
}

func (o pyOut) int(v int64) {
	if o.mode == modePickle {
		*o.b = pickle.AppendInt(*o.b, v)
		return
	}
	*o.b = strconv.AppendInt(*o.b, v, 10) // digits and '-' need no quoting
}

func (o pyOut) uint(v uint64) {
	if o.mode == modePickle {
		*o.b = pickle.AppendUint(*o.b, v)
		return
	}
	*o.b = strconv.AppendUint(*o.b, v, 10)
}

func (o pyOut) float(v float64) {
	if o.mode == modePickle {
		*o.b = pickle.AppendFloat(*o.b, v)
		return
	}
	start := len(*o.b)
	*o.b = colorfmt.AppendPyFloat(*o.b, v)
	o.quoteFrom(start)
}

// quoteFrom form-encodes what was written from start on, in modeURL.
func (o pyOut) quoteFrom(start int) {
	if o.mode != modeURL {
		return
	}
	b := *o.b
	tail := b[start:]
	clean := true
	for _, c := range tail {
		if !isQuoteSafe(c) {
			clean = false
			break
		}
	}
	if clean {
		return
	}
	var tmp [128]byte
	t := append(tmp[:0], tail...)
	*o.b = appendQuotePlus(b[:start], unsafe.String(unsafe.SliceData(t), len(t)))
}

// complex writes a complex number as Python's repr does: (1+2j).
func (o pyOut) complex(v complex128) {
	start := len(*o.b)
	mode := o.mode
	if mode == modePickle { // pickle has no complex opcode: send the text
		var tmp [64]byte
		t := appendComplex(tmp[:0], v)
		o.str(string(t))
		return
	}
	*o.b = appendComplex(*o.b, v)
	o.quoteFrom(start)
}

func appendComplex(b []byte, v complex128) []byte {
	b = append(b, '(')
	if real(v) != 0 || math.Signbit(real(v)) {
		b = strconv.AppendFloat(b, real(v), 'g', -1, 64)
		if imag(v) >= 0 || math.IsNaN(imag(v)) {
			b = append(b, '+')
		}
	}
	b = strconv.AppendFloat(b, imag(v), 'g', -1, 64)
	return append(b, 'j', ')')
}

// isQuoteSafe is the bytes quote_plus leaves alone.
func isQuoteSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == '~'
}

// appendQuotePlus is Python's urllib.parse.quote_plus (what urlencode
// applies to keys and values): unreserved bytes as they are, space as
// '+', every other byte as %XX. Go's url.QueryEscape agrees, but
// allocates.
func appendQuotePlus(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isQuoteSafe(c):
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

// pyDict is a zapcore.ObjectEncoder writing a Python dict's items: the
// record's own dict (top) or a dict nested in it.
type pyDict struct {
	pyOut
	top    bool   // the record's dict: a key may need renaming
	n      int    // items written (modeRepr: a comma before the next)
	prefix string // modeURL: the open namespaces, "ns." (namespaces flatten)
	open   int    // modePickle, modeRepr: namespaces opened as nested dicts
}

var _ zapcore.ObjectEncoder = (*pyDict)(nil)

// key writes a key; a value must follow.
func (d *pyDict) key(k string) {
	if d.top && d.open == 0 && d.prefix == "" && recordAttrNames[k] {
		k = fieldPrefix + k
	}
	d.rawKey(k)
}

func (d *pyDict) rawKey(k string) {
	switch d.mode {
	case modePickle:
		*d.b = pickle.AppendString(*d.b, k)
	case modeURL:
		*d.b = append(*d.b, '&')
		*d.b = appendQuotePlus(*d.b, d.prefix)
		*d.b = appendQuotePlus(*d.b, k)
		*d.b = append(*d.b, '=')
	default:
		if d.n > 0 {
			*d.b = append(*d.b, ", "...)
		}
		*d.b = colorfmt.AppendPyRepr(*d.b, k)
		*d.b = append(*d.b, ": "...)
	}
	d.n++
}

// nested is the writer of a dict or list value that follows a key.
func (d *pyDict) nested() pyOut {
	if d.mode == modeURL {
		return pyOut{mode: modeRepr, b: d.b}
	}
	return d.pyOut
}

func (d *pyDict) closeNamespaces() {
	for ; d.open > 0; d.open-- {
		if d.mode == modePickle {
			*d.b = pickle.AppendDictEnd(*d.b)
		} else {
			*d.b = append(*d.b, '}')
		}
	}
}

func (d *pyDict) AddArray(k string, m zapcore.ArrayMarshaler) error {
	d.key(k)
	start := len(*d.b)
	err := d.nested().array(m)
	d.quoteFrom(start)
	return err
}

// Nested lists and dicts escape (they are passed to marshalers as
// interfaces): they are pooled.
var (
	lists = sync.Pool{New: func() any { return new(pyList) }}
	dicts = sync.Pool{New: func() any { return new(pyDict) }}
)

// array writes a list marshaled by m.
func (o pyOut) array(m zapcore.ArrayMarshaler) error {
	l := lists.Get().(*pyList)
	*l = pyList{pyOut: o}
	l.begin()
	err := m.MarshalLogArray(l)
	l.end()
	*l = pyList{}
	lists.Put(l)
	return err
}

func (d *pyDict) AddObject(k string, m zapcore.ObjectMarshaler) error {
	d.key(k)
	start := len(*d.b)
	err := d.nested().object(m)
	d.quoteFrom(start)
	return err
}

// object writes a dict marshaled by m.
func (o pyOut) object(m zapcore.ObjectMarshaler) error {
	if o.mode == modePickle {
		*o.b = pickle.AppendDictStart(*o.b)
	} else {
		*o.b = append(*o.b, '{')
	}
	c := dicts.Get().(*pyDict)
	*c = pyDict{pyOut: o}
	err := m.MarshalLogObject(c)
	c.closeNamespaces()
	*c = pyDict{}
	dicts.Put(c)
	if o.mode == modePickle {
		*o.b = pickle.AppendDictEnd(*o.b)
	} else {
		*o.b = append(*o.b, '}')
	}
	return err
}

func (d *pyDict) AddBinary(k string, v []byte) {
	d.key(k)
	d.str(base64.StdEncoding.EncodeToString(v))
}

func (d *pyDict) AddByteString(k string, v []byte) {
	d.key(k)
	d.str(string(v))
}

func (d *pyDict) AddBool(k string, v bool)              { d.key(k); d.bool(v) }
func (d *pyDict) AddComplex128(k string, v complex128)  { d.key(k); d.complex(v) }
func (d *pyDict) AddComplex64(k string, v complex64)    { d.key(k); d.complex(complex128(v)) }
func (d *pyDict) AddDuration(k string, v time.Duration) { d.key(k); d.float(v.Seconds()) }
func (d *pyDict) AddFloat64(k string, v float64)        { d.key(k); d.float(v) }
func (d *pyDict) AddFloat32(k string, v float32)        { d.key(k); d.float(float64(v)) }
func (d *pyDict) AddInt(k string, v int)                { d.key(k); d.int(int64(v)) }
func (d *pyDict) AddInt64(k string, v int64)            { d.key(k); d.int(v) }
func (d *pyDict) AddInt32(k string, v int32)            { d.key(k); d.int(int64(v)) }
func (d *pyDict) AddInt16(k string, v int16)            { d.key(k); d.int(int64(v)) }
func (d *pyDict) AddInt8(k string, v int8)              { d.key(k); d.int(int64(v)) }
func (d *pyDict) AddString(k, v string)                 { d.key(k); d.str(v) }
func (d *pyDict) AddTime(k string, v time.Time)         { d.key(k); d.float(float64(v.UnixNano()) / 1e9) }
func (d *pyDict) AddUint(k string, v uint)              { d.key(k); d.uint(uint64(v)) }
func (d *pyDict) AddUint64(k string, v uint64)          { d.key(k); d.uint(v) }
func (d *pyDict) AddUint32(k string, v uint32)          { d.key(k); d.uint(uint64(v)) }
func (d *pyDict) AddUint16(k string, v uint16)          { d.key(k); d.uint(uint64(v)) }
func (d *pyDict) AddUint8(k string, v uint8)            { d.key(k); d.uint(uint64(v)) }
func (d *pyDict) AddUintptr(k string, v uintptr)        { d.key(k); d.uint(uint64(v)) }

// AddReflected sends v's JSON text as a str (nil as None): a Python
// receiver cannot rebuild a Go value, and JSON is what it can parse.
func (d *pyDict) AddReflected(k string, v any) error {
	if v == nil {
		d.key(k)
		d.none()
		return nil
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	d.key(k)
	d.str(string(j))
	return nil
}

// OpenNamespace nests the fields that follow in a dict named k (in
// HTTPHandler's form, their keys become "k.key").
func (d *pyDict) OpenNamespace(k string) {
	if d.mode == modeURL {
		d.prefix += k + "."
		return
	}
	d.key(k)
	if d.mode == modePickle {
		*d.b = pickle.AppendDictStart(*d.b)
	} else {
		*d.b = append(*d.b, '{')
	}
	d.open++
	d.n = 0
}

// pyList is a zapcore.ArrayEncoder writing a Python list's items.
type pyList struct {
	pyOut
	n int
}

var _ zapcore.ArrayEncoder = (*pyList)(nil)

func (l *pyList) begin() {
	if l.mode == modePickle {
		*l.b = pickle.AppendListStart(*l.b)
	} else {
		*l.b = append(*l.b, '[')
	}
}

func (l *pyList) end() {
	if l.mode == modePickle {
		*l.b = pickle.AppendListEnd(*l.b)
	} else {
		*l.b = append(*l.b, ']')
	}
}

// item starts an item.
func (l *pyList) item() pyOut {
	if l.mode != modePickle && l.n > 0 {
		*l.b = append(*l.b, ", "...)
	}
	l.n++
	return l.pyOut
}

func (l *pyList) AppendArray(m zapcore.ArrayMarshaler) error { return l.item().array(m) }

func (l *pyList) AppendObject(m zapcore.ObjectMarshaler) error { return l.item().object(m) }

func (l *pyList) AppendReflected(v any) error {
	if v == nil {
		l.item().none()
		return nil
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	l.item().str(string(j))
	return nil
}

func (l *pyList) AppendBool(v bool)              { l.item().bool(v) }
func (l *pyList) AppendByteString(v []byte)      { l.item().str(string(v)) }
func (l *pyList) AppendComplex128(v complex128)  { l.item().complex(v) }
func (l *pyList) AppendComplex64(v complex64)    { l.item().complex(complex128(v)) }
func (l *pyList) AppendFloat64(v float64)        { l.item().float(v) }
func (l *pyList) AppendFloat32(v float32)        { l.item().float(float64(v)) }
func (l *pyList) AppendInt(v int)                { l.item().int(int64(v)) }
func (l *pyList) AppendInt64(v int64)            { l.item().int(v) }
func (l *pyList) AppendInt32(v int32)            { l.item().int(int64(v)) }
func (l *pyList) AppendInt16(v int16)            { l.item().int(int64(v)) }
func (l *pyList) AppendInt8(v int8)              { l.item().int(int64(v)) }
func (l *pyList) AppendString(v string)          { l.item().str(v) }
func (l *pyList) AppendUint(v uint)              { l.item().uint(uint64(v)) }
func (l *pyList) AppendUint64(v uint64)          { l.item().uint(v) }
func (l *pyList) AppendUint32(v uint32)          { l.item().uint(uint64(v)) }
func (l *pyList) AppendUint16(v uint16)          { l.item().uint(uint64(v)) }
func (l *pyList) AppendUint8(v uint8)            { l.item().uint(uint64(v)) }
func (l *pyList) AppendUintptr(v uintptr)        { l.item().uint(uint64(v)) }
func (l *pyList) AppendDuration(v time.Duration) { l.item().float(v.Seconds()) }
func (l *pyList) AppendTime(v time.Time)         { l.item().float(float64(v.UnixNano()) / 1e9) }
