package logcfg

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
)

// Clock tells the time and runs functions later: the tree's temporary
// changes and its history use it. [WithClock] replaces the system clock
// with one a test steps by hand.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d; stop cancels the
	// call and reports whether it did (as time.Timer.Stop).
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// WithClock sets the clock of the tree's temporary changes and history
// (default: the system clock).
func WithClock(c Clock) TreeOption {
	if c == nil {
		panic("logcfg: WithClock(nil)")
	}
	return treeOptionFunc(func(t *Tree) { t.clock = c })
}

// ApplyOption modifies one apply: [For] makes it temporary, [WithSource]
// says where it came from.
type ApplyOption interface{ applyApplyOption(*applyOpts) }

type applyOpts struct {
	d      time.Duration
	cap    time.Duration // CapVerbose
	from   string
	file   string
	hooks  ApplyHooks
	revert *temporary // internal: this apply ends a temporary change
}

type applyOptionFunc func(*applyOpts)

func (f applyOptionFunc) applyApplyOption(o *applyOpts) { f(o) }

// For makes an apply temporary: after d the levels it changed go back
// (see [Tree.ApplyFor]). d <= 0 means permanent.
func For(d time.Duration) ApplyOption {
	return applyOptionFunc(func(o *applyOpts) { o.d = d })
}

// WithSource records where an apply came from in the tree's history:
// from says who or what (a peer address such as "127.0.0.1:51200", "sighup",
// "file"; the default is "application"), file names the config (e.g. its
// absolute path; "" if none).
func WithSource(from, file string) ApplyOption {
	return applyOptionFunc(func(o *applyOpts) { o.from, o.file = from, file })
}

// CapVerbose makes a change temporary, for at most d, when it makes
// logging more verbose than it was: some logger's effective level, or some
// handler's level, lower after the change than before (NOTSET→DEBUG
// included). A change that only makes logging quieter is never made
// temporary by it. d <= 0 does nothing.
func CapVerbose(d time.Duration) ApplyOption {
	return applyOptionFunc(func(o *applyOpts) { o.cap = d })
}

// ApplyHooks are called around one apply and, when it is temporary,
// around its revert too.
type ApplyHooks struct {
	// Around, if set, wraps the apply: it must call apply exactly once
	// (service.Reload does, inside systemd's reload handshake). If it
	// returns without calling apply, nothing changes and Apply fails.
	Around func(apply func() error) error
	// After, if set, is called with the result of each successful apply.
	After func(*ApplyResult)
}

// WithHooks sets the hooks of an apply (and of its revert).
func WithHooks(h ApplyHooks) ApplyOption {
	return applyOptionFunc(func(o *applyOpts) { o.hooks = h })
}

// temporary is a temporary change in force: what its apply changed, and
// what to restore when it ends.
type temporary struct {
	gen     uint64          // the generation its apply made
	base    *Config         // the running config before it
	policy  Policy          // its apply's policy
	expires time.Time       // when it ends
	changes []Change        // the levels it changed, old → new
	stop    func() bool     // cancels the timer
	from    string          // its apply's source
	hooks   ApplyHooks      // its apply's hooks, for the revert
	reverts map[string]bool // names (kind:name) still to revert
}

// ApplyFor is Apply(cfg, p, For(d)): a temporary change. After d each
// level it changed goes back to what it was before, unless a later change
// set that level since:
//
//   - if nothing was applied since, the config from before is applied again
//     under the same policy, which restores it exactly (handlers too);
//   - a later temporary change is a layer of its own: each ends on its own
//     time and restores only the levels it changed that are still as it
//     left them (a level a later layer found already set, it did not
//     change: that level goes back when the earlier layer ends);
//   - a later permanent change of specific levels (an incremental config,
//     [Tree.SetLevel]) takes those levels out of the revert; a later
//     permanent full config (Apply, a SIGHUP reload, a file change)
//     describes the whole level state and ends every temporary change
//     without reverting anything.
//
// Close cancels pending reverts: a temporary change then stays applied.
func (t *Tree) ApplyFor(cfg *Config, p Policy, d time.Duration) (*ApplyResult, error) {
	return t.Apply(cfg, p, For(d))
}

// Temporary lists the temporary changes in force, soonest to end first.
func (t *Tree) Temporary() []TemporaryChange {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]TemporaryChange, 0, len(t.temps))
	for _, tc := range t.temps {
		out = append(out, TemporaryChange{Generation: tc.gen, Expires: tc.expires, From: tc.from, Changes: slices.Clone(tc.changes)})
	}
	slices.SortFunc(out, func(a, b TemporaryChange) int { return a.Expires.Compare(b.Expires) })
	return out
}

// TemporaryChange is a temporary change in force.
type TemporaryChange struct {
	Generation uint64    // the generation its apply made
	Expires    time.Time // when it reverts
	From       string    // where it came from (see WithSource)
	Changes    []Change  // the levels it changed
}

// HistoryEntry is one apply in the tree's history.
type HistoryEntry struct {
	At         time.Time
	Generation uint64
	// From and File are what the apply said with WithSource: "application"
	// and "" by default; a revert is From "revert" with the File of the
	// change it ends.
	From, File string
	// Summary is a one-line account, e.g. "2 changes: logger root
	// WARNING→DEBUG, handler console INFO→DEBUG"; a revert's starts
	// "revert of generation N (from X): ".
	Summary string
	// Changes are the levels changed: the first 100 (names clipped to
	// 200 bytes), so that the history of a tree that pushes reach stays
	// small whatever they held; ChangesOmitted counts the rest.
	Changes        []Change
	ChangesOmitted int
	Expires        time.Time // when a temporary change reverts; zero if permanent
}

// historySize is how many entries History keeps, historyChanges how many
// changes each keeps.
const (
	historySize    = 20
	historyChanges = 100
)

// History lists the last 20 applies, newest first.
func (t *Tree) History() []HistoryEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]HistoryEntry, len(t.history))
	for i, h := range t.history {
		out[len(out)-1-i] = h
	}
	return out
}

// recordLocked notes an apply in the history and the temporary changes;
// t.mu is held.
func (t *Tree) recordLocked(pl *Plan, o applyOpts, before *Config) time.Time {
	now := t.clock.Now()
	if o.cap > 0 && o.revert == nil && moreVerbose(pl.base, pl.next) && (o.d <= 0 || o.d > o.cap) {
		o.d = o.cap
	}
	var expires time.Time
	switch {
	case o.revert != nil:
	case o.d > 0:
		expires = now.Add(o.d)
		tc := &temporary{gen: pl.Generation, base: before, policy: pl.Policy, expires: expires,
			changes: pl.Changes, from: orDefault(o.from), hooks: o.hooks, reverts: map[string]bool{}}
		for _, c := range pl.Changes {
			tc.reverts[changeKey(c.Kind, c.Name)] = true
		}
		t.temps = append(t.temps, tc)
		tc.stop = t.clock.AfterFunc(o.d, func() { t.revert(tc) })
	case pl.next != nil && !pl.incremental:
		// A whole level state: every temporary change ends here.
		for _, tc := range t.temps {
			tc.stop()
		}
		t.temps = nil
	default:
		// Specific levels set for good: they are no longer reverted.
		for _, tc := range t.temps {
			for _, c := range pl.Changes {
				delete(tc.reverts, changeKey(c.Kind, c.Name))
			}
		}
	}
	from, sum := orDefault(o.from), Summary(pl.Changes)
	if o.revert != nil {
		from = "revert"
		sum = fmt.Sprintf("revert of generation %d (from %s): %s", o.revert.gen, o.revert.from, sum)
	}
	if len(t.history) == historySize {
		t.history = append(t.history[:0], t.history[1:]...)
	}
	kept := min(len(pl.Changes), historyChanges)
	changes := make([]Change, kept)
	for i, c := range pl.Changes[:kept] {
		// A copy of the name: the history must not keep a pushed
		// config's text alive through a substring of it.
		c.Name = strings.Clone(pylit.Clip(c.Name))
		changes[i] = c
	}
	t.history = append(t.history, HistoryEntry{At: now, Generation: pl.Generation, From: from, File: strings.Clone(o.file),
		Summary: sum, Changes: changes, ChangesOmitted: len(pl.Changes) - kept, Expires: expires})
	return expires
}

// moreVerbose says whether next makes any logger (configured in either)
// log at a lower effective level than base, or lowers a handler's level.
func moreVerbose(base *state, next *Config) bool {
	own := make(map[string]zapcore.Level, len(next.Loggers)+1)
	for _, l := range next.Loggers {
		own[l.Name] = l.Level
	}
	for name := range own {
		if effectiveLevel(name, own) < base.effective(name) {
			return true
		}
	}
	for name := range base.levels {
		if effectiveLevel(name, own) < base.effective(name) {
			return true
		}
	}
	for _, h := range next.Handlers {
		if old, ok := base.handlers[h.Key]; ok && h.Level < old.level {
			return true
		}
	}
	return false
}

func changeKey(k ChangeKind, name string) string { return string(k) + ":" + name }

// revert ends tc: see ApplyFor.
func (t *Tree) revert(tc *temporary) {
	cfg, p, ok := t.revertConfig(tc)
	if !ok || cfg.Incremental && len(cfg.Loggers)+len(cfg.Handlers) == 0 {
		return // ended meanwhile, or every level it set was set again since
	}
	file := ""
	if tc.base != nil {
		file = tc.base.File
	}
	if _, err := t.Apply(cfg, p, WithHooks(tc.hooks), WithSource("revert", file), applyOptionFunc(func(o *applyOpts) {
		o.revert = tc
	})); err != nil {
		t.reportf("logcfg: temporary change of generation %d could not be reverted: %v", tc.gen, err)
	}
}

// revertConfig takes tc out of the temporary changes and says what undoes
// it; false if it ended meanwhile.
func (t *Tree) revertConfig(tc *temporary) (*Config, Policy, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := slices.Index(t.temps, tc)
	if i < 0 || t.closed {
		return nil, 0, false
	}
	t.temps = slices.Delete(t.temps, i, i+1)
	if t.state.Load().gen == tc.gen {
		return tc.base, tc.policy, true
	}
	cur := t.state.Load().cfg
	own := map[string]zapcore.Level{}
	for _, l := range cur.Loggers {
		own[l.Name] = l.Level
	}
	hlevel := map[string]zapcore.Level{}
	for _, h := range cur.Handlers {
		hlevel[h.Key] = h.Level
	}
	inc := &Config{File: "revert", Incremental: true}
	for _, c := range tc.changes {
		if !tc.reverts[changeKey(c.Kind, c.Name)] {
			continue
		}
		switch c.Kind {
		case ChangeLogger:
			if l, ok := own[c.Name]; ok && l == c.New {
				inc.Loggers = append(inc.Loggers, LoggerConfig{Key: c.Name, Name: c.Name, Level: c.Old, Propagate: true})
			}
		case ChangeHandler:
			if l, ok := hlevel[c.Name]; ok && l == c.New {
				inc.Handlers = append(inc.Handlers, HandlerConfig{Key: c.Name, Level: c.Old})
			}
		}
	}
	return inc, LevelsOnly, true
}

func orDefault(from string) string {
	if from == "" {
		return "application"
	}
	return from
}

// stopTemporaryLocked cancels every pending revert (Close).
func (t *Tree) stopTemporaryLocked() {
	for _, tc := range t.temps {
		tc.stop()
	}
	t.temps = nil
}

// Summary is a one-line account of changes, e.g. "2 changes: logger root
// WARNING→DEBUG, handler console INFO→DEBUG" (the first 8, then "and N
// more"); "no level changed" if none.
func Summary(cs []Change) string {
	if len(cs) == 0 {
		return "no level changed"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d change", len(cs))
	if len(cs) > 1 {
		b.WriteByte('s')
	}
	b.WriteString(": ")
	for i, c := range cs {
		if i == 8 {
			fmt.Fprintf(&b, ", and %d more", len(cs)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s %s→%s", c.Kind, pylit.Clip(c.Name), LevelName(c.Old), LevelName(c.New))
	}
	return b.String()
}
