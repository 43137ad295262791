package wire

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// badUTF8 is the offset of the first byte of b that is not valid UTF-8.
func badUTF8(b []byte) int {
	i := 0
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return i
}

// ParseRequest reads a request frame's payload. A JSON object with the key
// "livelog" is an [Envelope] (raw is false); anything else is a bare
// config, as a Python client sends it, returned as an apply Envelope with
// Config set to the payload (raw is true). An Envelope with an unknown
// version or op, or a bad "for" duration, is an error; a bare payload is
// never one here (its config is checked when parsed).
func ParseRequest(payload []byte) (env Envelope, raw bool, err error) {
	if isEnvelope(payload) {
		// JSON is UTF-8 (RFC 8259); encoding/json would replace a bad
		// byte inside a string with U+FFFD, changing the config that a
		// signature covers, so such an envelope is refused whole.
		if !utf8.Valid(payload) {
			return Envelope{}, false, fmt.Errorf("wire: request envelope is not valid UTF-8 (first bad byte at offset %d)", badUTF8(payload))
		}
		if err := json.Unmarshal(payload, &env); err != nil {
			return Envelope{}, false, fmt.Errorf("wire: bad request envelope: %w", err)
		}
		if err := env.checkSizes(); err != nil {
			return Envelope{}, false, err
		}
		if env.Livelog != Version {
			return Envelope{}, false, fmt.Errorf("wire: request version %d is not supported (want %d)", env.Livelog, Version)
		}
		switch env.Op {
		case "":
			env.Op = OpApply
		case OpApply, OpStatus:
		default:
			return Envelope{}, false, fmt.Errorf("wire: unknown op %q (want %q or %q)", env.Op, OpApply, OpStatus)
		}
		if _, err := env.Duration(); err != nil {
			return Envelope{}, false, err
		}
		if env.Via != "" && env.Via != ViaSet {
			return Envelope{}, false, fmt.Errorf("wire: unknown \"via\" of %d bytes (want \"\" or %q)", len(env.Via), ViaSet)
		}
		return env, false, nil
	}
	return Envelope{Op: OpApply, Config: string(payload)}, true, nil
}

// Caps on an Envelope's fields other than Config (which the payload cap
// bounds), checked by [ParseRequest].
const (
	MaxOp           = 16  // bytes of "op"
	MaxSource       = 256 // bytes of "source"
	MaxFor          = 32  // bytes of "for"
	MaxDefaults     = 64  // entries of "defaults"
	MaxDefaultKey   = 256 // bytes of a default's key
	MaxDefaultValue = 4 << 10
)

// checkSizes checks the fields' caps. The messages give lengths, never
// the text.
func (e *Envelope) checkSizes() error {
	switch {
	case len(e.Op) > MaxOp:
		return fmt.Errorf("wire: \"op\" of %d bytes (want %q or %q)", len(e.Op), OpApply, OpStatus)
	case len(e.Source) > MaxSource:
		return fmt.Errorf("wire: \"source\" of %d bytes (limit %d)", len(e.Source), MaxSource)
	case len(e.For) > MaxFor:
		return fmt.Errorf("wire: \"for\" of %d bytes (limit %d)", len(e.For), MaxFor)
	case len(e.Defaults) > MaxDefaults:
		return fmt.Errorf("wire: %d \"defaults\" (limit %d)", len(e.Defaults), MaxDefaults)
	case e.Auth != nil && len(e.Auth.Nonce) > MaxNonce:
		return fmt.Errorf("wire: nonce of %d bytes (limit %d)", len(e.Auth.Nonce), MaxNonce)
	case e.Auth != nil && len(e.Auth.MAC) > 2*sha256.Size:
		return fmt.Errorf("wire: \"hmac\" of %d bytes (want %d hex digits)", len(e.Auth.MAC), 2*sha256.Size)
	}
	for k, v := range e.Defaults {
		if len(k) > MaxDefaultKey || len(v) > MaxDefaultValue {
			return fmt.Errorf("wire: a default of %d-byte key and %d-byte value (limits %d and %d)",
				len(k), len(v), MaxDefaultKey, MaxDefaultValue)
		}
	}
	return nil
}

// isEnvelope reports whether payload is a JSON object with a top-level key
// "livelog".
func isEnvelope(payload []byte) bool {
	trimmed := bytes.TrimLeft(payload, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return false
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(payload, &probe) != nil {
		return false
	}
	_, ok := probe["livelog"]
	return ok
}

// Duration returns For as a duration: 0 when empty. A negative or
// unparsable value is an error.
func (e *Envelope) Duration() (time.Duration, error) {
	if e.For == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(e.For)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("wire: bad duration %q in \"for\" (want e.g. \"30s\" or \"10m\")", e.For)
	}
	return d, nil
}
