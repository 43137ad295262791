package logcfg

import (
	"go.uber.org/zap/zapcore"
)

// routerCore is the zapcore.Core behind every tree logger. Enabled is one
// atomic load of the node's effective level; Write routes the entry to the
// handlers of the current generation, each filtering by its own level.
type routerCore struct {
	t      *Tree
	n      *node
	fields []zapcore.Field // from With; encoded per handler lazily
	with   *withCache      // non-nil iff fields != nil
}

var _ zapcore.Core = (*routerCore)(nil)

// withCache holds, per generation, each routed handler's core with the
// With fields added, built on the first write after a change.
type withCache struct {
	cur atomicPointer[withCores]
}

type withCores struct {
	st    *state         // the state the cores were built for
	cores []zapcore.Core // parallel to the route's handlers
}

func (c *routerCore) Enabled(l zapcore.Level) bool {
	return l >= zapcore.Level(c.n.level.Load())
}

func (c *routerCore) With(fields []zapcore.Field) zapcore.Core {
	if len(fields) == 0 {
		return c
	}
	all := make([]zapcore.Field, 0, len(c.fields)+len(fields))
	all = append(append(all, c.fields...), fields...)
	return &routerCore{t: c.t, n: c.n, fields: all, with: &withCache{}}
}

func (c *routerCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(ent.Level) {
		return ce.AddCore(ent, c)
	}
	return ce
}

func (c *routerCore) Write(ent zapcore.Entry, fields []zapcore.Field) error {
	s := c.t.acquire()
	defer s.refs.Add(-1)
	r := c.n.routeFor(s)
	if len(r.handlers) == 0 {
		if ent.Level >= zapcore.WarnLevel {
			c.t.writeLastResort(ent)
		}
		return nil
	}
	if s.needCaller && !ent.Caller.Defined {
		ent.Caller = callerOf()
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
		if err := core.Write(ent, fields); err != nil {
			c.t.handlerFailed(h, err)
		}
	}
	return nil
}

func (c *routerCore) Sync() error { return c.t.Sync() }

func (c *routerCore) withCores(s *state, r *route) []zapcore.Core {
	if w := c.with.cur.Load(); w != nil && w.st == s {
		return w.cores
	}
	w := &withCores{st: s, cores: make([]zapcore.Core, len(r.handlers))}
	for i, h := range r.handlers {
		w.cores[i] = h.out.core.With(c.fields)
	}
	c.with.cur.Store(w)
	return w.cores
}

// routeFor returns the node's route in s, computing it on the first write
// of a state. Routes are keyed by the state itself, not its generation: a
// closed tree's state keeps the generation but reaches no handler.
func (n *node) routeFor(s *state) *route {
	if r := n.route.Load(); r != nil && r.st == s {
		return r
	}
	r := &route{st: s, handlers: s.route(n.name)}
	n.route.Store(r)
	return r
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
