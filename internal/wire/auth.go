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

// Nonce lengths. A client nonce (Auth.Nonce) is 16 to 64 bytes of
// printable ASCII; [NewNonce] makes 32 hex digits. A server nonce is what
// the listener sent in its Hello.
const (
	MinNonce = 16
	MaxNonce = 64
)

// NewNonce returns 16 random bytes in hex (32 digits): a client nonce for
// [Sign], or a listener's server nonce for its [Hello].
func NewNonce() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("wire: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// Sign sets env.Auth: the time now (Unix seconds), the client nonce, and
// the hex HMAC-SHA256, keyed with secret, of [Canonical](env,
// serverNonce). serverNonce is the Nonce of the Hello the listener sent on
// this connection: the signature is valid on that connection only. Change
// nothing in env after signing.
func Sign(env *Envelope, secret []byte, now time.Time, serverNonce, clientNonce string) {
	env.Auth = &Auth{Time: now.Unix(), Nonce: clientNonce}
	env.Auth.MAC = hex.EncodeToString(mac(env, serverNonce, secret))
}

// Verify checks env.Auth against secret and the server nonce the listener
// sent on this connection: present, a client nonce of [MinNonce] to
// [MaxNonce] printable bytes, a correct HMAC, and a timestamp within
// [MaxSkew] of now. A replay on another connection, or to another
// listener, fails (its server nonce differs); the listener rejects a
// client nonce used twice on one connection. Errors wrap [ErrUnsigned],
// [ErrBadSignature] or [ErrStale].
func Verify(env *Envelope, secret []byte, serverNonce string, now time.Time) error {
	a := env.Auth
	if a == nil || a.MAC == "" {
		return ErrUnsigned
	}
	if err := checkNonce(a.Nonce); err != nil {
		return err
	}
	got, err := hex.DecodeString(a.MAC)
	if err != nil || len(got) != sha256.Size || !hmac.Equal(got, mac(env, serverNonce, secret)) {
		return ErrBadSignature
	}
	skew := now.Sub(time.Unix(a.Time, 0))
	if skew > MaxSkew || skew < -MaxSkew {
		return fmt.Errorf("%w: signed at %s, %s away from the listener's clock (limit %s)",
			ErrStale, time.Unix(a.Time, 0).UTC().Format(time.RFC3339), skew.Round(time.Second), MaxSkew)
	}
	return nil
}

// checkNonce checks a client nonce's length and bytes.
func checkNonce(n string) error {
	if len(n) < MinNonce || len(n) > MaxNonce {
		return fmt.Errorf("%w: nonce of %d bytes (want %d to %d)", ErrBadSignature, len(n), MinNonce, MaxNonce)
	}
	for i := range len(n) {
		if n[i] <= ' ' || n[i] > '~' {
			return fmt.Errorf("%w: nonce byte %d is not printable ASCII", ErrBadSignature, i)
		}
	}
	return nil
}

func mac(env *Envelope, serverNonce string, secret []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write(Canonical(env, serverNonce))
	return h.Sum(nil)
}

// Canonical returns the bytes that [Sign] authenticates:
//
//	"livelog-auth-v2\n" then, for each item, its length in bytes (decimal),
//	":", the item, "\n"
//
// The items, in order: the server nonce (from the listener's Hello), ts
// (decimal Unix seconds), the client nonce, op, for, full ("true" or
// "false"), source, the number of defaults (decimal), then each default's
// key and value in key order (bytewise), and last config, its exact
// bytes. For server nonce "s1", ts 1700000000, client nonce "n1", op
// "apply", no for, full false, no source, defaults {"here": "/srv"} and
// config "[x]":
//
//	livelog-auth-v2\n2:s1\n10:1700000000\n2:n1\n5:apply\n0:\n5:false\n0:\n1:1\n4:here\n4:/srv\n3:[x]\n
//
// Then, only when set: the item "dry_run" for a dry run, and the items
// "via" and its value for a Via. The lengths make the encoding
// unambiguous; Livelog and Auth.MAC are not covered.
func Canonical(env *Envelope, serverNonce string) []byte {
	var ts int64
	var nonce string
	if env.Auth != nil {
		ts, nonce = env.Auth.Time, env.Auth.Nonce
	}
	b := []byte("livelog-auth-v2\n")
	item := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
		b = append(b, '\n')
	}
	item(serverNonce)
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
	// Later fields are covered only when set, so a request that does not
	// use them signs exactly as it did before they existed.
	if env.DryRun {
		item("dry_run")
	}
	if env.Via != "" {
		item("via")
		item(env.Via)
	}
	return b
}
