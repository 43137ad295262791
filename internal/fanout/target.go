package fanout

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Target is one port on one host.
type Target struct {
	Host string // a host name or an IP address, without brackets
	Port int
}

// Addr is the target as "host:port" ("[::1]:9001" for IPv6), as net.Dial
// takes it.
func (t Target) Addr() string { return net.JoinHostPort(t.Host, strconv.Itoa(t.Port)) }

// Targets lists every port of lo..hi on every host: hosts in the order
// given, ports ascending within each host. That is the order in which
// [Run], [Push] and [Status] return their results, and the order of a
// report. It is empty when lo > hi.
func Targets(hosts []string, lo, hi int) []Target {
	if lo > hi {
		return nil
	}
	out := make([]Target, 0, len(hosts)*(hi-lo+1))
	for _, h := range hosts {
		for p := lo; p <= hi; p++ {
			out = append(out, Target{Host: h, Port: p})
		}
	}
	return out
}

// PortsError is a port range that [ParsePorts] could not read.
type PortsError struct {
	Input  string // the text given, clipped to 32 bytes and "..."
	Reason string // what is wrong with it, e.g. "9030 is above 9001"
}

func (e *PortsError) Error() string { return e.text("fanout: port range") }

// Flag is the error as a command reports a bad flag value: prefix, then
// the input quoted, then the reason.
//
//	pe.Flag("pushcfg: --ports") // pushcfg: --ports "9030-9001": 9030 is above 9001
func (e *PortsError) Flag(prefix string) error { return errors.New(e.text(prefix)) }

func (e *PortsError) text(prefix string) string {
	return fmt.Sprintf("%s %q: %s", prefix, e.Input, e.Reason)
}

// ParsePorts reads a port range: "LO-HI" (e.g. "9001-9030") or a single
// port ("9001", which is 9001-9001). Spaces around the numbers are
// allowed; the numbers are decimal digits only. Both ends must lie in
// 1..65535, and LO must not be above HI. An error is always a
// [*PortsError] quoting the input, so that a command can say which flag
// it came from ([PortsError.Flag]):
//
//	fanout: port range "9030-9001": 9030 is above 9001
func ParsePorts(s string) (lo, hi int, err error) {
	loS, hiS, isRange := strings.Cut(s, "-")
	if !isRange {
		hiS = loS
	}
	lo, okLo := portNumber(loS)
	hi, okHi := portNumber(hiS)
	switch {
	case !okLo || !okHi:
		return 0, 0, &PortsError{Input: clip(s), Reason: "want LO-HI, e.g. 9001-9030"}
	case lo < 1 || lo > 65535 || hi < 1 || hi > 65535:
		return 0, 0, &PortsError{Input: clip(s), Reason: "ports run from 1 to 65535"}
	case lo > hi:
		return 0, 0, &PortsError{Input: clip(s), Reason: fmt.Sprintf("%d is above %d", lo, hi)}
	}
	return lo, hi, nil
}

// portNumber reads one end of a range: decimal digits, at most six of
// them (enough to tell 65536 and 100000 from a port), spaces around.
func portNumber(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 6 {
		return 0, false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// maxQuoted caps how much of a bad port range an error quotes: a range
// is at most 13 bytes ("65535 - 65535"), so more is only noise.
const maxQuoted = 32

// clip shortens user input quoted in an error message, so that a
// megabyte-long argument does not come back in the message whole. It
// never cuts a rune in two.
func clip(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	end := maxQuoted
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "..."
}

// HostPorts is one host and the port range to scan on it.
type HostPorts struct {
	Host   string
	Lo, Hi int
}

// TargetsOf lists every port of every host's own range: hosts in the
// order given, ports ascending within each host (a host whose Lo is above
// its Hi adds nothing). [Targets] is TargetsOf with one range for all.
func TargetsOf(hosts []HostPorts) []Target {
	n := 0
	for _, h := range hosts {
		n += max(0, h.Hi-h.Lo+1)
	}
	out := make([]Target, 0, n)
	for _, h := range hosts {
		for p := h.Lo; p <= h.Hi; p++ {
			out = append(out, Target{Host: h.Host, Port: p})
		}
	}
	return out
}
