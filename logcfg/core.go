package logcfg

import (
	"sync"
	"sync/atomic"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// node is one named logger: its effective level and the floor its core
// lets through, kept current by Apply, and its route (the handlers it
// reaches), computed lazily per state.
type node struct {
	name   string
	level  atomic.Int32 // effective level
	floor  atomic.Int32 // lowest effective level of this logger and any under it
	route  atomic.Pointer[route]
	core   *routerCore
	logger *zap.Logger
	// ctx caches the loggers LoggerContext hands out for this logger, one
	// per context level floor (index: floor - NotSet).
	ctx [ctxFloors]atomic.Pointer[zap.Logger]
}

type route struct {
	st       *state
	handlers []*handler
	outs     []*output // distinct, for Sync
	found    bool      // some handler was reached, if only to filter (see state.route)
}

func (n *node) setLevels(s *state) {
	n.level.Store(int32(s.effective(n.name)))
	n.floor.Store(int32(s.floor(n.name)))
}

// routeFor returns the node's route in s, computing it on the first write
// of a state. Routes are keyed by the state itself, not its generation: a
// closed tree's state keeps the generation but reaches no handler.
func (n *node) routeFor(s *state) *route {
	if r := n.route.Load(); r != nil && r.st == s {
		return r
	}
	r := &route{st: s}
	r.handlers, r.found = s.route(n.name)
	seen := map[*output]bool{}
	for _, h := range r.handlers {
		if !seen[h.out] {
			seen[h.out] = true
			r.outs = append(r.outs, h.out)
		}
	}
	n.route.Store(r)
	return r
}

// routerCore is the zapcore.Core behind every tree logger. Enabled is one
// atomic load of the node's floor; Check routes an entry by its logger
// name (zap's Named keeps the parent's core, so an entry may name a
// logger under this one) and filters it by that logger's level; Write
// sends it to the handlers of the current state, each filtering by its own
// level.
type routerCore struct {
	t      *Tree
	n      *node
	fields []zapcore.Field // from With; encoded per handler lazily
	flat   []zapcore.Field // the same for text formatters, when it differs (slog groups); else nil
	with   *withCache      // non-nil iff fields != nil
	named  *sync.Map       // *node → *routerCore with the same fields; non-nil iff fields != nil
}

var _ zapcore.Core = (*routerCore)(nil)

// withCache holds, per state, each routed handler's core with the With
// fields added, built on the first write after a change.
type withCache struct {
	cur atomic.Pointer[withCores]
}

type withCores struct {
	st    *state         // the state the cores were built for
	cores []zapcore.Core // parallel to the route's handlers
}

// Enabled reports whether this logger, or a logger under it made with
// zap's Named (which shares this core), may log at l: it is zap's fast
// first filter, one atomic load. Check filters by the logger's own level;
// Level (and so zap's Logger.Level) is that level.
func (c *routerCore) Enabled(l zapcore.Level) bool {
	return l >= zapcore.Level(c.n.floor.Load())
}

// Level is the logger's effective level; zapcore.LevelOf and
// zap.Logger.Level read it.
func (c *routerCore) Level() zapcore.Level { return zapcore.Level(c.n.level.Load()) }

func (c *routerCore) With(fields []zapcore.Field) zapcore.Core {
	if len(fields) == 0 {
		return c
	}
	return c.withFields(fields, nil)
}

// withFields is With for fields whose rendering differs for text
// formatters (flat, when non-nil: slog groups as dotted keys).
func (c *routerCore) withFields(fields, flat []zapcore.Field) *routerCore {
	join := func(a, b []zapcore.Field) []zapcore.Field {
		all := make([]zapcore.Field, 0, len(a)+len(b))
		return append(append(all, a...), b...)
	}
	nc := &routerCore{t: c.t, n: c.n, fields: join(c.fields, fields), with: &withCache{}, named: &sync.Map{}}
	if flat != nil || c.flat != nil {
		if flat == nil {
			flat = fields
		}
		base := c.flat
		if base == nil {
			base = c.fields
		}
		nc.flat = join(base, flat)
	}
	return nc
}

func (c *routerCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	switch ent.LoggerName {
	case c.n.name:
	case "":
		// The core used without its zap.Logger (zapslog.NewHandler(core),
		// zapr): the entry is this logger's, not the root's.
		ent.LoggerName = c.n.name
	default:
		c = c.as(ent.LoggerName)
	}
	if ent.Level >= zapcore.Level(c.n.level.Load()) {
		return ce.AddCore(ent, c)
	}
	return ce
}

// as is the core for the logger name (made by zap's Named from this
// core's logger), with this core's fields.
func (c *routerCore) as(name string) *routerCore {
	n := c.t.node(name)
	if n == c.n {
		return c
	}
	if c.fields == nil {
		return n.core
	}
	if v, ok := c.named.Load(n); ok {
		return v.(*routerCore)
	}
	v, _ := c.named.LoadOrStore(n, &routerCore{t: c.t, n: n, fields: c.fields, flat: c.flat, with: &withCache{}, named: c.named})
	return v.(*routerCore)
}

func (c *routerCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	s := c.t.state.Load()
	if !ent.Caller.Defined && s.needCaller {
		ent.Caller = callerOf() // here: callerOf skips Write's frame
	}
	return c.writeIn(s, ent, fields, nil)
}

// writeIn is Write through state s (or a later one, if an Apply replaces
// a handler meanwhile) with the caller already found: the front ends find
// their own (slog's record PC, the first frame outside logr or log).
// flat, when non-nil, replaces fields for the handlers with a text
// formatter (slog groups as dotted keys there, nested objects elsewhere).
func (c *routerCore) writeIn(s *state, ent zapcore.Entry, fields, flat []zapcore.Field) error {
	for ; ; s = c.t.state.Load() {
		r := c.n.routeFor(s)
		if len(r.handlers) == 0 {
			if !r.found && ent.Level >= zapcore.WarnLevel {
				c.t.writeLastResort(ent)
			}
			return nil
		}
		if !acquireAll(r.handlers) {
			continue // an Apply replaced a handler: write through the new state
		}
		var cores []zapcore.Core
		if c.with != nil {
			cores = c.withCores(s, r)
		}
		for i, h := range r.handlers {
			if ent.Level < h.level {
				continue
			}
			core := h.out.core
			if cores != nil {
				core = cores[i]
			}
			fs := fields
			if flat != nil && h.text {
				fs = flat
			}
			if err := core.Write(ent, fs); err != nil {
				c.t.handlerFailed(h, err)
			}
		}
		for _, h := range r.handlers {
			h.out.release()
		}
		return nil
	}
}

// acquireAll acquires the output of every handler, or none.
func acquireAll(hs []*handler) bool {
	for i, h := range hs {
		if !h.out.acquire() {
			for _, h := range hs[:i] {
				h.out.release()
			}
			return false
		}
	}
	return true
}

// Sync flushes the handlers this logger reaches.
func (c *routerCore) Sync() error {
	return syncOutputs(c.n.routeFor(c.t.state.Load()).outs)
}

func (c *routerCore) withCores(s *state, r *route) []zapcore.Core {
	if w := c.with.cur.Load(); w != nil && w.st == s {
		return w.cores
	}
	w := &withCores{st: s, cores: make([]zapcore.Core, len(r.handlers))}
	for i, h := range r.handlers {
		fs := c.fields
		if c.flat != nil && h.text {
			fs = c.flat
		}
		w.cores[i] = h.out.core.With(fs)
	}
	c.with.cur.Store(w)
	return w.cores
}

// handlerFailed counts a handler's write error and reports the first one
// and then every power of two, so a full disk does not flood stderr.
func (t *Tree) handlerFailed(h *handler, err error) {
	if n := h.out.fail(err); n&(n-1) == 0 {
		t.reportf("logcfg: handler %q: write failed (%d so far): %v", h.key, n, err)
	}
}

// writeLastResort is Python's logging.lastResort: a record at WARNING or
// above that reaches no handler at all (a NullHandler counts as one) is
// written to stderr, message only.
func (t *Tree) writeLastResort(ent zapcore.Entry) {
	b := make([]byte, 0, len(ent.Message)+1)
	b = append(append(b, ent.Message...), '\n')
	_, _ = t.lastResort.Write(b)
}
