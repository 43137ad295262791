//go:build unix

package service

import (
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
	"golang.org/x/sys/unix"
)

// listenNotify stands in for systemd: a real unixgram socket, named by
// NOTIFY_SOCKET for the test. Its directory has a short name (not
// t.TempDir, which holds the test's name): macOS limits socket paths to
// 104 bytes.
func listenNotify(t *testing.T) (*net.UnixConn, string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "notify")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return conn, path
}

// readNotify receives one datagram, or fails after 10 s.
func readNotify(t *testing.T, conn *net.UnixConn) string {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	buf := make([]byte, 4096)
	n, err := conn.Read(buf)
	require.NoError(t, err)
	return string(buf[:n])
}

// clockMonotonic reads CLOCK_MONOTONIC in µs, independently of the code
// under test.
func clockMonotonic(t *testing.T) uint64 {
	var ts unix.Timespec
	require.NoError(t, unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts))
	return uint64(ts.Sec)*1e6 + uint64(ts.Nsec)/1e3
}

// pending counts the datagrams queued on conn without waiting.
func pending(t *testing.T, conn *net.UnixConn) int {
	raw, err := conn.SyscallConn()
	require.NoError(t, err)
	count := 0
	buf := make([]byte, 4096)
	require.NoError(t, raw.Read(func(fd uintptr) bool {
		for {
			_, _, err := unix.Recvfrom(int(fd), buf, unix.MSG_DONTWAIT)
			if err != nil {
				return true
			}
			count++
		}
	}))
	return count
}

func TestReady(t *testing.T) {
	conn, _ := listenNotify(t)
	require.NoError(t, Ready())
	assert.Equal(t, "READY=1", readNotify(t, conn))
	assert.Zero(t, pending(t, conn))
}

func TestStopping(t *testing.T) {
	conn, _ := listenNotify(t)
	require.NoError(t, Stopping())
	assert.Equal(t, "STOPPING=1", readNotify(t, conn))
	assert.Zero(t, pending(t, conn))
}

// checkReloading asserts that msg is one RELOADING=1 datagram with a
// MONOTONIC_USEC between lo and hi.
func checkReloading(t *testing.T, msg string, lo, hi uint64) {
	t.Helper()
	lines := strings.Split(msg, "\n")
	require.Len(t, lines, 2, "RELOADING=1 and MONOTONIC_USEC in one datagram: %q", msg)
	assert.Equal(t, "RELOADING=1", lines[0])
	digits, ok := strings.CutPrefix(lines[1], "MONOTONIC_USEC=")
	require.True(t, ok, "%q", lines[1])
	usec, err := strconv.ParseUint(digits, 10, 64)
	require.NoError(t, err, "%q", digits)
	assert.GreaterOrEqual(t, usec, lo, "MONOTONIC_USEC is read on CLOCK_MONOTONIC")
	assert.LessOrEqual(t, usec, hi)
}

func TestReload(t *testing.T) {
	conn, _ := listenNotify(t)
	before := clockMonotonic(t)
	var seenBeforeApply string
	err := Reload(func() error {
		seenBeforeApply = readNotify(t, conn) // sent before apply runs
		return nil
	})
	after := clockMonotonic(t)
	require.NoError(t, err)
	checkReloading(t, seenBeforeApply, before, after)
	assert.Equal(t, "READY=1", readNotify(t, conn))
	assert.Zero(t, pending(t, conn))
}

func TestReloadFailedApplyStillReady(t *testing.T) {
	conn, _ := listenNotify(t)
	boom := errors.New("bad config")
	err := Reload(func() error { return boom })
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "bad config", err.Error(), "only apply's error when notifying worked")
	assert.True(t, strings.HasPrefix(readNotify(t, conn), "RELOADING=1\nMONOTONIC_USEC="))
	assert.Equal(t, "READY=1", readNotify(t, conn), "systemd must not wait for a reload that failed")
}

func TestNotifyError(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone.sock")
	t.Setenv("NOTIFY_SOCKET", missing)
	err := Ready()
	require.Error(t, err)
	assert.ErrorIs(t, err, syscall.ENOENT)
	assert.Contains(t, err.Error(), `service: notify "READY=1": `)

	applied := false
	err = Reload(func() error { applied = true; return nil })
	assert.True(t, applied, "apply runs even when systemd cannot be told")
	assert.ErrorContains(t, err, `service: notify "RELOADING=1\nMONOTONIC_USEC=`)
	assert.ErrorContains(t, err, `service: notify "READY=1"`)
}

// systemd may name an abstract socket ("@..."), which has no file.
func TestNotifyAbstractSocket(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("abstract unix sockets are Linux-only, not on %s", runtime.GOOS)
	}
	name := "@livelog-service-test-" + strconv.Itoa(syscall.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	require.NoError(t, err)
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", name)
	require.NoError(t, Ready())
	assert.Equal(t, "READY=1", readNotify(t, conn))
}
