// Package lltest holds livelog's shared test helpers: waiting on a
// condition with a deadline, free loopback ports outside the default
// listener range, a TCP server that records what it is sent
// ([Recorder]), a fake clock, python3 (and CPython's fileConfig as an
// oracle), fileConfig INI text ([INI]), log files read back as lines,
// open file descriptors, and a buffer safe for concurrent writers. They
// work on every OS (OpenFDs skips where there is no /proc).
//
// Tests never sleep and hope; they poll a condition with a deadline:
//
//	lltest.WaitFor(t, 5*time.Second, func() bool { return tree.Generation() == 3 })
package lltest

import (
	"fmt"
	"net"
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
