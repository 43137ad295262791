package lltest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Lines reads a log file as its lines, without their newlines. A missing
// file has none; a last line without its newline (a torn write) is kept,
// so that a test sees it.
func Lines(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatalf("lltest: %v", err)
	}
	if len(b) == 0 {
		return nil
	}
	lines := strings.Split(string(b), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// DirLines reads every file in dir as [Lines], by base name.
func DirLines(t testing.TB, dir string) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("lltest: %v", err)
	}
	out := map[string][]string{}
	for _, e := range entries {
		out[e.Name()] = Lines(t, filepath.Join(dir, e.Name()))
	}
	return out
}

// OpenFDs maps this process's open file descriptors to what they name.
// It skips the test where there is no /proc/self/fd.
func OpenFDs(t testing.TB) map[string]string {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("lltest: no /proc/self/fd here")
	}
	out := map[string]string{}
	for _, e := range entries {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); err == nil {
			out[e.Name()] = target
		}
	}
	return out
}

// FDsOn lists the descriptors this process holds open on path (after
// symbolic links), in no particular order.
func FDsOn(t testing.TB, path string) []string {
	t.Helper()
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		t.Fatalf("lltest: %v", err)
	}
	var fds []string
	for fd, target := range OpenFDs(t) {
		if target == real {
			fds = append(fds, fd)
		}
	}
	return fds
}
