package listener

import (
	"errors"
	"fmt"
	"net"
	"strconv"
)

// ErrNoFreePort is wrapped by the error [Start] returns when every port of
// the range is taken.
var ErrNoFreePort = errors.New("no free port")

// bind listens on the first port of lo..hi that it can bind. The bind is
// the test: two processes starting together cannot both get a port, so
// they end up on different ones. Only a port taken (addrInUse, one per
// OS) moves on to the next port; any other failure (a bad address) is
// returned at once.
func bind(address string, lo, hi int) (net.Listener, error) {
	for port := lo; port <= hi; port++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(address, strconv.Itoa(port)))
		if err == nil {
			return ln, nil
		}
		if !addrInUse(err) {
			return nil, fmt.Errorf("listener: bind %s: %w", net.JoinHostPort(address, strconv.Itoa(port)), err)
		}
	}
	return nil, fmt.Errorf("listener: %w on %s: every port of %d-%d is taken", ErrNoFreePort, address, lo, hi)
}

// isLoopback reports whether address names only the loopback interface.
func isLoopback(address string) bool {
	if address == "localhost" {
		return true
	}
	ip := net.ParseIP(address)
	return ip != nil && ip.IsLoopback()
}
