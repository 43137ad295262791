//go:build unix

package main

import (
	"os"
	"os/exec"
)

// readyFD is the file descriptor of a worker's ready pipe
// (exec.Cmd.ExtraFiles[0]).
const readyFD = 3

// passReady hands w, the write end of the ready pipe, to the worker cmd
// starts, as readyFD.
func passReady(cmd *exec.Cmd, w *os.File) { cmd.ExtraFiles = []*os.File{w} }

// readyFile is a worker's end of its ready pipe. Writing to it fails when
// the process was not started by the parent (readyFD is not open).
func readyFile() *os.File { return os.NewFile(readyFD, "ready") }
