package fanout_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/fanout"
)

func TestParsePorts(t *testing.T) {
	for _, tc := range []struct {
		in     string
		lo, hi int
	}{
		{"9001-9030", 9001, 9030},
		{"9001", 9001, 9001},
		{" 9001 - 9030 ", 9001, 9030},
		{"1-65535", 1, 65535},
		{"7-7", 7, 7},
		{"09001-09002", 9001, 9002},
	} {
		lo, hi, err := fanout.ParsePorts(tc.in)
		require.NoError(t, err, "%q", tc.in)
		assert.Equal(t, []int{tc.lo, tc.hi}, []int{lo, hi}, "%q", tc.in)
	}

	for _, tc := range []struct{ in, want string }{
		{"", `fanout: port range "": want LO-HI, e.g. 9001-9030`},
		{"abc", `fanout: port range "abc": want LO-HI, e.g. 9001-9030`},
		{"9001-", `fanout: port range "9001-": want LO-HI, e.g. 9001-9030`},
		{"-9001", `fanout: port range "-9001": want LO-HI, e.g. 9001-9030`},
		{"+9001", `fanout: port range "+9001": want LO-HI, e.g. 9001-9030`},
		{"9001-9030-9040", `fanout: port range "9001-9030-9040": want LO-HI, e.g. 9001-9030`},
		{"9001:9030", `fanout: port range "9001:9030": want LO-HI, e.g. 9001-9030`},
		{"1e3", `fanout: port range "1e3": want LO-HI, e.g. 9001-9030`},
		{"9030-9001", `fanout: port range "9030-9001": 9030 is above 9001`},
		{"0-10", `fanout: port range "0-10": ports run from 1 to 65535`},
		{"1-70000", `fanout: port range "1-70000": ports run from 1 to 65535`},
		{"100000", `fanout: port range "100000": ports run from 1 to 65535`},
		{"99999999999999999999", `fanout: port range "99999999999999999999": want LO-HI, e.g. 9001-9030`},
	} {
		_, _, err := fanout.ParsePorts(tc.in)
		require.Error(t, err, "%q", tc.in)
		assert.Equal(t, tc.want, err.Error(), "%q", tc.in)
		var pe *fanout.PortsError
		require.True(t, errors.As(err, &pe), "%q: a *PortsError", tc.in)
		assert.Equal(t, tc.in, pe.Input, "short input is quoted whole")
	}

	_, _, err := fanout.ParsePorts("9030-9001")
	var pe *fanout.PortsError
	require.True(t, errors.As(err, &pe))
	assert.EqualError(t, pe.Flag("pushcfg: --ports"), `pushcfg: --ports "9030-9001": 9030 is above 9001`)
}

// TestParsePortsClips: a long bad argument comes back clipped, never cut
// inside a rune.
func TestParsePortsClips(t *testing.T) {
	for _, in := range []string{strings.Repeat("9", 1<<20), "1-x" + strings.Repeat("é", 100)} {
		_, _, err := fanout.ParsePorts(in)
		var pe *fanout.PortsError
		require.True(t, errors.As(err, &pe))
		assert.LessOrEqual(t, len(pe.Input), 32+len("..."))
		assert.True(t, strings.HasSuffix(pe.Input, "..."), pe.Input)
		assert.True(t, strings.HasPrefix(in, strings.TrimSuffix(pe.Input, "...")), "a prefix of the input")
		assert.True(t, utf8.ValidString(pe.Input), "%q", pe.Input)
		assert.Less(t, len(err.Error()), 100)
	}
}

func TestTargets(t *testing.T) {
	ts := fanout.Targets([]string{"127.0.0.1", "::1", "localhost"}, 9001, 9003)
	var addrs []string
	for _, tg := range ts {
		addrs = append(addrs, tg.Addr())
	}
	assert.Equal(t, []string{
		"127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003",
		"[::1]:9001", "[::1]:9002", "[::1]:9003",
		"localhost:9001", "localhost:9002", "localhost:9003",
	}, addrs, "hosts in the order given, ports ascending")
	assert.Equal(t, fanout.Target{Host: "::1", Port: 9002}, ts[4])
	assert.Empty(t, fanout.Targets([]string{"127.0.0.1"}, 9003, 9001))
	assert.Empty(t, fanout.Targets(nil, 1, 10))
	assert.Len(t, fanout.Targets([]string{"127.0.0.1"}, 1, 65535), 65535)
}

func TestTargetsOf(t *testing.T) {
	ts := fanout.TargetsOf([]fanout.HostPorts{
		{Host: "127.0.0.2", Lo: 9001, Hi: 9002},
		{Host: "::1", Lo: 7000, Hi: 7000},
		{Host: "127.0.0.3", Lo: 5, Hi: 4}, // empty range: nothing
		{Host: "127.0.0.4", Lo: 9001, Hi: 9001},
	})
	var addrs []string
	for _, tg := range ts {
		addrs = append(addrs, tg.Addr())
	}
	assert.Equal(t, []string{"127.0.0.2:9001", "127.0.0.2:9002", "[::1]:7000", "127.0.0.4:9001"}, addrs,
		"each host's own range, hosts in the order given")
	assert.Equal(t, fanout.Targets([]string{"a", "b"}, 1, 3),
		fanout.TargetsOf([]fanout.HostPorts{{Host: "a", Lo: 1, Hi: 3}, {Host: "b", Lo: 1, Hi: 3}}))
	assert.Empty(t, fanout.TargetsOf(nil))
}
