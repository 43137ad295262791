package main

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// readyEnv names, in a worker's environment, the handle of its ready
// pipe: Windows has no numbered descriptors beyond the standard three
// (exec.Cmd.ExtraFiles is not supported), so the parent lets the worker
// inherit the handle and says which it is.
const readyEnv = "LIVELOG_DEMO_READY"

// passReady hands w, the write end of the ready pipe (os.Pipe makes it
// inheritable), to the worker cmd starts.
func passReady(cmd *exec.Cmd, w *os.File) {
	cmd.SysProcAttr = &syscall.SysProcAttr{AdditionalInheritedHandles: []syscall.Handle{syscall.Handle(w.Fd())}}
	cmd.Env = append(cmd.Env, readyEnv+"="+strconv.FormatUint(uint64(w.Fd()), 10))
}

// readyFile is a worker's end of its ready pipe; nil when the process was
// not started by the parent.
func readyFile() *os.File {
	h, err := strconv.ParseUint(os.Getenv(readyEnv), 10, 64)
	if err != nil {
		return nil
	}
	return os.NewFile(uintptr(h), "ready")
}
