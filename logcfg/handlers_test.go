package logcfg

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
)

// oneHandlerINI is a config whose root (DEBUG) has one handler with the
// given class, args and kwargs and the format "%(levelname)s %(message)s".
func oneHandlerINI(class, args, kwargs string) string {
	return fmt.Sprintf(`[loggers]
keys=root
[handlers]
keys=h
[formatters]
keys=f
[logger_root]
level=DEBUG
handlers=h
[handler_h]
class=%s
formatter=f
args=%s
kwargs=%s
[formatter_f]
format=%%(levelname)s %%(message)s
`, class, args, kwargs)
}

func TestHandlerArgumentsCheckedAtParse(t *testing.T) {
	cases := []struct{ class, args, kwargs, want string }{
		{"StreamHandler", "('x',)", "{}", `stream must be sys.stdout or sys.stderr, not the string "x"`},
		{"StreamHandler", "(sys.stdout, 1)", "{}", "StreamHandler takes at most 1 arguments"},
		{"StreamHandler", "()", "{'strm': sys.stdout}", `StreamHandler has no argument "strm"`},
		{"FileHandler", "()", "{}", "FileHandler needs filename"},
		{"FileHandler", "(1,)", "{}", "filename must be a non-empty string, not the number 1"},
		{"FileHandler", "('a.log', 'r')", "{}", `mode must be 'a' or 'w', not the string "r"`},
		{"FileHandler", "('a.log',)", "{'encoding': 'latin-1'}", "encoding must be 'utf-8'"},
		{"FileHandler", "('a.log',)", "{'filename': 'b.log'}", "got filename twice"},
		{"RotatingFileHandler", "('a.log', 'a', -1)", "{}", "maxBytes must be a whole number >= 0, not the number -1"},
		{"RotatingFileHandler", "('a.log',)", "{'backupCount': 'x'}", "backupCount must be a whole number"},
		{"RotatingFileHandler", "('a.log',)", "{'maxbytes': 10}", `has no argument "maxbytes" (did you mean "maxBytes"?)`},
		{"handlers.WatchedFileHandler", "('a.log',)", "{'delay': 'no'}", "delay must be True or False"},
		{"NullHandler", "(1,)", "{}", "NullHandler takes at most 0 arguments"},
		{"handlers.SysLogHandler", "(('localhost', 'x'),)", "{}", "address must be a socket path like '/dev/log' or a tuple ('host', port)"},
		{"handlers.SysLogHandler", "(('localhost', 70000),)", "{}", "address must be"},
		{"handlers.SysLogHandler", "()", "{'facility': 'local9'}", "facility must be a name like 'local0' or a number 0-23"},
		{"handlers.SysLogHandler", "()", "{'socktype': 3}", "socktype must be 1 (SOCK_STREAM) or 2 (SOCK_DGRAM)"},
	}
	for _, tc := range cases {
		t.Run(tc.class+tc.args+tc.kwargs, func(t *testing.T) {
			_, err := Parse(strings.NewReader(oneHandlerINI(tc.class, tc.args, tc.kwargs)), "h.ini")
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrBadArgs), "%v", err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "h.ini:")
			assert.Contains(t, err.Error(), "[handler_h]")
		})
	}
}

func TestUnsupportedClassesFailAtParse(t *testing.T) {
	for _, class := range []string{"handlers.TimedRotatingFileHandler", "logging.handlers.SMTPHandler", "handlers.MemoryHandler",
		"handlers.HTTPHandler", "handlers.SocketHandler", "handlers.QueueHandler"} {
		_, err := Parse(strings.NewReader(oneHandlerINI(class, "()", "{}")), "h.ini")
		require.Error(t, err, class)
		assert.True(t, errors.Is(err, ErrUnknownClass), "%v", err)
		assert.Contains(t, err.Error(), "not supported by livelog")
		assert.Contains(t, err.Error(), className(class))
	}
}

func TestStreamHandlerToStdout(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	saved := os.Stdout
	os.Stdout = w // the handler takes os.Stdout when it opens
	tree, err := NewTree(mustParse(t, oneHandlerINI("StreamHandler", "(sys.stdout,)", "{}")))
	os.Stdout = saved
	require.NoError(t, err)
	tree.Logger("app").DPanic("critical, no panic, no sync error")
	require.NoError(t, tree.Close())
	require.NoError(t, w.Close())
	buf := make([]byte, 256)
	n, _ := r.Read(buf)
	assert.Equal(t, "CRITICAL critical, no panic, no sync error\n", string(buf[:n]))
	assert.Empty(t, tree.HandlerErrors())
}

func TestFileHandlerModes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.log")
	require.NoError(t, os.WriteFile(path, []byte("old\n"), 0o600))
	tree := newTestTree(t, oneHandlerINI("FileHandler", fmt.Sprintf("(%q,)", path), "{'encoding': 'utf-8', 'delay': True}"))
	tree.Logger("app").Info("appended")
	assert.Equal(t, []string{"old", "INFO appended"}, fileLines(t, path))

	_, err := tree.Apply(mustParse(t, oneHandlerINI("FileHandler", fmt.Sprintf("(%q, 'w')", path), "{}")), Full)
	require.NoError(t, err)
	tree.Logger("app").Info("fresh")
	assert.Equal(t, []string{"INFO fresh"}, fileLines(t, path), "mode 'w' truncates")
}

func TestRotatingFileHandlerRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.log")
	// "INFO line NN\n" is 13 bytes: 7 fit below 100 bytes, as Python
	// rotates before a record that would bring the file to maxBytes.
	tree := newTestTree(t, oneHandlerINI("handlers.RotatingFileHandler", fmt.Sprintf("(%q, 'a', 100, 2)", path), "{}"))
	log := tree.Logger("app")
	for i := range 30 {
		log.Info(fmt.Sprintf("line %02d", i))
	}
	require.NoError(t, tree.Sync())
	lines := func(name string) []string { return fileLines(t, filepath.Join(dir, name)) }
	want := func(from, to int) []string {
		var out []string
		for i := from; i < to; i++ {
			out = append(out, fmt.Sprintf("INFO line %02d", i))
		}
		return out
	}
	assert.Equal(t, want(28, 30), lines("r.log"))
	assert.Equal(t, want(21, 28), lines("r.log.1"))
	assert.Equal(t, want(14, 21), lines("r.log.2"))
	assert.NoFileExists(t, filepath.Join(dir, "r.log.3"), "backupCount=2 keeps two backups")
	for _, name := range []string{"r.log", "r.log.1", "r.log.2"} {
		st, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err)
		assert.Less(t, st.Size(), int64(100), name)
	}
}

func TestRotatingFileHandlerWithoutBackupsNeverRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.log")
	tree := newTestTree(t, oneHandlerINI("RotatingFileHandler", fmt.Sprintf("(%q,)", path), "{'maxBytes': 20}"))
	for range 5 {
		tree.Logger("app").Info("0123456789")
	}
	assert.Len(t, fileLines(t, path), 5)
	assert.NoFileExists(t, path+".1")
}

func TestWatchedFileHandlerReopens(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.log")
	tree := newTestTree(t, oneHandlerINI("WatchedFileHandler", fmt.Sprintf("(%q,)", path), "{}"))
	log := tree.Logger("app")
	log.Info("before rotation")
	require.NoError(t, os.Rename(path, path+".1")) // what logrotate does
	log.Info("after rotation")
	require.NoError(t, os.Remove(path)) // and a plain delete
	log.Info("after removal")
	assert.Equal(t, []string{"INFO before rotation"}, fileLines(t, path+".1"))
	assert.Equal(t, []string{"INFO after removal"}, fileLines(t, path))
	assert.Empty(t, tree.HandlerErrors())

	// A plain FileHandler keeps writing to the moved file, as in Python.
	plain := filepath.Join(dir, "p.log")
	_, err := tree.Apply(mustParse(t, oneHandlerINI("FileHandler", fmt.Sprintf("(%q,)", plain), "{}")), Full)
	require.NoError(t, err)
	require.NoError(t, os.Rename(plain, plain+".1"))
	log.Info("into the moved file")
	assert.Equal(t, []string{"INFO into the moved file"}, fileLines(t, plain+".1"))
	assert.NoFileExists(t, plain)
}

func TestSysLogHandlerUDP(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer pc.Close()
	port := pc.LocalAddr().(*net.UDPAddr).Port
	tree := newTestTree(t, oneHandlerINI("handlers.SysLogHandler", fmt.Sprintf("(('127.0.0.1', %d),)", port), "{'facility': 'local0'}"))
	log := tree.Logger("app").With(zap.String("k", "v"))
	log.Info("hello")
	log.Error("broken")
	log.DPanic("critical")
	buf := make([]byte, 512)
	var got []string
	for range 3 {
		require.NoError(t, pc.SetReadDeadline(time.Now().Add(5*time.Second)))
		n, _, err := pc.ReadFrom(buf)
		require.NoError(t, err)
		got = append(got, string(buf[:n]))
	}
	// local0 is 16: PRI = 16*8 + severity (INFO 6, ERROR 3, CRITICAL 2).
	assert.Equal(t, []string{"<134>INFO hello k=v\x00", "<131>ERROR broken k=v\x00", "<130>CRITICAL critical k=v\x00"}, got)
}

func TestSysLogHandlerUnixSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "log.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	require.NoError(t, err)
	tree := newTestTree(t, oneHandlerINI("SysLogHandler", fmt.Sprintf("(%q,)", sock), "{'facility': 3}"))
	tree.Logger("app").Warn("to the daemon")
	buf := make([]byte, 512)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	n, err := conn.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "<28>WARNING to the daemon\x00", string(buf[:n]), "daemon is 3: 3*8 + 4")

	// The daemon restarts: the handler reconnects on the next record.
	require.NoError(t, conn.Close())
	require.NoError(t, os.Remove(sock))
	conn, err = net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	require.NoError(t, err)
	defer conn.Close()
	tree.Logger("app").Warn("again")
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	n, err = conn.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "<28>WARNING again\x00", string(buf[:n]))
}

func TestSysLogHandlerOpenFailsAtApply(t *testing.T) {
	_, err := NewTree(mustParse(t, oneHandlerINI("SysLogHandler", fmt.Sprintf("(%q,)", filepath.Join(t.TempDir(), "none.sock")), "{}")))
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrOpen), "%v", err)
	assert.Contains(t, err.Error(), "none.sock")
}
