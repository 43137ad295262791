package listener

import (
	"time"

	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// apply parses and applies a push, then answers it. Temporary changes are
// the tree's (see logcfg.Tree.ApplyFor and the package doc's # Temporary
// changes): the listener passes the duration on, and the ceiling of
// WithMaxTemporary as logcfg.CapVerbose.
func (l *Listener) apply(env wire.Envelope, from string) wire.Reply {
	cfg, err := logcfg.ParsePayload([]byte(env.Config), sourceName(env),
		logcfg.WithDefaults(env.Defaults), logcfg.WithRegistry(l.tree.Registry()))
	if err != nil {
		return l.reject(from, err.Error())
	}
	policy := logcfg.LevelsOnly
	var ignored []string
	switch {
	case env.Full && l.o.full:
		policy = logcfg.Full
		if err := l.checkFull(cfg); err != nil {
			return l.reject(from, err.Error())
		}
	case env.Full:
		ignored = append(ignored, "full reconfiguration: not allowed by this listener, levels only")
	}
	d, _ := env.Duration() // checked by wire.ParseRequest
	res, err := l.tree.Apply(cfg, policy,
		logcfg.For(d), logcfg.CapVerbose(l.o.maxTemp),
		logcfg.WithSource(from, sourceName(env)),
		logcfg.WithHooks(logcfg.ApplyHooks{Around: l.o.hooks.AroundApply, After: l.o.hooks.OnApply}))
	if err != nil {
		return l.reject(from, err.Error())
	}
	var expires *time.Time
	fields := []zap.Field{zap.String("from", from), zap.Uint64("generation", res.Generation), zap.String("changes", clip(logcfg.Summary(res.Changes), wire.MaxError))}
	if !res.Expires.IsZero() {
		e := res.Expires
		expires = &e
		fields = append(fields, zap.Time("reverts_at", e))
	}
	l.log.Info("config pushed", fields...)
	changes, omitted := wireChanges(res.Changes)
	return wire.Reply{Livelog: wire.Version, OK: true, Outcome: wire.OutcomeApplied,
		PID: l.pid, Name: l.o.name, Generation: res.Generation,
		Changes: changes, ChangesOmitted: omitted, Ignored: clipList(append(ignored, res.Ignored...)), Expires: expires}
}

// sourceName names a pushed config in error messages and in status.
func sourceName(env wire.Envelope) string {
	if env.Source != "" {
		return env.Source
	}
	return "push"
}
