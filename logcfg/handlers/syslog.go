package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"

	"go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
)

// facilities are syslog's facilities by Python's names
// (SysLogHandler.facility_names).
var facilities = map[string]int64{
	"auth": 4, "authpriv": 10, "cron": 9, "daemon": 3, "ftp": 11, "kern": 0, "lpr": 6, "mail": 2,
	"news": 7, "security": 4, "syslog": 5, "user": 1, "uucp": 8,
	"local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
}

type syslogArgs struct {
	network, addr string
	facility      int64
}

func syslogArgsOf(a Args) (syslogArgs, error) {
	got, err := syslogSig.bind(a)
	if err != nil {
		return syslogArgs{}, err
	}
	sa := syslogArgs{network: "udp", addr: "localhost:514", facility: 1}
	if v, ok := got["address"]; ok {
		switch {
		case v.Kind == pylit.KindString && v.Str != "":
			sa.network, sa.addr = "unixgram", v.Str
		case v.Kind == pylit.KindTuple && len(v.Items) == 2 && v.Items[0].Kind == pylit.KindString && v.Items[1].Kind == pylit.KindInt &&
			v.Items[1].Int > 0 && v.Items[1].Int < 65536:
			sa.addr = net.JoinHostPort(v.Items[0].Str, fmt.Sprint(v.Items[1].Int))
		default:
			return sa, fmt.Errorf("%w: SysLogHandler address must be a socket path like '/dev/log' or a tuple ('host', port), not %s", ErrBadArgs, pylit.Describe(v))
		}
	}
	if v, ok := got["facility"]; ok {
		f, known := facilities[strings.ToLower(v.Str)]
		switch {
		case v.Kind == pylit.KindInt && v.Int >= 0 && v.Int <= 23:
			sa.facility = v.Int
		case v.Kind == pylit.KindString && known:
			sa.facility = f
		default:
			return sa, fmt.Errorf("%w: SysLogHandler facility must be a name like 'local0' or a number 0-23, not %s", ErrBadArgs, pylit.Describe(v))
		}
	}
	if v, ok := got["socktype"]; ok && v.Kind != pylit.KindNone {
		switch {
		case v.Kind == pylit.KindInt && v.Int == 2: // socket.SOCK_DGRAM
		case v.Kind == pylit.KindInt && v.Int == 1: // socket.SOCK_STREAM
			if sa.network == "udp" {
				sa.network = "tcp"
			} else {
				sa.network = "unix"
			}
		default:
			return sa, fmt.Errorf("%w: SysLogHandler socktype must be 1 (SOCK_STREAM) or 2 (SOCK_DGRAM), not %s", ErrBadArgs, pylit.Describe(v))
		}
	}
	return sa, nil
}

func checkSyslog(a Args) error { _, err := syslogArgsOf(a); return err }

func openSyslog(a Args, newEnc EncoderFunc) (Output, error) {
	sa, err := syslogArgsOf(a)
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
	return Output{Core: NewCore(enc, sc), Close: sc.close}, nil
}

// pool holds the lines and datagrams the sinks build around a record.
var pool = buffer.NewPool()

// syslogConn is a SysLogHandler's sink. It sends each record as Python's
// SysLogHandler does: "<PRI>message\x00", PRI = facility*8 + severity, one
// datagram (or one write on a stream socket) per record.
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

func (sc *syslogConn) WriteRecord(ent zapcore.Entry, text []byte) error {
	msg := pool.Get()
	msg.AppendByte('<')
	msg.AppendInt(sc.sa.facility*8 + syslogSeverity(ent.Level))
	msg.AppendByte('>')
	_, _ = msg.Write(bytes.TrimSuffix(text, []byte("\n")))
	msg.AppendByte(0)
	err := sc.send(msg.Bytes())
	msg.Free()
	return err
}

// Sync does nothing: every record is sent when written.
func (sc *syslogConn) Sync() error { return nil }

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

// syslogSeverity maps levels as Python's SysLogHandler.mapPriority; the
// same numbers are journald's priorities: CRITICAL (and zap's Panic and
// Fatal) 2, ERROR 3, WARNING 4, INFO 6, DEBUG 7.
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
