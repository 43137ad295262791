package listener

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/livelog/livelog/internal/wire"
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
}

// Status describes the process, as a status request sees it. It changes
// nothing.
func (l *Listener) Status() *Status {
	now := l.o.clock.Now()
	resolved := l.tree.Resolved()
	names := make([]string, 0, len(resolved.Loggers))
	for name := range resolved.Loggers {
		if name != "root" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if _, ok := resolved.Loggers["root"]; ok {
		names = append([]string{"root"}, names...)
	}
	shown := min(len(names), wire.MaxStatusLevels)
	levels := make(map[string]string, shown)
	for _, name := range names[:shown] {
		levels[clip(name, wire.MaxText)] = resolved.Loggers[name].Effective
	}
	gen := l.tree.Generation()
	st := &Status{
		Started:       l.started,
		Uptime:        now.Sub(l.started),
		Generation:    gen,
		Levels:        levels,
		LevelsOmitted: len(names) - shown,
	}
	last := wire.LastChange{At: l.started, From: "start",
		Summary: fmt.Sprintf("running config when the listener started (generation %d)", l.startGen)}
	if h := l.tree.History(); len(h) > 0 && h[0].Generation > l.startGen {
		last = wire.LastChange{At: h[0].At, From: clip(h[0].From, wire.MaxText), Source: clip(h[0].File, wire.MaxText),
			Summary: clip(h[0].Summary, wire.MaxError)}
	}
	st.LastChange = lastChangeOf(&last)
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
		w.LastChange = &wire.LastChange{At: lc.At, From: lc.From, Source: lc.Source, Summary: lc.Summary}
	}
	return w
}

// lastChangeOf converts the wire's LastChange; nil stays nil.
func lastChangeOf(w *wire.LastChange) *LastChange {
	if w == nil {
		return nil
	}
	return &LastChange{At: w.At, From: w.From, Source: w.Source, Summary: w.Summary}
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
