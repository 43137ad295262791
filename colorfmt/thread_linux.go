package colorfmt

import "golang.org/x/sys/unix"

// threadID is %(thread)d: the kernel id of the OS thread running the
// logging goroutine at the moment of the call (gettid(2)).
func threadID() int {
	return unix.Gettid()
}
