package listener

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// Status describes the process as a status request sees it: what
// [Listener.Status] returns, and what a client gets in the "status" object
// of a status reply. Its JSON form is that object (docs/PROTOCOL.md,
// "Status"), with durations in seconds:
//
//	{"started":"2026-03-01T12:00:00Z","uptime_s":90,"generation":4,
//	 "last_change":{"at":"2026-03-01T12:01:00Z","from":"127.0.0.1:51234","source":"error.conf","summary":"..."},
//	 "levels":{"root":"ERROR","app.db":"ERROR"},"temp_remaining_s":360}
type Status struct {
	// Started is when the listener started.
	Started time.Time
	// Uptime is the time since Started, on the listener's clock.
	Uptime time.Duration
	// Generation is the tree's config generation ([logcfg.Tree.Generation]).
	Generation uint64
	// LastChange says when and from where the running config last
	// changed. A listener always sets it.
	LastChange *LastChange
	// Levels maps the loggers of the tree (configured, and made since)
	// to their effective levels, in Python's names: "root" → "INFO". At
	// most wire.MaxStatusLevels (2,000) are listed, root first, then by
	// name; names are clipped to 200 bytes.
	Levels map[string]string
	// LevelsOmitted counts the loggers left out of Levels.
	LevelsOmitted int
	// TempRemaining is the time left on a temporary change; 0 if none is
	// in effect.
	TempRemaining time.Duration
	// Loggers lists the same loggers as Levels, in the same order, with
	// each one's own level too.
	Loggers []LoggerLevel
	// History lists the last changes, applied (the tree's history) and
	// rejected (by this listener), newest first; at most 20.
	History []HistoryEntry
}

// LoggerLevel is one logger of [Status].Loggers.
type LoggerLevel struct {
	Name      string
	Level     string // its own level; "NOTSET" inherits
	Effective string // the level that applies
}

// HistoryEntry is one change in [Status].History.
type HistoryEntry struct {
	At         time.Time
	Generation uint64 // the generation it made; for a rejection, the one that stayed
	Outcome    string // "applied" or "rejected"
	// Source is what made it: "start", "push", "set", "revert", "SIGHUP
	// reload", "file", "code" (logcfg's Source constants), or "status"
	// for a refused status request.
	Source string
	// Origin says it in words: "push from 127.0.0.1", "revert to
	// generation 3 (push from 127.0.0.1)".
	Origin         string
	Peer           string // the client's address, for a push or set
	KeyID          string // the key that signed it
	File           string
	Changes        []Change
	ChangesOmitted int
	Expires        time.Time // zero if permanent
	Error          string    // why it was rejected
}

// Change is one level a change set, with Python level names.
type Change struct {
	Kind string // "logger" or "handler"
	Name string
	Old  string
	New  string
}

// LastChange says when and from where the running config last changed.
type LastChange struct {
	// At is when the change was applied.
	At time.Time
	// From is who made it: a client's remote address ("127.0.0.1:51234"),
	// "start", "revert" (a temporary change ran out), or "application"
	// (the program applied a config itself, e.g. a file reload).
	From string
	// Source names the config, e.g. the pushed file's name; "" if unknown.
	Source string
	// Summary is a line of text saying what changed.
	Summary string
	// Kind is what made it (as [HistoryEntry].Source), and Origin says it
	// in words, e.g. "revert to generation 3 (push from 127.0.0.1)".
	Kind   string
	Origin string
}

// Status describes the process, as a status request sees it. It changes
// nothing.
func (l *Listener) Status() *Status {
	now := l.o.clock.Now()
	// The same list as Tree.Loggers: every logger a config names or the
	// program asked for, root first, then by name.
	all := l.tree.Loggers()
	shown := min(len(all), wire.MaxStatusLevels)
	levels := make(map[string]string, shown)
	loggers := make([]LoggerLevel, 0, shown)
	for _, ll := range all[:shown] {
		name := clip(ll.Name, wire.MaxText)
		levels[name] = logcfg.LevelName(ll.Effective)
		loggers = append(loggers, LoggerLevel{Name: name, Level: logcfg.LevelName(ll.Level), Effective: logcfg.LevelName(ll.Effective)})
	}
	gen := l.tree.Generation()
	st := &Status{
		Started:       l.started,
		Uptime:        now.Sub(l.started),
		Generation:    gen,
		Levels:        levels,
		LevelsOmitted: len(all) - shown,
		Loggers:       loggers,
		History:       l.history(),
	}
	st.LastChange = &LastChange{At: l.started, From: "start", Kind: logcfg.SourceStart, Origin: "start",
		Summary: fmt.Sprintf("running config when the listener started (generation %d)", l.startGen)}
	h := l.tree.History()
	switch {
	case len(h) > 0 && h[0].Generation > l.startGen:
		st.LastChange = &LastChange{At: h[0].At, From: clip(h[0].From, wire.MaxText), Source: clip(h[0].File, wire.MaxText),
			Summary: clip(h[0].Summary, wire.MaxError), Kind: h[0].Kind, Origin: clip(h[0].Origin, wire.MaxText)}
	case len(h) > 0 && h[0].Generation == l.startGen:
		st.LastChange.Source = clip(h[0].File, wire.MaxText) // the file the process started with
	}
	for _, tc := range l.tree.Temporary() { // soonest first
		if tc.Expires.After(now) {
			st.TempRemaining = tc.Expires.Sub(now)
			break
		}
	}
	return st
}

func (l *Listener) statusReply() wire.Reply {
	st := l.Status()
	return wire.Reply{Livelog: wire.Version, OK: true, Outcome: wire.OutcomeStatus,
		PID: l.pid, Name: l.o.name, Generation: st.Generation, Status: st.wire()}
}

// MarshalJSON encodes s as the "status" object of a status reply.
func (s Status) MarshalJSON() ([]byte, error) { return json.Marshal(s.wire()) }

// UnmarshalJSON decodes the "status" object of a status reply. Durations
// are read from seconds to the nearest nanosecond.
func (s *Status) UnmarshalJSON(b []byte) error {
	var w wire.Status
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = Status{
		Started:       w.Started,
		Uptime:        seconds(w.Uptime),
		Generation:    w.Generation,
		LastChange:    lastChangeOf(w.LastChange),
		Levels:        w.Levels,
		LevelsOmitted: w.LevelsOmitted,
		TempRemaining: seconds(w.TempRemaining),
	}
	for _, lv := range w.Loggers {
		s.Loggers = append(s.Loggers, LoggerLevel(lv))
	}
	for _, h := range w.History {
		e := HistoryEntry{At: h.At, Generation: h.Generation, Outcome: h.Outcome, Source: h.Source, Origin: h.Origin,
			Peer: h.Peer, KeyID: h.KeyID, File: h.File, ChangesOmitted: h.ChangesOmitted, Error: h.Error}
		if h.Expires != nil {
			e.Expires = *h.Expires
		}
		for _, c := range h.Changes {
			e.Changes = append(e.Changes, Change(c))
		}
		s.History = append(s.History, e)
	}
	return nil
}

// wire is s in the wire's form.
func (s *Status) wire() *wire.Status {
	w := &wire.Status{
		Started:       s.Started,
		Uptime:        s.Uptime.Seconds(),
		Generation:    s.Generation,
		Levels:        s.Levels,
		LevelsOmitted: s.LevelsOmitted,
		TempRemaining: s.TempRemaining.Seconds(),
	}
	if lc := s.LastChange; lc != nil {
		w.LastChange = &wire.LastChange{At: lc.At, From: lc.From, Source: lc.Source, Summary: lc.Summary, Kind: lc.Kind, Origin: lc.Origin}
	}
	for _, lv := range s.Loggers {
		w.Loggers = append(w.Loggers, wire.LoggerLevel(lv))
	}
	for _, h := range s.History {
		e := wire.HistoryEntry{At: h.At, Generation: h.Generation, Outcome: h.Outcome, Source: h.Source, Origin: h.Origin,
			Peer: h.Peer, KeyID: h.KeyID, File: h.File, ChangesOmitted: h.ChangesOmitted, Error: h.Error}
		if !h.Expires.IsZero() {
			exp := h.Expires
			e.Expires = &exp
		}
		for _, c := range h.Changes {
			e.Changes = append(e.Changes, wire.Change(c))
		}
		w.History = append(w.History, e)
	}
	return w
}

// lastChangeOf converts the wire's LastChange; nil stays nil.
func lastChangeOf(w *wire.LastChange) *LastChange {
	if w == nil {
		return nil
	}
	return &LastChange{At: w.At, From: w.From, Source: w.Source, Summary: w.Summary, Kind: w.Kind, Origin: w.Origin}
}

// seconds converts a count of seconds to a Duration, saturating where a
// Duration ends (about 292 years) and reading a negative count, or one
// that is not a number, as 0.
func seconds(sec float64) time.Duration {
	switch {
	case !(sec > 0):
		return 0
	case sec >= math.MaxInt64/float64(time.Second):
		return math.MaxInt64
	}
	return time.Duration(math.Round(sec * float64(time.Second)))
}
