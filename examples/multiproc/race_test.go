//go:build race

package main

// This init makes TestMain build the demo with the race detector when the
// tests run with -race, so the parent's and workers' goroutines are
// checked in the real processes.
func init() { buildFlags = append(buildFlags, "-race") }
