//go:build !unix

package main

import (
	"errors"
	"os/exec"
)

// canSIGHUP: this OS has no SIGHUP.
const canSIGHUP = false

func sighup(*exec.Cmd) error { return errors.New("no SIGHUP on this OS") }
