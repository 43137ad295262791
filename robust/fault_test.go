package robust_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
)

// faultINI sends logger app to two handlers: bad, a FileHandler on
// badPath, and good, a FileHandler on goodPath.
func faultINI(badPath, goodPath string) string {
	return `[loggers]
keys=root,app

[handlers]
keys=bad,good

[formatters]
keys=bare

[logger_root]
level=WARNING
handlers=

[logger_app]
level=INFO
handlers=bad,good
qualname=app
propagate=0

[handler_bad]
class=FileHandler
args=('` + badPath + `', 'a')
formatter=bare

[handler_good]
class=FileHandler
args=('` + goodPath + `', 'a')
formatter=bare

[formatter_bare]
format=%(levelname)s %(message)s
`
}

// faultLines is how many lines each fault test logs after the fault.
const faultLines = 200

// logAndCheckGood logs faultLines lines through app and checks that the
// good handler got every one of them, in order.
func logAndCheckGood(t *testing.T, tree *logcfg.Tree, goodPath string, from int) {
	t.Helper()
	log := tree.Logger("app")
	for i := from; i < from+faultLines; i++ {
		log.Info(fmt.Sprintf("line %d", i), zap.Int("i", i))
	}
	_ = tree.Sync() // may report the bad handler; the good one must be flushed regardless
	b, err := os.ReadFile(goodPath)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	require.Len(t, lines, from+faultLines, "the good handler got every line")
	for i, l := range lines {
		assert.Equal(t, fmt.Sprintf("INFO line %d i=%d", i, i), l)
	}
}

// TestFaultDevFull: a handler whose file is /dev/full (every write fails
// with ENOSPC) does not stop the application or the other handler, and
// the failure is reported through the tree's error output.
func TestFaultDevFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	goodPath := filepath.Join(t.TempDir(), "good.log")
	cfg, err := logcfg.Parse(strings.NewReader(faultINI("/dev/full", goodPath)), "fault.ini")
	require.NoError(t, err)
	var errOut lltest.Buffer
	tree, err := logcfg.NewTree(cfg, logcfg.WithErrorOutput(&errOut))
	require.NoError(t, err)
	defer tree.Close()

	logAndCheckGood(t, tree, goodPath, 0)
	assert.Contains(t, errOut.String(), "no space left on device", "the failure is reported")
	assertHandlerErrors(t, tree, "no space left on device")
}

// assertHandlerErrors checks that the tree counts the bad handler's
// failures (and only its) and keeps the last error.
func assertHandlerErrors(t *testing.T, tree *logcfg.Tree, want string) {
	t.Helper()
	errs := tree.HandlerErrors()
	require.Len(t, errs, 1, "only the bad handler failed: %+v", errs)
	assert.Equal(t, "bad", errs[0].Handler)
	assert.GreaterOrEqual(t, errs[0].Count, int64(faultLines), "every failed write is counted")
	assert.Contains(t, errs[0].Last, want)
}

// stdoutChildEnv makes the test binary a child that logs to stdout and to
// a file (the env value), for TestFaultStdoutClosed.
const stdoutChildEnv = "LIVELOG_ROBUST_STDOUT_CHILD"

// stdoutChild logs one line, waits for its stdin to close (the parent
// closes stdout's reader first), logs faultLines more and prints "done"
// in the file.
func stdoutChild(goodPath string) int {
	ini := strings.Replace(faultINI("X", goodPath), "class=FileHandler\nargs=('X', 'a')", "class=StreamHandler\nargs=(sys.stdout,)", 1)
	cfg, err := logcfg.Parse(strings.NewReader(ini), "fault.ini")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	log := tree.Logger("app")
	log.Info("line 0", zap.Int("i", 0))
	_ = tree.Sync()
	_, _ = io.Copy(io.Discard, os.Stdin)
	for i := 1; i <= faultLines; i++ {
		log.Info(fmt.Sprintf("line %d", i), zap.Int("i", i))
	}
	_ = tree.Sync()
	log.Warn("done")
	if err := tree.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "close:", err)
	}
	return 0
}

// TestFaultStdoutClosed: a process logging to its stdout keeps running
// when the reader of that pipe goes away (Go's runtime kills a program
// with SIGPIPE for a write to a broken pipe on fd 1 or 2 unless SIGPIPE is
// handled), and its other handler gets every line.
func TestFaultStdoutClosed(t *testing.T) {
	goodPath := filepath.Join(t.TempDir(), "good.log")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), stdoutChildEnv+"="+goodPath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	first, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "INFO line 0 i=0\n", first)
	require.NoError(t, stdout.(io.Closer).Close()) // the reader goes away
	require.NoError(t, stdin.Close())              // now the child logs on

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("child did not finish within 30s")
	}
	require.NoError(t, err, "the child died when its stdout reader closed; stderr:\n%s", stderr.String())
	b, err := os.ReadFile(goodPath)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	require.Len(t, lines, faultLines+2, "the file handler got every line")
	assert.Equal(t, "WARNING done", lines[len(lines)-1])
}
