package main

import "os"

// reloadSignals is empty: Windows has no SIGHUP. There, the running
// config changes only through pushes (pushcfg, or the story's own);
// Ctrl-C and SIGTERM (a console close or shutdown) still stop every
// process cleanly.
var reloadSignals []os.Signal

// reloadHint is "": no command re-reads the config on Windows.
func reloadHint(int) string { return "" }

// signalName is the signal's text.
func signalName(sig os.Signal) string { return sig.String() }

// killedBy always says no: a Windows process ends with an exit code
// (exec.ExitError.Exited is true), even when it was killed.
func killedBy(*os.ProcessState) (os.Signal, bool) { return nil, false }
