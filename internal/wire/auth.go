package wire

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// MaxSkew is how far a signed request's timestamp may be from the
// listener's clock, either way.
const MaxSkew = 5 * time.Minute

// Errors returned by Verify.
var (
	ErrUnsigned     = errors.New("wire: request is not signed")
	ErrBadSignature = errors.New("wire: bad signature")
	ErrStale        = errors.New("wire: stale signature")
)

// NewNonce returns 16 random bytes in hex, for [Sign].
func NewNonce() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("wire: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// Sign sets env.Auth: the time now (Unix seconds), nonce, and the hex
// HMAC-SHA256, keyed with secret, of env's canonical bytes (see
// [Canonical]). Change nothing in env after signing.
func Sign(env *Envelope, secret []byte, now time.Time, nonce string) {
	env.Auth = &Auth{Time: now.Unix(), Nonce: nonce}
	env.Auth.MAC = hex.EncodeToString(mac(env, secret))
}

// Verify checks env.Auth against secret: present, a correct HMAC, and a
// timestamp within [MaxSkew] of now. It does not detect replays; the
// listener remembers nonces for that. Errors wrap [ErrUnsigned],
// [ErrBadSignature] or [ErrStale].
func Verify(env *Envelope, secret []byte, now time.Time) error {
	a := env.Auth
	if a == nil || a.MAC == "" {
		return ErrUnsigned
	}
	got, err := hex.DecodeString(a.MAC)
	if err != nil || !hmac.Equal(got, mac(env, secret)) {
		return ErrBadSignature
	}
	skew := now.Sub(time.Unix(a.Time, 0))
	if skew > MaxSkew || skew < -MaxSkew {
		return fmt.Errorf("%w: signed at %s, %s away from the listener's clock (limit %s)",
			ErrStale, time.Unix(a.Time, 0).UTC().Format(time.RFC3339), skew.Round(time.Second), MaxSkew)
	}
	return nil
}

func mac(env *Envelope, secret []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write(Canonical(env))
	return h.Sum(nil)
}

// Canonical returns the bytes that [Sign] authenticates:
//
//	"livelog-auth-v1\n" then, for each item, its length in bytes (decimal),
//	":", the item, "\n"
//
// The items, in order: ts (decimal Unix seconds), nonce, op, for, full
// ("true" or "false"), source, the number of defaults (decimal), then each
// default's key and value in key order (bytewise), and last config. For
// ts 1700000000, nonce "n1", op "apply", no for, full false, no source,
// defaults {"here": "/srv"} and config "[x]":
//
//	livelog-auth-v1\n10:1700000000\n2:n1\n5:apply\n0:\n5:false\n0:\n1:1\n4:here\n4:/srv\n3:[x]\n
//
// The lengths make the encoding unambiguous; Livelog and Auth.MAC are not
// covered.
func Canonical(env *Envelope) []byte {
	var ts int64
	var nonce string
	if env.Auth != nil {
		ts, nonce = env.Auth.Time, env.Auth.Nonce
	}
	b := []byte("livelog-auth-v1\n")
	item := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
		b = append(b, '\n')
	}
	item(strconv.FormatInt(ts, 10))
	item(nonce)
	item(env.Op)
	item(env.For)
	item(strconv.FormatBool(env.Full))
	item(env.Source)
	keys := make([]string, 0, len(env.Defaults))
	for k := range env.Defaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	item(strconv.Itoa(len(keys)))
	for _, k := range keys {
		item(k)
		item(env.Defaults[k])
	}
	item(env.Config)
	return b
}
