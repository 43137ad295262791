//go:build unix

package handlers

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// keepSIGPIPE makes a write to a closed stdout or stderr pipe fail with
// EPIPE instead of killing the process: Go's runtime raises SIGPIPE for
// such writes on fds 1 and 2 unless the program asks to be notified of
// SIGPIPE. A stream handler whose reader went away must not stop the
// application (its failures are counted like any handler's), so opening
// one asks, once, on a channel that is never read.
var keepSIGPIPE = sync.OnceFunc(func() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
})
