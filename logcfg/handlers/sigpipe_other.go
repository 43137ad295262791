//go:build !unix

package handlers

// keepSIGPIPE does nothing where there is no SIGPIPE (Windows): a write to
// a closed pipe fails there without a signal.
func keepSIGPIPE() {}
