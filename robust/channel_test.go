package robust_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
)

// statusFrame is a status request as one frame.
func statusFrame(t *testing.T) []byte {
	var b strings.Builder
	require.NoError(t, wire.WriteJSON(&b, wire.Envelope{Livelog: 1, Op: wire.OpStatus}))
	return []byte(b.String())
}

// pipeliner connects and writes status requests without ever reading a
// reply, until a write fails (the listener cut it off), 20,000 frames
// were written, or 20 s passed. Its socket stays open until the test ends.
func pipeliner(t *testing.T, addr string, frame []byte, wg *sync.WaitGroup) {
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	// A small receive buffer makes the listener's reply writes stall after
	// a few replies, not after megabytes of them: how soon the lease ends
	// then depends on the write timeout, not on how fast a loaded machine
	// answers 20,000 status requests.
	require.NoError(t, nc.(*net.TCPConn).SetReadBuffer(4096))
	wg.Go(func() {
		nc.SetWriteDeadline(time.Now().Add(20 * time.Second))
		for range 20000 {
			if _, err := nc.Write(frame); err != nil {
				return
			}
		}
	})
}

// probe asks for status on a fresh connection and reports whether it was
// answered with a status (not turned away).
func probe(addr string) bool {
	c, _, err := wire.Dial(context.Background(), addr, 5*time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	rep, err := c.Status()
	return err == nil && rep.OK
}

// Point 1: 16 clients that pipeline status requests and never read hold
// every slot only until a reply write stalls past the write timeout; then
// they are cut off and legitimate probes get through, though the
// pipeliners' sockets stay open.
func TestPipeliningClientsLoseTheirSlots(t *testing.T) {
	logFile := t.TempDir() + "/child.log"
	p := startChild(t, childOptions{config: levelsINI(logFile, "INFO", "WARNING"),
		readTimeout: 30 * time.Second, writeTimeout: time.Second, maxConns: hostileMaxConns})
	frame := statusFrame(t)
	var wg sync.WaitGroup
	for range hostileMaxConns {
		pipeliner(t, p.addr, frame, &wg)
	}
	// Once each pipeliner's lease is over (a reply write stalled for the
	// 1 s write timeout), a round of 30 probes is answered in full.
	lltest.WaitFor(t, 30*time.Second, func() bool {
		refused := 0
		for range 30 {
			if !probe(p.addr) {
				refused++
			}
		}
		t.Logf("probes refused out of 30 with 16 pipelining clients: %d", refused)
		return refused == 0
	})
	wg.Wait()
}

// turnedAway matches the listener's summary line.
var turnedAway = regexp.MustCompile(`turned away (\d+) connections? \(limit 16\)`)

// Point 1: a client reconnecting in a loop while every slot is taken makes
// one summary WARNING per interval, not one per connection.
func TestTurnedAwayIsSummarised(t *testing.T) {
	logFile := t.TempDir() + "/child.log"
	p := startChild(t, childOptions{config: levelsINI(logFile, "INFO", "WARNING"), readTimeout: 30 * time.Second})
	for range hostileMaxConns { // idle, holding every slot
		c := p.dial(t)
		t.Cleanup(func() { c.Close() })
	}
	// Every slot is taken for 30 s: each connection of the loop is turned
	// away.
	refusedSeen := 0
	deadline := time.Now().Add(5 * time.Second)
	for i := 0; i < 1000 && time.Now().Before(deadline); i++ {
		c, _, err := wire.Dial(context.Background(), p.addr, 5*time.Second)
		require.NoError(t, err)
		if rep, err := c.Status(); err == nil {
			require.Contains(t, rep.Error, "too many connections")
		}
		refusedSeen++
		c.Close()
	}
	require.NoError(t, p.stop(30*time.Second))

	b, err := os.ReadFile(logFile)
	require.NoError(t, err)
	log := string(b)
	assert.NotContains(t, log, "too many connections", "no WARNING per turned-away connection")
	matches := turnedAway.FindAllStringSubmatch(log, -1)
	require.NotEmpty(t, matches, "a summary line:\n%s", log)
	assert.LessOrEqual(t, len(matches), 2, "one line per 10 s interval (and one at close)")
	total := 0
	for _, m := range matches {
		n, _ := strconv.Atoi(m[1])
		total += n
	}
	assert.Equal(t, refusedSeen, total, "every turned-away connection is counted")
}

// Point 2: SIGTERM ends a listener process promptly whatever its clients
// are doing: mid-frame, not reading replies, idle, and over the cap. The
// read timeout is a minute; the listener must not wait for it.
func TestSIGTERMWithBusyConnections(t *testing.T) {
	logFile := t.TempDir() + "/child.log"
	p := startChild(t, childOptions{config: levelsINI(logFile, "INFO", "WARNING"),
		readTimeout: time.Minute, writeTimeout: time.Minute})
	frame := statusFrame(t)
	var wg sync.WaitGroup
	for range 5 {
		pipeliner(t, p.addr, frame, &wg)
	}
	for range 5 { // mid-frame: a length of 1000 bytes, then 10 of them
		nc, err := net.Dial("tcp", p.addr)
		require.NoError(t, err)
		t.Cleanup(func() { nc.Close() })
		_, err = nc.Write([]byte("\x00\x00\x03\xe80123456789"))
		require.NoError(t, err)
	}
	for range 16 { // idle, and then over the cap
		nc, err := net.Dial("tcp", p.addr)
		require.NoError(t, err)
		t.Cleanup(func() { nc.Close() })
	}
	assert.NoError(t, p.terminate(30*time.Second), "the child must exit soon after SIGTERM")
	wg.Wait()
}

// Point 6: thousands of signed requests lock nobody out (there is no
// replay cache to fill), and a frame signed for one listener is refused
// by another with the same secret.
func TestSignedRequestsBindToOneListener(t *testing.T) {
	logFile := t.TempDir() + "/child.log"
	secretFile := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(secretFile, []byte("s3cret\n"), 0o600))
	secret := []byte("s3cret")
	cfg := levelsINI(logFile, "INFO", "WARNING")
	a := startChild(t, childOptions{config: cfg, secretFile: secretFile})
	b := startChild(t, childOptions{config: cfg, secretFile: secretFile})

	sent := 0
	deadline := time.Now().Add(20 * time.Second)
	for conn := 0; conn < 25 && time.Now().Before(deadline); conn++ {
		c := a.dial(t)
		for range 200 {
			env := wire.Envelope{Livelog: 1, Op: wire.OpStatus}
			wire.Sign(&env, secret, time.Now(), c.Hello().Nonce, wire.NewNonce())
			rep, err := c.Request(env)
			require.NoError(t, err)
			require.True(t, rep.OK, rep.Error)
			sent++
		}
		c.Close()
	}
	require.Greater(t, sent, 4096, "more signed requests than the old replay cache held")

	c := a.dial(t)
	defer c.Close()
	env := wire.Envelope{Livelog: 1, Op: wire.OpApply, Config: levelsINI(logFile, "DEBUG", "WARNING")}
	wire.Sign(&env, secret, time.Now(), c.Hello().Nonce, wire.NewNonce())
	rep, err := c.Request(env)
	require.NoError(t, err)
	assert.True(t, rep.OK, "a signed push still applies: %s", rep.Error)

	// The same signed frame, replayed to the other listener.
	payload, err := json.Marshal(env)
	require.NoError(t, err)
	cb := b.dial(t)
	defer cb.Close()
	rep, err = cb.RequestRaw(payload)
	require.NoError(t, err)
	assert.False(t, rep.OK)
	assert.Contains(t, rep.Error, "bad signature")
	assert.Equal(t, "INFO", signedStatus(t, b, secret).Levels["root"])

	// A nonce of 512 KiB is refused by its length, and not echoed back.
	big := wire.Envelope{Livelog: 1, Op: wire.OpStatus}
	wire.Sign(&big, secret, time.Now(), cb.Hello().Nonce, strings.Repeat("n", 512<<10))
	rep, err = cb.Request(big)
	require.NoError(t, err)
	assert.False(t, rep.OK)
	assert.Contains(t, rep.Error, "nonce of 524288 bytes")
	assert.Less(t, len(rep.Error), 300)
}

// signedStatus asks a listener that requires signed requests for its
// status.
func signedStatus(t *testing.T, p *proc, secret []byte) *wire.Status {
	t.Helper()
	c := p.dial(t)
	defer c.Close()
	env := wire.Envelope{Livelog: 1, Op: wire.OpStatus}
	wire.Sign(&env, secret, time.Now(), c.Hello().Nonce, wire.NewNonce())
	rep, err := c.Request(env)
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Error)
	return rep.Status
}
