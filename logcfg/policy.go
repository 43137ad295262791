package logcfg

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"

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

// ApplyResult reports what an Apply changed.
type ApplyResult struct {
	Generation uint64   // the tree's generation after the apply
	Changes    []Change // levels that changed: loggers (root first, then by name), then handlers by key
	Ignored    []string // differences the policy did not let through
}

// Change is one level that changed.
type Change struct {
	Kind     string // "logger" or "handler"
	Name     string // logger name ("root") or handler key
	Old, New zapcore.Level
}

func (c Change) String() string {
	return fmt.Sprintf("%s %s: %s -> %s", c.Kind, c.Name, LevelName(c.Old), LevelName(c.New))
}

// levelsOnly returns the running config cur with the levels of next:
// loggers named in next take next's level (loggers new to the tree are
// added with no handlers), loggers cur has and next does not name go back
// to NOTSET, handlers both have take next's level. Everything else next
// says differently is listed as ignored.
func levelsOnly(cur, next *Config) (*Config, []string) {
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
	}
	for i := range out.Loggers {
		l := &out.Loggers[i]
		if named[l.Name] {
			continue
		}
		if l.Name == "root" {
			l.Level = zapcore.WarnLevel
			continue
		}
		l.Level = NotSet
		if len(l.Handlers) > 0 || !l.Propagate {
			ignored = append(ignored, fmt.Sprintf("logger %q: not in the new config; its handlers %v and propagate %v kept (levels-only)",
				l.Name, l.Handlers, l.Propagate))
		}
	}
	curH := map[string]int{}
	for i, h := range out.Handlers {
		curH[h.Key] = i
	}
	curF := formattersByKey(cur)
	nextF := formattersByKey(next)
	for _, nh := range next.Handlers {
		i, ok := curH[nh.Key]
		if !ok {
			ignored = append(ignored, fmt.Sprintf("handler %q: new %s not started (levels-only)", nh.Key, ClassName(nh.Class)))
			continue
		}
		h := &out.Handlers[i]
		h.Level = nh.Level
		switch {
		case ClassName(h.Class) != ClassName(nh.Class):
			ignored = append(ignored, fmt.Sprintf("handler %q: class %s not running, %s kept (levels-only)",
				nh.Key, ClassName(nh.Class), ClassName(h.Class)))
		case !reflect.DeepEqual(h.Args, nh.Args) || !reflect.DeepEqual(h.Kwargs, nh.Kwargs):
			ignored = append(ignored, fmt.Sprintf("handler %q: new args/kwargs not applied (levels-only)", nh.Key))
		}
		if h.Formatter != nh.Formatter || !sameFormatter(curF[h.Formatter], nextF[nh.Formatter]) {
			ignored = append(ignored, fmt.Sprintf("handler %q: formatter changes not applied (levels-only)", nh.Key))
		}
	}
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

func sameFormatter(a, b *FormatterConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Class == b.Class && a.Format == b.Format && a.Datefmt == b.Datefmt &&
		a.HasDatefmt == b.HasDatefmt && a.Style == b.Style && reflect.DeepEqual(a.Extra, b.Extra)
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
			out = append(out, Change{Kind: "logger", Name: l.Name, Old: o, New: l.Level})
		}
	}
	for _, l := range old.Loggers {
		if !seen[l.Name] && l.Level != NotSet {
			out = append(out, Change{Kind: "logger", Name: l.Name, Old: l.Level, New: NotSet})
		}
	}
	oldH := map[string]zapcore.Level{}
	for _, h := range old.Handlers {
		oldH[h.Key] = h.Level
	}
	for _, h := range cur.Handlers {
		if o, ok := oldH[h.Key]; ok && o != h.Level {
			out = append(out, Change{Kind: "handler", Name: h.Key, Old: o, New: h.Level})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind == "logger"
		}
		if a.Kind == "logger" && (a.Name == "root") != (b.Name == "root") {
			return a.Name == "root"
		}
		return a.Name < b.Name
	})
	return out
}
