package colorfmt

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"
)

// fieldEncoder writes zap fields as " key=value" pairs. Values are bare
// when they are safe to read back (no space, quote, '=', backslash, control
// or unprintable character) and double-quoted with JSON/Go escapes
// otherwise. Nested objects and arrays (AddObject, AddArray, AddReflected)
// are written as JSON: key={"a":1,"b":"x"}. A namespace prefixes the keys
// after it: ns.key=value.
type fieldEncoder struct {
	buf    *buffer.Buffer
	ns     string // key prefix from OpenNamespace at the top level, "a.b."
	depth  int    // 0: key=value; >0: inside a JSON object or array
	comma  bool   // JSON: a value was written at this depth
	nsOpen int    // JSON: namespaces opened inside the current object
}

var _ zapcore.ObjectEncoder = (*fieldEncoder)(nil)

// arrayEncoder writes array elements as JSON values. It is one pointer, so
// boxing it in an interface does not allocate.
type arrayEncoder struct{ f *fieldEncoder }

var _ zapcore.ArrayEncoder = arrayEncoder{}

var fieldEncoderPool = sync.Pool{New: func() any { return new(fieldEncoder) }}

// addFast encodes the common field types without going through an
// interface (which would move the caller's encoder to the heap). It
// reports false for the types addSlow handles.
func (f *fieldEncoder) addFast(fd *zapcore.Field) bool {
	switch fd.Type {
	case zapcore.StringType:
		f.AddString(fd.Key, fd.String)
	case zapcore.Int64Type, zapcore.Int32Type, zapcore.Int16Type, zapcore.Int8Type:
		f.AddInt64(fd.Key, fd.Integer)
	case zapcore.Uint64Type, zapcore.Uint32Type, zapcore.Uint16Type, zapcore.Uint8Type, zapcore.UintptrType:
		f.AddUint64(fd.Key, uint64(fd.Integer))
	case zapcore.DurationType:
		f.AddDuration(fd.Key, time.Duration(fd.Integer))
	case zapcore.BoolType:
		f.AddBool(fd.Key, fd.Integer == 1)
	case zapcore.Float64Type:
		f.AddFloat64(fd.Key, math.Float64frombits(uint64(fd.Integer)))
	case zapcore.SkipType:
	default:
		return false
	}
	return true
}

// addSlow encodes any field through zap's Field.AddTo, with a pooled
// encoder carrying fe's state.
func addSlow(fe *fieldEncoder, fd *zapcore.Field) {
	p := fieldEncoderPool.Get().(*fieldEncoder)
	*p = *fe
	fd.AddTo(p)
	*fe = *p
	*p = fieldEncoder{}
	fieldEncoderPool.Put(p)
}

// key starts a field: " key=" at the top level, "key": inside JSON.
func (f *fieldEncoder) key(k string) {
	b := f.buf
	if f.depth == 0 {
		b.AppendByte(' ')
		if (f.ns != "" && needsQuote(f.ns)) || needsQuote(k) {
			b.AppendByte('"')
			appendEscaped(b, f.ns)
			appendEscaped(b, k)
			b.AppendByte('"')
		} else {
			b.AppendString(f.ns)
			b.AppendString(k)
		}
		b.AppendByte('=')
		return
	}
	f.elem()
	b.AppendByte('"')
	appendEscaped(b, k)
	b.AppendString(`":`)
}

// elem separates JSON values.
func (f *fieldEncoder) elem() {
	if f.comma {
		f.buf.AppendByte(',')
	}
	f.comma = true
}

// str writes a string value: bare or quoted at the top level, quoted in JSON.
func (f *fieldEncoder) str(s string) {
	if f.depth == 0 && !needsQuote(s) {
		f.buf.AppendString(s)
		return
	}
	f.buf.AppendByte('"')
	appendEscaped(f.buf, s)
	f.buf.AppendByte('"')
}

// textual writes a value that JSON needs quoted (duration, time, complex,
// NaN) but the top level shows bare.
func (f *fieldEncoder) textual(b []byte) {
	if f.depth == 0 {
		_, _ = f.buf.Write(b)
		return
	}
	f.buf.AppendByte('"')
	_, _ = f.buf.Write(b)
	f.buf.AppendByte('"')
}

func (f *fieldEncoder) float(v float64, bits int) {
	var scratch [64]byte
	b := appendGoFloat(scratch[:0], v, bits)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		f.textual(b)
		return
	}
	_, _ = f.buf.Write(b)
}

func (f *fieldEncoder) complex(v complex128, bits int) {
	var scratch [128]byte
	b := appendGoFloat(scratch[:0], real(v), bits)
	im := imag(v)
	if im >= 0 || math.IsNaN(im) {
		b = append(b, '+')
	}
	b = appendGoFloat(b, im, bits)
	f.textual(append(b, 'i'))
}

// nest runs fn inside open/close brackets as a JSON value.
func (f *fieldEncoder) nest(open, close byte, fn func() error) error {
	saved := *f
	f.buf.AppendByte(open)
	f.depth++
	f.comma, f.nsOpen = false, 0
	err := fn()
	for ; f.nsOpen > 0; f.nsOpen-- {
		f.buf.AppendByte('}')
	}
	f.buf.AppendByte(close)
	f.depth, f.comma, f.nsOpen = saved.depth, saved.comma, saved.nsOpen
	return err
}

// AddArray writes key=[...] (JSON).
func (f *fieldEncoder) AddArray(k string, m zapcore.ArrayMarshaler) error {
	f.key(k)
	return f.nest('[', ']', func() error { return m.MarshalLogArray(arrayEncoder{f}) })
}

// AddObject writes key={...} (JSON).
func (f *fieldEncoder) AddObject(k string, m zapcore.ObjectMarshaler) error {
	f.key(k)
	return f.nest('{', '}', func() error { return m.MarshalLogObject(f) })
}

// AddBinary writes the bytes in standard base64.
func (f *fieldEncoder) AddBinary(k string, v []byte) {
	f.key(k)
	f.str(base64.StdEncoding.EncodeToString(v))
}

// AddByteString writes UTF-8 bytes as a string.
func (f *fieldEncoder) AddByteString(k string, v []byte) { f.key(k); f.str(bstr(v)) }

// AddBool writes true or false.
func (f *fieldEncoder) AddBool(k string, v bool) { f.key(k); f.buf.AppendBool(v) }

// AddComplex128 writes 1+2i.
func (f *fieldEncoder) AddComplex128(k string, v complex128) { f.key(k); f.complex(v, 64) }

// AddComplex64 writes 1+2i.
func (f *fieldEncoder) AddComplex64(k string, v complex64) { f.key(k); f.complex(complex128(v), 32) }

// AddDuration writes a Go duration string, e.g. 1.5s.
func (f *fieldEncoder) AddDuration(k string, v time.Duration) {
	f.key(k)
	var scratch [32]byte
	f.textual(appendDuration(scratch[:0], v))
}

// AddFloat64 writes the shortest decimal that reads back as v.
func (f *fieldEncoder) AddFloat64(k string, v float64) { f.key(k); f.float(v, 64) }

// AddFloat32 writes the shortest decimal that reads back as v.
func (f *fieldEncoder) AddFloat32(k string, v float32) { f.key(k); f.float(float64(v), 32) }

// AddInt writes a decimal integer.
func (f *fieldEncoder) AddInt(k string, v int) { f.AddInt64(k, int64(v)) }

// AddInt64 writes a decimal integer.
func (f *fieldEncoder) AddInt64(k string, v int64) { f.key(k); f.buf.AppendInt(v) }

// AddInt32 writes a decimal integer.
func (f *fieldEncoder) AddInt32(k string, v int32) { f.AddInt64(k, int64(v)) }

// AddInt16 writes a decimal integer.
func (f *fieldEncoder) AddInt16(k string, v int16) { f.AddInt64(k, int64(v)) }

// AddInt8 writes a decimal integer.
func (f *fieldEncoder) AddInt8(k string, v int8) { f.AddInt64(k, int64(v)) }

// AddString writes the string, quoted when needed.
func (f *fieldEncoder) AddString(k, v string) { f.key(k); f.str(v) }

// AddTime writes the time in RFC 3339 with nanoseconds.
func (f *fieldEncoder) AddTime(k string, v time.Time) {
	f.key(k)
	var scratch [64]byte
	f.textual(v.AppendFormat(scratch[:0], time.RFC3339Nano))
}

// AddUint writes a decimal integer.
func (f *fieldEncoder) AddUint(k string, v uint) { f.AddUint64(k, uint64(v)) }

// AddUint64 writes a decimal integer.
func (f *fieldEncoder) AddUint64(k string, v uint64) { f.key(k); f.buf.AppendUint(v) }

// AddUint32 writes a decimal integer.
func (f *fieldEncoder) AddUint32(k string, v uint32) { f.AddUint64(k, uint64(v)) }

// AddUint16 writes a decimal integer.
func (f *fieldEncoder) AddUint16(k string, v uint16) { f.AddUint64(k, uint64(v)) }

// AddUint8 writes a decimal integer.
func (f *fieldEncoder) AddUint8(k string, v uint8) { f.AddUint64(k, uint64(v)) }

// AddUintptr writes a decimal integer.
func (f *fieldEncoder) AddUintptr(k string, v uintptr) { f.AddUint64(k, uint64(v)) }

// AddReflected writes v as JSON (encoding/json, HTML characters unescaped).
func (f *fieldEncoder) AddReflected(k string, v any) error {
	f.key(k)
	return f.reflected(v)
}

func (f *fieldEncoder) reflected(v any) error {
	enc := json.NewEncoder(f.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		f.buf.AppendString(`"<unencodable>"`)
		return err
	}
	f.buf.TrimNewline()
	return nil
}

// OpenNamespace prefixes later keys with "k." at the top level, or opens a
// nested JSON object inside one.
func (f *fieldEncoder) OpenNamespace(k string) {
	if f.depth == 0 {
		f.ns = f.ns + k + "."
		return
	}
	f.key(k)
	f.buf.AppendByte('{')
	f.comma = false
	f.nsOpen++
}

// AppendBool appends a JSON boolean.
func (a arrayEncoder) AppendBool(v bool) { a.f.elem(); a.f.buf.AppendBool(v) }

// AppendByteString appends a JSON string.
func (a arrayEncoder) AppendByteString(v []byte) { a.f.elem(); a.f.str(bstr(v)) }

// AppendComplex128 appends "1+2i".
func (a arrayEncoder) AppendComplex128(v complex128) { a.f.elem(); a.f.complex(v, 64) }

// AppendComplex64 appends "1+2i".
func (a arrayEncoder) AppendComplex64(v complex64) { a.f.elem(); a.f.complex(complex128(v), 32) }

// AppendFloat64 appends a JSON number.
func (a arrayEncoder) AppendFloat64(v float64) { a.f.elem(); a.f.float(v, 64) }

// AppendFloat32 appends a JSON number.
func (a arrayEncoder) AppendFloat32(v float32) { a.f.elem(); a.f.float(float64(v), 32) }

// AppendInt appends a JSON number.
func (a arrayEncoder) AppendInt(v int) { a.AppendInt64(int64(v)) }

// AppendInt64 appends a JSON number.
func (a arrayEncoder) AppendInt64(v int64) { a.f.elem(); a.f.buf.AppendInt(v) }

// AppendInt32 appends a JSON number.
func (a arrayEncoder) AppendInt32(v int32) { a.AppendInt64(int64(v)) }

// AppendInt16 appends a JSON number.
func (a arrayEncoder) AppendInt16(v int16) { a.AppendInt64(int64(v)) }

// AppendInt8 appends a JSON number.
func (a arrayEncoder) AppendInt8(v int8) { a.AppendInt64(int64(v)) }

// AppendString appends a JSON string.
func (a arrayEncoder) AppendString(v string) { a.f.elem(); a.f.str(v) }

// AppendUint appends a JSON number.
func (a arrayEncoder) AppendUint(v uint) { a.AppendUint64(uint64(v)) }

// AppendUint64 appends a JSON number.
func (a arrayEncoder) AppendUint64(v uint64) { a.f.elem(); a.f.buf.AppendUint(v) }

// AppendUint32 appends a JSON number.
func (a arrayEncoder) AppendUint32(v uint32) { a.AppendUint64(uint64(v)) }

// AppendUint16 appends a JSON number.
func (a arrayEncoder) AppendUint16(v uint16) { a.AppendUint64(uint64(v)) }

// AppendUint8 appends a JSON number.
func (a arrayEncoder) AppendUint8(v uint8) { a.AppendUint64(uint64(v)) }

// AppendUintptr appends a JSON number.
func (a arrayEncoder) AppendUintptr(v uintptr) { a.AppendUint64(uint64(v)) }

// AppendDuration appends a Go duration string, e.g. "1.5s".
func (a arrayEncoder) AppendDuration(v time.Duration) {
	a.f.elem()
	var scratch [32]byte
	a.f.textual(appendDuration(scratch[:0], v))
}

// AppendTime appends an RFC 3339 string.
func (a arrayEncoder) AppendTime(v time.Time) {
	a.f.elem()
	var scratch [64]byte
	a.f.textual(v.AppendFormat(scratch[:0], time.RFC3339Nano))
}

// AppendArray appends a nested JSON array.
func (a arrayEncoder) AppendArray(m zapcore.ArrayMarshaler) error {
	a.f.elem()
	return a.f.nest('[', ']', func() error { return m.MarshalLogArray(a) })
}

// AppendObject appends a nested JSON object.
func (a arrayEncoder) AppendObject(m zapcore.ObjectMarshaler) error {
	a.f.elem()
	return a.f.nest('{', '}', func() error { return m.MarshalLogObject(a.f) })
}

// AppendReflected appends v as JSON.
func (a arrayEncoder) AppendReflected(v any) error {
	a.f.elem()
	return a.f.reflected(v)
}

// appendGoFloat writes the shortest decimal for v: plain digits for
// ordinary magnitudes, exponent form for very large or small ones, NaN and
// +Inf/-Inf as Go prints them.
func appendGoFloat(dst []byte, v float64, bits int) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "+Inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-Inf"...)
	}
	if a := math.Abs(v); a != 0 && (a < 1e-4 || a >= 1e21) {
		return strconv.AppendFloat(dst, v, 'e', -1, bits)
	}
	return strconv.AppendFloat(dst, v, 'f', -1, bits)
}

// quoteTable marks the ASCII bytes that make a value need quotes.
var quoteTable = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f
	}
	return t
}()

// needsQuote reports whether a key or value must be quoted to be read back.
func needsQuote(s string) bool {
	if s == "" {
		return true // key="" shows that the value is empty
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if quoteTable[c] {
				return true
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && w == 1) || !isPyPrintable(r) {
			return true
		}
		i += w
	}
	return false
}

// appendEscaped writes s with JSON escapes (which Go's strconv.Unquote
// also reads): \" \\ \n \r \t, \u00XX for other controls and unprintable
// BMP characters, \ufffd for invalid UTF-8.
func appendEscaped(b *buffer.Buffer, s string) {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && !quoteTable[c] || c == ' ' || c == '=' {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, w := utf8.DecodeRuneInString(s[i:])
			if !(r == utf8.RuneError && w == 1) && (isPyPrintable(r) || r > 0xffff) {
				i += w
				continue
			}
			b.AppendString(s[start:i])
			if r == utf8.RuneError && w == 1 {
				b.AppendString(`\ufffd`)
			} else {
				b.AppendString(`\u`)
				for sh := 12; sh >= 0; sh -= 4 {
					b.AppendByte(hex[(r>>sh)&0xf])
				}
			}
			i += w
			start = i
			continue
		}
		b.AppendString(s[start:i])
		switch c {
		case '"', '\\':
			b.AppendByte('\\')
			b.AppendByte(c)
		case '\n':
			b.AppendString(`\n`)
		case '\r':
			b.AppendString(`\r`)
		case '\t':
			b.AppendString(`\t`)
		default:
			b.AppendString(`\u00`)
			b.AppendByte(hex[c>>4])
			b.AppendByte(hex[c&0xf])
		}
		i++
		start = i
	}
	b.AppendString(s[start:])
}

// appendDuration writes d as Go prints it ("1.5s"). Duration.String is
// inlined, so its string stays on the stack: this does not allocate.
func appendDuration(dst []byte, d time.Duration) []byte {
	return append(dst, d.String()...)
}
