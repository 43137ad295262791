package colorfmt

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// threadID is %(thread)d: the kernel id of the OS thread running the
// logging goroutine at the moment of the call (thr_self(2), which
// x/sys/unix numbers but does not wrap). Thread ids start at 100000; 0 if
// the call fails, which it does not for a valid pointer.
func threadID() int {
	var id int // C long, which is pointer-sized on every FreeBSD port, as Go's int
	if _, _, errno := unix.RawSyscall(unix.SYS_THR_SELF, uintptr(unsafe.Pointer(&id)), 0, 0); errno != 0 {
		return 0
	}
	return id
}
