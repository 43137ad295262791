package listener

import (
	"errors"

	"golang.org/x/sys/windows"
)

// addrInUse reports whether a bind failed because the port is taken. Go
// returns Winsock's own errno there, which syscall.EADDRINUSE (a value Go
// made up for Windows) does not match: WSAEADDRINUSE for a port another
// socket holds, WSAEACCES for one held with SO_EXCLUSIVEADDRUSE or in a
// range Windows reserves (netsh interface ipv4 show excludedportrange;
// Hyper-V and Docker reserve many). Either way the port cannot be had.
func addrInUse(err error) bool {
	return errors.Is(err, windows.WSAEADDRINUSE) || errors.Is(err, windows.WSAEACCES)
}
