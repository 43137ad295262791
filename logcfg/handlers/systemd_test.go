//go:build linux

package handlers_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"golang.org/x/sys/unix"

	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/logcfg/handlers"
)

func stream(name string) logcfg.Value { return logcfg.Value{Kind: logcfg.KindStream, Str: name} }

// sdCapture sends the SystemdHandler's streams to files in a temp dir for
// the test and returns their paths.
func sdCapture(t *testing.T) (stdout, stderr string) {
	dir := t.TempDir()
	files := map[string]*os.File{}
	for _, name := range []string{"stdout", "stderr"} {
		f, err := os.Create(filepath.Join(dir, name))
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		files[name] = f
	}
	t.Cleanup(handlers.SetStdStream(func(name string) *os.File { return files[name] }))
	return files["stdout"].Name(), files["stderr"].Name()
}

func TestSystemdHandlerCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []logcfg.Value
		kwargs map[string]logcfg.Value
		want   string // "" for valid
	}{
		{name: "default", want: ""},
		{name: "stdout", args: []logcfg.Value{stream("stdout")}},
		{name: "stderr", args: []logcfg.Value{stream("stderr")}},
		{name: "kwarg", kwargs: map[string]logcfg.Value{"stream": stream("stdout")}},
		{name: "string", args: []logcfg.Value{{Kind: logcfg.KindString, Str: "out.log"}}, want: `stream must be sys.stdout or sys.stderr, not the string "out.log"`},
		{name: "none is the default", args: []logcfg.Value{{Kind: logcfg.KindNone}}}, // as StreamHandler(None)
		{name: "stdin", args: []logcfg.Value{stream("stdin")}, want: `stream must be sys.stdout or sys.stderr, not sys.stdin`},
		{name: "extra", args: []logcfg.Value{stream("stdout"), {Kind: logcfg.KindInt, Int: 1}}, want: "takes at most 1 arguments [stream], got 2"},
		{name: "kwarg type", kwargs: map[string]logcfg.Value{"stream": {Kind: logcfg.KindInt, Int: 2}}, want: "stream must be sys.stdout or sys.stderr, not the number 2"},
		{name: "unknown kwarg", kwargs: map[string]logcfg.Value{"mode": {Kind: logcfg.KindString, Str: "a"}}, want: `has no argument "mode"`},
		{name: "twice", args: []logcfg.Value{stream("stdout")}, kwargs: map[string]logcfg.Value{"stream": stream("stderr")}, want: "got stream twice, in args and kwargs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &logcfg.HandlerConfig{Key: "sd", Class: "SystemdHandler", Args: tc.args, Kwargs: tc.kwargs}
			class, err := logcfg.NewRegistry().HandlerClass("livelog.SystemdHandler")
			require.NoError(t, err)
			err = class.Check(h)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, logcfg.ErrBadArgs)
			assert.Contains(t, err.Error(), tc.want)
			// Open refuses what Check refuses, before building anything.
			var outs []*os.File
			_, err = class.Open(h, consoleEncoder(&outs))
			assert.ErrorIs(t, err, logcfg.ErrBadArgs)
			assert.Empty(t, outs)
		})
	}
}

func TestSystemdHandlerOutput(t *testing.T) {
	stdoutPath, stderrPath := sdCapture(t)
	class, err := logcfg.NewRegistry().HandlerClass("SystemdHandler")
	require.NoError(t, err)

	var outs []*os.File
	out, err := class.Open(&logcfg.HandlerConfig{Key: "sd", Args: []logcfg.Value{stream("stdout")}}, consoleEncoder(&outs))
	require.NoError(t, err)
	assert.Equal(t, []*os.File{nil}, outs, "the encoder is built for no file, so colour stays off")
	assert.Nil(t, out.Close)
	assert.True(t, out.Core.Enabled(zapcore.DebugLevel))

	core := out.Core.With([]zapcore.Field{zap.String("req", "r1")})
	entry := func(l zapcore.Level, msg, stack string) zapcore.Entry {
		return zapcore.Entry{Level: l, LoggerName: "app.db", Message: msg, Stack: stack}
	}
	stack := "goroutine 1 [running]:\nmain.main()\n\t/src/main.go:12 +0x1d"
	for _, w := range []struct {
		ent    zapcore.Entry
		fields []zapcore.Field
	}{
		{entry(zapcore.DebugLevel, "debugging", ""), nil},
		{entry(zapcore.InfoLevel, "serving", ""), []zapcore.Field{zap.Int("port", 8080)}},
		{entry(zapcore.WarnLevel, "slow\nquery", ""), nil},
		{entry(zapcore.ErrorLevel, "failed", stack), nil},
		{entry(logcfg.Critical, "lost the disk\n", ""), nil},
		{entry(zapcore.FatalLevel, "fatal is critical too", ""), nil},
	} {
		ce := core.Check(w.ent, nil)
		require.NotNil(t, ce)
		ce.Write(w.fields...)
	}
	require.NoError(t, out.Core.Sync())

	want := `<7>DEBUG app.db debugging {"req": "r1"}` + "\n" +
		`<6>INFO app.db serving {"req": "r1", "port": 8080}` + "\n" +
		`<4>WARNING app.db slow\nquery {"req": "r1"}` + "\n" +
		`<3>ERROR app.db failed {"req": "r1"}\ngoroutine 1 [running]:\nmain.main()\n` + "\t" + `/src/main.go:12 +0x1d` + "\n" +
		`<2>CRITICAL app.db lost the disk\n {"req": "r1"}` + "\n" +
		`<2>CRITICAL app.db fatal is critical too {"req": "r1"}` + "\n"
	got, err := os.ReadFile(stdoutPath)
	require.NoError(t, err)
	assert.Equal(t, want, string(got))
	got, err = os.ReadFile(stderrPath)
	require.NoError(t, err)
	assert.Empty(t, got, "args=(sys.stdout,) writes nothing to stderr")
}

func TestSystemdHandlerDefaultsToStderr(t *testing.T) {
	stdoutPath, stderrPath := sdCapture(t)
	class, err := logcfg.NewRegistry().HandlerClass("logging.SystemdHandler")
	require.NoError(t, err)
	var outs []*os.File
	out, err := class.Open(&logcfg.HandlerConfig{Key: "sd"}, consoleEncoder(&outs))
	require.NoError(t, err)
	zap.New(out.Core).Named("x").Info("to stderr")
	got, err := os.ReadFile(stderrPath)
	require.NoError(t, err)
	assert.Equal(t, "<6>INFO x to stderr\n", string(got))
	got, err = os.ReadFile(stdoutPath)
	require.NoError(t, err)
	assert.Empty(t, got)
}

// A real stack trace taken by zap stays one line, and so one journal entry.
func TestSystemdHandlerRealStackTrace(t *testing.T) {
	stdoutPath, _ := sdCapture(t)
	class, err := logcfg.NewRegistry().HandlerClass("SystemdHandler")
	require.NoError(t, err)
	var outs []*os.File
	out, err := class.Open(&logcfg.HandlerConfig{Key: "sd", Kwargs: map[string]logcfg.Value{"stream": stream("stdout")}}, consoleEncoder(&outs))
	require.NoError(t, err)
	log := zap.New(out.Core, zap.AddStacktrace(zapcore.ErrorLevel))
	log.Error("first\nsecond")
	log.Info("after")

	got, err := os.ReadFile(stdoutPath)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(got), "\n")
	require.Len(t, lines, 3, "two records, two lines (and the empty rest): %q", got)
	assert.Equal(t, "", lines[2])
	assert.True(t, strings.HasPrefix(lines[0], `<3>ERROR first\nsecond\n`), lines[0])
	assert.Contains(t, lines[0], `handlers_test.TestSystemdHandlerRealStackTrace\n`)
	assert.Greater(t, strings.Count(lines[0], `\n`), 3, "the stack's lines are escaped in place")
	assert.Equal(t, "<6>INFO after\n", lines[1])
}

func TestAppendOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"":           "\n",
		"\n":         "\n",
		"a":          "a\n",
		"a\n":        "a\n",
		"a\nb\n":     `a\nb` + "\n",
		"a\n\n":      `a\n` + "\n",
		"\n\nx":      `\n\nx` + "\n",
		"a\r\nb":     `a\r\nb` + "\n",
		"nul\x00x":   `nul\0x` + "\n",
		`keep \n as`: `keep \n as` + "\n",
	} {
		b := handlers.GetBuffer()
		handlers.AppendOneLine(b, []byte(in))
		assert.Equal(t, want, b.String(), "%q", in)
		b.Free()
	}
}

func TestSdPriority(t *testing.T) {
	for l, want := range map[zapcore.Level]int{
		logcfg.NotSet: 7, zapcore.DebugLevel: 7, zapcore.InfoLevel: 6, zapcore.WarnLevel: 4,
		zapcore.ErrorLevel: 3, logcfg.Critical: 2, zapcore.PanicLevel: 2, zapcore.FatalLevel: 2,
	} {
		assert.Equal(t, want, int(handlers.Severity(l)), logcfg.LevelName(l))
	}
}

// ---- JournalHandler ----

// parseNative reads a datagram of journald's native protocol into fields
// (a field may repeat). It follows systemd's journal-native protocol
// description, independently of the encoder under test.
func parseNative(t *testing.T, b []byte) map[string][]string {
	t.Helper()
	fields := map[string][]string{}
	for len(b) > 0 {
		nl := bytes.IndexByte(b, '\n')
		require.GreaterOrEqual(t, nl, 0, "field without newline: %q", b)
		line := b[:nl]
		if eq := bytes.IndexByte(line, '='); eq >= 0 {
			fields[string(line[:eq])] = append(fields[string(line[:eq])], string(line[eq+1:]))
			b = b[nl+1:]
			continue
		}
		name := string(line)
		b = b[nl+1:]
		require.GreaterOrEqual(t, len(b), 8, "binary field %s without length", name)
		n := binary.LittleEndian.Uint64(b[:8])
		b = b[8:]
		require.GreaterOrEqual(t, uint64(len(b)), n+1, "binary field %s shorter than %d", name, n)
		require.Equal(t, byte('\n'), b[n], "binary field %s not ended by a newline", name)
		fields[name] = append(fields[name], string(b[:n]))
		b = b[n+1:]
	}
	return fields
}

// journalListen makes a real unixgram socket standing in for journald and
// points JournalHandler at it.
func journalListen(t *testing.T) (*net.UnixConn, string) {
	path := filepath.Join(t.TempDir(), "journal.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	t.Cleanup(handlers.SetJournalSocket(path))
	return conn, path
}

// journalRead receives one record (a datagram or a passed memfd).
func journalRead(t *testing.T, conn *net.UnixConn) (map[string][]string, bool) {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	buf := make([]byte, 1<<20)
	oob := make([]byte, unix.CmsgSpace(4))
	n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
	require.NoError(t, err)
	if oobn == 0 {
		return parseNative(t, buf[:n]), false
	}
	require.Zero(t, n, "a passed fd comes in an empty datagram")
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	fds, err := unix.ParseUnixRights(&msgs[0])
	require.NoError(t, err)
	require.Len(t, fds, 1)
	f := os.NewFile(uintptr(fds[0]), "memfd")
	defer f.Close()
	seals, err := unix.FcntlInt(f.Fd(), unix.F_GET_SEALS, 0)
	require.NoError(t, err)
	want := unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE | unix.F_SEAL_SEAL
	assert.Equal(t, want, seals&want, "journald refuses unsealed memfds from non-root senders")
	st, err := f.Stat()
	require.NoError(t, err)
	data := make([]byte, st.Size())
	_, err = f.ReadAt(data, 0)
	require.NoError(t, err)
	return parseNative(t, data), true
}

type sdUser struct {
	ID   int
	Name string
}

func (u sdUser) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddInt("id", u.ID)
	enc.AddString("name", u.Name)
	return nil
}

func TestJournalHandlerFields(t *testing.T) {
	sock, _ := journalListen(t)
	class, err := logcfg.NewRegistry().HandlerClass("livelog.JournalHandler")
	require.NoError(t, err)
	var outs []*os.File
	h := &logcfg.HandlerConfig{Key: "j", Args: []logcfg.Value{}, Kwargs: map[string]logcfg.Value{
		"UNIT_ROLE": {Kind: logcfg.KindString, Str: "api"},
		"SHARD":     {Kind: logcfg.KindInt, Int: 3},
	}}
	out, err := class.Open(h, consoleEncoder(&outs))
	require.NoError(t, err)
	require.NotNil(t, out.Close)
	defer out.Close()
	assert.Equal(t, []*os.File{nil}, outs)

	log := zap.New(out.Core, zap.AddCaller()).Named("app.db").
		With(zap.String("request-id", "r1"), zap.Namespace("req"), zap.Bool("retry", true))
	_, file, line, _ := runtime.Caller(0)
	log.Warn("slow\nquery",
		zap.Int("user.id", 7),
		zap.String("sql", "SELECT 1\nFROM t"),
		zap.Object("who", sdUser{ID: 9, Name: "ann"}),
		zap.Strings("tags", []string{"a", "b"}),
		zap.Binary("raw", []byte{0, 1, '\n', 0xff}),
		zap.Error(errors.New("boom")),
		zap.Duration("took", 1500*time.Millisecond),
		zap.Float64("ratio", 0.25),
		zap.Uint8("small", 200),
	)
	got, viaFD := journalRead(t, sock)
	assert.False(t, viaFD)
	want := map[string][]string{
		"MESSAGE":           {"WARNING app.db slow\nquery"},
		"PRIORITY":          {"4"},
		"LOGGER":            {"app.db"},
		"SYSLOG_IDENTIFIER": {filepath.Base(os.Args[0])},
		"UNIT_ROLE":         {"api"},
		"SHARD":             {"3"},
		"CODE_FILE":         {file},
		"CODE_LINE":         {strconv.Itoa(line + 1)},
		"CODE_FUNC":         {"github.com/livelog/livelog/logcfg/handlers_test.TestJournalHandlerFields"},
		"REQUEST_ID":        {"r1"},
		"REQ_RETRY":         {"true"},
		"REQ_USER_ID":       {"7"},
		"REQ_SQL":           {"SELECT 1\nFROM t"},
		"REQ_WHO_ID":        {"9"},
		"REQ_WHO_NAME":      {"ann"},
		"REQ_TAGS":          {`["a","b"]`},
		"REQ_RAW":           {"\x00\x01\n\xff"},
		"REQ_ERROR":         {"boom"},
		"REQ_TOOK":          {"1.5s"},
		"REQ_RATIO":         {"0.25"},
		"REQ_SMALL":         {"200"},
	}
	assert.Equal(t, want, got)
}

func TestJournalFieldNames(t *testing.T) {
	sock, _ := journalListen(t)
	class, err := logcfg.NewRegistry().HandlerClass("systemd.journal.JournalHandler") // systemd-python's name
	require.NoError(t, err)
	var outs []*os.File
	out, err := class.Open(&logcfg.HandlerConfig{Key: "j", Kwargs: map[string]logcfg.Value{
		"SYSLOG_IDENTIFIER": {Kind: logcfg.KindString, Str: "billing"},
	}}, consoleEncoder(&outs))
	require.NoError(t, err)
	defer out.Close()

	long := strings.Repeat("x", 80)
	zap.New(out.Core).Info("m",
		zap.String("message", "not the message"),
		zap.String("Priority", "not the priority"),
		zap.String("_PID", "not trusted"),
		zap.String("3d", "digit first"),
		zap.String("", "empty"),
		zap.String("héllo wörld", "utf8"),
		zap.String(long, "long"),
		zap.String("code_func", "reserved"),
	)
	got, _ := journalRead(t, sock)
	assert.Equal(t, []string{"billing"}, got["SYSLOG_IDENTIFIER"], "a kwarg replaces the program name")
	assert.Equal(t, []string{"INFO m"}, got["MESSAGE"])
	assert.Equal(t, []string{"6"}, got["PRIORITY"])
	assert.Equal(t, []string{"not the message"}, got["FIELD_MESSAGE"])
	assert.Equal(t, []string{"not the priority"}, got["FIELD_PRIORITY"])
	assert.Equal(t, []string{"not trusted"}, got["PID"])
	assert.Equal(t, []string{"digit first"}, got["FIELD_3D"])
	assert.Equal(t, []string{"empty"}, got["FIELD"])
	assert.Equal(t, []string{"utf8"}, got["H__LLO_W__RLD"])
	assert.Equal(t, []string{"long"}, got[strings.Repeat("X", 64)])
	assert.Equal(t, []string{"reserved"}, got["FIELD_CODE_FUNC"])
	assert.NotContains(t, got, "LOGGER", "an unnamed logger sends no LOGGER")
	assert.NotContains(t, got, "CODE_FILE", "no caller without zap.AddCaller")
	for name := range got {
		assert.NoError(t, handlers.JournalCheckName(name), name)
	}
}

func TestJournalHandlerLargeRecord(t *testing.T) {
	sock, _ := journalListen(t)
	class, err := logcfg.NewRegistry().HandlerClass("JournalHandler")
	require.NoError(t, err)
	var outs []*os.File
	out, err := class.Open(&logcfg.HandlerConfig{Key: "j"}, consoleEncoder(&outs))
	require.NoError(t, err)
	defer out.Close()

	big := strings.Repeat("0123456789abcdef", 1<<15) // 512 KiB: more than one datagram holds
	zap.New(out.Core).Error(big, zap.String("tail", "end"))
	got, viaFD := journalRead(t, sock)
	assert.True(t, viaFD, "a record too big for a datagram is passed as a memfd")
	assert.Equal(t, []string{"ERROR " + big}, got["MESSAGE"])
	assert.Equal(t, []string{"end"}, got["TAIL"])
	assert.Equal(t, []string{"3"}, got["PRIORITY"])
}

func TestJournalHandlerReconnects(t *testing.T) {
	sock, path := journalListen(t)
	class, err := logcfg.NewRegistry().HandlerClass("JournalHandler")
	require.NoError(t, err)
	var outs []*os.File
	out, err := class.Open(&logcfg.HandlerConfig{Key: "j"}, consoleEncoder(&outs))
	require.NoError(t, err)
	log := zap.New(out.Core)
	log.Info("one")
	got, _ := journalRead(t, sock)
	assert.Equal(t, []string{"INFO one"}, got["MESSAGE"])

	// journald restarts: a new socket at the same path.
	require.NoError(t, sock.Close())
	require.NoError(t, os.Remove(path))
	sock2, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	require.NoError(t, err)
	defer sock2.Close()
	log.Info("two")
	got, _ = journalRead(t, sock2)
	assert.Equal(t, []string{"INFO two"}, got["MESSAGE"])

	require.NoError(t, out.Close())
	err = out.Core.Write(zapcore.Entry{Message: "three"}, nil)
	assert.ErrorContains(t, err, "closed")
}

func TestJournalHandlerNoJournal(t *testing.T) {
	defer handlers.SetJournalSocket(filepath.Join(t.TempDir(), "no-journal.sock"))()

	class, err := logcfg.NewRegistry().HandlerClass("JournalHandler")
	require.NoError(t, err)
	h := &logcfg.HandlerConfig{Key: "j"}
	require.NoError(t, class.Check(h), "Check has no side effects: it passes where no journal runs")
	var outs []*os.File
	_, err = class.Open(h, consoleEncoder(&outs))
	require.Error(t, err)
	assert.ErrorIs(t, err, logcfg.ErrOpen)
	assert.ErrorIs(t, err, syscall.ENOENT)
	assert.Contains(t, err.Error(), "JournalHandler: no journal at "+handlers.JournalSocket())
	assert.Empty(t, outs, "nothing is built when the journal is missing")
}

func TestJournalHandlerCheck(t *testing.T) {
	str := func(s string) logcfg.Value { return logcfg.Value{Kind: logcfg.KindString, Str: s} }
	for _, tc := range []struct {
		name   string
		args   []logcfg.Value
		kwargs map[string]logcfg.Value
		want   string
	}{
		{name: "none"},
		{name: "fields", kwargs: map[string]logcfg.Value{"SYSLOG_IDENTIFIER": str("x"), "A1_B": {Kind: logcfg.KindFloat, Float: 1.5}, "ON": {Kind: logcfg.KindBool, Bool: true}}},
		{name: "args", args: []logcfg.Value{{Kind: logcfg.KindInt, Int: 10}}, want: "takes no positional arguments, got 1"},
		{name: "lower", kwargs: map[string]logcfg.Value{"role": str("x")}, want: `kwargs "role": invalid character 'r'`},
		{name: "dash", kwargs: map[string]logcfg.Value{"A-B": str("x")}, want: `kwargs "A-B": invalid character '-'`},
		{name: "underscore", kwargs: map[string]logcfg.Value{"_PID": str("1")}, want: `kwargs "_PID": a field name must start with a letter`},
		{name: "digit", kwargs: map[string]logcfg.Value{"1A": str("1")}, want: `kwargs "1A": a field name must start with a letter`},
		{name: "long", kwargs: map[string]logcfg.Value{strings.Repeat("A", 65): str("1")}, want: "longer than 64"},
		{name: "message", kwargs: map[string]logcfg.Value{"MESSAGE": str("x")}, want: `kwargs "MESSAGE": set by the handler`},
		{name: "logger", kwargs: map[string]logcfg.Value{"LOGGER": str("x")}, want: `kwargs "LOGGER": set by the handler`},
		{name: "tuple", kwargs: map[string]logcfg.Value{"T": {Kind: logcfg.KindTuple}}, want: `kwargs "T": want a string or number, got a tuple`},
		{name: "stream", kwargs: map[string]logcfg.Value{"S": stream("stdout")}, want: `kwargs "S": want a string or number, got sys.stdout`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			class, err := logcfg.NewRegistry().HandlerClass("JournalHandler")
			require.NoError(t, err)
			err = class.Check(&logcfg.HandlerConfig{Key: "j", Args: tc.args, Kwargs: tc.kwargs})
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, logcfg.ErrBadArgs)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// From an INI config through a running logcfg.Tree: the formatter renders (colour
// off, since the handler writes to no terminal), the handler prefixes and
// escapes.
func TestSystemdHandlerFromConfig(t *testing.T) {
	stdoutPath, stderrPath := sdCapture(t)
	t.Setenv("FORCE_COLOR", "")
	t.Setenv("NO_COLOR", "")
	cfg, err := logcfg.Parse(strings.NewReader(`
[loggers]
keys=root

[handlers]
keys=journal,oneline

[formatters]
keys=color,escaped

[logger_root]
level=DEBUG
handlers=journal,oneline

[handler_journal]
class=livelog.SystemdHandler
args=(sys.stdout,)
formatter=color

[handler_oneline]
class=SystemdHandler
kwargs={'stream': 'ext://sys.stderr'}
level=ERROR
formatter=escaped

[formatter_color]
class=ColorFormatter
format=$COLOR%(levelname)s$RESET %(name)s: %(message)s

[formatter_escaped]
format=%(levelname)s %(message)s
oneline=true
`), "systemd.conf")
	require.NoError(t, err)
	tree, err := logcfg.NewTree(cfg)
	require.NoError(t, err)
	log := tree.Logger("app.db")
	log.Debug("connecting", zap.String("host", "db1"))
	log.Info("two\nlines")
	log.Error(`C:\path` + "\nfailed")
	log.DPanic("disk gone")
	require.NoError(t, tree.Close())

	got, err := os.ReadFile(stdoutPath)
	require.NoError(t, err)
	assert.Equal(t, "<7>DEBUG app.db: connecting host=db1\n"+
		"<6>INFO app.db: two\\nlines\n"+
		"<3>ERROR app.db: C:\\path\\nfailed\n"+
		"<2>CRITICAL app.db: disk gone\n", string(got))
	got, err = os.ReadFile(stderrPath)
	require.NoError(t, err)
	assert.Equal(t, "<3>ERROR C:\\\\path\\nfailed\n"+
		"<2>CRITICAL disk gone\n", string(got), "a oneline formatter escapes (backslashes too); the handler adds nothing")
}

func TestSystemdHandlerConfigErrors(t *testing.T) {
	_, err := logcfg.Parse(strings.NewReader(`
[loggers]
keys=root

[handlers]
keys=journal

[formatters]
keys=

[logger_root]
handlers=journal

[handler_journal]
class=SystemdHandler
args=('out.log',)
`), "bad.conf")
	require.Error(t, err)
	assert.ErrorIs(t, err, logcfg.ErrBadArgs)
	assert.Contains(t, err.Error(), "bad.conf")
	assert.Contains(t, err.Error(), "[handler_journal]")
	assert.Contains(t, err.Error(), `SystemdHandler stream must be sys.stdout or sys.stderr, not the string "out.log"`)
}

const journalConf = `
[loggers]
keys=root

[handlers]
keys=journal

[formatters]
keys=

[logger_root]
level=INFO
handlers=journal

[handler_journal]
class=systemd.journal.JournalHandler
args=()
kwargs={'SYSLOG_IDENTIFIER': 'billing'}
`

// A config with a JournalHandler parses anywhere and runs where a journal
// listens.
func TestJournalHandlerFromConfig(t *testing.T) {
	cfg, err := logcfg.Parse(strings.NewReader(journalConf), "journal.conf")
	require.NoError(t, err, "parsing has no side effects: no journal needed")

	restore := handlers.SetJournalSocket(filepath.Join(t.TempDir(), "missing.sock"))
	_, err = logcfg.NewTree(cfg)
	restore()
	require.Error(t, err)
	assert.ErrorIs(t, err, logcfg.ErrOpen)
	assert.Regexp(t, `^logcfg: journal.conf:\d+: \[handler_journal\] cannot open handler: JournalHandler: no journal at .*missing.sock \(runs only where systemd-journald does\): connect: no such file or directory$`, err.Error())

	sock, _ := journalListen(t)
	tree, err := logcfg.NewTree(cfg)
	require.NoError(t, err)
	defer tree.Close()
	tree.Logger("billing.invoice").Warn("late\npayment", zap.Int("invoice", 42))
	got, _ := journalRead(t, sock)
	assert.Equal(t, []string{"late\npayment"}, got["MESSAGE"], "Python's default format is %(message)s")
	assert.Equal(t, []string{"4"}, got["PRIORITY"])
	assert.Equal(t, []string{"billing.invoice"}, got["LOGGER"])
	assert.Equal(t, []string{"billing"}, got["SYSLOG_IDENTIFIER"])
	assert.Equal(t, []string{"42"}, got["INVOICE"])
}
