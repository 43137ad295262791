package logcfg

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

	"github.com/coreos/go-systemd/v22/journal"
	"go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"
	"golang.org/x/sys/unix"
)

// The two handler classes for services run by systemd.
//
// SystemdHandler writes each record to stdout or stderr as one line
// prefixed with its syslog priority, the convention of sd-daemon(3) that
// journald reads on a service's standard streams:
//
//	[handler_journal]
//	class=SystemdHandler
//	args=(sys.stdout,)     ; or kwargs={'stream': sys.stdout}; default sys.stderr
//	formatter=plain
//
// CRITICAL is "<2>", ERROR "<3>", WARNING "<4>", INFO "<6>" and DEBUG "<7>".
// Newlines inside the rendered record (a multi-line message, a stack trace)
// are written as the two characters `\n` (and CR as `\r`, NUL, which
// journald also splits on, as `\0`), so each record stays one journal entry;
// the final newline is kept. Backslashes are not doubled. Colour is always
// off. A formatter with oneline=true (colorfmt's one-line mode) already
// escapes newlines, CRs and backslashes itself, reversibly (see
// colorfmt.Unescape); the handler's escaping then finds nothing to do. Use
// it when the journal's text must be turned back into the record. journald
// splits lines longer than its LineMax= (48K by default) whatever is done
// here.
//
// JournalHandler sends each record to journald over its native protocol
// (the socket /run/systemd/journal/socket), with the fields MESSAGE (the
// formatter's rendering of the record, without its fields), PRIORITY,
// SYSLOG_IDENTIFIER (the program name), LOGGER (the logger's name),
// CODE_FILE, CODE_LINE and CODE_FUNC (when the logger records callers) and
// one journal field per zap field:
//
//	[handler_journal]
//	class=JournalHandler
//	args=()
//	kwargs={'SYSLOG_IDENTIFIER': 'billing'}   ; optional: extra fields on every record
//
// The class is also registered as "systemd.journal.JournalHandler", the
// name of systemd-python's handler, whose configs pass extra fields the same
// way (its level and sender_function arguments are refused).
//
// A zap field's key becomes a journal field name as journald requires:
// upper-cased, characters other than A–Z, 0–9 and '_' replaced by '_',
// leading underscores dropped, "FIELD_" put before a name that would start
// with a digit, be empty or clash with a field the handler sets, and cut to
// 64 characters. zap.Object fields are flattened (user.id → USER_ID), arrays
// and reflected values are sent as JSON, binary values as raw bytes.
//
// JournalHandler's Check has no side effects, so a config naming it parses
// anywhere; Open fails with ErrOpen where no journald listens (a container,
// a developer's laptop without systemd, tests), so such a config applies
// only where journald runs.
func init() {
	sd := HandlerClass{Check: checkSystemdHandler, Open: openSystemdHandler}
	RegisterHandlerClass("SystemdHandler", sd)
	RegisterHandlerClass("livelog.SystemdHandler", sd)
	jh := HandlerClass{Check: checkJournalHandler, Open: openJournalHandler}
	RegisterHandlerClass("JournalHandler", jh)
	RegisterHandlerClass("livelog.JournalHandler", jh)
	// systemd-python's class, so that Python configs using it work as is.
	RegisterHandlerClass("systemd.journal.JournalHandler", jh)
}

// sdPool holds the output lines and datagrams of both handlers.
var sdPool = buffer.NewPool()

// sdPriority is the syslog priority of a level: CRITICAL (and zap's Panic
// and Fatal) 2, ERROR 3, WARNING 4, INFO 6, DEBUG 7.
func sdPriority(l zapcore.Level) journal.Priority {
	switch {
	case l >= Critical:
		return journal.PriCrit
	case l == zapcore.ErrorLevel:
		return journal.PriErr
	case l == zapcore.WarnLevel:
		return journal.PriWarning
	case l == zapcore.InfoLevel:
		return journal.PriInfo
	default:
		return journal.PriDebug
	}
}

// sdDescribe names a literal for an error message.
func sdDescribe(v Value) string {
	switch v.Kind {
	case KindNone:
		return "None"
	case KindBool:
		if v.Bool {
			return "True"
		}
		return "False"
	case KindInt:
		return strconv.FormatInt(v.Int, 10)
	case KindFloat:
		return strconv.FormatFloat(v.Float, 'g', -1, 64)
	case KindString:
		return strconv.Quote(v.Str)
	case KindTuple:
		return "a tuple"
	case KindDict:
		return "a dict"
	case KindStream:
		return "sys." + v.Str
	}
	return "an unknown value"
}

// ---- SystemdHandler ----

// systemdStream resolves a stream name when a handler opens (a variable so
// tests can send the output to a file).
var systemdStream = func(name string) *os.File {
	if name == "stdout" {
		return os.Stdout
	}
	return os.Stderr
}

// systemdStreamArg validates SystemdHandler's arguments and returns the
// stream name, "stdout" or "stderr".
func systemdStreamArg(h *HandlerConfig) (string, error) {
	if len(h.Args) > 1 {
		return "", fmt.Errorf("%w: SystemdHandler takes at most one argument (the stream), got %d", ErrBadArgs, len(h.Args))
	}
	var (
		v     Value
		where string
		given bool
	)
	if len(h.Args) == 1 {
		v, where, given = h.Args[0], "args[0]", true
	}
	for key, kv := range h.Kwargs {
		if key != "stream" {
			return "", fmt.Errorf("%w: SystemdHandler has no keyword argument %q (it takes only stream)", ErrBadArgs, key)
		}
		if given {
			return "", fmt.Errorf("%w: SystemdHandler got the stream twice, in args and in kwargs", ErrBadArgs)
		}
		v, where, given = kv, "kwargs stream", true
	}
	if !given {
		return "stderr", nil
	}
	if v.Kind != KindStream || (v.Str != "stdout" && v.Str != "stderr") {
		return "", fmt.Errorf("%w: SystemdHandler %s: want sys.stdout or sys.stderr, got %s", ErrBadArgs, where, sdDescribe(v))
	}
	return v.Str, nil
}

func checkSystemdHandler(h *HandlerConfig) error {
	_, err := systemdStreamArg(h)
	return err
}

func openSystemdHandler(h *HandlerConfig, newEncoder EncoderFunc) (Output, error) {
	stream, err := systemdStreamArg(h)
	if err != nil {
		return Output{}, err
	}
	keepSIGPIPE() // a closed stdout pipe fails writes instead of killing us
	// nil: the encoder writes to no terminal, so "auto" colour stays off.
	enc, err := newEncoder(nil)
	if err != nil {
		return Output{}, err
	}
	out := zapcore.Lock(zapcore.AddSync(systemdStream(stream)))
	return Output{Core: &systemdCore{enc: enc, out: out}}, nil
}

// systemdCore writes "<N>" + the encoder's line, made one line.
type systemdCore struct {
	enc zapcore.Encoder
	out zapcore.WriteSyncer
}

var _ zapcore.Core = (*systemdCore)(nil)

// Enabled lets every level through: the tree filters by the handler's level.
func (c *systemdCore) Enabled(zapcore.Level) bool { return true }

func (c *systemdCore) With(fields []zapcore.Field) zapcore.Core {
	enc := c.enc.Clone()
	for i := range fields {
		fields[i].AddTo(enc)
	}
	return &systemdCore{enc: enc, out: c.out}
}

func (c *systemdCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(ent, c)
}

func (c *systemdCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	text, err := c.enc.EncodeEntry(ent, fields)
	if err != nil {
		return err
	}
	line := sdPool.Get()
	line.AppendByte('<')
	line.AppendByte('0' + byte(sdPriority(ent.Level)))
	line.AppendByte('>')
	appendOneLine(line, text.Bytes())
	text.Free()
	_, err = c.out.Write(line.Bytes())
	line.Free()
	return err
}

// Sync does nothing: writes to stdout and stderr are not buffered, and
// fsync on a pipe or the journal's stream socket only fails.
func (c *systemdCore) Sync() error { return nil }

// appendOneLine appends text as one line: every newline but a final one is
// written `\n`, a carriage return `\r` and a NUL (which journald also takes
// as the end of a line) `\0`; the line ends with one newline. Backslashes
// are left as they are, so that the output of a formatter with oneline=true,
// which escapes them itself, is not escaped twice.
func appendOneLine(b *buffer.Buffer, text []byte) {
	if n := len(text); n > 0 && text[n-1] == '\n' {
		text = text[:n-1]
	}
	start := 0
	for i, c := range text {
		var esc string
		switch c {
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case 0:
			esc = `\0`
		default:
			continue
		}
		b.AppendBytes(text[start:i])
		b.AppendString(esc)
		start = i + 1
	}
	b.AppendBytes(text[start:])
	b.AppendByte('\n')
}

// ---- JournalHandler ----

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
func journalFieldsArg(h *HandlerConfig) ([]byte, error) {
	if len(h.Args) > 0 {
		return nil, fmt.Errorf("%w: JournalHandler takes no positional arguments, got %d (extra journal fields go in kwargs)", ErrBadArgs, len(h.Args))
	}
	b := sdPool.Get()
	defer b.Free()
	ident := false
	for _, key := range keys(h.Kwargs) {
		err := journalCheckName(key)
		if err == nil && key != "SYSLOG_IDENTIFIER" && journalIsReserved([]byte(key)) {
			err = errors.New("set by the handler for every record")
		}
		if err != nil {
			return nil, fmt.Errorf("%w: JournalHandler kwargs %q: %v", ErrBadArgs, key, err)
		}
		v := h.Kwargs[key]
		var text string
		switch v.Kind {
		case KindString:
			text = v.Str
		case KindInt, KindFloat, KindBool:
			text = sdDescribe(v)
		default:
			return nil, fmt.Errorf("%w: JournalHandler kwargs %q: want a string or number, got %s", ErrBadArgs, key, sdDescribe(v))
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

func checkJournalHandler(h *HandlerConfig) error {
	_, err := journalFieldsArg(h)
	return err
}

func openJournalHandler(h *HandlerConfig, newEncoder EncoderFunc) (Output, error) {
	static, err := journalFieldsArg(h)
	if err != nil {
		return Output{}, err
	}
	conn, err := journalDial(journalSocket)
	if err != nil {
		if op, ok := err.(*net.OpError); ok {
			err = op.Err // "connect: no such file or directory": the path is said below
		}
		return Output{}, fmt.Errorf("%w: JournalHandler: no journal at %s (runs only where systemd-journald does): %w", ErrOpen, journalSocket, err)
	}
	enc, err := newEncoder(nil)
	if err != nil {
		conn.Close()
		return Output{}, err
	}
	j := &journalConn{path: journalSocket}
	j.conn.Store(conn)
	return Output{
		Core:  &journalCore{enc: enc, j: j, static: static},
		Close: j.close,
	}, nil
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

func (j *journalConn) send(b []byte) error {
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

// sendLarge passes a record too big for one datagram as a sealed memfd, as
// sd_journal_sendv does.
func (j *journalConn) sendLarge(conn *net.UnixConn, b []byte) error {
	fd, err := unix.MemfdCreate("journal-record", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return fmt.Errorf("logcfg: JournalHandler: record of %d bytes: memfd: %w", len(b), err)
	}
	f := os.NewFile(uintptr(fd), "journal-record")
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("logcfg: JournalHandler: record of %d bytes: %w", len(b), err)
	}
	seals := unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE | unix.F_SEAL_SEAL
	if _, err := unix.FcntlInt(f.Fd(), unix.F_ADD_SEALS, seals); err != nil {
		return fmt.Errorf("logcfg: JournalHandler: record of %d bytes: seal memfd: %w", len(b), err)
	}
	// net refuses WriteMsgUnix on a connected datagram socket: use sendmsg.
	raw, err := conn.SyscallConn()
	if err == nil {
		rights := unix.UnixRights(int(f.Fd()))
		werr := raw.Write(func(s uintptr) bool {
			err = unix.Sendmsg(int(s), nil, rights, nil, 0)
			return err != unix.EAGAIN
		})
		if err == nil {
			err = werr
		}
	}
	if err != nil {
		return fmt.Errorf("logcfg: JournalHandler: send %d bytes to %s: %w", len(b), j.path, err)
	}
	return nil
}

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

// journalCore writes one datagram per record.
type journalCore struct {
	enc    zapcore.Encoder // renders MESSAGE (without the fields)
	j      *journalConn
	static []byte // kwargs, SYSLOG_IDENTIFIER and With fields, encoded
	ns     string // open zap.Namespace prefix, e.g. "REQ_"
}

var _ zapcore.Core = (*journalCore)(nil)

// Enabled lets every level through: the tree filters by the handler's level.
func (c *journalCore) Enabled(zapcore.Level) bool { return true }

func (c *journalCore) With(fields []zapcore.Field) zapcore.Core {
	b := sdPool.Get()
	defer b.Free()
	b.AppendBytes(c.static)
	e := journalEncPool.Get().(*journalEnc)
	e.buf, e.prefix = b, append(e.prefix[:0], c.ns...)
	for i := range fields {
		fields[i].AddTo(e)
	}
	ns := string(e.prefix)
	e.free()
	return &journalCore{enc: c.enc, j: c.j, static: append([]byte(nil), b.Bytes()...), ns: ns}
}

func (c *journalCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(ent, c)
}

func (c *journalCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	msg, err := c.enc.EncodeEntry(ent, nil)
	if err != nil {
		return err
	}
	b := sdPool.Get()
	defer b.Free()
	text := msg.Bytes()
	if n := len(text); n > 0 && text[n-1] == '\n' {
		text = text[:n-1]
	}
	journalAppendBytes(b, []byte("MESSAGE"), text)
	msg.Free()
	b.AppendString("PRIORITY=")
	b.AppendByte('0' + byte(sdPriority(ent.Level)))
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
	b.AppendBytes(c.static)
	if len(fields) > 0 {
		e := journalEncPool.Get().(*journalEnc)
		e.buf, e.prefix = b, append(e.prefix[:0], c.ns...)
		for i := range fields {
			fields[i].AddTo(e)
		}
		e.free()
	}
	return c.j.send(b.Bytes())
}

// Sync does nothing: every record is sent when written.
func (c *journalCore) Sync() error { return nil }

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

// journalEnc turns zap fields into journal fields, appended to buf.
type journalEnc struct {
	buf    *buffer.Buffer
	prefix []byte // sanitised names of the open objects and namespaces, each followed by '_'
	name   [journalMaxName]byte
	value  [64]byte
}

var journalEncPool = sync.Pool{New: func() any { return new(journalEnc) }}

func (e *journalEnc) free() {
	e.buf = nil
	journalEncPool.Put(e)
}

var _ zapcore.ObjectEncoder = (*journalEnc)(nil)

// fieldName is the journal field name of key under the current prefix.
func (e *journalEnc) fieldName(key string) []byte {
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

func (e *journalEnc) addText(key string, value []byte) {
	journalAppendBytes(e.buf, e.fieldName(key), value)
}

// AddObject flattens the object: its fields get the name KEY_ in front.
func (e *journalEnc) AddObject(key string, m zapcore.ObjectMarshaler) error {
	var saved [journalMaxName + 1]byte
	n := copy(saved[:], e.prefix)
	e.OpenNamespace(key)
	err := m.MarshalLogObject(e)
	e.prefix = append(e.prefix[:0], saved[:n]...)
	return err
}

// OpenNamespace puts KEY_ in front of the names of all later fields.
func (e *journalEnc) OpenNamespace(key string) {
	e.prefix = append(e.prefix[:0], e.fieldName(key)...)
	e.prefix = append(e.prefix, '_')
}

// AddArray sends the array as JSON.
func (e *journalEnc) AddArray(key string, m zapcore.ArrayMarshaler) error {
	return e.addJSON(key, func(enc zapcore.Encoder) error { return enc.AddArray("v", m) })
}

// AddReflected sends the value as JSON.
func (e *journalEnc) AddReflected(key string, v any) error {
	return e.addJSON(key, func(enc zapcore.Encoder) error { return enc.AddReflected("v", v) })
}

var journalJSONConfig = zapcore.EncoderConfig{
	EncodeTime:     zapcore.RFC3339NanoTimeEncoder,
	EncodeDuration: zapcore.StringDurationEncoder,
}

func (e *journalEnc) addJSON(key string, add func(zapcore.Encoder) error) error {
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

func (e *journalEnc) AddBinary(key string, v []byte)     { e.addText(key, v) }
func (e *journalEnc) AddByteString(key string, v []byte) { e.addText(key, v) }
func (e *journalEnc) AddBool(key string, v bool) {
	e.addText(key, strconv.AppendBool(e.value[:0], v))
}
func (e *journalEnc) AddComplex128(key string, v complex128) {
	e.addText(key, append(e.value[:0], strconv.FormatComplex(v, 'g', -1, 128)...))
}
func (e *journalEnc) AddComplex64(key string, v complex64) { e.AddComplex128(key, complex128(v)) }
func (e *journalEnc) AddDuration(key string, v time.Duration) {
	e.addText(key, append(e.value[:0], v.String()...))
}
func (e *journalEnc) AddFloat64(key string, v float64) {
	e.addText(key, strconv.AppendFloat(e.value[:0], v, 'g', -1, 64))
}
func (e *journalEnc) AddFloat32(key string, v float32) {
	e.addText(key, strconv.AppendFloat(e.value[:0], float64(v), 'g', -1, 32))
}
func (e *journalEnc) AddInt(key string, v int)     { e.AddInt64(key, int64(v)) }
func (e *journalEnc) AddInt32(key string, v int32) { e.AddInt64(key, int64(v)) }
func (e *journalEnc) AddInt16(key string, v int16) { e.AddInt64(key, int64(v)) }
func (e *journalEnc) AddInt8(key string, v int8)   { e.AddInt64(key, int64(v)) }
func (e *journalEnc) AddInt64(key string, v int64) {
	e.addText(key, strconv.AppendInt(e.value[:0], v, 10))
}
func (e *journalEnc) AddString(key, v string) { journalAppend(e.buf, e.fieldName(key), v) }
func (e *journalEnc) AddTime(key string, v time.Time) {
	e.addText(key, v.AppendFormat(e.value[:0], time.RFC3339Nano))
}
func (e *journalEnc) AddUint(key string, v uint)       { e.AddUint64(key, uint64(v)) }
func (e *journalEnc) AddUint32(key string, v uint32)   { e.AddUint64(key, uint64(v)) }
func (e *journalEnc) AddUint16(key string, v uint16)   { e.AddUint64(key, uint64(v)) }
func (e *journalEnc) AddUint8(key string, v uint8)     { e.AddUint64(key, uint64(v)) }
func (e *journalEnc) AddUintptr(key string, v uintptr) { e.AddUint64(key, uint64(v)) }
func (e *journalEnc) AddUint64(key string, v uint64) {
	e.addText(key, strconv.AppendUint(e.value[:0], v, 10))
}
