package wire

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRequest(t *testing.T) {
	for _, in := range []string{
		"[loggers]\nkeys=root\n",
		`{"version": 1, "incremental": true, "loggers": {"a": {"level": "DEBUG"}}}`,
		`{"livelog"`, // not JSON: a bare (bad) config
		"\xff\xfe garbage",
		"",
	} {
		env, raw, err := ParseRequest([]byte(in))
		require.NoError(t, err, in)
		assert.True(t, raw, in)
		assert.Equal(t, Envelope{Op: OpApply, Config: in}, env)
	}

	env, raw, err := ParseRequest([]byte(` {"livelog": 1, "config": "[x]", "for": "90s", "full": true, "defaults": {"here": "/srv"}, "future": 7}`))
	require.NoError(t, err)
	assert.False(t, raw)
	assert.Equal(t, Envelope{Livelog: 1, Op: OpApply, Config: "[x]", For: "90s", Full: true, Defaults: map[string]string{"here": "/srv"}}, env)
	d, err := env.Duration()
	require.NoError(t, err)
	assert.Equal(t, 90*time.Second, d)

	for in, want := range map[string]string{
		`{"livelog": 2, "op": "apply"}`:  "version 2 is not supported",
		`{"livelog": 1, "op": "reboot"}`: `unknown op "reboot"`,
		`{"livelog": 1, "for": "soon"}`:  `bad duration "soon"`,
		`{"livelog": 1, "for": "-5s"}`:   `bad duration "-5s"`,
		`{"livelog": 1, "config": 5}`:    "bad request envelope",
		`{"livelog": "1"}`:               "bad request envelope",
		`{"livelog": 1, "source": "` + strings.Repeat("s", MaxSource+1) + `"}`:                `"source" of 257 bytes`,
		`{"livelog": 1, "for": "` + strings.Repeat("9", 1<<20) + `"}`:                         `"for" of 1048576 bytes`,
		`{"livelog": 1, "op": "` + strings.Repeat("o", 1<<20) + `"}`:                          `"op" of 1048576 bytes`,
		`{"livelog": 1, "auth": {"ts": 1, "nonce": "` + strings.Repeat("n", 1<<20) + `"}}`:    "nonce of 1048576 bytes",
		`{"livelog": 1, "defaults": {"k": "` + strings.Repeat("v", MaxDefaultValue+1) + `"}}`: "4097-byte value",
	} {
		_, _, err := ParseRequest([]byte(in))
		if assert.ErrorContains(t, err, want, in[:min(len(in), 80)]) {
			assert.Less(t, len(err.Error()), 200, "errors quote lengths, not input")
		}
	}
}
