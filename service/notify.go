package service

import (
	"errors"
	"strconv"

	"github.com/coreos/go-systemd/v22/daemon"
)

// Ready tells systemd that the service is up: READY=1. Call it once
// logging and the listener (if any) are running; [Run] calls it for you.
// Outside systemd (NOTIFY_SOCKET unset) it does nothing and returns nil.
func Ready() error { return notify(daemon.SdNotifyReady) }

// Stopping tells systemd that the service is shutting down: STOPPING=1.
// [Run] calls it for you. Outside systemd it does nothing.
func Stopping() error { return notify(daemon.SdNotifyStopping) }

// Reload runs apply inside systemd's reload handshake: it sends
// RELOADING=1 and MONOTONIC_USEC=<now on CLOCK_MONOTONIC, in µs> in one
// datagram, runs apply, then sends READY=1, whether apply failed or not
// (the service still runs, on its old config). Without the handshake a
// unit with Type=notify-reload hangs in `systemctl reload` until its
// timeout. Outside systemd it only runs apply.
//
// It returns apply's error, joined with any notification error; use
// errors.Is / errors.As to tell them apart.
func Reload(apply func() error) error {
	errNotify := notify(reloadingState())
	err := apply()
	return errors.Join(err, errNotify, notify(daemon.SdNotifyReady))
}

// reloadingState is the datagram that opens a reload: systemd (since 253)
// takes the MONOTONIC_USEC timestamp to match it with the SIGHUP it sent.
func reloadingState() string {
	usec, ok := monotonicUsec()
	if !ok {
		return daemon.SdNotifyReloading
	}
	return daemon.SdNotifyReloading + "\nMONOTONIC_USEC=" + strconv.FormatUint(usec, 10)
}
