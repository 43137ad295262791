package handlers

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
)

// journalSocket is where journald listens (a variable so tests can point
// the handler at a socket of their own).
var journalSocket = "/run/systemd/journal/socket"

// journalReserved are the fields JournalHandler sets itself; a zap field or
// kwarg that would become one of them is renamed FIELD_<name>.
var journalReserved = [...]string{"MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "LOGGER", "CODE_FILE", "CODE_LINE", "CODE_FUNC"}

// journalMaxName is journald's limit on a field name's length.
const journalMaxName = 64

// journalFieldsArg validates JournalHandler's arguments and returns the
// extra fields (kwargs) as one pre-encoded block of the native protocol.
func journalFieldsArg(a Args) ([]byte, error) {
	if len(a.Args) > 0 {
		return nil, fmt.Errorf("%w: JournalHandler takes no positional arguments, got %d (extra journal fields go in kwargs)", ErrBadArgs, len(a.Args))
	}
	b := pool.Get()
	defer b.Free()
	ident := false
	for _, key := range sortedKeys(a.Kwargs) {
		err := journalCheckName(key)
		if err == nil && key != "SYSLOG_IDENTIFIER" && journalIsReserved([]byte(key)) {
			err = errors.New("set by the handler for every record")
		}
		if err != nil {
			return nil, fmt.Errorf("%w: JournalHandler kwargs %q: %v", ErrBadArgs, clip(key), err)
		}
		v := a.Kwargs[key]
		var text string
		switch v.Kind {
		case pylit.KindString:
			text = v.Str
		case pylit.KindInt, pylit.KindFloat, pylit.KindBool:
			text = scalarText(v)
		default:
			return nil, fmt.Errorf("%w: JournalHandler kwargs %q: want a string or number, got %s", ErrBadArgs, key, pylit.Describe(v))
		}
		journalAppend(b, []byte(key), text)
		ident = ident || key == "SYSLOG_IDENTIFIER"
	}
	if !ident {
		journalAppend(b, []byte("SYSLOG_IDENTIFIER"), filepath.Base(os.Args[0]))
	}
	return append([]byte(nil), b.Bytes()...), nil
}

// journalCheckName says why name is not a valid journal field name.
func journalCheckName(name string) error {
	switch {
	case name == "":
		return errors.New("empty field name")
	case len(name) > journalMaxName:
		return fmt.Errorf("field name longer than %d characters", journalMaxName)
	case name[0] == '_' || (name[0] >= '0' && name[0] <= '9'):
		return errors.New("a field name must start with a letter A-Z")
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return fmt.Errorf("invalid character %q (journald wants A-Z, 0-9 and _)", c)
		}
	}
	return nil
}

func checkJournal(a Args) error {
	_, err := journalFieldsArg(a)
	return err
}

// scalarText is a kwarg's value as journal text: Python's str() of it.
func scalarText(v pylit.Value) string {
	switch v.Kind {
	case pylit.KindBool:
		if v.Bool {
			return "True"
		}
		return "False"
	case pylit.KindInt:
		return strconv.FormatInt(v.Int, 10)
	case pylit.KindFloat:
		return strconv.FormatFloat(v.Float, 'g', -1, 64)
	}
	return v.Str
}

func openJournal(a Args, newEnc EncoderFunc) (Output, error) {
	static, err := journalFieldsArg(a)
	if err != nil {
		return Output{}, err
	}
	if !journalSupported {
		return Output{}, fmt.Errorf("%w: JournalHandler: journald runs only on Linux", ErrOpen)
	}
	conn, err := journalDial(journalSocket)
	if err != nil {
		if op, ok := err.(*net.OpError); ok {
			err = op.Err // "connect: no such file or directory": the path is said below
		}
		return Output{}, fmt.Errorf("%w: JournalHandler: no journal at %s (runs only where systemd-journald does): %w", ErrOpen, journalSocket, err)
	}
	msg, err := newEnc(nil)
	if err != nil {
		conn.Close()
		return Output{}, err
	}
	j := &journalConn{path: journalSocket}
	j.conn.Store(conn)
	enc := &journalEncoder{msg: msg}
	enc.buf = new(buffer.Buffer)
	enc.buf.AppendBytes(static)
	return Output{Core: NewCore(enc, j), Close: j.close, Caller: true}, nil
}

// journalEncoder renders one whole datagram of journald's native protocol
// per record: MESSAGE (the formatter's rendering, without fields),
// PRIORITY, LOGGER, CODE_*, the fixed fields (kwargs, SYSLOG_IDENTIFIER
// and With fields, kept encoded in buf) and the record's own fields.
type journalEncoder struct {
	msg zapcore.Encoder
	fieldEnc
}

var _ zapcore.Encoder = (*journalEncoder)(nil)

func (e *journalEncoder) Clone() zapcore.Encoder {
	c := &journalEncoder{msg: e.msg}
	c.buf = new(buffer.Buffer)
	c.buf.AppendBytes(e.buf.Bytes())
	c.prefix = append([]byte(nil), e.prefix...)
	return c
}

func (e *journalEncoder) EncodeEntry(ent zapcore.Entry, fields []zapcore.Field) (*buffer.Buffer, error) {
	msg, err := e.msg.EncodeEntry(ent, nil)
	if err != nil {
		return nil, err
	}
	b := pool.Get()
	text := msg.Bytes()
	if n := len(text); n > 0 && text[n-1] == '\n' {
		text = text[:n-1]
	}
	journalAppendBytes(b, []byte("MESSAGE"), text)
	msg.Free()
	b.AppendString("PRIORITY=")
	b.AppendInt(syslogSeverity(ent.Level))
	b.AppendByte('\n')
	if ent.LoggerName != "" {
		journalAppend(b, []byte("LOGGER"), ent.LoggerName)
	}
	if ent.Caller.Defined {
		journalAppend(b, []byte("CODE_FILE"), ent.Caller.File)
		b.AppendString("CODE_LINE=")
		b.AppendInt(int64(ent.Caller.Line))
		b.AppendByte('\n')
		if ent.Caller.Function != "" {
			journalAppend(b, []byte("CODE_FUNC"), ent.Caller.Function)
		}
	}
	b.AppendBytes(e.buf.Bytes())
	if len(fields) > 0 {
		fe := fieldEncPool.Get().(*fieldEnc)
		fe.buf, fe.prefix = b, append(fe.prefix[:0], e.prefix...)
		for i := range fields {
			fields[i].AddTo(fe)
		}
		fe.free()
	}
	return b, nil
}

func journalDial(path string) (*net.UnixConn, error) {
	return net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
}

// journalConn is one handler's connection to journald, shared by its
// cores. It reconnects once when journald went away (it restarts with a
// new socket).
type journalConn struct {
	path string
	conn atomic.Pointer[net.UnixConn]
	mu   sync.Mutex // serialises reconnects and close, never writes
}

func (j *journalConn) WriteRecord(_ zapcore.Entry, b []byte) error {
	conn := j.conn.Load()
	if conn == nil {
		return errors.New("logcfg: JournalHandler: closed")
	}
	_, err := conn.Write(b)
	if err == nil {
		return nil
	}
	if errors.Is(err, syscall.EMSGSIZE) || errors.Is(err, syscall.ENOBUFS) {
		return j.sendLarge(conn, b)
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOTCONN) {
		if conn = j.redial(conn); conn != nil {
			if _, err = conn.Write(b); err == nil {
				return nil
			}
		}
	}
	return fmt.Errorf("logcfg: JournalHandler: send to %s: %w", j.path, err)
}

// Sync does nothing: every record is sent when written.
func (j *journalConn) Sync() error { return nil }

func (j *journalConn) redial(old *net.UnixConn) *net.UnixConn {
	j.mu.Lock()
	defer j.mu.Unlock()
	if cur := j.conn.Load(); cur != old {
		return cur // someone else reconnected (or closed)
	}
	conn, err := journalDial(j.path)
	if err != nil {
		return nil
	}
	j.conn.Store(conn)
	old.Close()
	return conn
}

func (j *journalConn) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if conn := j.conn.Swap(nil); conn != nil {
		return conn.Close()
	}
	return nil
}

// journalAppend appends one field in journald's native protocol:
// NAME=value\n, or, when the value holds a newline, NAME\n, its length as a
// little-endian uint64, the value and \n.
func journalAppend(b *buffer.Buffer, name []byte, value string) {
	journalHead(b, name, len(value), strings.IndexByte(value, '\n') >= 0)
	b.AppendString(value)
	b.AppendByte('\n')
}

// journalAppendBytes is journalAppend for a []byte value.
func journalAppendBytes(b *buffer.Buffer, name, value []byte) {
	journalHead(b, name, len(value), bytes.IndexByte(value, '\n') >= 0)
	b.AppendBytes(value)
	b.AppendByte('\n')
}

func journalHead(b *buffer.Buffer, name []byte, size int, binaryForm bool) {
	b.AppendBytes(name)
	if !binaryForm {
		b.AppendByte('=')
		return
	}
	b.AppendByte('\n')
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(size))
	b.AppendBytes(n[:])
}

// fieldEnc turns zap fields into journal fields, appended to buf.
type fieldEnc struct {
	buf    *buffer.Buffer
	prefix []byte // sanitised names of the open objects and namespaces, each followed by '_'
	name   [journalMaxName]byte
	value  [64]byte
}

var fieldEncPool = sync.Pool{New: func() any { return new(fieldEnc) }}

func (e *fieldEnc) free() {
	e.buf = nil
	fieldEncPool.Put(e)
}

var _ zapcore.ObjectEncoder = (*fieldEnc)(nil)

// fieldName is the journal field name of key under the current prefix.
func (e *fieldEnc) fieldName(key string) []byte {
	n := e.name[:0]
	n = append(n, e.prefix...)
	for i := 0; i < len(key) && len(n) < journalMaxName; i++ {
		c := key[i]
		switch {
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_' && len(n) == 0:
			continue // no leading underscore: those are journald's own fields
		default:
			c = '_'
			if len(n) == 0 {
				continue
			}
		}
		n = append(n, c)
	}
	if len(n) == 0 || n[0] >= '0' && n[0] <= '9' || journalIsReserved(n) {
		const pre = "FIELD_"
		keep := min(len(n), journalMaxName-len(pre))
		copy(e.name[len(pre):], n[:keep]) // copy handles the overlap
		copy(e.name[:], pre)
		n = e.name[:len(pre)+keep]
		if keep == 0 {
			n = e.name[:len(pre)-1] // "FIELD"
		}
	}
	return n
}

func journalIsReserved(n []byte) bool {
	for _, r := range journalReserved {
		if string(n) == r {
			return true
		}
	}
	return false
}

func (e *fieldEnc) addText(key string, value []byte) {
	journalAppendBytes(e.buf, e.fieldName(key), value)
}

// AddObject flattens the object: its fields get the name KEY_ in front.
func (e *fieldEnc) AddObject(key string, m zapcore.ObjectMarshaler) error {
	var saved [journalMaxName + 1]byte
	n := copy(saved[:], e.prefix)
	e.OpenNamespace(key)
	err := m.MarshalLogObject(e)
	e.prefix = append(e.prefix[:0], saved[:n]...)
	return err
}

// OpenNamespace puts KEY_ in front of the names of all later fields.
func (e *fieldEnc) OpenNamespace(key string) {
	e.prefix = append(e.prefix[:0], e.fieldName(key)...)
	e.prefix = append(e.prefix, '_')
}

// AddArray sends the array as JSON.
func (e *fieldEnc) AddArray(key string, m zapcore.ArrayMarshaler) error {
	return e.addJSON(key, func(enc zapcore.Encoder) error { return enc.AddArray("v", m) })
}

// AddReflected sends the value as JSON.
func (e *fieldEnc) AddReflected(key string, v any) error {
	return e.addJSON(key, func(enc zapcore.Encoder) error { return enc.AddReflected("v", v) })
}

var journalJSONConfig = zapcore.EncoderConfig{
	EncodeTime:     zapcore.RFC3339NanoTimeEncoder,
	EncodeDuration: zapcore.StringDurationEncoder,
}

func (e *fieldEnc) addJSON(key string, add func(zapcore.Encoder) error) error {
	enc := zapcore.NewJSONEncoder(journalJSONConfig)
	if err := add(enc); err != nil {
		return err
	}
	out, err := enc.EncodeEntry(zapcore.Entry{}, nil)
	if err != nil {
		return err
	}
	defer out.Free()
	// out is {"v":<value>}\n
	text := out.Bytes()
	e.addText(key, text[len(`{"v":`):len(text)-len("}\n")])
	return nil
}

func (e *fieldEnc) AddBinary(key string, v []byte)     { e.addText(key, v) }
func (e *fieldEnc) AddByteString(key string, v []byte) { e.addText(key, v) }
func (e *fieldEnc) AddBool(key string, v bool) {
	e.addText(key, strconv.AppendBool(e.value[:0], v))
}
func (e *fieldEnc) AddComplex128(key string, v complex128) {
	e.addText(key, append(e.value[:0], strconv.FormatComplex(v, 'g', -1, 128)...))
}
func (e *fieldEnc) AddComplex64(key string, v complex64) { e.AddComplex128(key, complex128(v)) }
func (e *fieldEnc) AddDuration(key string, v time.Duration) {
	e.addText(key, append(e.value[:0], v.String()...))
}
func (e *fieldEnc) AddFloat64(key string, v float64) {
	e.addText(key, strconv.AppendFloat(e.value[:0], v, 'g', -1, 64))
}
func (e *fieldEnc) AddFloat32(key string, v float32) {
	e.addText(key, strconv.AppendFloat(e.value[:0], float64(v), 'g', -1, 32))
}
func (e *fieldEnc) AddInt(key string, v int)     { e.AddInt64(key, int64(v)) }
func (e *fieldEnc) AddInt32(key string, v int32) { e.AddInt64(key, int64(v)) }
func (e *fieldEnc) AddInt16(key string, v int16) { e.AddInt64(key, int64(v)) }
func (e *fieldEnc) AddInt8(key string, v int8)   { e.AddInt64(key, int64(v)) }
func (e *fieldEnc) AddInt64(key string, v int64) {
	e.addText(key, strconv.AppendInt(e.value[:0], v, 10))
}
func (e *fieldEnc) AddString(key, v string) { journalAppend(e.buf, e.fieldName(key), v) }
func (e *fieldEnc) AddTime(key string, v time.Time) {
	e.addText(key, v.AppendFormat(e.value[:0], time.RFC3339Nano))
}
func (e *fieldEnc) AddUint(key string, v uint)       { e.AddUint64(key, uint64(v)) }
func (e *fieldEnc) AddUint32(key string, v uint32)   { e.AddUint64(key, uint64(v)) }
func (e *fieldEnc) AddUint16(key string, v uint16)   { e.AddUint64(key, uint64(v)) }
func (e *fieldEnc) AddUint8(key string, v uint8)     { e.AddUint64(key, uint64(v)) }
func (e *fieldEnc) AddUintptr(key string, v uintptr) { e.AddUint64(key, uint64(v)) }
func (e *fieldEnc) AddUint64(key string, v uint64) {
	e.addText(key, strconv.AppendUint(e.value[:0], v, 10))
}
