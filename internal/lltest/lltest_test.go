package lltest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

func TestFreePortRange(t *testing.T) {
	lo, hi := FreePortRange(t, 5)
	assert.Equal(t, lo+4, hi)
	assert.False(t, lo <= ReservedHi && hi >= ReservedLo, "range %d-%d overlaps the default range", lo, hi)
	for p := lo; p <= hi; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		require.NoError(t, err, "port %d", p)
		l.Close()
	}
}

func TestWaitFor(t *testing.T) {
	var n atomic.Int32
	go func() {
		for range 3 {
			n.Add(1)
		}
	}()
	WaitFor(t, 5*time.Second, func() bool { return n.Load() == 3 })
	assert.Equal(t, int32(3), n.Load())
}

func TestRunPython(t *testing.T) {
	out := RunPython(t, 10*time.Second, "import sys; print(sys.argv[1] * 2)", "ab")
	assert.Equal(t, "abab", strings.TrimSpace(out))
}

// TestRecorder: the recorder greets as told, records what each client
// sends, and counts the connections.
func TestRecorder(t *testing.T) {
	lo, _ := FreePortRange(t, 1)
	r := StartRecorder(t, lo, []byte("hi"))
	for _, msg := range []string{"one", "two"} {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", lo))
		require.NoError(t, err)
		greeting := make([]byte, 2)
		_, err = io.ReadFull(c, greeting)
		require.NoError(t, err)
		assert.Equal(t, "hi", string(greeting))
		_, err = c.Write([]byte(msg))
		require.NoError(t, err)
		require.NoError(t, c.Close())
	}
	assert.Equal(t, 2, r.Conns())
	got := string(r.Bytes())
	assert.Len(t, got, 6)
	assert.Contains(t, got, "one")
	assert.Contains(t, got, "two")
}

func TestBuffer(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				_, _ = fmt.Fprintf(&b, "%d\n", i)
			}
		}()
	}
	wg.Wait()
	assert.NoError(t, b.Sync())
	assert.Equal(t, 400, strings.Count(b.String(), "\n"))
}

func TestLines(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"a": "one\ntwo\n", "torn": "one\ntw", "empty": "", "blank": "one\n\n"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
	}
	assert.Equal(t, map[string][]string{"a": {"one", "two"}, "torn": {"one", "tw"}, "empty": nil, "blank": {"one", ""}}, DirLines(t, dir))
	assert.Nil(t, Lines(t, filepath.Join(dir, "missing")))
}

func TestFDsOn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held")
	f, err := os.Create(path)
	require.NoError(t, err)
	assert.Equal(t, []string{strconv.Itoa(int(f.Fd()))}, FDsOn(t, path))
	require.NoError(t, f.Close())
	assert.Empty(t, FDsOn(t, path))
}

// CPython's configparser reads what INI writes as the sections and keys
// it was given.
func TestINI(t *testing.T) {
	text := NewINI().
		Logger("root", "", "h", true).
		Logger("app.db", "DEBUG", "", false).
		Handler("h", "FileHandler", "ERROR", "f", FileArgs("/tmp/a b.log", "'w'"), "kwargs={'delay': True}").
		Formatter("f", "%(levelname)s %(message)s", "color=never").String()
	got := RunPython(t, 10*time.Second, `
import configparser, json, sys
cp = configparser.ConfigParser(interpolation=None)
cp.read_string(sys.argv[1])
print(json.dumps({s: dict(cp[s]) for s in cp.sections()}))
`, text)
	var sections map[string]map[string]string
	require.NoError(t, json.Unmarshal([]byte(got), &sections))
	assert.Equal(t, map[string]map[string]string{
		"loggers":       {"keys": "root,app_db"},
		"handlers":      {"keys": "h"},
		"formatters":    {"keys": "f"},
		"logger_root":   {"handlers": "h"},
		"logger_app_db": {"handlers": "", "level": "DEBUG", "qualname": "app.db", "propagate": "0"},
		"handler_h":     {"class": "FileHandler", "args": `("/tmp/a b.log", 'w',)`, "level": "ERROR", "formatter": "f", "kwargs": "{'delay': True}"},
		"formatter_f":   {"format": "%(levelname)s %(message)s", "color": "never"},
	}, sections)
}

// PythonLogs runs CPython's fileConfig; LogRecords sends the same records
// through zap loggers.
func TestPythonLogs(t *testing.T) {
	dir := t.TempDir()
	ini := NewINI().Logger("root", "INFO", "h", true).
		Handler("h", "FileHandler", "", "f", "('%(dir)s/py.log',)").
		Formatter("f", "%(levelname)s %(name)s %(message)s").String()
	records := []string{"app INFO hello", "app DEBUG dropped", "root ERROR bad"}
	stderr := PythonLogs(t, ini, dir, records)
	assert.Empty(t, stderr)
	assert.Equal(t, []string{"INFO app hello", "ERROR root bad"}, Lines(t, filepath.Join(dir, "py.log")))

	core, logs := observer.New(zapcore.DebugLevel)
	levels := map[string]zapcore.Level{"INFO": zapcore.InfoLevel, "DEBUG": zapcore.DebugLevel, "ERROR": zapcore.ErrorLevel}
	LogRecords(t, records, func(name string) *zap.Logger { return zap.New(core).Named(name) },
		func(s string) (zapcore.Level, error) { return levels[s], nil })
	var got []string
	for _, e := range logs.AllUntimed() {
		got = append(got, e.Level.String()+" "+e.LoggerName+" "+e.Message)
	}
	assert.Equal(t, []string{"info app hello", "debug app dropped", "error root bad"}, got)
}
