package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"syscall"

	"github.com/livelog/livelog/internal/fanout"
)

// resolver answers --dns and the names of --host and --hosts-file; tests
// point it at a DNS server of their own.
var resolver = net.DefaultResolver

// maxHostsFile bounds --hosts-file: a list of hosts, not a data set.
const maxHostsFile = 1 << 20

// maxHostsLine clips a bad line of --hosts-file in an error.
const maxHostsLine = 64

// addHost adds host (already checked) to the hosts to scan, remembering
// where it came from (for errors) and its own port range, if any. A host
// named twice is scanned once, with the first range given for it.
func (o *options) addHost(host, origin string, lo, hi int) {
	if o.origin == nil {
		o.origin, o.portsOf = map[string]string{}, map[string][2]int{}
	}
	if !slices.Contains(o.hosts, host) {
		o.hosts = append(o.hosts, host)
		o.origin[host] = origin
	}
	if lo > 0 {
		if _, ok := o.portsOf[host]; !ok {
			o.portsOf[host] = [2]int{lo, hi}
		}
	}
}

// checkHost checks one host name or IP address (brackets around an IPv6
// address removed) and returns it as pushcfg scans it.
func checkHost(s string) (string, error) {
	host := strings.TrimSpace(s)
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	switch {
	case host == "":
		return "", errors.New("empty host")
	case net.ParseIP(host) != nil:
	case strings.Contains(host, ":"):
		return "", errors.New("want a host name or IP address without a port (use --ports)")
	case !hostName.MatchString(host) || len(host) > 253:
		return "", errors.New("not a host name or IP address")
	}
	return host, nil
}

// readHostsFile reads --hosts-file: one "host" or "host:LO-HI" per line
// (an IPv6 address in brackets: "[::1]:9001-9010"; a bare IPv6 address
// without a range is read whole), "#" to the end of a line is a comment,
// blank lines are skipped. A range overrides --ports for its host. Errors
// name the file and the line, and quote the line clipped.
func readHostsFile(o *options, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("pushcfg: --hosts-file: %w", err)
	}
	if len(b) > maxHostsFile {
		return fmt.Errorf("pushcfg: --hosts-file %s: %d bytes, more than the %d a list of hosts may have", path, len(b), maxHostsFile)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), maxHostsFile)
	n, found := 0, 0
	for sc.Scan() {
		n++
		line := sc.Text()
		text, _, _ := strings.Cut(line, "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		host, lo, hi, err := hostsLine(text)
		if err != nil {
			return fmt.Errorf("pushcfg: --hosts-file %s:%d: %q: %v", path, n, clipLine(line), err)
		}
		o.addHost(host, fmt.Sprintf("--hosts-file %s:%d", path, n), lo, hi)
		found++
	}
	if found == 0 {
		return fmt.Errorf("pushcfg: --hosts-file %s: no host in it (one host or host:LO-HI per line)", path)
	}
	return nil
}

// hostsLine reads one entry of --hosts-file; lo is 0 when it has no range.
func hostsLine(text string) (host string, lo, hi int, err error) {
	hostPart, ports := text, ""
	switch {
	case strings.HasPrefix(text, "["):
		end := strings.Index(text, "]")
		if end < 0 {
			return "", 0, 0, errors.New("no ] after an IPv6 address")
		}
		hostPart, ports = text[:end+1], text[end+1:]
		if ports != "" {
			var ok bool
			if ports, ok = strings.CutPrefix(ports, ":"); !ok {
				return "", 0, 0, errors.New("want [IPv6]:LO-HI after the ]")
			}
		}
	case net.ParseIP(text) != nil: // a bare IPv6 address
	case strings.Count(text, ":") > 1:
		return "", 0, 0, errors.New("an IPv6 address with a port range goes in brackets: [::1]:9001-9010")
	default:
		hostPart, ports, _ = strings.Cut(text, ":")
	}
	if host, err = checkHost(hostPart); err != nil {
		return "", 0, 0, err
	}
	if strings.HasPrefix(hostPart, "[") && net.ParseIP(host) == nil {
		return "", 0, 0, errors.New("only an IPv6 address goes in brackets")
	}
	if ports == "" && strings.HasSuffix(text, ":") {
		return "", 0, 0, errors.New("empty port range after the :")
	}
	if ports != "" {
		if lo, hi, err = fanout.ParsePorts(ports); err != nil {
			var pe *fanout.PortsError
			if errors.As(err, &pe) {
				err = errors.New("port range: " + pe.Reason)
			}
			return "", 0, 0, err
		}
	}
	return host, lo, hi, nil
}

// clipLine shortens a bad line quoted in an error.
func clipLine(s string) string {
	if len(s) <= maxHostsLine {
		return s
	}
	end := maxHostsLine
	for end > 0 && s[end]&0xc0 == 0x80 {
		end--
	}
	return s[:end] + "..."
}

// resolveHosts adds the addresses of --dns to the hosts, checks that
// every host name resolves, so that a typo is a usage error rather than
// a range of closed ports, and refuses a host that is not loopback (or a
// name with an address that is not) without --secret-file: a request to
// another machine crosses a network and must be signed, and the listener
// binds such an address only with a secret anyway.
func resolveHosts(ctx context.Context, o *options) error {
	if o.dns != "" {
		ctx, cancel := context.WithTimeout(ctx, o.timeout)
		addrs, err := resolver.LookupIPAddr(ctx, o.dns)
		cancel()
		if err != nil {
			return fmt.Errorf("pushcfg: --dns %q: %w", o.dns, err)
		}
		ips := make([]netip.Addr, 0, len(addrs))
		for _, a := range addrs {
			if ip, ok := netip.AddrFromSlice(a.IP); ok {
				ips = append(ips, ip.Unmap())
			}
		}
		if len(ips) == 0 {
			return fmt.Errorf("pushcfg: --dns %q: the name has no A or AAAA record", o.dns)
		}
		slices.SortFunc(ips, netip.Addr.Compare) // the resolver's order varies
		for _, ip := range slices.Compact(ips) {
			o.addHost(ip.String(), fmt.Sprintf("--dns %s", o.dns), 0, 0)
		}
	}
	for _, h := range o.hosts {
		addrs := []string{h}
		if net.ParseIP(h) == nil {
			ctx, cancel := context.WithTimeout(ctx, o.timeout)
			var err error
			addrs, err = resolver.LookupHost(ctx, h)
			cancel()
			if err != nil {
				if o.originOf(h) == "--host" {
					return fmt.Errorf("pushcfg: --host %q: %w", h, err)
				}
				return fmt.Errorf("pushcfg: %s: host %q: %w", o.originOf(h), h, err)
			}
		}
		if o.secret != nil {
			continue
		}
		for _, a := range addrs {
			if ip := net.ParseIP(a); ip == nil || !ip.IsLoopback() {
				what := a
				if a != h {
					what = fmt.Sprintf("%s (%s)", h, a)
				}
				return fmt.Errorf("pushcfg: %s: %s is not a loopback address: give --secret-file to contact another machine (nothing was sent)", o.originOf(h), what)
			}
		}
	}
	return nil
}

// originOf says where host came from, for an error.
func (o *options) originOf(host string) string {
	if s, ok := o.origin[host]; ok {
		return s
	}
	return "--host"
}

// hostRanges is every host with its port range: its own from
// --hosts-file, or --ports.
func (o *options) hostRanges() []fanout.HostPorts {
	out := make([]fanout.HostPorts, len(o.hosts))
	for i, h := range o.hosts {
		out[i] = fanout.HostPorts{Host: h, Lo: o.portLo, Hi: o.portHi}
		if r, ok := o.portsOf[h]; ok {
			out[i].Lo, out[i].Hi = r[0], r[1]
		}
	}
	return out
}

// targets is every port of every host.
func (o *options) targets() []fanout.Target { return fanout.TargetsOf(o.hostRanges()) }

// closedText says briefly why a port is closed.
func closedText(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return "no answer (connect timed out)"
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Err.Error()
	}
	return err.Error()
}
