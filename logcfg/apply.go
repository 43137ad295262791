package logcfg

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg/handlers"
)

// Apply makes cfg the running configuration under policy p, all or
// nothing: every new handler is opened and every format compiled before
// anything is published with one atomic swap; handlers that did not change
// are carried over, not reopened; old handlers are closed after the swap,
// once no write is using them, so no line is lost or torn. On error
// nothing changes.
//
// Under [LevelsOnly] only levels change (see [Policy]). A config with
// Incremental set changes only the levels it names, whatever p is.
// Loggers the new config does not name go back to NOTSET and inherit from
// their ancestors; unlike Python's fileConfig, they are not disabled.
//
// Options: [For] makes the change temporary (see [Tree.ApplyFor]),
// [WithSource] names where it came from in [Tree.History].
//
// Apply is [Tree.Plan] followed by its execution. It never holds the
// tree's lock while waiting for a write: if a replaced handler's write is
// stuck (a pipe nobody reads), Apply returns after a second and the
// handler is closed when the write returns.
func (t *Tree) Apply(cfg *Config, p Policy, opts ...ApplyOption) (*ApplyResult, error) {
	var o applyOpts
	for _, opt := range opts {
		opt.applyApplyOption(&o)
	}
	var (
		pl      *Plan
		gone    []*output
		applied bool
	)
	apply := func() error {
		if applied {
			return errors.New("logcfg: Apply: the Around hook called apply twice")
		}
		applied = true
		var err error
		pl, gone, err = t.applyLocked(cfg, p, o)
		return err
	}
	var err error
	if o.hooks.Around != nil {
		err = o.hooks.Around(apply)
	} else {
		err = apply()
	}
	switch {
	case !applied && err == nil:
		return nil, errors.New("logcfg: Apply: the Around hook returned without calling apply; nothing changed")
	case pl == nil:
		return nil, err
	case err != nil:
		// Applied, but the hook failed afterwards (a notification): the
		// config runs, so the apply is reported.
		t.reportf("logcfg: after apply: %v", err)
	}
	if err := t.retire(gone); err != nil {
		t.reportf("logcfg: closing replaced handlers: %v", err)
	}
	res := pl.ApplyResult
	if o.hooks.After != nil {
		o.hooks.After(&res)
	}
	return &res, nil
}

// applyLocked plans and executes under t.mu (released even if a class
// panics), returning the outputs the new state no longer uses.
func (t *Tree) applyLocked(cfg *Config, p Policy, o applyOpts) (*Plan, []*output, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, nil, errors.New("logcfg: Apply: tree is closed")
	}
	if o.keepTemps {
		o.fileCfg, cfg = cfg, t.overlayTempsLocked(cfg)
	}
	pl, err := t.plan(cfg, p)
	if err != nil {
		return nil, nil, err
	}
	before := t.state.Load().cfg
	gone, err := t.execute(pl)
	if err != nil {
		return nil, nil, err
	}
	pl.Expires = t.recordLocked(pl, o, before)
	return pl, gone, nil
}

// Plan says what applying cfg under p would do now (the changes, the
// handlers opened, kept and closed, what the policy ignores, the config's
// warnings), without opening or changing anything: a dry run.
func (t *Tree) Plan(cfg *Config, p Policy) (*Plan, error) { return t.plan(cfg, p) }

func (t *Tree) plan(cfg *Config, p Policy) (*Plan, error) {
	if err := validate(cfg); err != nil {
		return nil, err
	}
	if err := checkClasses(t.registry, cfg); err != nil {
		return nil, err
	}
	return plan(t.state.Load(), cfg, p)
}

// execute opens what pl opens, publishes the new state and returns the
// outputs it no longer uses. t.mu is held; pl was made against the
// current state.
func (t *Tree) execute(pl *Plan) ([]*output, error) {
	base := pl.base
	carried := make(map[string]*output, len(base.outs))
	for _, o := range base.outs {
		carried[o.ident] = o
	}
	formatters := formattersByKey(pl.next)
	hs := make(map[string]*handler, len(pl.next.Handlers))
	var opened []*output
	for i := range pl.next.Handlers {
		hc := &pl.next.Handlers[i]
		o := carried[pl.idents[hc.Key]]
		if pl.open[hc.Key] {
			var err error
			if o, err = t.open(hc, formatters[hc.Formatter], pl.idents[hc.Key]); err != nil {
				for _, o := range opened {
					_ = closeOutput(o)
				}
				return nil, err
			}
			opened = append(opened, o)
		}
		hs[hc.Key] = &handler{key: hc.Key, level: hc.Level, out: o}
	}
	if err := wireTargets(pl, hs); err != nil {
		for _, o := range closeOrder(pl.next, opened) {
			_ = closeOutput(o)
		}
		return nil, err
	}
	ns := newState(pl.Generation, pl.next, hs)
	t.publish(ns)
	keep := make(map[*output]bool, len(ns.outs))
	for _, o := range ns.outs {
		keep[o] = true
	}
	var gone []*output
	for _, o := range base.outs {
		if !keep[o] {
			gone = append(gone, o)
		}
	}
	return closeOrder(base.cfg, gone), nil
}

// publish makes s the running state and brings every node's levels to it.
func (t *Tree) publish(s *state) {
	t.state.Store(s)
	t.nodes.Range(func(_, v any) bool {
		v.(*node).setLevels(s)
		return true
	})
}

// open starts one handler with the tree's registry; plan has run the
// class's Check.
func (t *Tree) open(hc *HandlerConfig, fc *FormatterConfig, ident string) (*output, error) {
	where := func(err error) error {
		return &Error{File: hc.Pos.File, Line: hc.Pos.Line, Section: hc.Pos.Section, Err: err}
	}
	if fc == nil {
		fc = &FormatterConfig{Key: "", Format: "%(message)s", Style: "%"}
	}
	hclass, err := t.registry.HandlerClass(hc.Class)
	if err != nil {
		return nil, where(err)
	}
	fclass, err := t.registry.FormatterClass(fc.Class)
	if err != nil {
		return nil, where(err)
	}
	caller := false
	newEnc := func(out *os.File) (zapcore.Encoder, error) {
		enc, err := fclass.New(fc, out)
		if err == nil {
			caller = caller || usesCaller(enc)
		}
		return enc, err
	}
	out, err := hclass.Open(hc, newEnc)
	if err != nil {
		// A class that says ErrOpen itself has said what failed; the
		// section names the handler.
		if !errors.Is(err, ErrOpen) && !errors.Is(err, ErrBadArgs) && !errors.Is(err, ErrBadFormat) {
			err = fmt.Errorf("%w %q (%s): %w", ErrOpen, hc.Key, className(hc.Class), err)
		}
		return nil, where(err)
	}
	if out.Core == nil {
		if out.Close != nil {
			_ = out.Close()
		}
		return nil, where(fmt.Errorf("%w: handler %q: class %q opened no core", ErrOpen, hc.Key, hc.Class))
	}
	return newOutput(ident, hc.Key, out, caller || out.Caller), nil
}

// checkClasses runs each class's Check once, for the formatters and
// handlers of a full (not incremental) config: a config from Parse passes,
// one built or edited by hand gets the same errors, before anything opens.
func checkClasses(reg *Registry, cfg *Config) error {
	if cfg.Incremental {
		return nil
	}
	for i := range cfg.Formatters {
		f := &cfg.Formatters[i]
		fc, err := reg.FormatterClass(f.Class)
		if err == nil {
			err = fc.Check(f)
		}
		if err != nil {
			return placed(f.Pos, "class", err)
		}
	}
	for i := range cfg.Handlers {
		h := &cfg.Handlers[i]
		hc, err := reg.HandlerClass(h.Class)
		if err == nil {
			err = hc.Check(h)
		}
		if err != nil {
			return placed(h.Pos, "class", err)
		}
	}
	return nil
}

// placed puts a class's error at p, keeping the key the class named.
func placed(p Pos, key string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		if e.File != "" || e.Line != 0 || e.Section != "" {
			return err
		}
		c := *e
		c.File, c.Line, c.Section = p.File, p.Line, p.Section
		return &c
	}
	return &Error{File: p.File, Line: p.Line, Section: p.Section, Key: key, Err: err}
}

// usesCaller asks an encoder whether it shows the caller; one that cannot
// say is taken to show it.
func usesCaller(enc zapcore.Encoder) bool {
	if u, ok := enc.(interface{ UsesCaller() bool }); ok {
		return u.UsesCaller()
	}
	return true
}

// validate checks what Parse guarantees about levels, names and
// references, for configs built by hand; class arguments are checked by
// the class when a handler is opened. An incremental config names only
// levels, so only those are checked.
func validate(cfg *Config) error {
	if cfg == nil {
		return errors.New("logcfg: Apply: nil config")
	}
	at := func(p Pos, key string, err error) error {
		return &Error{File: p.File, Line: p.Line, Section: p.Section, Key: key, Err: err}
	}
	badLevel := func(l zapcore.Level) error {
		if l < NotSet || l > zapcore.FatalLevel {
			return fmt.Errorf("%w %d (want a level from NOTSET to CRITICAL)", ErrBadLevel, int(l))
		}
		return nil
	}
	for _, l := range cfg.Loggers {
		if err := badLevel(l.Level); err != nil {
			return at(l.Pos, "level", fmt.Errorf("logger %q: %w", l.Name, err))
		}
		if l.Name == "" {
			return at(l.Pos, "qualname", fmt.Errorf("%w: logger %q has no name (the root is \"root\")", ErrMissingKey, l.Key))
		}
	}
	for _, h := range cfg.Handlers {
		if err := badLevel(h.Level); err != nil {
			return at(h.Pos, "level", fmt.Errorf("handler %q: %w", h.Key, err))
		}
	}
	if cfg.Incremental {
		return nil
	}
	hs := map[string]bool{}
	for _, h := range cfg.Handlers {
		if hs[h.Key] {
			return at(h.Pos, "", fmt.Errorf("%w: handler %q is defined twice", ErrDuplicate, h.Key))
		}
		hs[h.Key] = true
	}
	fs := map[string]bool{}
	for _, f := range cfg.Formatters {
		if fs[f.Key] {
			return at(f.Pos, "", fmt.Errorf("%w: formatter %q is defined twice", ErrDuplicate, f.Key))
		}
		fs[f.Key] = true
	}
	for _, h := range cfg.Handlers {
		if h.Formatter != "" && !fs[h.Formatter] {
			return at(h.Pos, "formatter", fmt.Errorf("%w: formatter %q is not defined", ErrUndefined, h.Formatter))
		}
	}
	for _, h := range cfg.Handlers {
		if h.Target != "" && !hs[h.Target] {
			return at(h.Pos, "target", fmt.Errorf("%w: target %q is not defined", ErrUndefined, h.Target))
		}
	}
	var steps int
	if cycle := targetCycle(cfg.Handlers, targetsOf(cfg.Handlers), &steps); cycle != nil {
		for _, h := range cfg.Handlers {
			if h.Key == cycle[0] {
				return at(h.Pos, "target", cycleError(cycle))
			}
		}
	}
	names := map[string]bool{}
	for _, l := range cfg.Loggers {
		if names[l.Name] {
			return at(l.Pos, "", fmt.Errorf("%w: logger %q is configured twice", ErrDuplicate, l.Name))
		}
		names[l.Name] = true
		for _, k := range l.Handlers {
			if !hs[k] {
				return at(l.Pos, "handlers", fmt.Errorf("%w: handler %q is not defined", ErrUndefined, k))
			}
		}
	}
	return validateFilters(cfg, at)
}

// targetCycle finds a cycle of MemoryHandler targets (targets: handler
// key → target key, every target a handler of hs), in one pass: the
// cycle's keys from the first handler of hs on it, back to that one; nil
// if there is none. steps counts the handlers visited.
func targetCycle(hs []HandlerConfig, targets map[string]string, steps *int) []string {
	const onPath, done = 1, 2
	state := make(map[string]int8, len(targets))
	for _, h := range hs {
		var path []string
		k := h.Key
		for k != "" && state[k] == 0 {
			*steps++
			state[k] = onPath
			path = append(path, k)
			k = targets[k]
		}
		if k != "" && state[k] == onPath {
			return append(path[slices.Index(path, k):], k)
		}
		for _, p := range path {
			state[p] = done
		}
	}
	return nil
}

// cycleError says which handlers' targets form cycle (at most ten named).
func cycleError(cycle []string) error {
	names := make([]string, 0, min(len(cycle), 11))
	for i, k := range cycle {
		if i == 10 {
			names = append(names, fmt.Sprintf("… (%d more)", len(cycle)-10))
			break
		}
		names = append(names, clip(k))
	}
	return fmt.Errorf("%w: MemoryHandler targets form a cycle (%s): its records would be flushed round it for ever",
		ErrBadArgs, strings.Join(names, " → "))
}

// targetIdents adds to each handler's identity (idents, by key) the
// identity of its target, all the way down the chain (hashed, so that a
// long chain stays short): a MemoryHandler is reopened whenever what it
// flushes to is, so it never holds a closed target. Targets form no
// cycle.
func targetIdents(hs []HandlerConfig, idents map[string]string) {
	targets := targetsOf(hs)
	full := make(map[string]string, len(targets))
	var identOf func(k string) string
	identOf = func(k string) string {
		if id, ok := full[k]; ok {
			return id
		}
		id := idents[k]
		if t := targets[k]; t != "" {
			sum := sha256.Sum256([]byte(identOf(t)))
			id += "|target:" + hex.EncodeToString(sum[:])
		}
		full[k] = id
		return id
	}
	for k := range targets {
		idents[k] = identOf(k)
	}
}

// wireTargets gives each newly opened handler with a target its target's
// core (as CPython's fileConfig calls setTarget once every handler
// exists), and makes it find callers when its target shows them.
func wireTargets(pl *Plan, hs map[string]*handler) error {
	targets := targetsOf(pl.next.Handlers)
	var callerOf func(k string) bool
	callerOf = func(k string) bool {
		o := hs[k].out
		if t := targets[k]; t != "" && !o.caller {
			o.caller = callerOf(t)
		}
		return o.caller
	}
	for i := range pl.next.Handlers {
		hc := &pl.next.Handlers[i]
		if hc.Target == "" || !pl.open[hc.Key] {
			continue
		}
		o := hs[hc.Key].out
		ts, ok := o.core.(handlers.TargetSetter)
		if !ok {
			return &Error{File: hc.Pos.File, Line: hc.Pos.Line, Section: hc.Pos.Section, Key: "target",
				Err: fmt.Errorf("%w: handler %q (%s) takes no target", ErrBadArgs, hc.Key, className(hc.Class))}
		}
		ts.SetTarget(hs[hc.Target].out.core)
		callerOf(hc.Key)
	}
	return nil
}

// closeOrder orders outs, the outputs of cfg's handlers, so that a
// handler closes before its target (a MemoryHandler flushes to it when it
// closes): the longest chains of targets first, otherwise as they were.
func closeOrder(cfg *Config, outs []*output) []*output {
	targets := targetsOf(cfg.Handlers)
	if len(targets) == 0 {
		return outs
	}
	depth := map[string]int{}
	var depthOf func(k string) int
	depthOf = func(k string) int {
		if d, ok := depth[k]; ok {
			return d
		}
		d := 0
		if t := targets[k]; t != "" {
			d = 1 + depthOf(t)
		}
		depth[k] = d
		return d
	}
	out := slices.Clone(outs)
	slices.SortStableFunc(out, func(a, b *output) int { return depthOf(b.key) - depthOf(a.key) })
	return out
}

// targetsOf maps each handler of hs that has a target to it.
func targetsOf(hs []HandlerConfig) map[string]string {
	targets := map[string]string{}
	for _, h := range hs {
		if h.Target != "" {
			targets[h.Key] = h.Target
		}
	}
	return targets
}
