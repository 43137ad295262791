//go:build linux

package handlers

import (
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// journalSupported: journald runs on Linux only.
const journalSupported = true

// sendLarge passes a record too big for one datagram as a sealed memfd, as
// sd_journal_sendv does.
func (j *journalConn) sendLarge(conn *net.UnixConn, b []byte) error {
	fd, err := unix.MemfdCreate("journal-record", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return fmt.Errorf("logcfg: JournalHandler: record of %d bytes: memfd: %w", len(b), err)
	}
	f := os.NewFile(uintptr(fd), "journal-record")
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("logcfg: JournalHandler: record of %d bytes: %w", len(b), err)
	}
	seals := unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_WRITE | unix.F_SEAL_SEAL
	if _, err := unix.FcntlInt(f.Fd(), unix.F_ADD_SEALS, seals); err != nil {
		return fmt.Errorf("logcfg: JournalHandler: record of %d bytes: seal memfd: %w", len(b), err)
	}
	// net refuses WriteMsgUnix on a connected datagram socket: use sendmsg.
	raw, err := conn.SyscallConn()
	if err == nil {
		rights := unix.UnixRights(int(f.Fd()))
		werr := raw.Write(func(s uintptr) bool {
			err = unix.Sendmsg(int(s), nil, rights, nil, 0)
			return err != unix.EAGAIN
		})
		if err == nil {
			err = werr
		}
	}
	if err != nil {
		return fmt.Errorf("logcfg: JournalHandler: send %d bytes to %s: %w", len(b), j.path, err)
	}
	return nil
}
