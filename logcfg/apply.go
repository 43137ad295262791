package logcfg

import (
	"errors"
	"fmt"
	"os"

	"go.uber.org/zap/zapcore"
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
	return gone, nil
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
