//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// canSIGHUP: this OS has SIGHUP.
const canSIGHUP = true

func sighup(cmd *exec.Cmd) error { return cmd.Process.Signal(syscall.SIGHUP) }
