package logcfg

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

// runPython runs pythonLogs on the INI text with dir as %(dir)s, sending
// it the records "name LEVEL message".
func runPython(t *testing.T, ini, dir string, records []string) {
	t.Helper()
	py := needPython(t)
	path := filepath.Join(t.TempDir(), "py.ini")
	require.NoError(t, os.WriteFile(path, []byte(ini), 0o600))
	cmd := exec.Command(py, "-c", pythonLogs, path, dir)
	cmd.Stdin = strings.NewReader(strings.Join(records, "\n") + "\n")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "python3: %s", out)
}

// logRecords sends records "name LEVEL message" through a tree.
func logRecords(t *testing.T, tree *Tree, records []string) {
	t.Helper()
	for _, r := range records {
		f := strings.Fields(r)
		require.Len(t, f, 3, r)
		l, err := ParseLevel(f[1])
		require.NoError(t, err)
		tree.Logger(f[0]).Log(l, f[2])
	}
}

// treeFromINI runs the INI text with %(dir)s set to dir.
func treeFromINI(t *testing.T, ini, dir string) *Tree {
	t.Helper()
	cfg, err := Parse(strings.NewReader(ini), "live.ini", WithDefaults(map[string]string{"dir": dir}))
	require.NoError(t, err)
	tree, err := NewTree(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, tree.Close()) })
	return tree
}

// TestLiveRotationMatchesPython: RotatingFileHandler(maxBytes=200,
// backupCount=2) makes exactly the files, with exactly the contents,
// that CPython's makes from the same records.
func TestLiveRotationMatchesPython(t *testing.T) {
	ini := newINI().logger("root", "DEBUG", "rot", true).
		handler("rot", "handlers.RotatingFileHandler", "", "f", "('%(dir)s/app.log', 'a', 200, 2)").
		formatter("f", "%(message)s").String()
	var records []string
	for i := range 40 {
		records = append(records, fmt.Sprintf("app INFO line-%02d-%s", i, strings.Repeat("x", 5+i*7%43)))
	}
	pyDir, goDir := t.TempDir(), t.TempDir()
	runPython(t, ini, pyDir, records)
	tree := treeFromINI(t, ini, goDir)
	logRecords(t, tree, records)
	require.NoError(t, tree.Sync())

	want := dirFiles(t, pyDir)
	assert.Equal(t, []string{"app.log", "app.log.1", "app.log.2"}, sortedKeys(want), "python's naming")
	assert.Equal(t, want, dirFiles(t, goDir))
	for name := range want {
		st, err := os.Stat(filepath.Join(goDir, name))
		require.NoError(t, err)
		assert.LessOrEqual(t, st.Size(), int64(200), name)
	}
	assert.Equal(t, "line-39-"+strings.Repeat("x", 5+39*7%43), want["app.log"][len(want["app.log"])-1])

	// A single line longer than maxBytes gets a file of its own, larger
	// than maxBytes; the backups still stop at .2.
	long := strings.Repeat("L", 300)
	tree.Logger("app").Info(long)
	tree.Logger("app").Info("after the long one")
	require.NoError(t, tree.Sync())
	got := dirFiles(t, goDir)
	assert.Equal(t, []string{"app.log", "app.log.1", "app.log.2"}, sortedKeys(got))
	assert.Equal(t, []string{long}, got["app.log.1"])
	assert.Equal(t, []string{"after the long one"}, got["app.log"])
	assert.Equal(t, want["app.log"], got["app.log.2"], "the oldest backup fell off")
}

func TestLiveWatchedFileHandler(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.log")
	tree := newINI().logger("root", "INFO", "w", true).
		handler("w", "WatchedFileHandler", "", "", fileArg(path)).tree(t)
	log := tree.Logger("app")
	log.Info("a")
	log.Info("b")
	require.NoError(t, os.Rename(path, path+".1")) // what logrotate does
	log.Info("c")
	log.Info("d")
	require.NoError(t, os.Remove(path))
	log.Info("e")
	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"a", "b"}, linesOf(t, path+".1"))
	assert.Equal(t, []string{"e"}, linesOf(t, path))
	assert.Len(t, fdsOn(t, path), 1, "the new file is the one held open")
	assert.Empty(t, tree.HandlerErrors())
}

// readDatagrams reads n datagrams from conn, each within a deadline.
func readDatagrams(t *testing.T, conn net.PacketConn, n int) []string {
	t.Helper()
	var out []string
	buf := make([]byte, 4096)
	for range n {
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
		m, _, err := conn.ReadFrom(buf)
		require.NoError(t, err, "after %d datagrams", len(out))
		out = append(out, string(buf[:m]))
	}
	return out
}

// TestLiveSysLogUDP: SysLogHandler over a real UDP socket sends
// "<PRI>message\x00" with PRI = facility*8 + severity, byte for byte what
// CPython's SysLogHandler sends for the same records.
func TestLiveSysLogUDP(t *testing.T) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer conn.Close()
	port := conn.LocalAddr().(*net.UDPAddr).Port
	ini := newINI().logger("root", "DEBUG", "sys", true).
		handler("sys", "handlers.SysLogHandler", "", "f", fmt.Sprintf("(('127.0.0.1', %d), 'local0')", port)).
		formatter("f", "%(name)s: %(message)s").String()
	records := []string{"app DEBUG d", "app INFO i", "app.db WARNING w", "app ERROR e", "app CRITICAL c"}
	want := []string{"<135>app: d\x00", "<134>app: i\x00", "<132>app.db: w\x00", "<131>app: e\x00", "<130>app: c\x00"}

	tree := treeFromINI(t, ini, t.TempDir())
	logRecords(t, tree, records)
	assert.Equal(t, want, readDatagrams(t, conn, len(records)))
	assert.Empty(t, tree.HandlerErrors())

	runPython(t, ini, t.TempDir(), records)
	assert.Equal(t, want, readDatagrams(t, conn, len(records)), "what CPython sends")
}

// TestLiveSysLogLevels: the severity follows Python's mapPriority for
// every level a tree logs, and the facility is the configured one.
func TestLiveSysLogLevels(t *testing.T) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer conn.Close()
	addr := conn.LocalAddr().(*net.UDPAddr)
	tree := newINI().logger("root", "NOTSET", "sys", true).
		handler("sys", "logging.handlers.SysLogHandler", "", "", fmt.Sprintf("(('127.0.0.1', %d), 3)", addr.Port)).tree(t)
	for l, sev := range map[zapcore.Level]int{zapcore.DebugLevel: 7, zapcore.InfoLevel: 6, zapcore.WarnLevel: 4, zapcore.ErrorLevel: 3, zapcore.DPanicLevel: 2} {
		tree.Logger("x").Log(l, "m")
		assert.Equal(t, []string{fmt.Sprintf("<%d>m\x00", 3*8+sev)}, readDatagrams(t, conn, 1), LevelName(l))
	}
}

// TestLiveFileEncodingNames: every name CPython's codecs resolve to UTF-8
// is accepted; other encodings are refused when the config is parsed.
func TestLiveFileEncodingNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "enc.log")
	for _, name := range []string{"utf-8", "UTF8", "utf_8", "U8", "utf", "cp65001", "Utf-8"} {
		_, err := Parse(strings.NewReader(newINI().logger("root", "", "h", true).
			handler("h", "FileHandler", "", "", fileArg(path, "'a'", fmt.Sprintf("%q", name))).String()), "enc.ini")
		assert.NoError(t, err, name)
	}
	_, err := Parse(strings.NewReader(newINI().logger("root", "", "h", true).
		handler("h", "FileHandler", "", "", fileArg(path, "'a'", "'latin-1'")).String()), "enc.ini")
	assert.ErrorIs(t, err, ErrBadArgs)
	assert.ErrorContains(t, err, `the string "latin-1"`)
}

// TestLiveRotationOnlyRotatesRegularFiles: like CPython (bpo-45401), a
// RotatingFileHandler on something that is not a regular file (here a
// link to /dev/null) never renames it, however much is written.
func TestLiveRotationOnlyRotatesRegularFiles(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "null.log")
	require.NoError(t, os.Symlink(os.DevNull, link))
	tree := newINI().logger("root", "INFO", "rot", true).
		handler("rot", "RotatingFileHandler", "", "", fileArg(link, "'a'", "50", "2")).tree(t)
	for i := range 20 {
		tree.Logger("app").Info(fmt.Sprintf("line %02d to the void", i))
	}
	require.NoError(t, tree.Sync())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no backups")
	target, err := os.Readlink(link)
	require.NoError(t, err, "still the link")
	assert.Equal(t, os.DevNull, target)
	assert.Empty(t, tree.HandlerErrors())
}

// TestLiveRotationCountsBytes: with non-ASCII text a rotating file stays
// under maxBytes, counted in bytes.
func TestLiveRotationCountsBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "utf8.log")
	tree := newINI().logger("root", "INFO", "rot", true).
		handler("rot", "RotatingFileHandler", "", "", fileArg(path, "'a'", "20", "3")).tree(t)
	for range 3 {
		tree.Logger("app").Info("ééééé") // 11 bytes with its newline
	}
	require.NoError(t, tree.Sync())
	for _, name := range []string{path, path + ".1", path + ".2"} {
		st, err := os.Stat(name)
		require.NoError(t, err)
		assert.Equal(t, int64(11), st.Size(), name)
	}
	assert.NoFileExists(t, path+".3")
}

// TestLiveSysLogUDPNobodyListening: like CPython's SysLogHandler, which
// sends with sendto on an unconnected socket, a UDP syslog handler does
// not fail because nothing listens (no ICMP "connection refused" turns
// into lost records or error reports), and delivers once a server is up.
func TestLiveSysLogUDPNobodyListening(t *testing.T) {
	probe, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	port := probe.LocalAddr().(*net.UDPAddr).Port
	require.NoError(t, probe.Close())
	tree := newINI().logger("root", "INFO", "sys", true).
		handler("sys", "handlers.SysLogHandler", "", "", fmt.Sprintf("(('127.0.0.1', %d),)", port)).tree(t)
	for i := range 6 {
		tree.Logger("app").Info(fmt.Sprintf("nobody %d", i))
	}
	assert.Empty(t, tree.HandlerErrors())

	conn, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Skipf("port %d taken meanwhile: %v", port, err)
	}
	defer conn.Close()
	tree.Logger("app").Info("somebody")
	assert.Equal(t, []string{"<14>somebody\x00"}, readDatagrams(t, conn, 1))
	assert.Empty(t, tree.HandlerErrors())
}
