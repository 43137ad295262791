//go:build unix

package service

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// runSignals are what Run subscribes to: SIGHUP reloads, SIGTERM and
// SIGINT stop.
var runSignals = []os.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT}

// signalName is "SIGTERM" for SIGTERM, the signal's text for others.
func signalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok {
		if name := unix.SignalName(s); name != "" {
			return name
		}
	}
	return sig.String()
}
