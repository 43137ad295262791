package logcfg

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"go.uber.org/zap/zapcore"
)

// The built-in handler classes, as Python's logging and logging.handlers
// name them. Arguments follow Python's signatures, positionally (args=)
// or by keyword (kwargs=); every problem is found by Check.
//
//	StreamHandler(stream=sys.stderr)
//	FileHandler(filename, mode='a', encoding=None, delay=False, errors=None)
//	RotatingFileHandler(filename, mode='a', maxBytes=0, backupCount=0, encoding=None, delay=False, errors=None)
//	WatchedFileHandler(filename, mode='a', encoding=None, delay=False, errors=None)
//	NullHandler()
//	SysLogHandler(address=('localhost', 514), facility=LOG_USER, socktype=None)
//
// RotatingFileHandler rotates as Python's does, byte-accurately: before a
// write that would take the file past maxBytes, app.log becomes app.log.1,
// app.log.1 becomes app.log.2 and so on up to backupCount; with maxBytes
// or backupCount 0 it never rotates. (lumberjack, the usual Go choice,
// counts in whole megabytes and names backups by timestamp, which would
// break configs and tools written for Python's naming.)
//
// WatchedFileHandler reopens its file when it is moved or removed (by
// logrotate), checking the path before each write as Python does.
func init() {
	RegisterHandlerClass("StreamHandler", HandlerClass{Check: checkWith(streamSig), Open: openStream})
	RegisterHandlerClass("FileHandler", HandlerClass{Check: checkFile(fileSig), Open: openFile(fileSig, false)})
	RegisterHandlerClass("WatchedFileHandler", HandlerClass{Check: checkFile(fileSig), Open: openFile(fileSig, true)})
	RegisterHandlerClass("RotatingFileHandler", HandlerClass{Check: checkRotating, Open: openRotating})
	RegisterHandlerClass("NullHandler", HandlerClass{Check: checkWith(nullSig), Open: openNull})
	RegisterHandlerClass("SysLogHandler", HandlerClass{Check: checkSyslog, Open: openSyslog})
	for _, name := range []string{"TimedRotatingFileHandler", "SMTPHandler", "MemoryHandler", "BufferingHandler",
		"HTTPHandler", "SocketHandler", "DatagramHandler", "QueueHandler", "NTEventLogHandler"} {
		RegisterHandlerClass(name, unsupported(name))
	}
}

func unsupported(name string) HandlerClass {
	err := func(*HandlerConfig) error {
		return fmt.Errorf("%w %q: not supported by livelog (use StreamHandler, FileHandler, RotatingFileHandler, WatchedFileHandler, SysLogHandler, SystemdHandler, JournalHandler or NullHandler)", ErrUnknownClass, name)
	}
	return HandlerClass{Check: err, Open: func(h *HandlerConfig, _ EncoderFunc) (Output, error) { return Output{}, err(h) }}
}

// signature is a Python parameter list: names in order, with the number
// that are required.
type signature struct {
	class    string
	names    []string
	required int
}

var (
	streamSig   = signature{"StreamHandler", []string{"stream"}, 0}
	nullSig     = signature{"NullHandler", nil, 0}
	fileSig     = signature{"FileHandler", []string{"filename", "mode", "encoding", "delay", "errors"}, 1}
	rotatingSig = signature{"RotatingFileHandler", []string{"filename", "mode", "maxBytes", "backupCount", "encoding", "delay", "errors"}, 1}
	syslogSig   = signature{"SysLogHandler", []string{"address", "facility", "socktype"}, 0}
)

// bind matches args and kwargs to the signature as Python's call would.
func (sig signature) bind(h *HandlerConfig) (map[string]Value, error) {
	if len(h.Args) > len(sig.names) {
		return nil, fmt.Errorf("%w: %s takes at most %d arguments %v, got %d", ErrBadArgs, sig.class, len(sig.names), sig.names, len(h.Args))
	}
	got := make(map[string]Value, len(sig.names))
	for i, v := range h.Args {
		got[sig.names[i]] = v
	}
	for _, k := range sortedKeys(h.Kwargs) {
		found := false
		for _, n := range sig.names {
			switch {
			case n == k:
				if _, dup := got[n]; dup {
					return nil, fmt.Errorf("%w: %s got %s twice, in args and kwargs", ErrBadArgs, sig.class, n)
				}
				got[n], found = h.Kwargs[k], true
			case strings.EqualFold(n, k):
				// Python's keyword arguments are case-sensitive.
				return nil, fmt.Errorf("%w: %s has no argument %q (did you mean %q?)", ErrBadArgs, sig.class, k, n)
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: %s has no argument %q (it takes %v)", ErrBadArgs, sig.class, k, sig.names)
		}
	}
	for _, n := range sig.names[:sig.required] {
		if v, ok := got[n]; !ok || v.Kind == KindNone {
			return nil, fmt.Errorf("%w: %s needs %s", ErrBadArgs, sig.class, n)
		}
	}
	return got, nil
}

func checkWith(sig signature) func(*HandlerConfig) error {
	return func(h *HandlerConfig) error {
		a, err := sig.bind(h)
		if err != nil {
			return err
		}
		if v, ok := a["stream"]; ok && v.Kind != KindNone && v.Kind != KindStream {
			return fmt.Errorf("%w: %s stream must be sys.stdout or sys.stderr, not %s", ErrBadArgs, sig.class, describe(v))
		}
		return nil
	}
}

func describe(v Value) string {
	switch v.Kind {
	case KindString:
		return fmt.Sprintf("the string %q", v.Str)
	case KindInt:
		return fmt.Sprintf("the number %d", v.Int)
	case KindTuple:
		return "a tuple"
	case KindDict:
		return "a dict"
	case KindNone:
		return "None"
	}
	return "that value"
}

func stdStream(v Value) *os.File {
	if v.Kind == KindStream && v.Str == "stdout" {
		return os.Stdout
	}
	return os.Stderr
}

// keepSIGPIPE makes a write to a closed stdout or stderr pipe fail with
// EPIPE instead of killing the process: Go's runtime raises SIGPIPE for
// such writes on fds 1 and 2 unless the program asks to be notified of
// SIGPIPE. A stream handler whose reader went away must not stop the
// application (its failures are counted like any handler's), so opening
// one asks, once, on a channel that is never read.
var keepSIGPIPE = sync.OnceFunc(func() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
})

func openStream(h *HandlerConfig, newEnc EncoderFunc) (Output, error) {
	a, _ := streamSig.bind(h)
	f := stdStream(a["stream"])
	keepSIGPIPE()
	enc, err := newEnc(f)
	if err != nil {
		return Output{}, err
	}
	// Writes to stdout and stderr are not buffered, and fsync on a terminal
	// or pipe only fails: the stream's Sync does nothing.
	return Output{Core: &writeCore{enc: enc, out: zapcore.Lock(zapcore.AddSync(writerOnly{f}))}}, nil
}

// writerOnly hides a file's Sync method.
type writerOnly struct{ w *os.File }

func (w writerOnly) Write(p []byte) (int, error) { return w.w.Write(p) }

// writeCore is zapcore's ioCore without its level (the tree filters by the
// handler's level before calling it) and without ioCore's sync after every
// record above ERROR, which zap does because DPanic may crash the program:
// a tree's CRITICAL never does.
type writeCore struct {
	enc zapcore.Encoder
	out zapcore.WriteSyncer
}

var _ zapcore.Core = (*writeCore)(nil)

func (c *writeCore) Enabled(zapcore.Level) bool { return true }

func (c *writeCore) With(fields []zapcore.Field) zapcore.Core {
	enc := c.enc.Clone()
	for i := range fields {
		fields[i].AddTo(enc)
	}
	return &writeCore{enc: enc, out: c.out}
}

func (c *writeCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(ent, c)
}

func (c *writeCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	buf, err := c.enc.EncodeEntry(ent, fields)
	if err != nil {
		return err
	}
	_, err = c.out.Write(buf.Bytes())
	buf.Free()
	return err
}

func (c *writeCore) Sync() error { return c.out.Sync() }

func openNull(*HandlerConfig, EncoderFunc) (Output, error) {
	return Output{Core: zapcore.NewNopCore()}, nil
}

// fileArgs are a file handler's checked arguments.
type fileArgs struct {
	name     string
	appendTo bool
	maxBytes int64
	backups  int
}

func fileArgsOf(sig signature, h *HandlerConfig) (fileArgs, error) {
	a, err := sig.bind(h)
	if err != nil {
		return fileArgs{}, err
	}
	fa := fileArgs{appendTo: true}
	truncate := false
	if v := a["filename"]; v.Kind != KindString || v.Str == "" {
		return fa, fmt.Errorf("%w: %s filename must be a non-empty string, not %s", ErrBadArgs, sig.class, describe(v))
	} else {
		fa.name = v.Str
	}
	if v, ok := a["mode"]; ok {
		switch {
		case v.Kind == KindString && v.Str == "a":
		case v.Kind == KindString && v.Str == "w":
			truncate = true
		default:
			return fa, fmt.Errorf("%w: %s mode must be 'a' or 'w', not %s", ErrBadArgs, sig.class, describe(v))
		}
	}
	if v, ok := a["encoding"]; ok && v.Kind != KindNone {
		if v.Kind != KindString || !isUTF8Name(v.Str) {
			return fa, fmt.Errorf("%w: %s encoding must be 'utf-8' (livelog writes UTF-8), not %s", ErrBadArgs, sig.class, describe(v))
		}
	}
	if v, ok := a["delay"]; ok && v.Kind != KindBool && v.Kind != KindInt {
		return fa, fmt.Errorf("%w: %s delay must be True or False, not %s", ErrBadArgs, sig.class, describe(v))
	}
	if v, ok := a["errors"]; ok && v.Kind != KindNone && v.Kind != KindString {
		return fa, fmt.Errorf("%w: %s errors must be a string, not %s", ErrBadArgs, sig.class, describe(v))
	}
	for _, n := range []string{"maxBytes", "backupCount"} {
		v, ok := a[n]
		if !ok {
			continue
		}
		if v.Kind != KindInt || v.Int < 0 {
			return fa, fmt.Errorf("%w: %s %s must be a whole number >= 0, not %s", ErrBadArgs, sig.class, n, describe(v))
		}
		if n == "maxBytes" {
			fa.maxBytes = v.Int
		} else {
			fa.backups = int(min(v.Int, 1<<20))
		}
	}
	// As in Python, a rotating file is always appended to.
	fa.appendTo = !truncate || fa.maxBytes > 0
	return fa, nil
}

// isUTF8Name says whether Python's codecs.lookup finds UTF-8 under name:
// case, "-", "_" and spaces do not matter, and u8, utf and cp65001 are
// aliases.
func isUTF8Name(name string) bool {
	n := strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.TrimSpace(name)))
	switch n {
	case "utf8", "u8", "utf", "cp65001":
		return true
	}
	return false
}

func checkFile(sig signature) func(*HandlerConfig) error {
	return func(h *HandlerConfig) error { _, err := fileArgsOf(sig, h); return err }
}

func checkRotating(h *HandlerConfig) error { _, err := fileArgsOf(rotatingSig, h); return err }

func openFile(sig signature, watched bool) func(*HandlerConfig, EncoderFunc) (Output, error) {
	return func(h *HandlerConfig, newEnc EncoderFunc) (Output, error) {
		fa, err := fileArgsOf(sig, h)
		if err != nil {
			return Output{}, err
		}
		fw, err := openFileWriter(fa, watched)
		if err != nil {
			return Output{}, err
		}
		enc, err := newEnc(nil)
		if err != nil {
			_ = fw.Close()
			return Output{}, err
		}
		return Output{Core: &writeCore{enc: enc, out: fw}, Close: fw.Close}, nil
	}
}

func openRotating(h *HandlerConfig, newEnc EncoderFunc) (Output, error) {
	return openFile(rotatingSig, false)(h, newEnc)
}

// fileWriter is a file handler's output: one write call per record, under
// a mutex, with rotation and watching as configured.
type fileWriter struct {
	mu      sync.Mutex
	fa      fileArgs
	watched bool
	f       *os.File // nil after Close, or when reopening failed
	closed  bool
	size    int64
	dev     uint64
	ino     uint64
	regular bool // only a regular file is rotated
}

func openFileWriter(fa fileArgs, watched bool) (*fileWriter, error) {
	fw := &fileWriter{fa: fa, watched: watched}
	if err := fw.open(fa.appendTo); err != nil {
		return nil, err
	}
	return fw, nil
}

// open opens the file (created with mode 0666 less the umask, as Python
// does) and records its size and identity.
func (fw *fileWriter) open(appendTo bool) error {
	flags := os.O_CREATE | os.O_WRONLY
	if appendTo {
		flags |= os.O_APPEND
	} else {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(fw.fa.name, flags, 0o666)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return err
	}
	fw.f, fw.size, fw.regular = f, st.Size(), st.Mode().IsRegular()
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		fw.dev, fw.ino = uint64(sys.Dev), sys.Ino
	}
	return nil
}

func (fw *fileWriter) Write(p []byte) (int, error) {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.closed {
		return 0, fmt.Errorf("logcfg: write to %s after its handler was closed", fw.fa.name)
	}
	if fw.f == nil {
		// A reopen failed before (directory gone, disk full): try again.
		if err := fw.open(true); err != nil {
			return 0, err
		}
	}
	if fw.watched {
		fw.reopenIfMoved()
	}
	var rotateErr error
	if fw.shouldRotate(len(p)) {
		if rotateErr = fw.rotate(); fw.f == nil {
			return 0, rotateErr
		}
	}
	n, err := fw.f.Write(p)
	fw.size += int64(n)
	if err == nil {
		err = rotateErr
	}
	return n, err
}

// shouldRotate is Python's RotatingFileHandler.shouldRollover: the record
// would bring the file to maxBytes or beyond. As in Python (bpo-45401),
// only a regular file is rotated: a handler on /dev/null, a FIFO or a
// terminal must never rename it. Unlike Python, a record larger than
// maxBytes on its own does not rotate an empty file (Python would make an
// empty backup for it every time).
func (fw *fileWriter) shouldRotate(n int) bool {
	return fw.regular && fw.fa.maxBytes > 0 && fw.fa.backups > 0 && fw.size > 0 && fw.size+int64(n) >= fw.fa.maxBytes
}

// reopenIfMoved reopens the file when its path no longer names the file we
// hold (moved or removed by logrotate), as Python's WatchedFileHandler
// does before every record. The stat costs a system call and one small
// allocation per record.
func (fw *fileWriter) reopenIfMoved() {
	st, err := os.Stat(fw.fa.name)
	if err == nil {
		if sys, ok := st.Sys().(*syscall.Stat_t); ok && uint64(sys.Dev) == fw.dev && sys.Ino == fw.ino {
			return
		}
	}
	old := fw.f
	if err := fw.open(true); err != nil {
		return // keep writing to the old file rather than lose lines
	}
	_ = old.Close()
}

// rotate renames name.(i) to name.(i+1) down to name → name.1, as Python's
// RotatingFileHandler.doRollover, then opens a fresh file. If a rename
// fails the file is reopened all the same, so logging goes on.
func (fw *fileWriter) rotate() error {
	if err := fw.f.Close(); err != nil {
		fw.f = nil
		return err
	}
	fw.f = nil
	name := fw.fa.name
	for i := fw.fa.backups - 1; i > 0; i-- {
		src := fmt.Sprintf("%s.%d", name, i)
		if _, err := os.Stat(src); err == nil {
			_ = os.Rename(src, fmt.Sprintf("%s.%d", name, i+1))
		}
	}
	renameErr := os.Rename(name, name+".1")
	if errors.Is(renameErr, os.ErrNotExist) {
		renameErr = nil
	}
	if err := fw.open(true); err != nil {
		return err
	}
	if renameErr != nil {
		return fmt.Errorf("logcfg: rotating %s: %w", filepath.Base(name), renameErr)
	}
	return nil
}

// Sync flushes the file to disk.
func (fw *fileWriter) Sync() error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.f == nil {
		return nil
	}
	return fw.f.Sync()
}

// Close closes the file; later writes fail.
func (fw *fileWriter) Close() error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	fw.closed = true
	if fw.f == nil {
		return nil
	}
	err := fw.f.Close()
	fw.f = nil
	return err
}

// Syslog facilities by Python's names (SysLogHandler.facility_names).
var facilities = map[string]int64{
	"auth": 4, "authpriv": 10, "cron": 9, "daemon": 3, "ftp": 11, "kern": 0, "lpr": 6, "mail": 2,
	"news": 7, "security": 4, "syslog": 5, "user": 1, "uucp": 8,
	"local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
}

type syslogArgs struct {
	network, addr string
	facility      int64
}

func syslogArgsOf(h *HandlerConfig) (syslogArgs, error) {
	a, err := syslogSig.bind(h)
	if err != nil {
		return syslogArgs{}, err
	}
	sa := syslogArgs{network: "udp", addr: "localhost:514", facility: 1}
	if v, ok := a["address"]; ok {
		switch {
		case v.Kind == KindString && v.Str != "":
			sa.network, sa.addr = "unixgram", v.Str
		case v.Kind == KindTuple && len(v.Items) == 2 && v.Items[0].Kind == KindString && v.Items[1].Kind == KindInt &&
			v.Items[1].Int > 0 && v.Items[1].Int < 65536:
			sa.addr = net.JoinHostPort(v.Items[0].Str, fmt.Sprint(v.Items[1].Int))
		default:
			return sa, fmt.Errorf("%w: SysLogHandler address must be a socket path like '/dev/log' or a tuple ('host', port), not %s", ErrBadArgs, describe(v))
		}
	}
	if v, ok := a["facility"]; ok {
		switch {
		case v.Kind == KindInt && v.Int >= 0 && v.Int <= 23:
			sa.facility = v.Int
		case v.Kind == KindString && facilities[strings.ToLower(v.Str)] != 0 || v.Kind == KindString && strings.EqualFold(v.Str, "kern"):
			sa.facility = facilities[strings.ToLower(v.Str)]
		default:
			return sa, fmt.Errorf("%w: SysLogHandler facility must be a name like 'local0' or a number 0-23, not %s", ErrBadArgs, describe(v))
		}
	}
	if v, ok := a["socktype"]; ok && v.Kind != KindNone {
		switch {
		case v.Kind == KindInt && v.Int == 2: // socket.SOCK_DGRAM
		case v.Kind == KindInt && v.Int == 1: // socket.SOCK_STREAM
			if sa.network == "udp" {
				sa.network = "tcp"
			} else {
				sa.network = "unix"
			}
		default:
			return sa, fmt.Errorf("%w: SysLogHandler socktype must be 1 (SOCK_STREAM) or 2 (SOCK_DGRAM), not %s", ErrBadArgs, describe(v))
		}
	}
	return sa, nil
}

func checkSyslog(h *HandlerConfig) error { _, err := syslogArgsOf(h); return err }

func openSyslog(h *HandlerConfig, newEnc EncoderFunc) (Output, error) {
	sa, err := syslogArgsOf(h)
	if err != nil {
		return Output{}, err
	}
	sc := &syslogConn{sa: sa}
	if err := sc.dial(); err != nil {
		return Output{}, err
	}
	enc, err := newEnc(nil)
	if err != nil {
		_ = sc.close()
		return Output{}, err
	}
	return Output{Core: &syslogCore{enc: enc, sc: sc}, Close: sc.close}, nil
}

// syslogCore sends each record as Python's SysLogHandler does:
// "<PRI>message\x00", PRI = facility*8 + severity, one datagram (or one
// write on a stream socket) per record.
type syslogCore struct {
	enc zapcore.Encoder
	sc  *syslogConn // shared by the cores With makes
}

var _ zapcore.Core = (*syslogCore)(nil)

// syslogConn is a SysLogHandler's socket.
type syslogConn struct {
	sa     syslogArgs
	mu     sync.Mutex
	conn   io.WriteCloser // nil after a failed reconnect or Close
	closed bool
}

// dial connects; a socket path is tried as a datagram socket, then as a
// stream socket, as Python does for '/dev/log'. UDP uses an unconnected
// socket and sends each datagram to the address, as Python's sendto does:
// on a connected one, the ICMP "port unreachable" that one datagram
// provokes when no server listens would fail the next write, losing that
// record.
func (sc *syslogConn) dial() error {
	var conn io.WriteCloser
	var err error
	if sc.sa.network == "udp" {
		conn, err = dialUDP(sc.sa.addr)
	} else {
		conn, err = net.Dial(sc.sa.network, sc.sa.addr)
		if err != nil && sc.sa.network == "unixgram" && errors.Is(err, syscall.EPROTOTYPE) {
			conn, err = net.Dial("unix", sc.sa.addr)
		}
	}
	if err != nil {
		return fmt.Errorf("%w: SysLogHandler %s %s: %w", ErrOpen, sc.sa.network, sc.sa.addr, err)
	}
	sc.conn = conn
	return nil
}

// udpSender writes each datagram to one address from an unconnected socket.
type udpSender struct {
	pc *net.UDPConn
	to *net.UDPAddr
}

func dialUDP(addr string) (*udpSender, error) {
	to, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, err
	}
	network := "udp4"
	if to.IP.To4() == nil {
		network = "udp6"
	}
	var local *net.UDPAddr
	if to.IP.IsLoopback() {
		local = &net.UDPAddr{IP: to.IP} // stay on loopback, as the server is
	}
	pc, err := net.ListenUDP(network, local)
	if err != nil {
		return nil, err
	}
	return &udpSender{pc: pc, to: to}, nil
}

func (u *udpSender) Write(p []byte) (int, error) { return u.pc.WriteToUDP(p, u.to) }

func (u *udpSender) Close() error { return u.pc.Close() }

func (sc *syslogConn) close() error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.closed = true
	if sc.conn == nil {
		return nil
	}
	err := sc.conn.Close()
	sc.conn = nil
	return err
}

// send writes one message. On a local (unix) socket a failed write
// reconnects once and retries, as Python does when syslogd restarts.
func (sc *syslogConn) send(msg []byte) error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return errors.New("logcfg: SysLogHandler: write after close")
	}
	var err error
	if sc.conn != nil {
		if _, err = sc.conn.Write(msg); err == nil || !strings.HasPrefix(sc.sa.network, "unix") {
			return err
		}
		_ = sc.conn.Close()
		sc.conn = nil
	}
	if derr := sc.dial(); derr != nil {
		return errors.Join(err, derr)
	}
	_, err = sc.conn.Write(msg)
	return err
}

func (c *syslogCore) Enabled(zapcore.Level) bool { return true }

func (c *syslogCore) With(fields []zapcore.Field) zapcore.Core {
	clone := *c
	clone.enc = c.enc.Clone()
	for _, f := range fields {
		f.AddTo(clone.enc)
	}
	return &clone
}

func (c *syslogCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(ent, c)
}

func (c *syslogCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	text, err := c.enc.EncodeEntry(ent, fields)
	if err != nil {
		return err
	}
	msg := sdPool.Get()
	msg.AppendByte('<')
	msg.AppendInt(c.sc.sa.facility*8 + syslogSeverity(ent.Level))
	msg.AppendByte('>')
	_, _ = msg.Write(bytes.TrimSuffix(text.Bytes(), []byte("\n")))
	msg.AppendByte(0)
	text.Free()
	err = c.sc.send(msg.Bytes())
	msg.Free()
	return err
}

func (c *syslogCore) Sync() error { return nil }

// syslogSeverity maps levels as Python's SysLogHandler.mapPriority.
func syslogSeverity(l zapcore.Level) int64 {
	switch {
	case l <= zapcore.DebugLevel:
		return 7
	case l == zapcore.InfoLevel:
		return 6
	case l == zapcore.WarnLevel:
		return 4
	case l == zapcore.ErrorLevel:
		return 3
	default:
		return 2
	}
}
