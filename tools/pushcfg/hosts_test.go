package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/dns/dnsmessage"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
)

func TestHostsFileParse(t *testing.T) {
	hosts := writeFile(t, "hosts", `# the fleet
127.0.0.2:7000-7002
  127.0.0.3   # default range

[::1]:7005
::1
localhost:7010-7010
127.0.0.2:8000-8001  # again: the first range stays
`)
	o, err := parseArgs([]string{"status", "--ports", "9001-9002", "--host", "127.0.0.9", "--hosts-file", hosts})
	require.NoError(t, err)
	assert.Equal(t, []string{"127.0.0.9", "127.0.0.2", "127.0.0.3", "::1", "localhost"}, o.hosts)
	assert.Equal(t, []fanout.HostPorts{
		{Host: "127.0.0.9", Lo: 9001, Hi: 9002},
		{Host: "127.0.0.2", Lo: 7000, Hi: 7002},
		{Host: "127.0.0.3", Lo: 9001, Hi: 9002},
		{Host: "::1", Lo: 7005, Hi: 7005},
		{Host: "localhost", Lo: 7010, Hi: 7010},
	}, o.hostRanges())
	assert.Len(t, o.targets(), 2+3+2+1+1)
	assert.Equal(t, "127.0.0.9:9001-9002, 127.0.0.2:7000-7002, 127.0.0.3:9001-9002, ::1:7005-7005, localhost:7010-7010", rangesText(o))

	// --hosts-file alone: no default 127.0.0.1.
	o, err = parseArgs([]string{"status", "--hosts-file", hosts})
	require.NoError(t, err)
	assert.NotContains(t, o.hosts, defaultHost)
}

func TestHostsFileBad(t *testing.T) {
	long := strings.Repeat("a", 5000)
	for _, tc := range []struct {
		content, want string
	}{
		{"127.0.0.2\nbad host\n", `hosts:2: "bad host": not a host name or IP address`},
		{"127.0.0.2:9030-9001\n", `hosts:1: "127.0.0.2:9030-9001": port range: 9030 is above 9001`},
		{"127.0.0.2:x\n", `hosts:1: "127.0.0.2:x": port range: want LO-HI`},
		{"127.0.0.2:\n", `hosts:1: "127.0.0.2:": empty port range`},
		{"::1:9001-9002\n", `hosts:1: "::1:9001-9002": an IPv6 address with a port range goes in brackets`},
		{"[::1:9001\n", `hosts:1: "[::1:9001": no ] after an IPv6 address`},
		{"[::1]9001\n", `want [IPv6]:LO-HI`},
		{"[localhost]:9001\n", `only an IPv6 address goes in brackets`},
		{"# nothing\n\n", `no host in it`},
		{"\n\n" + long + "\n", `hosts:3: "` + strings.Repeat("a", maxHostsLine) + `...": not a host name`},
	} {
		path := writeFile(t, "hosts", tc.content)
		code, _, errOut := runCmd(t, "status", "--hosts-file", path)
		assert.Equal(t, exitUsage, code, "%q", tc.content)
		assert.Contains(t, errOut, "pushcfg: --hosts-file "+path, "names the file")
		assert.Contains(t, errOut, tc.want, "%q", tc.content)
		assert.Less(t, len(errOut), 400, "clipped")
	}
	code, _, errOut := runCmd(t, "status", "--hosts-file", "no-such-file")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--hosts-file: open no-such-file")
}

// needLoopbacks skips on systems where 127.0.0.2 and up are not loopback
// addresses a listener can bind (only Linux routes all of 127/8 to lo).
func needLoopbacks(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("127.0.0.2 ... are loopback addresses only on Linux")
	}
}

// fleetPushReport is what these tests read of a push's --json.
type fleetPushReport struct {
	Results []pushResult  `json:"results"`
	Hosts   []hostSummary `json:"hosts"`
	Summary summary       `json:"summary"`
}

func TestHostsFileFleet(t *testing.T) {
	needLoopbacks(t)
	lo, hi := lltest.FreePortRange(t, 3)
	addrs := []string{"127.0.0.2", "127.0.0.3", "127.0.0.4"}
	kids := make([]*child, len(addrs))
	for i, a := range addrs {
		kids[i] = startChild(t, lo, hi, childOpts{name: "app-" + a, addr: a})
	}
	// 127.0.0.4 gets a range of its own (its listener's port only); the
	// others the --ports range. 127.0.0.1 is not listed: not scanned.
	hosts := writeFile(t, "hosts", fmt.Sprintf("# test fleet\n127.0.0.2\n127.0.0.3\n127.0.0.4:%d-%d\n", kids[2].port, kids[2].port))
	conf := writeFile(t, "error.conf", errorConf)
	ports := portsFlag(lo, hi)

	code, out, _ := runCmd(t, conf, "--hosts-file", hosts, "--ports", ports, "--timeout", testTimeout, "--json")
	require.Equal(t, exitOK, code)
	var rep fleetPushReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Len(t, rep.Results, 3)
	for i, r := range rep.Results {
		assert.Equal(t, addrs[i], r.Host)
		assert.Equal(t, kids[i].port, r.Port)
		assert.Equal(t, outApplied, r.Outcome)
		assert.Equal(t, "app-"+addrs[i], r.Name)
	}
	assert.Equal(t, 3, rep.Summary.Applied)
	assert.Equal(t, 3+3+1, rep.Summary.Ports, "127.0.0.4 scanned on its own range only")
	assert.Equal(t, []hostSummary{
		{Host: "127.0.0.2", Ports: 3, Listeners: 1, Applied: 1},
		{Host: "127.0.0.3", Ports: 3, Listeners: 1, Applied: 1},
		{Host: "127.0.0.4", Ports: 1, Listeners: 1, Applied: 1},
	}, rep.Hosts)
	for _, k := range kids {
		assert.Equal(t, "ERROR", statusAt(t, k).Status.Levels["app"], "each process changed")
	}

	// set across them, with the table: one summary line per host.
	code, out, _ = runCmd(t, "set", "app=WARNING", "--hosts-file", hosts, "--ports", ports, "--timeout", testTimeout)
	require.Equal(t, exitOK, code)
	for _, a := range addrs {
		assert.Contains(t, out, a+": 1 listener, 1 applied, 0 failed")
	}
	for _, k := range kids {
		assert.Equal(t, "WARNING", statusAt(t, k).Status.Levels["app"])
	}

	// status across them: every process, no drift, per-host lines.
	code, out, _ = runCmd(t, "status", "--hosts-file", hosts, "--ports", ports, "--timeout", testTimeout, "--json")
	require.Equal(t, exitOK, code)
	var st struct {
		Results []statusResult `json:"results"`
		Hosts   []statusHost   `json:"hosts"`
		Summary statusSummary  `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &st))
	assert.Equal(t, 3, st.Summary.Found)
	assert.Equal(t, 0, st.Summary.Drift)
	require.Len(t, st.Hosts, 3)
	for i, h := range st.Hosts {
		assert.Equal(t, statusHost{Host: addrs[i], Ports: h.Ports, Listeners: 1, Answered: 1}, h)
	}
	code, out, _ = runCmd(t, "status", "--hosts-file", hosts, "--ports", ports, "--timeout", testTimeout)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "127.0.0.3: 1 listener, 1 answered, 0 failed")

	// loggers and history scan them too.
	code, out, _ = runCmd(t, "history", "--hosts-file", hosts, "--ports", ports, "--timeout", testTimeout)
	require.Equal(t, exitOK, code)
	for _, a := range addrs {
		assert.Contains(t, out, "app-"+a)
	}
	code, out, _ = runCmd(t, "loggers", "app", "--hosts-file", hosts, "--ports", ports, "--timeout", testTimeout)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "WARNING")

	// One port at a time reaches them all the same.
	code, out, _ = runCmd(t, "status", "--parallel", "1", "--hosts-file", hosts, "--ports", ports, "--timeout", testTimeout)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "3 listeners on")
	code, _, errOut := runCmd(t, "status", "--parallel", "0", "--hosts-file", hosts)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "pushcfg: --parallel 0: want 1 to 1024")

	// --dry-run changes nothing anywhere.
	code, _, _ = runCmd(t, "set", "app=DEBUG", "--dry-run", "--hosts-file", hosts, "--ports", ports, "--timeout", testTimeout)
	require.Equal(t, exitOK, code)
	for _, k := range kids {
		assert.Equal(t, "WARNING", statusAt(t, k).Status.Levels["app"], "dry run")
	}
}

// statusAt asks a child bound to its own address for its status.
func statusAt(t *testing.T, c *child) *wire.Reply {
	t.Helper()
	code, out, _ := runCmd(t, "status", "--host", c.addr, "--ports", portsFlag(c.port, c.port), "--json")
	require.Equal(t, exitOK, code)
	var st statusReport
	require.NoError(t, json.Unmarshal([]byte(out), &st))
	require.Len(t, st.Results, 1)
	return &wire.Reply{Status: st.Results[0].Status}
}

func TestNotLoopbackNeedsSecret(t *testing.T) {
	hosts := writeFile(t, "hosts", "127.0.0.1\n192.0.2.7:9001-9001\n")
	code, _, errOut := runCmd(t, "status", "--hosts-file", hosts)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "pushcfg: --hosts-file "+hosts+":2: 192.0.2.7 is not a loopback address: give --secret-file")
	code, _, errOut = runCmd(t, "set", "app=DEBUG", "--host", "192.0.2.7")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "pushcfg: --host: 192.0.2.7 is not a loopback address")
}

// dnsServer is a DNS server on a loopback UDP port answering A and AAAA
// queries from records (name with the final dot → addresses); any other
// name is NXDOMAIN. It serves until the test ends.
func dnsServer(t *testing.T, records map[string][]string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if resp, err := dnsAnswer(buf[:n], records); err == nil {
				pc.WriteTo(resp, from)
			}
		}
	}()
	return pc.LocalAddr().String()
}

// dnsAnswer builds the response to one query.
func dnsAnswer(query []byte, records map[string][]string) ([]byte, error) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, err
	}
	q, err := p.Question()
	if err != nil {
		return nil, err
	}
	addrs, known := records[q.Name.String()]
	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
	if !known {
		rh.RCode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(nil, rh)
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(q); err != nil {
		return nil, err
	}
	if err := b.StartAnswers(); err != nil {
		return nil, err
	}
	for _, a := range addrs {
		ip := netip.MustParseAddr(a)
		rrh := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 5}
		switch {
		case q.Type == dnsmessage.TypeA && ip.Is4():
			err = b.AResource(rrh, dnsmessage.AResource{A: ip.As4()})
		case q.Type == dnsmessage.TypeAAAA && ip.Is6():
			err = b.AAAAResource(rrh, dnsmessage.AAAAResource{AAAA: ip.As16()})
		}
		if err != nil {
			return nil, err
		}
	}
	return b.Finish()
}

// useDNS points pushcfg's resolver at a DNS server until the test ends.
func useDNS(t *testing.T, records map[string][]string) {
	t.Helper()
	server := dnsServer(t, records)
	old := resolver
	resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", server)
	}}
	t.Cleanup(func() { resolver = old })
}

func TestDNS(t *testing.T) {
	needLoopbacks(t)
	useDNS(t, map[string][]string{
		"app.livelog.test.":     {"127.0.0.6", "127.0.0.5", "::1"},
		"outside.livelog.test.": {"127.0.0.5", "192.0.2.9"},
		"empty.livelog.test.":   {},
	})
	lo, hi := lltest.FreePortRange(t, 3)
	kids := []*child{
		startChild(t, lo, hi, childOpts{name: "pod-a", addr: "127.0.0.5"}),
		startChild(t, lo, hi, childOpts{name: "pod-b", addr: "127.0.0.6"}),
	}
	conf := writeFile(t, "error.conf", errorConf)
	ports := portsFlag(lo, hi)

	code, out, _ := runCmd(t, conf, "--dns", "app.livelog.test", "--ports", ports, "--timeout", testTimeout, "--json")
	require.Equal(t, exitOK, code)
	var rep fleetPushReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Len(t, rep.Hosts, 3, "every A and AAAA record, sorted")
	assert.Equal(t, []string{"127.0.0.5", "127.0.0.6", "::1"}, []string{rep.Hosts[0].Host, rep.Hosts[1].Host, rep.Hosts[2].Host})
	assert.Equal(t, 2, rep.Summary.Applied)
	assert.Equal(t, 1, rep.Hosts[0].Applied)
	assert.Equal(t, 1, rep.Hosts[1].Applied)
	assert.Equal(t, 0, rep.Hosts[2].Listeners)
	for _, k := range kids {
		assert.Equal(t, "ERROR", statusAt(t, k).Status.Levels["app"])
	}

	code, out, _ = runCmd(t, "status", "--dns", "app.livelog.test", "--ports", ports, "--timeout", testTimeout)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "pod-a")
	assert.Contains(t, out, "pod-b")

	// An unknown name, a name without addresses: usage errors naming it.
	code, _, errOut := runCmd(t, "status", "--dns", "nosuch.livelog.test", "--ports", ports)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `pushcfg: --dns "nosuch.livelog.test": lookup nosuch.livelog.test`)
	assert.Contains(t, errOut, "no such host")
	code, _, errOut = runCmd(t, "status", "--dns", "empty.livelog.test", "--ports", ports)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `pushcfg: --dns "empty.livelog.test"`)

	// A name with a non-loopback address: refused without a secret,
	// nothing sent (pod-a keeps its level).
	code, _, errOut = runCmd(t, "set", "app=DEBUG", "--dns", "outside.livelog.test", "--ports", ports)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "pushcfg: --dns outside.livelog.test: 192.0.2.9 is not a loopback address: give --secret-file")
	assert.Equal(t, "ERROR", statusAt(t, kids[0]).Status.Levels["app"], "nothing sent")
	code, _, errOut = runCmd(t, "status", "--host", "outside.livelog.test", "--ports", ports)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "pushcfg: --host: outside.livelog.test (192.0.2.9) is not a loopback address")
	// With a secret the same name is scanned (192.0.2.9, TEST-NET, does
	// not answer: its ports are closed).
	secret := writeFile(t, "secret", "s3cret\n")
	code, out, errOut = runCmd(t, "status", "--dns", "outside.livelog.test", "--ports", portsFlag(kids[0].port, kids[0].port),
		"--secret-file", secret, "--timeout", "300ms", "--json")
	assert.NotEqual(t, exitUsage, code, "%s", errOut)
	var st statusReport
	require.NoError(t, json.Unmarshal([]byte(out), &st))
	require.Len(t, st.Hosts, 2)
	assert.Equal(t, "127.0.0.5", st.Hosts[0].Host)
	assert.Equal(t, "192.0.2.9", st.Hosts[1].Host)
	assert.Equal(t, 1, st.Hosts[1].Ports)
	assert.Equal(t, 0, st.Hosts[1].Listeners)

	// A bad name is a usage error before any lookup.
	code, _, errOut = runCmd(t, "status", "--dns", "bad name")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `pushcfg: --dns "bad name": want a DNS name`)
}

func TestHostsFlagsInHelpAndCompletion(t *testing.T) {
	code, out, _ := runCmd(t, "-h")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "--hosts-file FILE")
	assert.Contains(t, out, "--dns NAME")
	assert.Contains(t, out, "--parallel N")
	for _, c := range []string{cmdPush, cmdSet, cmdStatus, cmdLoggers, cmdHistory} {
		assert.Contains(t, commandFlags(c), "--hosts-file", c)
		assert.Contains(t, commandFlags(c), "--dns", c)
	}
	assert.NotContains(t, commandFlags(cmdCheck), "--dns")
	code, _, errOut := runCmd(t, "check", "--dns", "x.test", "f.conf")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "flag --dns does not apply to check")

	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	_, script, _ := runCmd(t, "completion", "bash")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fleet.hosts"), nil, 0o600))
	probe := script + `
COMP_WORDS=(pushcfg status --hosts-f); COMP_CWORD=2; _pushcfg; echo "${COMPREPLY[@]}"
COMP_WORDS=(pushcfg status --hosts-file fleet.h); COMP_CWORD=3; _pushcfg; echo "${COMPREPLY[@]}"
COMP_WORDS=(pushcfg set --dn); COMP_CWORD=2; _pushcfg; echo "${COMPREPLY[@]}"
`
	cmd := exec.Command("bash", "-c", probe)
	cmd.Dir = dir
	got, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", got)
	assert.Equal(t, "--hosts-file\nfleet.hosts\n--dns\n", string(got))
}

// TestHostsSummaryFailed: the per-host lines count a host whose listener
// rejects the push, and a host where nobody listens.
func TestHostsSummaryFailed(t *testing.T) {
	needLoopbacks(t)
	lo, hi := lltest.FreePortRange(t, 2)
	startChild(t, lo, hi, childOpts{name: "strict", addr: "127.0.0.7", reject: "frozen for the audit"})
	ok := startChild(t, lo, hi, childOpts{name: "easy", addr: "127.0.0.8"})
	hosts := writeFile(t, "hosts", "127.0.0.7\n127.0.0.8\n127.0.0.9 # nobody\n")
	conf := writeFile(t, "error.conf", errorConf)

	code, out, _ := runCmd(t, conf, "--hosts-file", hosts, "--ports", portsFlag(lo, hi), "--timeout", testTimeout)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "frozen for the audit")
	assert.Contains(t, out, "127.0.0.7: 1 listener, 0 applied, 1 failed\n")
	assert.Contains(t, out, "127.0.0.8: 1 listener, 1 applied, 0 failed\n")
	assert.Contains(t, out, "127.0.0.9: 0 listeners, 0 applied, 0 failed\n")
	assert.Equal(t, "ERROR", statusAt(t, ok).Status.Levels["app"])

	code, out, _ = runCmd(t, conf, "--hosts-file", hosts, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, "--json", "--dry-run")
	assert.Equal(t, exitFailed, code)
	var rep fleetPushReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, []hostSummary{
		{Host: "127.0.0.7", Ports: 2, Listeners: 1, Failed: 1},
		{Host: "127.0.0.8", Ports: 2, Listeners: 1, DryRun: 1},
		{Host: "127.0.0.9", Ports: 2},
	}, rep.Hosts)
}
