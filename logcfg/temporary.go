package logcfg

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"
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
	kind   string // WithOrigin
	keyID  string // WithOrigin
	hooks  ApplyHooks
	revert *temporary // internal: this apply ends a temporary change
	// keepTemps (internal, Watch): a full config that keeps the
	// temporary changes in force, as their new base.
	keepTemps bool
	fileCfg   *Config // the config before overlayTempsLocked
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

// Kinds of source an apply records in [HistoryEntry].Kind and the audit
// log: what made the change.
const (
	SourceStart  = "start"         // the config the tree was built with (NewTree)
	SourcePush   = "push"          // a config pushed over the listener
	SourceSet    = "set"           // single levels set over the listener (pushcfg set)
	SourceRevert = "revert"        // a temporary change ran out
	SourceReload = "SIGHUP reload" // the config file re-read on SIGHUP
	SourceFile   = "file"          // a file change the program watches
	SourceCode   = "code"          // the program's own Apply
)

// WithOrigin says what kind of source an apply is (one of the Source
// constants) and, for a signed request, the id of the key that signed it.
// Without it the kind follows WithSource's from: "sighup" is
// [SourceReload], "file" [SourceFile], "application" (the default)
// [SourceCode], and anything else (a peer's address) [SourcePush].
func WithOrigin(kind, keyID string) ApplyOption {
	return applyOptionFunc(func(o *applyOpts) { o.kind, o.keyID = kind, keyID })
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
	// baseGen is the generation it replaced; baseOrigin and baseFile
	// describe the apply that made that generation, for the revert's
	// history entry ("revert to generation 3 (push from 127.0.0.1)").
	baseGen    uint64
	baseOrigin string
	baseFile   string
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
//     permanent full config (Apply, a SIGHUP reload) describes the whole
//     level state and ends every temporary change without reverting
//     anything; a file change [Watch] applies does not: the file's config
//     becomes the base each temporary change reverts to, and each keeps
//     its levels and its expiry.
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
	// generation it goes back to. File is made absolute when it names a
	// file of this process (not for pushes, whose names are the client's;
	// pushcfg sends absolute ones), and for the tree's first config it is
	// that config's File.
	From, File string
	// Kind is what made the change: one of the Source constants
	// ([SourcePush], [SourceSet], [SourceRevert], [SourceReload],
	// [SourceFile], [SourceCode], [SourceStart]).
	Kind string
	// KeyID names the key that signed the request, for a signed push or
	// set; "" otherwise.
	KeyID string
	// Origin says in words where the change came from: "push from
	// 127.0.0.1", "set from 127.0.0.1", "SIGHUP reload", "code", "start",
	// and for a revert what it went back to: "revert to generation 3
	// (push from 127.0.0.1)".
	Origin string
	// Summary is a one-line account, e.g. "2 changes: logger root
	// WARNING→DEBUG, handler console INFO→DEBUG"; a revert's starts with
	// its Origin and ": ".
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
			changes: pl.Changes, from: orDefault(o.from), hooks: o.hooks, reverts: map[string]bool{}, baseGen: pl.base.gen}
		tc.baseOrigin, tc.baseFile = t.describeLocked(pl.base.gen)
		for _, c := range pl.Changes {
			tc.reverts[changeKey(c.Kind, c.Name)] = true
		}
		t.temps = append(t.temps, tc)
		tc.stop = t.clock.AfterFunc(o.d, func() { t.revert(tc) })
	case o.keepTemps && pl.next != nil && !pl.incremental:
		t.rebaseTempsLocked(o.fileCfg)
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
	e := HistoryEntry{At: now, Generation: pl.Generation, From: orDefault(o.from), KeyID: strings.Clone(o.keyID),
		Kind: kindOf(o, pl.base.gen), Summary: Summary(pl.Changes), Expires: expires}
	e.File = t.recordFile(o, pl, e.Kind)
	e.Origin = originText(e.Kind, e.From, e.KeyID)
	if r := o.revert; r != nil {
		e.From = "revert"
		e.File = r.baseFile
		if pl.base.gen == r.gen { // nothing was applied since: an exact restore
			e.Origin = fmt.Sprintf("revert to generation %d (%s)", r.baseGen, r.baseOrigin)
		} else {
			e.Origin = fmt.Sprintf("revert of generation %d's remaining levels to those of generation %d (%s)", r.gen, r.baseGen, r.baseOrigin)
		}
		e.Summary = e.Origin + ": " + e.Summary
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
	e.Changes, e.ChangesOmitted = changes, len(pl.Changes)-kept
	t.history = append(t.history, e)
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
	if _, err := t.Apply(cfg, p, WithHooks(tc.hooks), WithSource("revert", tc.baseFile), WithOrigin(SourceRevert, ""), applyOptionFunc(func(o *applyOpts) {
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
	own, hlevel := configLevels(t.state.Load().cfg)
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

// describeLocked says in words which apply made generation gen, and the
// file it named, from the history ("push from 127.0.0.1"); t.mu is held.
func (t *Tree) describeLocked(gen uint64) (origin, file string) {
	for i := len(t.history) - 1; i >= 0; i-- {
		if h := t.history[i]; h.Generation == gen {
			return h.Origin, h.File
		}
	}
	return "older than the history", ""
}

// kindOf is the Source kind of an apply: WithOrigin's, or what its from
// says. The first apply of a tree is its start.
func kindOf(o applyOpts, baseGen uint64) string {
	switch {
	case o.kind != "":
		return o.kind
	case baseGen == 0:
		return SourceStart
	}
	switch o.from {
	case "", "application":
		return SourceCode
	case "sighup":
		return SourceReload
	case "file":
		return SourceFile
	case "revert":
		return SourceRevert
	case "start":
		return SourceStart
	}
	return SourcePush
}

// recordFile is the file a history entry names: WithSource's, made
// absolute for the process's own files; for a tree's first config, or a
// full config the program applies itself, the config's File.
func (t *Tree) recordFile(o applyOpts, pl *Plan, kind string) string {
	file := o.file
	if file == "" && pl.next != nil && !pl.incremental && (kind == SourceStart || kind == SourceCode) && pl.Policy == Full {
		file = pl.next.File
	}
	if file != "" && kind != SourcePush && kind != SourceSet && !filepath.IsAbs(file) {
		if _, err := os.Stat(file); err == nil {
			if abs, err := filepath.Abs(file); err == nil {
				file = abs
			}
		}
	}
	return strings.Clone(file)
}

// originText says in words where an apply came from: "push from
// 127.0.0.1" (the peer's host; " with key ID" when signed), "SIGHUP
// reload", "code", ...
func originText(kind, from, keyID string) string {
	s := kind
	if kind == SourcePush || kind == SourceSet {
		host := from
		if h, _, err := net.SplitHostPort(from); err == nil {
			host = h
		}
		s = kind + " from " + pylit.Clip(host)
	}
	if keyID != "" {
		s += " with key " + pylit.Clip(keyID)
	}
	return s
}

// AuditLogger is the name of the logger [Tree.Audit] writes on. The
// listener audits every push, set and revert it makes, and every request
// it rejects; package service every SIGHUP reload and its failures.
const AuditLogger = "livelog.audit"

// Audit logs the history entry of generation gen (see [Tree.History]) on
// the logger [AuditLogger] at INFO, as one line that says who (the peer,
// and the key id when signed), what (the changes, old→new), the source
// and the expiry, e.g.
//
//	applied generation 4: push from 127.0.0.1, /srv/app/error.conf: 1 change: logger root DEBUG→ERROR
//
// with the same as fields (source, generation, changes, peer, key_id,
// file, expires). It does nothing when the generation has left the
// history. Call it after the apply, never while holding a lock a log
// write could wait on: the tree does not audit by itself, so that an
// apply never waits for a handler's write.
func (t *Tree) Audit(gen uint64) {
	t.mu.Lock()
	var e *HistoryEntry
	for i := len(t.history) - 1; i >= 0; i-- {
		if t.history[i].Generation == gen {
			h := t.history[i]
			e = &h
			break
		}
	}
	t.mu.Unlock()
	if e == nil {
		return
	}
	log := t.Logger(AuditLogger)
	if !log.Core().Enabled(zapcore.InfoLevel) {
		return
	}
	changes := strings.TrimPrefix(e.Summary, e.Origin+": ")
	fields := []zap.Field{zap.String("source", e.Kind), zap.Uint64("generation", e.Generation), zap.String("changes", changes)}
	msg := fmt.Sprintf("applied generation %d: %s", e.Generation, e.Origin)
	if e.Kind == SourcePush || e.Kind == SourceSet {
		fields = append(fields, zap.String("peer", pylit.Clip(e.From)))
	}
	if e.KeyID != "" {
		fields = append(fields, zap.String("key_id", e.KeyID))
	}
	if e.File != "" {
		msg += ", " + pylit.Clip(e.File)
		fields = append(fields, zap.String("file", e.File))
	}
	msg += ": " + changes
	if !e.Expires.IsZero() {
		msg += "; reverts at " + e.Expires.UTC().Format(time.RFC3339)
		fields = append(fields, zap.Time("expires", e.Expires))
	}
	log.Info(msg, fields...)
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
