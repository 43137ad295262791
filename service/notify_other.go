//go:build !unix || aix

package service

// notify does nothing: there is no systemd here (Windows), or no
// CLOCK_MONOTONIC in golang.org/x/sys/unix for its reload handshake (AIX).
// NOTIFY_SOCKET is ignored.
func notify(string) error { return nil }

// monotonicUsec is never read, as notify sends nothing.
func monotonicUsec() (uint64, bool) { return 0, false }
