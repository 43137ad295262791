//go:build unix

package service

import (
	"fmt"

	"github.com/coreos/go-systemd/v22/daemon"
	"golang.org/x/sys/unix"
)

// notify sends one datagram to $NOTIFY_SOCKET, if set.
func notify(state string) error {
	if _, err := daemon.SdNotify(false, state); err != nil {
		return fmt.Errorf("service: notify %q: %w", state, err)
	}
	return nil
}

// monotonicUsec is now on CLOCK_MONOTONIC, systemd's clock, in µs.
func monotonicUsec() (uint64, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0, false // cannot happen: the clock exists on these systems
	}
	return uint64(ts.Sec)*1e6 + uint64(ts.Nsec)/1e3, true
}
