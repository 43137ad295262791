package wire

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCanonicalDocumentedExample(t *testing.T) {
	env := &Envelope{Op: "apply", Defaults: map[string]string{"here": "/srv"}, Config: "[x]",
		Auth: &Auth{Time: 1700000000, Nonce: "n1"}}
	assert.Equal(t, "livelog-auth-v2\n2:s1\n10:1700000000\n2:n1\n5:apply\n0:\n5:false\n0:\n1:1\n4:here\n4:/srv\n3:[x]\n",
		string(Canonical(env, "s1")))
	assert.Equal(t, "381ad795ff8974e7110133ff35fe06450061f4f2eb543b50785181dd18cb3aae",
		hex.EncodeToString(mac(env, "s1", []byte("s3cret"))), "the HMAC in docs/PROTOCOL.md")
}

func TestCanonicalUnambiguous(t *testing.T) {
	a := &Envelope{Op: "apply", Defaults: map[string]string{"a": "b\n1:c"}}
	b := &Envelope{Op: "apply", Defaults: map[string]string{"a": "b", "c": ""}}
	assert.NotEqual(t, Canonical(a, "s"), Canonical(b, "s"))
}

func TestSignVerify(t *testing.T) {
	secret := []byte("s3cret")
	now := time.Unix(1700000000, 0)
	server := NewNonce()
	signed := func() *Envelope {
		env := &Envelope{Livelog: 1, Op: OpApply, Config: "[loggers]", For: "5m", Defaults: map[string]string{"here": "/srv"}}
		Sign(env, secret, now, server, "abcdabcdabcdabcd")
		return env
	}
	env := signed()
	assert.Len(t, env.Auth.MAC, 64)
	require.NoError(t, Verify(env, secret, server, now))
	require.NoError(t, Verify(env, secret, server, now.Add(MaxSkew)))
	require.NoError(t, Verify(env, secret, server, now.Add(-MaxSkew)))

	assert.ErrorIs(t, Verify(env, []byte("other"), server, now), ErrBadSignature)
	assert.ErrorIs(t, Verify(env, secret, server, now.Add(MaxSkew+time.Second)), ErrStale)
	assert.ErrorIs(t, Verify(env, secret, server, now.Add(-MaxSkew-time.Second)), ErrStale)
	assert.ErrorIs(t, Verify(&Envelope{Op: OpApply}, secret, server, now), ErrUnsigned)

	for name, tamper := range map[string]func(*Envelope){
		"config":   func(e *Envelope) { e.Config += " " },
		"op":       func(e *Envelope) { e.Op = OpStatus },
		"for":      func(e *Envelope) { e.For = "50m" },
		"full":     func(e *Envelope) { e.Full = true },
		"source":   func(e *Envelope) { e.Source = "x.conf" },
		"defaults": func(e *Envelope) { e.Defaults["here"] = "/etc" },
		"nonce":    func(e *Envelope) { e.Auth.Nonce = "abcdabcdabcdabce" },
		"ts":       func(e *Envelope) { e.Auth.Time++ },
		"mac hex":  func(e *Envelope) { e.Auth.MAC = "zz" },
	} {
		e := signed()
		tamper(e)
		assert.ErrorIs(t, Verify(e, secret, server, now), ErrBadSignature, name)
	}
}

// A signature covers the server nonce: the same frame is refused on
// another connection or by another listener with the same secret.
func TestSignatureBindsServerNonce(t *testing.T) {
	secret := []byte("s3cret")
	now := time.Unix(1700000000, 0)
	env := &Envelope{Livelog: 1, Op: OpStatus}
	Sign(env, secret, now, NewNonce(), NewNonce())
	assert.ErrorIs(t, Verify(env, secret, NewNonce(), now), ErrBadSignature)
}

func TestVerifyNonceLength(t *testing.T) {
	secret := []byte("s3cret")
	now := time.Unix(1700000000, 0)
	server := NewNonce()
	for _, n := range []string{"", "short", strings.Repeat("a", MaxNonce+1), strings.Repeat("a", 1<<20), "abcdabcdabcdabc\x1b"} {
		env := &Envelope{Livelog: 1, Op: OpStatus}
		Sign(env, secret, now, server, n)
		err := Verify(env, secret, server, now)
		require.ErrorIs(t, err, ErrBadSignature, "nonce of %d bytes", len(n))
		assert.Less(t, len(err.Error()), 200)
	}
}

func TestNewNonce(t *testing.T) {
	a, b := NewNonce(), NewNonce()
	assert.Len(t, a, 32)
	assert.NotEqual(t, a, b)
}

// dry_run and via are signed when set, and a request without them signs
// as it did before they existed (older listeners verify it).
func TestCanonicalCoversDryRunAndVia(t *testing.T) {
	base := &Envelope{Op: "apply", Defaults: map[string]string{"here": "/srv"}, Config: "[x]", Auth: &Auth{Time: 1700000000, Nonce: "n1"}}
	plain := string(Canonical(base, "s1"))
	dry := *base
	dry.DryRun = true
	assert.Equal(t, plain+"7:dry_run\n", string(Canonical(&dry, "s1")))
	set := *base
	set.Via = ViaSet
	assert.Equal(t, plain+"3:via\n3:set\n", string(Canonical(&set, "s1")))

	secret, now, server := []byte("s3cret"), time.Unix(1700000000, 0), NewNonce()
	env := &Envelope{Livelog: 1, Op: OpApply, Config: "[loggers]", DryRun: true}
	Sign(env, secret, now, server, "abcdabcdabcdabcd")
	require.NoError(t, Verify(env, secret, server, now))
	env.DryRun = false // a dry run turned into an apply on the way
	assert.ErrorIs(t, Verify(env, secret, server, now), ErrBadSignature)
}

func TestHelloFeaturesAndVia(t *testing.T) {
	h := &Hello{Features: []string{FeatureDryRun}}
	assert.True(t, h.HasFeature(FeatureDryRun))
	assert.False(t, h.HasFeature(FeatureLoggers))
	_, _, err := ParseRequest([]byte(`{"livelog":1,"via":"bogus"}`))
	assert.ErrorContains(t, err, `unknown "via"`)
	env, _, err := ParseRequest([]byte(`{"livelog":1,"via":"set","dry_run":true}`))
	require.NoError(t, err)
	assert.True(t, env.DryRun)
	assert.Equal(t, ViaSet, env.Via)
}
