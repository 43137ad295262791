package listener

import (
	"time"

	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// apply parses and applies a push (or, for a dry run, plans it), then
// answers it. Temporary changes are the tree's (see logcfg.Tree.ApplyFor
// and the package doc's # Temporary changes): the listener passes the
// duration on, and the ceiling of WithMaxTemporary as logcfg.CapVerbose.
func (l *Listener) apply(env wire.Envelope, who origin) wire.Reply {
	cfg, err := logcfg.ParsePayload([]byte(env.Config), sourceName(env),
		logcfg.WithDefaults(env.Defaults), logcfg.WithRegistry(l.tree.Registry()))
	if err != nil {
		return l.reject(who, err.Error())
	}
	warnings := warningTexts(cfg.Warnings)
	policy := logcfg.LevelsOnly
	var ignored []string
	switch {
	case env.Full && l.o.full:
		policy = logcfg.Full
		if err := l.checkFull(cfg); err != nil {
			return l.rejectWarned(who, err.Error(), warnings)
		}
	case env.Full:
		ignored = append(ignored, "full reconfiguration: not allowed by this listener, levels only")
	}
	if env.DryRun {
		return l.dryRun(cfg, policy, ignored, warnings, who)
	}
	d, _ := env.Duration() // checked by wire.ParseRequest
	res, err := l.tree.Apply(cfg, policy,
		logcfg.For(d), logcfg.CapVerbose(l.o.maxTemp),
		logcfg.WithSource(who.from, sourceName(env)), logcfg.WithOrigin(who.kind, who.keyID),
		logcfg.WithHooks(logcfg.ApplyHooks{Around: l.o.hooks.AroundApply, After: l.afterApply}))
	if err != nil {
		return l.rejectWarned(who, err.Error(), warnings)
	}
	var expires *time.Time
	fields := []zap.Field{zap.String("from", who.from), zap.Uint64("generation", res.Generation), zap.String("changes", clip(logcfg.Summary(res.Changes), wire.MaxError))}
	if !res.Expires.IsZero() {
		e := res.Expires
		expires = &e
		fields = append(fields, zap.Time("reverts_at", e))
	}
	l.log.Info("config pushed", fields...)
	changes, omitted := wireChanges(res.Changes)
	return wire.Reply{Livelog: wire.Version, OK: true, Outcome: wire.OutcomeApplied,
		PID: l.pid, Name: l.o.name, Generation: res.Generation,
		Changes: changes, ChangesOmitted: omitted, Ignored: clipList(append(ignored, res.Ignored...)),
		Warnings: warnings, Expires: expires}
}

// dryRun answers what applying cfg under policy would do, from the
// tree's plan: nothing is opened or changed, nothing is recorded.
func (l *Listener) dryRun(cfg *logcfg.Config, policy logcfg.Policy, ignored, warnings []string, who origin) wire.Reply {
	pl, err := l.tree.Plan(cfg, policy)
	if err != nil {
		return l.rejectWarned(who, err.Error(), warnings)
	}
	l.log.Debug("dry run", zap.String("from", who.from), zap.String("changes", clip(logcfg.Summary(pl.Changes), wire.MaxError)))
	changes, omitted := wireChanges(pl.Changes)
	return wire.Reply{Livelog: wire.Version, OK: true, Outcome: wire.OutcomeDryRun,
		PID: l.pid, Name: l.o.name, Generation: l.tree.Generation(),
		Changes: changes, ChangesOmitted: omitted, Ignored: clipList(append(ignored, pl.Ignored...)), Warnings: warnings}
}

// afterApply runs after every apply the listener makes, a push or the
// revert of a temporary change: it audits the change, then calls
// Hooks.OnApply.
func (l *Listener) afterApply(res *logcfg.ApplyResult) {
	l.tree.Audit(res.Generation)
	if l.o.hooks.OnApply != nil {
		l.o.hooks.OnApply(res)
	}
}

// warningTexts are a config's warnings as a reply lists them.
func warningTexts(ws []logcfg.Warning) []string {
	if len(ws) == 0 {
		return nil
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return clipList(out)
}

// sourceName names a pushed config in error messages and in status.
func sourceName(env wire.Envelope) string {
	if env.Source != "" {
		return env.Source
	}
	return "push"
}
