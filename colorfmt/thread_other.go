//go:build !linux && !freebsd && !windows

package colorfmt

// threadID is %(thread)d, which is 0 here: golang.org/x/sys/unix offers
// no thread id call on this OS (on macOS that would be
// pthread_threadid_np, and raw system calls are unsupported there), and
// Go has no portable one.
func threadID() int {
	return 0
}
