package handlers_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/logcfg/handlers"
)

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

// SysLogHandler over a real UDP socket sends "<PRI>message\x00" with PRI =
// facility*8 + severity for every level, byte for byte what CPython's
// SysLogHandler sends for the same records.
func TestSysLogHandlerMatchesPython(t *testing.T) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer conn.Close()
	port := conn.LocalAddr().(*net.UDPAddr).Port
	ini := lltest.NewINI().Logger("root", "DEBUG", "sys", true).
		Handler("sys", "handlers.SysLogHandler", "", "f", fmt.Sprintf("(('127.0.0.1', %d), 'local0')", port)).
		Formatter("f", "%(name)s: %(message)s").String()
	records := []string{"app DEBUG d", "app INFO i", "app.db WARNING w", "app ERROR e", "app CRITICAL c"}
	// local0 is 16: 16*8 + DEBUG 7, INFO 6, WARNING 4, ERROR 3, CRITICAL 2.
	want := []string{"<135>app: d\x00", "<134>app: i\x00", "<132>app.db: w\x00", "<131>app: e\x00", "<130>app: c\x00"}

	tree := configTree(t, ini, t.TempDir())
	lltest.LogRecords(t, records, tree.Logger, logcfg.ParseLevel)
	assert.Equal(t, want, readDatagrams(t, conn, len(records)))
	assert.Empty(t, tree.HandlerErrors())

	lltest.PythonLogs(t, ini, t.TempDir(), records)
	assert.Equal(t, want, readDatagrams(t, conn, len(records)), "what CPython sends")
}

// On a Unix datagram socket (a facility number as a kwarg), and again
// after the daemon restarts: the handler reconnects on the next record.
func TestSysLogHandlerUnixSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "log.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	require.NoError(t, err)
	h := openClass(t, "SysLogHandler", fmt.Sprintf("(%q,)", sock), "{'facility': 3}")
	h.log.Warn("to the daemon")
	assert.Equal(t, []string{"<28>WARNING to the daemon\x00"}, readDatagrams(t, conn, 1), "daemon is 3: 3*8 + 4")

	require.NoError(t, conn.Close())
	require.NoError(t, os.Remove(sock))
	conn, err = net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	require.NoError(t, err)
	defer conn.Close()
	h.log.Warn("again")
	assert.Equal(t, []string{"<28>WARNING again\x00"}, readDatagrams(t, conn, 1))
	assert.Empty(t, h.errs.String())
}

// Like CPython's SysLogHandler, which sends with sendto on an unconnected
// socket, a UDP syslog handler does not fail because nothing listens (no
// ICMP "connection refused" turns into a failed write), and delivers once
// a server is up.
func TestSysLogHandlerUDPNobodyListening(t *testing.T) {
	probe, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	port := probe.LocalAddr().(*net.UDPAddr).Port
	require.NoError(t, probe.Close())
	h := openClass(t, "SysLogHandler", fmt.Sprintf("(('127.0.0.1', %d),)", port), "")
	for i := range 6 {
		h.log.Info(fmt.Sprintf("nobody-%d", i))
	}
	assert.Empty(t, h.errs.String())

	conn, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Skipf("port %d taken meanwhile: %v", port, err)
	}
	defer conn.Close()
	h.log.Info("somebody")
	assert.Equal(t, []string{"<14>INFO somebody\x00"}, readDatagrams(t, conn, 1), "user is 1: 1*8 + 6")
	assert.Empty(t, h.errs.String())
}

// A socket path where no daemon listens fails Open with ErrOpen, naming
// the path; Check, which has no side effects, passes.
func TestSysLogHandlerOpenFails(t *testing.T) {
	c := builtin(t, "SysLogHandler")
	a := classArgs(t, "SysLogHandler", fmt.Sprintf("(%q,)", filepath.Join(t.TempDir(), "none.sock")), "")
	require.NoError(t, c.Check(a))
	var outs []*os.File
	_, err := c.Open(a, consoleEncoder(&outs))
	require.Error(t, err)
	assert.ErrorIs(t, err, handlers.ErrOpen)
	assert.Contains(t, err.Error(), "none.sock")
	assert.Empty(t, outs, "nothing is built")
}
