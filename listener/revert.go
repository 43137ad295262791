package listener

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// temporary is a temporary change in effect: the config to restore, and
// when.
type temporary struct {
	base    *logcfg.Config // the running config before the first push of the change
	policy  logcfg.Policy  // Full if any push of the change was applied in full
	gen     uint64         // the tree's generation after the latest push of the change
	expires time.Time
	stop    func() bool
}

// apply parses and applies a push, then answers it. See the package doc
// (# Temporary changes) for how temporary changes work.
func (l *Listener) apply(env wire.Envelope, from string) wire.Reply {
	cfg, err := logcfg.ParsePayload([]byte(env.Config), sourceName(env), logcfg.WithDefaults(env.Defaults))
	if err != nil {
		return l.reject(from, err.Error())
	}
	policy := logcfg.LevelsOnly
	var ignored []string
	switch {
	case env.Full && l.o.full:
		policy = logcfg.Full
	case env.Full:
		ignored = append(ignored, "full reconfiguration: not allowed by this listener, levels only")
	}
	d, _ := env.Duration() // checked by wire.ParseRequest

	l.applyMu.Lock()
	if l.temp != nil && l.temp.gen != l.tree.Generation() {
		// The application applied a config since (a file reload): it
		// supersedes the temporary change.
		l.temp.stop()
		l.temp = nil
	}
	base := l.tree.Config()
	res, err := l.applyTree(cfg, policy)
	if err != nil {
		l.applyMu.Unlock()
		return l.reject(from, err.Error())
	}
	now := l.o.clock.Now()
	var deadline time.Time
	if d > 0 {
		deadline = now.Add(d)
	}
	if l.o.maxTemp > 0 && lowersToDebug(res.Changes) {
		if c := now.Add(l.o.maxTemp); deadline.IsZero() || c.Before(deadline) {
			deadline = c
		}
	}
	switch t := l.temp; {
	case t != nil: // the push joins the temporary change in effect
		t.gen = res.Generation
		t.policy = max(t.policy, policy)
		if !deadline.IsZero() && (d > 0 || deadline.Before(t.expires)) {
			l.schedule(t, deadline)
		}
	case !deadline.IsZero():
		t = &temporary{base: base, policy: policy, gen: res.Generation}
		l.temp = t
		l.schedule(t, deadline)
	}
	var expires *time.Time
	if l.temp != nil {
		e := l.temp.expires
		expires = &e
	}
	summary := summarize(res)
	l.noteChange(now, from, sourceName(env), summary, res.Generation)
	l.applyMu.Unlock()

	fields := []zap.Field{zap.String("from", from), zap.Uint64("generation", res.Generation), zap.String("changes", summary)}
	if expires != nil {
		fields = append(fields, zap.Time("reverts_at", *expires))
	}
	l.log.Info("config pushed", fields...)
	if l.o.hooks.OnApply != nil {
		l.o.hooks.OnApply(res)
	}
	return wire.Reply{Livelog: wire.Version, OK: true, Outcome: wire.OutcomeApplied,
		PID: l.pid, Name: l.o.name, Generation: res.Generation,
		Changes: wireChanges(res.Changes), Ignored: append(ignored, res.Ignored...), Expires: expires}
}

// sourceName names a pushed config in error messages and in status.
func sourceName(env wire.Envelope) string {
	if env.Source != "" {
		return env.Source
	}
	return "push"
}

// lowersToDebug reports whether a change lowers a level to DEBUG or
// NOTSET.
func lowersToDebug(changes []logcfg.Change) bool {
	for _, c := range changes {
		if c.New < c.Old && c.New <= zapcore.DebugLevel {
			return true
		}
	}
	return false
}

// schedule (re)arms t's revert at deadline. Called with applyMu held.
func (l *Listener) schedule(t *temporary, deadline time.Time) {
	if t.stop != nil {
		t.stop()
	}
	t.expires = deadline
	var stop func() bool
	stop = l.o.clock.AfterFunc(deadline.Sub(l.o.clock.Now()), func() { l.revert(t, deadline) })
	t.stop = stop
}

// revert ends the temporary change t when its deadline passes: it
// re-applies the config from before the change, unless something else was
// applied since.
func (l *Listener) revert(t *temporary, deadline time.Time) {
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return
	}
	l.wg.Add(1)
	l.mu.Unlock()
	defer l.wg.Done()

	l.applyMu.Lock()
	if l.temp != t || !t.expires.Equal(deadline) {
		l.applyMu.Unlock()
		return // rescheduled, ended, or replaced meanwhile
	}
	l.temp = nil
	if gen := l.tree.Generation(); gen != t.gen {
		l.applyMu.Unlock()
		l.log.Info("temporary change not reverted: a newer config was applied since",
			zap.Uint64("generation", gen))
		return
	}
	res, err := l.applyTree(t.base, t.policy)
	if err != nil {
		l.applyMu.Unlock()
		l.log.Error("temporary change could not be reverted", zap.Error(err))
		return
	}
	summary := summarize(res)
	l.noteChange(l.o.clock.Now(), "revert", t.base.File, summary, res.Generation)
	l.applyMu.Unlock()
	l.log.Info("temporary change reverted", zap.Uint64("generation", res.Generation), zap.String("changes", summary))
	if l.o.hooks.OnApply != nil {
		l.o.hooks.OnApply(res)
	}
}

// noteChange records the last change. Called with applyMu held.
func (l *Listener) noteChange(at time.Time, from, source, summary string, gen uint64) {
	l.last = wire.LastChange{At: at, From: from, Source: source, Summary: summary}
	l.lastGen = gen
}

func wireChanges(cs []logcfg.Change) []wire.Change {
	out := make([]wire.Change, len(cs))
	for i, c := range cs {
		out[i] = wire.Change{Kind: string(c.Kind), Name: c.Name, Old: logcfg.LevelName(c.Old), New: logcfg.LevelName(c.New)}
	}
	return out
}

// summarize gives a one-line account of an apply, e.g.
// "2 changes: logger root WARNING→DEBUG, handler console INFO→DEBUG".
func summarize(res *logcfg.ApplyResult) string {
	if len(res.Changes) == 0 {
		return "no level changed"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d change", len(res.Changes))
	if len(res.Changes) > 1 {
		b.WriteByte('s')
	}
	b.WriteString(": ")
	for i, c := range res.Changes {
		if i == 8 {
			fmt.Fprintf(&b, ", and %d more", len(res.Changes)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s %s→%s", c.Kind, c.Name, logcfg.LevelName(c.Old), logcfg.LevelName(c.New))
	}
	return b.String()
}

// applyTree applies cfg to the tree, inside Hooks.AroundApply when one is set.
// The caller holds applyMu.
func (l *Listener) applyTree(cfg *logcfg.Config, p logcfg.Policy) (*logcfg.ApplyResult, error) {
	around := l.o.hooks.AroundApply
	if around == nil {
		return l.tree.Apply(cfg, p)
	}
	var res *logcfg.ApplyResult
	applied := false
	err := around(func() error {
		if applied {
			return errors.New("listener: AroundApply called apply twice")
		}
		applied = true
		var err error
		res, err = l.tree.Apply(cfg, p)
		return err
	})
	switch {
	case err != nil:
		if res != nil {
			// Applied, but the wrapper failed afterwards (a notification):
			// the config runs, so report the apply.
			l.log.Warn("after apply", zap.Error(err))
			return res, nil
		}
		return nil, err
	case !applied:
		return nil, errors.New("listener: AroundApply returned without calling apply; nothing changed")
	}
	return res, nil
}
