//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// reloadSignals make every process re-read its config file: SIGHUP, which
// the parent forwards to the workers.
var reloadSignals = []os.Signal{syscall.SIGHUP}

// reloadHint is the command that makes the demo whose parent is pid
// re-read its config.
func reloadHint(pid int) string { return fmt.Sprintf("kill -HUP %d", pid) }

// signalName is "SIGINT" for SIGINT.
func signalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok && unix.SignalName(s) != "" {
		return unix.SignalName(s)
	}
	return sig.String()
}

// killedBy is the signal that ended the process, if a signal did.
func killedBy(ps *os.ProcessState) (os.Signal, bool) {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return nil, false
	}
	return ws.Signal(), true
}
