//go:build !linux

package handlers

import (
	"fmt"
	"net"
)

// journalSupported: journald runs on Linux only; elsewhere a
// JournalHandler parses but does not open.
const journalSupported = false

func (j *journalConn) sendLarge(_ *net.UnixConn, b []byte) error {
	return fmt.Errorf("logcfg: JournalHandler: record of %d bytes: too large for one datagram", len(b))
}
