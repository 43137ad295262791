package listener_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
)

// TestNotUTF8Push: a config that is not UTF-8 is rejected whole, as a
// bare frame (as Python sends) and inside an envelope alike, with the
// line and byte offset; the levels in force do not move, and no byte is
// replaced with U+FFFD.
func TestNotUTF8Push(t *testing.T) {
	p := newProc(t)
	l := start(t, p)
	latin1 := strings.Replace(p.ini("DEBUG", "DEBUG"), "%(message)s", "caf\xe9 %(message)s", 1)
	require.Contains(t, latin1, "\xe9")
	line := 1 + strings.Count(latin1[:strings.IndexByte(latin1, 0xE9)], "\n")

	rep, err := dial(t, l).RequestRaw([]byte(latin1))
	require.NoError(t, err)
	assert.False(t, rep.OK)
	assert.Equal(t, wire.OutcomeRejected, rep.Outcome)
	assert.Contains(t, rep.Error, fmt.Sprintf(":%d: ", line))
	assert.Contains(t, rep.Error, fmt.Sprintf("byte 0xE9 at byte offset %d", strings.IndexByte(latin1, 0xE9)))

	// The same bytes inside an envelope's JSON string: encoding/json would
	// turn them into U+FFFD; the listener refuses the envelope instead.
	env := []byte(`{"livelog": 2, "op": "apply", "config": "[loggers]\nkeys=root\n# caf` + "\xe9" + `\n"}`)
	rep, err = dial(t, l).RequestRaw(env)
	require.NoError(t, err)
	assert.False(t, rep.OK)
	assert.Contains(t, rep.Error, "not valid UTF-8")

	assert.Equal(t, "INFO", p.effective("root"))
	assert.Equal(t, "WARNING", p.effective("app.db"))
	assert.NotContains(t, p.log(t), "\ufffd")
}

// TestSignedUTF8Push: a signed push of a config with non-ASCII text and
// characters JSON escapes (<, >, &, U+2028, a NUL in a comment) verifies:
// the signature covers exactly the bytes sent, which the envelope
// carries unchanged.
func TestSignedUTF8Push(t *testing.T) {
	p := newProc(t)
	secretPath := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(secretPath, []byte("correct horse\n"), 0o600))
	clock := lltest.NewFakeClock()
	l := start(t, p, listener.WithSecretFile(secretPath), listener.WithClock(clock))
	cfg := "# café <b> & \u2028 \x00 ☃\n" + p.ini("DEBUG", "WARNING")
	c := dial(t, l)
	env := wire.Envelope{Livelog: wire.Version, Op: wire.OpApply, Config: cfg}
	wire.Sign(&env, []byte("correct horse"), clock.Now(), c.Hello().Nonce, wire.NewNonce())
	rep, err := c.Apply(env)
	require.NoError(t, err)
	assert.True(t, rep.OK, rep.Error)
	assert.Equal(t, "DEBUG", p.effective("root"))
}
