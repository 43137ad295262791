// Package wire is the livelog config channel's format, shared by the
// listener and pushcfg: frames, the greeting, requests and replies.
// docs/PROTOCOL.md is the prose version of this file.
//
// A frame is a 4-byte big-endian length and that many payload bytes, as
// Python's logging.config.listen reads them. On every accepted connection a
// livelog listener speaks first: it sends a [Hello] frame, so a client can
// tell a livelog listener from any other program without writing a byte.
// The client then sends request frames; after each, the listener sends a
// [Reply] frame. A request payload is either a bare config (INI or
// dictConfig JSON, exactly what a Python client sends) or an [Envelope]: a
// JSON object with the key "livelog", carrying options and auth.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Version is the protocol version in Hello and Envelope.
const Version = 1

// DefaultMaxPayload is the default cap on a frame's payload length.
const DefaultMaxPayload = 1 << 20

// Output caps, shared by the listener (which never sends more) and the
// client (which reads up to them).
const (
	// MaxReply caps a reply frame's payload. A listener never sends a
	// longer one (it answers with a short error instead), and a client
	// reads replies up to this length.
	MaxReply = 4 << 20
	// MaxStatusLevels caps the loggers a status lists; the rest are
	// counted in [Status].LevelsOmitted.
	MaxStatusLevels = 2000
	// MaxListed caps the changes and the ignored parts a reply lists; the
	// rest are counted ("and N more").
	MaxListed = 100
	// MaxText caps each string a listener puts in a list of a reply or
	// in status (a name, an ignored part): longer ones are clipped with
	// "…" and their length.
	MaxText = 200
	// MaxError caps a reply's error message.
	MaxError = 1 << 10
)

// Errors returned by ReadFrame.
var (
	ErrTooLarge  = errors.New("wire: frame too large")
	ErrTruncated = errors.New("wire: truncated frame")
)

// WriteFrame writes one frame: the 4-byte big-endian length, then payload.
func WriteFrame(w io.Writer, payload []byte) error {
	if uint64(len(payload)) > 0xFFFFFFFF {
		return fmt.Errorf("%w: %d bytes", ErrTooLarge, len(payload))
	}
	buf := make([]byte, 4+len(payload))
	binary.BigEndian.PutUint32(buf, uint32(len(payload)))
	copy(buf[4:], payload)
	_, err := w.Write(buf)
	return err
}

// ReadFrame reads one frame whose payload is at most max bytes. The length
// is checked before anything is allocated, and the payload buffer grows only
// as bytes arrive (it starts at 64 KiB at most), so a peer that announces a
// large frame and sends nothing costs little memory. io.EOF means the peer
// closed cleanly before a new frame; a frame cut short is ErrTruncated.
// Other read errors (a deadline, a reset) are wrapped, so errors.Is works
// on them.
func ReadFrame(r io.Reader, max int) ([]byte, error) {
	var hdr [4]byte
	if n, err := io.ReadFull(r, hdr[:]); err != nil {
		if err == io.EOF && n == 0 {
			return nil, io.EOF
		}
		if err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("%w: %d of 4 length bytes", ErrTruncated, n)
		}
		if n == 0 {
			return nil, err
		}
		return nil, fmt.Errorf("wire: after %d of 4 length bytes: %w", n, err)
	}
	n := int64(binary.BigEndian.Uint32(hdr[:]))
	if max < 0 || n > int64(max) {
		return nil, fmt.Errorf("%w: length %d exceeds the %d-byte limit", ErrTooLarge, n, max)
	}
	payload := make([]byte, 0, min(n, firstChunk))
	for int64(len(payload)) < n {
		if len(payload) == cap(payload) {
			grown := make([]byte, len(payload), min(2*int64(cap(payload)), n))
			copy(grown, payload)
			payload = grown
		}
		end := int(min(int64(cap(payload)), n))
		got, err := r.Read(payload[len(payload):end])
		payload = payload[:len(payload)+got]
		if err != nil && int64(len(payload)) < n {
			if err == io.EOF {
				return nil, fmt.Errorf("%w: %d of %d payload bytes", ErrTruncated, len(payload), n)
			}
			return nil, fmt.Errorf("wire: after %d of %d payload bytes: %w", len(payload), n, err)
		}
	}
	return payload, nil
}

// firstChunk is the largest buffer ReadFrame allocates before payload bytes
// arrive.
const firstChunk = 64 << 10

// Hello is the greeting a listener sends first on every connection.
type Hello struct {
	Livelog    int    `json:"livelog"` // protocol Version; its presence identifies livelog
	PID        int    `json:"pid"`
	Name       string `json:"name"` // process name, e.g. "Worker #1"
	Generation uint64 `json:"generation"`
	Auth       bool   `json:"auth"` // requests must be signed
	Full       bool   `json:"full"` // full reconfiguration is allowed
	// Nonce is fresh and random for every connection (32 hex digits): a
	// signed request on this connection covers it (see [Sign]), which
	// binds the signature to this connection of this listener.
	Nonce string `json:"nonce,omitempty"`
	// Features lists what the listener understands beyond protocol 1 as
	// first published ([FeatureDryRun], ...). A client sends a request
	// that needs a feature only to a listener that lists it: an older
	// listener ignores unknown envelope keys, and would apply a dry run.
	Features []string `json:"features,omitempty"`
}

// Features a listener may list in its Hello.
const (
	// FeatureDryRun: an apply with "dry_run": true is answered with what
	// it would do, and changes nothing.
	FeatureDryRun = "dry_run"
	// FeatureSet: "via": "set" is recorded as a set, not a push.
	FeatureSet = "set"
	// FeatureLoggers: a status lists "loggers" (configured and
	// effective levels).
	FeatureLoggers = "loggers"
	// FeatureHistory: a status lists "history" (the last changes).
	FeatureHistory = "history"
	// FeatureWarnings: a reply lists the config's "warnings".
	FeatureWarnings = "warnings"
)

// HasFeature reports whether h lists feature f.
func (h *Hello) HasFeature(f string) bool {
	for _, have := range h.Features {
		if have == f {
			return true
		}
	}
	return false
}

// Envelope is a livelog request: a JSON object with the key "livelog".
type Envelope struct {
	Livelog  int               `json:"livelog"`            // Version
	Op       string            `json:"op"`                 // "apply" or "status"
	Config   string            `json:"config,omitempty"`   // INI or JSON text, for "apply"
	For      string            `json:"for,omitempty"`      // temporary change: Go duration, e.g. "30s"
	Full     bool              `json:"full,omitempty"`     // ask for full reconfiguration
	Defaults map[string]string `json:"defaults,omitempty"` // interpolation defaults
	Source   string            `json:"source,omitempty"`   // the config's file name, for messages and status
	// DryRun asks the listener what the apply would do under its own
	// policy (changes, ignored parts, warnings) without applying it. Send
	// it only to a listener whose Hello lists [FeatureDryRun].
	DryRun bool `json:"dry_run,omitempty"`
	// Via says what made the request, for status and the audit: "" (a
	// push of a config) or [ViaSet] (single levels, pushcfg set).
	Via  string `json:"via,omitempty"`
	Auth *Auth  `json:"auth,omitempty"`
}

// ViaSet is the Via of a set: an incremental config naming single levels.
const ViaSet = "set"

// Auth signs an Envelope with a shared secret.
type Auth struct {
	Time  int64  `json:"ts"`    // Unix seconds
	Nonce string `json:"nonce"` // random, hex
	MAC   string `json:"hmac"`  // hex HMAC-SHA256; see Sign
}

// Ops.
const (
	OpApply  = "apply"
	OpStatus = "status"
)

// Reply is the listener's answer to each request frame.
type Reply struct {
	Livelog    int      `json:"livelog"`
	OK         bool     `json:"ok"`
	Outcome    string   `json:"outcome"` // "applied", "rejected", "dry-run" or "status"
	Error      string   `json:"error,omitempty"`
	PID        int      `json:"pid"`
	Name       string   `json:"name"`
	Generation uint64   `json:"generation"`
	Changes    []Change `json:"changes,omitempty"`
	// ChangesOmitted counts the changes left out of Changes (a listener
	// lists at most [MaxListed]).
	ChangesOmitted int      `json:"changes_omitted,omitempty"`
	Ignored        []string `json:"ignored,omitempty"`
	// Warnings are the config's warnings (what Python would silently
	// ignore: unknown keys, sections not listed in keys=), as text, for an
	// applied, rejected or dry-run config; at most [MaxListed].
	Warnings []string `json:"warnings,omitempty"`
	// Expires is set when the applied change is temporary: when it reverts.
	Expires *time.Time `json:"expires,omitempty"`
	Status  *Status    `json:"status,omitempty"`
}

// Outcomes.
const (
	OutcomeApplied  = "applied"
	OutcomeRejected = "rejected"
	OutcomeStatus   = "status"
	// OutcomeDryRun answers a dry run: Changes, Ignored and Warnings say
	// what the apply would do; nothing changed.
	OutcomeDryRun = "dry-run"
)

// Change is one level that changed, with Python level names.
type Change struct {
	Kind string `json:"kind"` // "logger" or "handler"
	Name string `json:"name"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Status describes a running process; it is sent for OpStatus.
type Status struct {
	Started    time.Time         `json:"started"`
	Uptime     float64           `json:"uptime_s"`
	Generation uint64            `json:"generation"`
	LastChange *LastChange       `json:"last_change,omitempty"`
	Levels     map[string]string `json:"levels"` // logger name → effective level
	// LevelsOmitted counts the loggers left out of Levels (a listener
	// lists at most [MaxStatusLevels]).
	LevelsOmitted int `json:"levels_omitted,omitempty"`
	// TempRemaining is the time left on a temporary change, in seconds; 0 if none.
	TempRemaining float64 `json:"temp_remaining_s,omitempty"`
	// Loggers lists every logger in use (configured, or only asked for
	// by the program), root first then by name, with its own and its
	// effective level; at most [MaxStatusLevels] (the rest are counted in
	// LevelsOmitted, as for Levels).
	Loggers []LoggerLevel `json:"loggers,omitempty"`
	// History lists the last changes, applied and rejected, newest first;
	// at most [MaxHistory].
	History []HistoryEntry `json:"history,omitempty"`
}

// MaxHistory caps [Status].History.
const MaxHistory = 20

// LoggerLevel is one logger of [Status].Loggers.
type LoggerLevel struct {
	Name      string `json:"name"`
	Level     string `json:"level"`     // its own level; "NOTSET" inherits
	Effective string `json:"effective"` // the level that applies
}

// HistoryEntry is one change in [Status].History: applied or rejected.
type HistoryEntry struct {
	At         time.Time `json:"at"`
	Generation uint64    `json:"generation"` // the generation it made; for a rejection, the one that stayed
	Outcome    string    `json:"outcome"`    // "applied" or "rejected"
	// Source is what made it: "start", "push", "set", "revert", "SIGHUP
	// reload", "file" or "code".
	Source string `json:"source"`
	// Origin says it in words: "push from 127.0.0.1", "revert to
	// generation 3 (push from 127.0.0.1)".
	Origin         string     `json:"origin"`
	Peer           string     `json:"peer,omitempty"`   // the client's address, for a push or set
	KeyID          string     `json:"key_id,omitempty"` // the key that signed it
	File           string     `json:"file,omitempty"`
	Changes        []Change   `json:"changes,omitempty"`
	ChangesOmitted int        `json:"changes_omitted,omitempty"`
	Expires        *time.Time `json:"expires,omitempty"`
	Error          string     `json:"error,omitempty"` // why it was rejected
}

// LastChange says when and from where the running config last changed.
type LastChange struct {
	At      time.Time `json:"at"`
	From    string    `json:"from"`   // remote address, "start", "revert", "sighup", "application", ...
	Source  string    `json:"source"` // the config's file: an absolute path, or what a client named
	Summary string    `json:"summary"`
	// Kind is what made it (as [HistoryEntry].Source) and Origin says it
	// in words, e.g. "revert to generation 3 (push from 127.0.0.1)".
	Kind   string `json:"kind,omitempty"`
	Origin string `json:"origin,omitempty"`
}
