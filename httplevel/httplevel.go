// Package httplevel is net/http middleware that turns up the logging of
// one request: a request whose header carries a level, signed with the
// listener's shared secret, runs with that level as its context's floor
// ([logcfg.WithLevel]), so the tree's slog loggers and
// [logcfg.Tree.LoggerContext] let its records through at that level, and
// no other request's.
//
//	secret, err := httplevel.ReadSecretFile("/etc/app/livelog.secret") // the listener's WithSecretFile
//	mw, err := httplevel.New(secret, nil)
//	http.ListenAndServe(addr, mw.Handler(mux))
//
// A client asks for DEBUG with two headers:
//
//	Livelog-Level: DEBUG;exp=1767225600
//	Livelog-Level-Signature: <hex HMAC-SHA256 of "DEBUG;exp=1767225600" keyed with the secret>
//
// ([Sign] computes the signature.) The value is a Python level name
// (DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET), optionally followed by
// ";exp=" and a Unix time after which the header is no longer honoured.
// The signature covers the whole value, expiry included; without an
// expiry a signed header is valid for as long as the secret is, so anyone
// who sees one can replay it: give one.
//
// Anything else changes nothing: an unsigned header, a wrong or malformed
// signature, an unknown level, an expired or malformed expiry, a value
// longer than 100 bytes. The request is served as if it carried no
// header (the middleware never refuses a request), and [Options.OnReject],
// if set, is told why. There is no way to build the middleware without a
// secret: [New] returns an error.
package httplevel

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg"
)

// The default header names.
const (
	DefaultHeader          = "Livelog-Level"
	DefaultSignatureHeader = "Livelog-Level-Signature"
)

// MaxValue is the longest header value honoured, in bytes.
const MaxValue = 100

// Options configure [New]; the zero value means the defaults.
type Options struct {
	// Header and SignatureHeader name the headers (default
	// DefaultHeader, DefaultSignatureHeader).
	Header, SignatureHeader string
	// Now tells the time for expiries (default time.Now).
	Now func() time.Time
	// OnReject, if set, is called for a request whose level header is
	// present but not honoured, with why (never with the secret or the
	// signature). It runs on the request's goroutine.
	OnReject func(r *http.Request, reason string)
}

// Middleware sets a request's level floor from a signed header.
type Middleware struct {
	secret []byte
	o      Options
}

// New builds the middleware with the listener's shared secret (the bytes
// of its secret file, surrounding spaces removed, as [ReadSecretFile]
// reads them). It fails without a secret: an unsigned header must never
// change a level. opts may be nil.
func New(secret []byte, opts *Options) (*Middleware, error) {
	if len(bytes.TrimSpace(secret)) == 0 {
		return nil, errors.New("httplevel: New: no secret: the middleware sets levels only from headers signed with the listener's shared secret")
	}
	m := &Middleware{secret: bytes.Clone(secret)}
	if opts != nil {
		m.o = *opts
	}
	if m.o.Header == "" {
		m.o.Header = DefaultHeader
	}
	if m.o.SignatureHeader == "" {
		m.o.SignatureHeader = DefaultSignatureHeader
	}
	if m.o.Now == nil {
		m.o.Now = time.Now
	}
	return m, nil
}

// ReadSecretFile reads a secret file as the listener's WithSecretFile
// does: its bytes with surrounding white space removed; an empty file is
// an error.
func ReadSecretFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("httplevel: secret file: %w", err)
	}
	if b = bytes.TrimSpace(b); len(b) == 0 {
		return nil, fmt.Errorf("httplevel: secret file %q is empty", path)
	}
	return b, nil
}

// Sign is the signature of a header value: the hex HMAC-SHA256 of value
// keyed with secret.
func Sign(secret []byte, value string) string { return hex.EncodeToString(sum(secret, value)) }

func sum(secret []byte, value string) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(value))
	return mac.Sum(nil)
}

// Handler wraps next: a request with a valid signed level header is
// served with that level as its context's floor; any other request
// exactly as it came.
func (m *Middleware) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		value := r.Header.Get(m.o.Header)
		if value == "" {
			next.ServeHTTP(w, r)
			return
		}
		level, reason := m.check(value, r.Header.Get(m.o.SignatureHeader))
		if reason != "" {
			if m.o.OnReject != nil {
				m.o.OnReject(r, reason)
			}
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(logcfg.WithLevel(r.Context(), level)))
	})
}

// check verifies a header value and its signature; reason is "" when it
// is honoured.
func (m *Middleware) check(value, sig string) (level zapcore.Level, reason string) {
	if len(value) > MaxValue {
		return 0, fmt.Sprintf("%s header is %d bytes (limit %d)", m.o.Header, len(value), MaxValue)
	}
	if sig == "" {
		return 0, m.o.Header + " header is not signed (no " + m.o.SignatureHeader + " header)"
	}
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return 0, m.o.SignatureHeader + " is not a hex HMAC-SHA256"
	}
	if !hmac.Equal(got, sum(m.secret, value)) {
		return 0, "bad signature: " + m.o.Header + " was not signed with this secret, or was altered"
	}
	name, exp, hasExp := strings.Cut(value, ";")
	level, err = logcfg.ParseLevel(name)
	if err != nil {
		return 0, fmt.Sprintf("%s: %v", m.o.Header, err)
	}
	if hasExp {
		ts, ok := strings.CutPrefix(strings.TrimSpace(exp), "exp=")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if !ok || err != nil {
			return 0, fmt.Sprintf("%s: want LEVEL or LEVEL;exp=UNIXTIME, not %q", m.o.Header, value)
		}
		if now := m.o.Now(); now.Unix() > sec {
			return 0, fmt.Sprintf("%s expired at %s", m.o.Header, time.Unix(sec, 0).UTC().Format(time.RFC3339))
		}
	}
	return level, ""
}
