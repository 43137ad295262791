package handlers_test

import (
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
)

// A full disk (here a file size limit, RLIMIT_FSIZE, which makes the
// kernel take a write only in part) tears one record and loses others,
// but never the shape of the file: after space returns, the next record
// starts on its own line and is whole; the torn and lost records are
// counted in the handler's errors. The limit is set in a child process
// so that this test's own files are not limited.
func TestDiskFullLosesLinesNotTheirShape(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	cmd := exec.Command(os.Args[0], "-test.run=^TestDiskFullChild$", "-test.v")
	cmd.Env = append(os.Environ(), "DISKFULL_CHILD="+path)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "--- PASS: TestDiskFullChild")

	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), 3, "%q", b)
	assert.Equal(t, "INFO before the disk fills up", lines[0])
	torn := lines[len(lines)-2]
	assert.True(t, strings.HasPrefix(torn, "INFO "), "the torn record's fragment is alone on its line: %q", torn)
	assert.Less(t, len(torn), len("INFO ")+300, "it is a fragment of the 300-byte record")
	assert.Equal(t, "INFO after space returns", lines[len(lines)-1], "the next record is whole, on its own line")
	assert.Contains(t, string(out), "torn=1 lost=", "counted")
}

// TestDiskFullChild is the child of TestDiskFullLosesLinesNotTheirShape.
func TestDiskFullChild(t *testing.T) {
	path := os.Getenv("DISKFULL_CHILD")
	if path == "" {
		t.Skip("run by TestDiskFullLosesLinesNotTheirShape")
	}
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails with EFBIG instead
	ini := lltest.NewINI().Logger("root", "INFO", "f", true).
		Handler("f", "FileHandler", "", "p", lltest.FileArgs(path)).
		Formatter("p", "%(levelname)s %(message)s").String()
	cfg, err := logcfg.Parse(strings.NewReader(ini), "full.conf")
	require.NoError(t, err)
	var errOut strings.Builder
	tree, err := logcfg.NewTree(cfg, logcfg.WithErrorOutput(zapcore.AddSync(&errOut)))
	require.NoError(t, err)
	log := tree.Logger("app")
	log.Info("before the disk fills up")

	var lim syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim))
	full := lim
	full.Cur = 100 // the file may not grow past 100 bytes
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &full))
	log.Info(strings.Repeat("x", 300)) // torn at byte 100
	log.Info("lost: the disk is full")
	require.NoError(t, syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim))
	log.Info("after space returns")

	errs := tree.HandlerErrors()
	require.Len(t, errs, 1)
	assert.Equal(t, int64(2), errs[0].Count)
	torn := strings.Count(errOut.String(), "record torn")
	lost := strings.Count(errOut.String(), "record lost")
	t.Logf("torn=%d lost=%d (errors: %s)", torn, lost, errOut.String())
	require.NoError(t, tree.Close())
}
