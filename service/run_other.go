//go:build !unix

package service

import (
	"os"
	"syscall"
)

// runSignals are what Run subscribes to. Windows has no SIGHUP; os/signal
// delivers Ctrl-C and Ctrl-Break as os.Interrupt and the console closing,
// a logoff or a shutdown as SIGTERM.
var runSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// signalName is "SIGINT" or "SIGTERM", as on Unix, the signal's text for
// others.
func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}
