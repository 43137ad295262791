package lltest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Python returns the path of python3, or skips the test if there is none
// that runs.
func Python(t testing.TB) string {
	t.Helper()
	path, err := python3()
	if err != nil {
		t.Skipf("lltest: no python3: %v", err)
	}
	return path
}

// python3 finds python3 on PATH once per test binary, and runs it once:
// on Windows, python3.exe may be the Microsoft Store's stand-in, which
// only tells how to install Python and fails.
var python3 = sync.OnceValues(func() (string, error) {
	path, err := exec.LookPath("python3")
	if err != nil {
		return "", err
	}
	if out, err := exec.Command(path, "-c", "pass").CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s does not run: %w: %s", path, err, strings.TrimSpace(string(out)))
	}
	return path, nil
})

// RunPython runs python3 -c script with args, bounded by timeout, and
// returns its standard output; it fails the test (showing stderr) if the
// script fails. It skips the test if python3 is missing.
func RunPython(t testing.TB, timeout time.Duration, script string, args ...string) string {
	t.Helper()
	stdout, _ := RunPythonInput(t, timeout, "", script, args...)
	return stdout
}

// RunPythonInput is [RunPython] with stdin as the script's standard
// input; it returns standard output and standard error.
func RunPythonInput(t testing.TB, timeout time.Duration, stdin, script string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, Python(t), append([]string{"-c", script}, args...)...)
	var out, errOut strings.Builder
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("lltest: python3 failed: %v\n%s", err, errOut.String())
	}
	return out.String(), errOut.String()
}

// pythonLogs runs CPython's fileConfig on argv[1] with the default
// dir=argv[2], then logs each stdin line "logger LEVEL message".
const pythonLogs = `
import logging, logging.config, sys
logging.config.fileConfig(sys.argv[1], defaults={"dir": sys.argv[2]}, disable_existing_loggers=False)
for line in sys.stdin.read().splitlines():
    name, level, msg = line.split()
    logging.getLogger(None if name == "root" else name).log(logging.getLevelName(level), msg)
logging.shutdown()
`

// PythonLogs is CPython as the oracle for a config: it runs
// logging.config.fileConfig on the INI text ini, with the interpolation
// default %(dir)s set to dir (where its file handlers then write), and
// logs records through it, each "logger LEVEL message" (three words;
// "root" is the root logger, LEVEL a Python level name). It returns what
// CPython wrote to stderr: the records that reached no handler (Python's
// last resort). It skips the test if python3 is missing. [LogRecords]
// sends the same records through livelog.
func PythonLogs(t testing.TB, ini, dir string, records []string) (stderr string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "python.ini")
	if err := os.WriteFile(path, []byte(ini), 0o600); err != nil {
		t.Fatalf("lltest: %v", err)
	}
	_, stderr = RunPythonInput(t, time.Minute, strings.Join(records, "\n")+"\n", pythonLogs, path, dir)
	return stderr
}

// LogRecords sends records, as [PythonLogs] takes them, through the
// loggers logger returns by name, with levels read by parseLevel
// (logcfg.ParseLevel: lltest keeps no level mapping of its own).
func LogRecords(t testing.TB, records []string, logger func(name string) *zap.Logger, parseLevel func(string) (zapcore.Level, error)) {
	t.Helper()
	for _, r := range records {
		f := strings.Fields(r)
		if len(f) != 3 {
			t.Fatalf("lltest: record %q is not \"logger LEVEL message\"", r)
		}
		l, err := parseLevel(f[1])
		if err != nil {
			t.Fatalf("lltest: record %q: %v", r, err)
		}
		logger(f[0]).Log(l, f[2])
	}
}
