// Package lltest holds small helpers for livelog's tests: waiting on a
// condition with a deadline, finding free loopback ports outside the
// default listener range, a TCP server that records what it is sent
// ([Recorder]), and running python3. They work on every OS.
//
// Tests never sleep and hope; they poll a condition with a deadline:
//
//	lltest.WaitFor(t, 5*time.Second, func() bool { return tree.Generation() == 3 })
package lltest

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// WaitFor polls cond every few milliseconds until it is true, and fails
// the test if deadline passes first.
func WaitFor(t testing.TB, deadline time.Duration, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("lltest: condition not met within %s", deadline)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// Reserved is the listener's default port range, which tests never use.
const ReservedLo, ReservedHi = 9001, 9030

// FreePortRange returns lo, hi = lo+n-1: n consecutive loopback ports that
// were all free a moment ago, none in 9001–9030. Candidates come from the
// kernel (a listen on port 0), so tests running in parallel rarely meet;
// code under test must still cope with a port taken meanwhile, as
// listeners do by binding rather than probing.
func FreePortRange(t testing.TB, n int) (lo, hi int) {
	t.Helper()
	if n < 1 || n > 100 {
		t.Fatalf("lltest: FreePortRange(%d): want 1..100 ports", n)
	}
	for range 200 {
		probe, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("lltest: %v", err)
		}
		lo = probe.Addr().(*net.TCPAddr).Port
		probe.Close()
		hi = lo + n - 1
		if hi > 65535 || (lo <= ReservedHi && hi >= ReservedLo) {
			continue
		}
		if allBind(lo, hi) {
			return lo, hi
		}
	}
	t.Fatalf("lltest: no %d consecutive free loopback ports found", n)
	return 0, 0
}

func allBind(lo, hi int) bool {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for p := lo; p <= hi; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			return false
		}
		held = append(held, l)
	}
	return true
}

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
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, Python(t), append([]string{"-c", script}, args...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("lltest: python3 failed: %v\n%s", err, stderr.String())
	}
	return stdout.String()
}
