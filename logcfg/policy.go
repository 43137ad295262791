package logcfg

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"time"

	"go.uber.org/zap/zapcore"
)

// Policy says what [Tree.Apply] may change.
type Policy int

const (
	// LevelsOnly changes logger and handler levels only, like dictConfig's
	// incremental mode: handlers, formatters, handler lists and propagate
	// flags stay as they run, and every such difference in the new config
	// is reported in ApplyResult.Ignored.
	LevelsOnly Policy = iota
	// Full replaces handlers and formatters too.
	Full
)

func (p Policy) String() string {
	if p == Full {
		return "full"
	}
	return "levels-only"
}

// ApplyResult reports what an apply changed, or, from [Tree.Plan], what it
// would change.
type ApplyResult struct {
	Generation uint64   // the tree's generation after the apply
	Changes    []Change // levels that change: loggers (root first, then by name), then handlers by key
	Ignored    []string // differences the policy does not let through
	Warnings   []Warning
	Opened     []string // handlers started (keys, in config order)
	Kept       []string // handlers carried over, not reopened
	Closed     []string // handlers of the running config that stop
	// Expires is when a temporary change ([For], [Tree.ApplyFor]) reverts;
	// zero for a permanent one (and in a plan).
	Expires time.Time
}

// ChangeKind says what a [Change] is the level of.
type ChangeKind string

// Kinds of [Change].
const (
	ChangeLogger  ChangeKind = "logger"
	ChangeHandler ChangeKind = "handler"
)

// Change is one level that changed.
type Change struct {
	Kind     ChangeKind
	Name     string // logger name ("root") or handler key
	Old, New zapcore.Level
}

func (c Change) String() string {
	return fmt.Sprintf("%s %s: %s -> %s", c.Kind, c.Name, LevelName(c.Old), LevelName(c.New))
}

// Plan is what applying a config would do to a tree in the state it was
// planned against: computed by [Tree.Plan] without opening or changing
// anything. [Tree.Apply] makes a plan and executes it; a dry run only
// reads one.
type Plan struct {
	ApplyResult
	Policy Policy

	base        *state
	next        *Config
	incremental bool
	// idents: each handler key of next → its identity; open: the keys to
	// open (the rest are carried from base).
	idents map[string]string
	open   map[string]bool
}

// plan computes what applying cfg (validated) under p to s does. It opens
// nothing.
func plan(s *state, cfg *Config, p Policy) (*Plan, error) {
	next, ignored := cloneConfig(cfg), []string(nil)
	levelsOnly := cfg.Incremental || p == LevelsOnly
	switch {
	case cfg.Incremental:
		next, ignored = incremental(s.cfg, cfg)
	case p == LevelsOnly:
		// Even on a tree that has run no config yet (NewTree(nil)):
		// LevelsOnly is what a listener lets the network do by default,
		// so it must never open a handler.
		next, ignored = mergeLevels(s.cfg, cfg)
	}
	pl := &Plan{Policy: p, base: s, next: next, incremental: cfg.Incremental, idents: map[string]string{}, open: map[string]bool{}}
	pl.Generation = s.gen + 1
	pl.Ignored = ignored
	pl.Warnings = slices.Clone(cfg.Warnings)
	pl.Changes = levelChanges(s.cfg, next)
	running := map[string]bool{}
	for _, o := range s.outs {
		running[o.ident] = true
	}
	formatters := formattersByKey(next)
	kept := map[string]bool{}
	for i := range next.Handlers {
		hc := &next.Handlers[i]
		pl.idents[hc.Key] = handlerIdent(hc, formatters[hc.Formatter])
	}
	targetIdents(next.Handlers, pl.idents)
	for i := range next.Handlers {
		hc := &next.Handlers[i]
		id := pl.idents[hc.Key]
		if running[id] {
			pl.Kept = append(pl.Kept, hc.Key)
			kept[id] = true
			continue
		}
		if levelsOnly {
			// By construction every handler of a levels-only merge runs
			// already; refuse rather than open one.
			return nil, fmt.Errorf("logcfg: Apply: internal error: a %s apply would open handler %q; nothing changed", p, hc.Key)
		}
		pl.Opened = append(pl.Opened, hc.Key)
		pl.open[hc.Key] = true
	}
	for _, o := range s.outs {
		if !kept[o.ident] {
			pl.Closed = append(pl.Closed, o.key)
		}
	}
	return pl, nil
}

// handlerIdent is everything that goes into opening a handler's output:
// key, class, arguments and formatter (not the level). Two handlers with
// the same identity are the same running handler: the one rule for
// "unchanged".
func handlerIdent(hc *HandlerConfig, fc *FormatterConfig) string {
	b := make([]byte, 0, 256)
	b = strconv.AppendQuote(b, hc.Key)
	b = strconv.AppendQuote(b, hc.Class)
	b = appendArgs(b, hc)
	b = append(b, '|')
	return string(appendFormatter(b, fc))
}

// appendArgs writes a handler's arguments unambiguously.
func appendArgs(b []byte, hc *HandlerConfig) []byte {
	return appendDict(appendValues(b, hc.Args), hc.Kwargs)
}

// appendFormatter writes what a formatter is made of; nil is Python's
// default formatter.
func appendFormatter(b []byte, fc *FormatterConfig) []byte {
	if fc == nil {
		fc = &FormatterConfig{Format: "%(message)s", Style: "%"}
	}
	b = strconv.AppendQuote(b, fc.Class)
	b = strconv.AppendQuote(b, fc.Format)
	b = strconv.AppendQuote(b, fc.Datefmt)
	b = strconv.AppendBool(b, fc.HasDatefmt)
	b = strconv.AppendQuote(b, fc.Style)
	for _, k := range sortedKeys(fc.Extra) {
		b = strconv.AppendQuote(b, k)
		b = strconv.AppendQuote(b, fc.Extra[k])
	}
	return b
}

func appendValues(b []byte, vs []Value) []byte {
	b = append(b, '(')
	for _, v := range vs {
		b = appendValue(b, v)
	}
	return append(b, ')')
}

func appendDict(b []byte, d map[string]Value) []byte {
	b = append(b, '{')
	for _, k := range sortedKeys(d) {
		b = strconv.AppendQuote(b, k)
		b = appendValue(b, d[k])
	}
	return append(b, '}')
}

// appendValue writes v unambiguously: its kind, then its content.
func appendValue(b []byte, v Value) []byte {
	b = append(b, 'a'+byte(v.Kind))
	switch v.Kind {
	case KindBool:
		b = strconv.AppendBool(b, v.Bool)
	case KindInt, KindTime:
		b = strconv.AppendInt(b, v.Int, 10)
	case KindFloat:
		b = strconv.AppendFloat(b, v.Float, 'g', -1, 64)
	case KindString, KindStream:
		b = strconv.AppendQuote(b, v.Str)
	case KindTuple:
		b = appendValues(b, v.Items)
	case KindDict:
		b = appendDict(b, v.Dict)
	}
	return append(b, ',')
}

func sameArgs(a, b *HandlerConfig) bool {
	return string(appendArgs(nil, a)) == string(appendArgs(nil, b))
}

func sameFormatter(a, b *FormatterConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	return string(appendFormatter(nil, a)) == string(appendFormatter(nil, b))
}

// mergeLevels returns the running config cur with the levels of next:
// loggers named in next take next's level (loggers new to the tree are
// added with no handlers), loggers cur has and next does not name go back
// to NOTSET, handlers both have take next's level. Everything else next
// says differently is listed as ignored.
func mergeLevels(cur, next *Config) (*Config, []string) {
	out := cloneConfig(cur)
	var ignored []string
	byName := map[string]int{}
	for i, l := range out.Loggers {
		byName[l.Name] = i
	}
	named := map[string]bool{}
	for _, nl := range next.Loggers {
		named[nl.Name] = true
		i, ok := byName[nl.Name]
		if !ok {
			out.Loggers = append(out.Loggers, LoggerConfig{Key: nl.Key, Name: nl.Name, Level: nl.Level, Propagate: true, Pos: nl.Pos})
			if len(nl.Handlers) > 0 {
				ignored = append(ignored, fmt.Sprintf("logger %q: handlers %v not attached (levels-only)", nl.Name, nl.Handlers))
			}
			if !nl.Propagate {
				ignored = append(ignored, fmt.Sprintf("logger %q: propagate=0 not applied (levels-only)", nl.Name))
			}
			if len(nl.Filters) > 0 {
				ignored = append(ignored, fmt.Sprintf("logger %q: filters %v not applied (levels-only)", nl.Name, nl.Filters))
			}
			continue
		}
		l := &out.Loggers[i]
		l.Level = nl.Level
		if !slices.Equal(l.Handlers, nl.Handlers) {
			ignored = append(ignored, fmt.Sprintf("logger %q: handlers %v kept, not %v (levels-only)", nl.Name, l.Handlers, nl.Handlers))
		}
		if l.Propagate != nl.Propagate {
			ignored = append(ignored, fmt.Sprintf("logger %q: propagate %v kept (levels-only)", nl.Name, l.Propagate))
		}
		if !slices.Equal(l.Filters, nl.Filters) {
			ignored = append(ignored, fmt.Sprintf("logger %q: filters %v kept, not %v (levels-only)", nl.Name, l.Filters, nl.Filters))
		}
	}
	kept := out.Loggers[:0]
	for _, l := range out.Loggers {
		switch {
		case named[l.Name]:
		case l.Name == "root":
			l.Level = zapcore.WarnLevel
		case len(l.Handlers) > 0 || !l.Propagate || len(l.Filters) > 0:
			l.Level = NotSet
			ignored = append(ignored, fmt.Sprintf("logger %q: not in the new config; its handlers %v and propagate %v kept (levels-only)",
				l.Name, l.Handlers, l.Propagate))
		default:
			// Only a level kept it in the config, and NOTSET is what an
			// unconfigured logger has: drop it, so that the names a push
			// brings do not outlive the config that named them.
			continue
		}
		kept = append(kept, l)
	}
	out.Loggers = kept
	curH := map[string]int{}
	for i, h := range out.Handlers {
		curH[h.Key] = i
	}
	curF := formattersByKey(cur)
	nextF := formattersByKey(next)
	for _, nh := range next.Handlers {
		i, ok := curH[nh.Key]
		if !ok {
			ignored = append(ignored, fmt.Sprintf("handler %q: new %s not started (levels-only)", nh.Key, className(nh.Class)))
			continue
		}
		h := &out.Handlers[i]
		h.Level = nh.Level
		switch {
		case className(h.Class) != className(nh.Class):
			ignored = append(ignored, fmt.Sprintf("handler %q: class %s not running, %s kept (levels-only)",
				nh.Key, className(nh.Class), className(h.Class)))
		case !sameArgs(h, &nh):
			ignored = append(ignored, fmt.Sprintf("handler %q: new args/kwargs not applied (levels-only)", nh.Key))
		}
		if h.Formatter != nh.Formatter || !sameFormatter(curF[h.Formatter], nextF[nh.Formatter]) {
			ignored = append(ignored, fmt.Sprintf("handler %q: formatter changes not applied (levels-only)", nh.Key))
		}
		if !slices.Equal(h.Filters, nh.Filters) {
			ignored = append(ignored, fmt.Sprintf("handler %q: filters %v kept, not %v (levels-only)", nh.Key, h.Filters, nh.Filters))
		}
	}
	ignored = append(ignored, filterChanges(cur, next)...)
	if !next.Incremental {
		nextH := map[string]bool{}
		for _, nh := range next.Handlers {
			nextH[nh.Key] = true
		}
		for _, h := range out.Handlers {
			if !nextH[h.Key] {
				ignored = append(ignored, fmt.Sprintf("handler %q: kept running (levels-only)", h.Key))
			}
		}
	}
	return out, ignored
}

// incremental applies a dictConfig "incremental": true config: the levels
// of the loggers and handlers it names, nothing else.
func incremental(cur, next *Config) (*Config, []string) {
	out := cloneConfig(cur)
	var ignored []string
	byName := map[string]int{}
	for i, l := range out.Loggers {
		byName[l.Name] = i
	}
	for _, nl := range next.Loggers {
		if i, ok := byName[nl.Name]; ok {
			out.Loggers[i].Level = nl.Level
		} else {
			out.Loggers = append(out.Loggers, LoggerConfig{Key: nl.Key, Name: nl.Name, Level: nl.Level, Propagate: true, Pos: nl.Pos})
		}
	}
	// A logger set back to NOTSET with no handlers of its own is what an
	// unconfigured logger is: drop it, so that incremental pushes of fresh
	// names do not make the config grow for good.
	out.Loggers = slices.DeleteFunc(out.Loggers, func(l LoggerConfig) bool {
		return l.Name != "root" && l.Level == NotSet && len(l.Handlers) == 0 && l.Propagate && len(l.Filters) == 0
	})
	curH := map[string]int{}
	for i, h := range out.Handlers {
		curH[h.Key] = i
	}
	for _, nh := range next.Handlers {
		if i, ok := curH[nh.Key]; ok {
			out.Handlers[i].Level = nh.Level
		} else {
			ignored = append(ignored, fmt.Sprintf("handler %q: not running; incremental configs set levels only", nh.Key))
		}
	}
	return out, ignored
}

func formattersByKey(c *Config) map[string]*FormatterConfig {
	m := make(map[string]*FormatterConfig, len(c.Formatters))
	for i := range c.Formatters {
		m[c.Formatters[i].Key] = &c.Formatters[i]
	}
	return m
}

// cloneConfig copies c deeply enough that editing levels, lists and
// entries of the copy leaves c alone.
func cloneConfig(c *Config) *Config {
	out := *c
	out.Incremental = false
	out.Loggers = make([]LoggerConfig, len(c.Loggers))
	for i, l := range c.Loggers {
		l.Handlers = slices.Clone(l.Handlers)
		out.Loggers[i] = l
	}
	out.Handlers = slices.Clone(c.Handlers)
	for i := range out.Handlers {
		h := &out.Handlers[i]
		h.Args = cloneValues(h.Args)
		h.Kwargs = cloneDict(h.Kwargs)
	}
	out.Formatters = slices.Clone(c.Formatters)
	for i := range out.Formatters {
		out.Formatters[i].Extra = maps.Clone(out.Formatters[i].Extra)
	}
	out.Warnings = slices.Clone(c.Warnings)
	return &out
}

// cloneValues and cloneDict copy parsed literals all the way down, so that
// a handler's arguments in a copy share nothing with the original.
func cloneValues(vs []Value) []Value {
	if vs == nil {
		return nil
	}
	out := make([]Value, len(vs))
	for i, v := range vs {
		v.Items = cloneValues(v.Items)
		v.Dict = cloneDict(v.Dict)
		out[i] = v
	}
	return out
}

func cloneDict(d map[string]Value) map[string]Value {
	if d == nil {
		return nil
	}
	out := make(map[string]Value, len(d))
	for k, v := range d {
		out[k] = cloneValues([]Value{v})[0]
	}
	return out
}

// levelChanges lists the own levels that differ between two configs.
func levelChanges(old, cur *Config) []Change {
	var out []Change
	oldL := map[string]zapcore.Level{}
	for _, l := range old.Loggers {
		oldL[l.Name] = l.Level
	}
	seen := map[string]bool{}
	for _, l := range cur.Loggers {
		seen[l.Name] = true
		o, ok := oldL[l.Name]
		if !ok {
			o = NotSet
			if l.Name == "root" {
				o = zapcore.WarnLevel
			}
		}
		if o != l.Level {
			out = append(out, Change{Kind: ChangeLogger, Name: l.Name, Old: o, New: l.Level})
		}
	}
	for _, l := range old.Loggers {
		if !seen[l.Name] && l.Level != NotSet {
			out = append(out, Change{Kind: ChangeLogger, Name: l.Name, Old: l.Level, New: NotSet})
		}
	}
	oldH := map[string]zapcore.Level{}
	for _, h := range old.Handlers {
		oldH[h.Key] = h.Level
	}
	for _, h := range cur.Handlers {
		if o, ok := oldH[h.Key]; ok && o != h.Level {
			out = append(out, Change{Kind: ChangeHandler, Name: h.Key, Old: o, New: h.Level})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind == ChangeLogger
		}
		if a.Kind == ChangeLogger && (a.Name == "root") != (b.Name == "root") {
			return a.Name == "root"
		}
		return a.Name < b.Name
	})
	return out
}
