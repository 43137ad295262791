package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
)

// hostile is text a forged listener sends: an OSC 52 clipboard write, a
// carriage return that forges a row, a screen erase, a title, a C1 CSI,
// and bytes that are not UTF-8.
const hostile = "evil\x1b]52;c;cm0gLXJmIH4=\x07\r127.0.0.1:9001  1  ok\x1b[2J\x1b]0;pwned\x07\u009b31m\x7f\xff\xfe\n"

// startForger listens on port, greets every connection as livelog with
// greeting (raw JSON bytes), reads one request frame and answers it with
// reply (raw bytes after a length; announced, when announce > 0, as that
// many bytes). It serves at most 20 connections, each for at most 10 s.
func startForger(t *testing.T, port int, greeting, reply []byte, announce int) {
	t.Helper()
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	require.NoError(t, err)
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		for range 20 {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(10 * time.Second))
			wire.WriteFrame(c, greeting)
			if _, err := wire.ReadFrame(c, 1<<20); err == nil {
				if announce > 0 {
					var hdr [4]byte
					binary.BigEndian.PutUint32(hdr[:], uint32(announce))
					c.Write(append(hdr[:], reply...))
				} else {
					wire.WriteFrame(c, reply)
				}
			}
			c.Close()
		}
	}()
}

// hostileJSON encodes v, then puts the raw hostile bytes (invalid UTF-8
// included) where "HOSTILE" stands.
func hostileJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	esc, err := json.Marshal(hostile)
	require.NoError(t, err)
	// Invalid UTF-8 survives as raw bytes: put them back unescaped.
	raw := strings.ReplaceAll(string(esc[1:len(esc)-1]), `\ufffd\ufffd`, "\xff\xfe")
	return []byte(strings.ReplaceAll(string(b), "HOSTILE", raw))
}

func TestForgedListenerNeverReachesTheTerminalRaw(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 1)
	greeting := hostileJSON(t, wire.Hello{Livelog: 1, PID: 7, Name: "HOSTILE"})
	reply := hostileJSON(t, wire.Reply{Livelog: 1, OK: true, Outcome: wire.OutcomeApplied, PID: 7, Name: "HOSTILE", Generation: 2,
		Changes: []wire.Change{{Kind: "logger", Name: "HOSTILE", Old: "HOSTILE", New: "DEBUG"}}, Ignored: []string{"HOSTILE"}})
	startForger(t, lo, greeting, reply, 0)
	conf := writeFile(t, "error.conf", errorConf)

	_, out, _ := runCmd(t, "--ports", portsFlag(lo, lo), "--timeout", testTimeout, conf)
	for _, bad := range []string{"\x1b", "\r", "\x07", "\u009b", "\xff"} {
		assert.NotContains(t, out, bad, "table output carries %q raw:\n%q", bad, out)
	}
	assert.Contains(t, out, `evil\x1b]52;c;`)
	assert.Contains(t, out, `\r127.0.0.1:9001`)
	assert.Equal(t, 3, strings.Count(out, "\n"), "header, one row, summary: no forged row:\n%s", out)

	_, out, _ = runCmd(t, "--ports", portsFlag(lo, lo), "--timeout", testTimeout, "--json", conf)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc), "--json is JSON:\n%q", out)
	for _, bad := range []string{"\x1b", "\r", "\x07", "\u009b", "\x7f"} {
		assert.NotContains(t, out, bad, "--json carries %q raw:\n%q", bad, out)
	}
	assert.Contains(t, out, `\u009b31m\u007f`, "C1 and DEL are \\u escapes")

	_, out, _ = runCmd(t, "status", "--ports", portsFlag(lo, lo), "--timeout", testTimeout)
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\r")
}

// A reply longer than the client reads is reported as what it is: the
// push may have applied.
func TestReplyTooLarge(t *testing.T) {
	lo, _ := lltest.FreePortRange(t, 1)
	greeting, err := json.Marshal(wire.Hello{Livelog: 1, PID: 7, Name: "big"})
	require.NoError(t, err)
	startForger(t, lo, greeting, []byte(`{"livelog":1`), wire.MaxReply+1)
	conf := writeFile(t, "error.conf", errorConf)

	code, out, _ := runCmd(t, "--ports", portsFlag(lo, lo), "--timeout", testTimeout, conf)
	assert.Equal(t, exitOK, code, out)
	assert.Contains(t, out, "the push may have applied")
	assert.NotContains(t, out, "exceeds")
}
