package logcfg

import (
	"strings"
	"sync/atomic"

	"go.uber.org/zap/zapcore"
)

// state is one immutable generation of a tree: the config it runs, each
// configured logger's level, the handlers opened for it and the routes
// they make. Writers load it with one atomic load and never write to it.
type state struct {
	gen      uint64
	cfg      *Config
	levels   map[string]zapcore.Level // own levels of the configured loggers
	below    map[string]zapcore.Level // name → lowest effective level of the configured loggers under it
	loggers  map[string]*loggerState
	handlers map[string]*handler // by key
	outs     []*output           // distinct outputs, in handler order
	// needCaller: some output's records show the caller.
	needCaller bool
}

type loggerState struct {
	handlers  []*handler
	propagate bool
	// filters are the logger names its filters pass (dictConfig
	// filters): a record logged through this logger itself is dropped
	// unless each passes its name.
	filters []string
}

// handler is a running handler in one state; its output may be shared
// with the states before and after it.
type handler struct {
	key   string
	level zapcore.Level
	out   *output
	// filters are the logger names its filters pass.
	filters []string
	// text: its formatter is one of the built-in text classes (Formatter,
	// ColorFormatter), which show slog groups as dotted keys; JSON and
	// application classes get nested objects.
	text bool
}

// passes is Python's logging.Filter(f).filter for a record of the logger
// name, for each f of filters: f is "", name itself, or an ancestor of
// name (app.db passes app.db and app.db.pool, not app.dbx).
func passes(filters []string, name string) bool {
	for _, f := range filters {
		if f != "" && f != name && !(strings.HasPrefix(name, f) && name[len(f)] == '.') {
			return false
		}
	}
	return true
}

// output is an opened handler, identified by everything that went into
// opening it ([handlerIdent]), so that an unchanged handler is carried
// from one state to the next instead of being reopened.
//
// Writers account for themselves on the output, not on the state or the
// tree: acquire before a write, release after. An output that a new state
// no longer uses is retired; once its last writer has released it,
// drained is closed and it can be closed. A writer that finds its output
// retired writes through the current state instead. Only the writers of
// one output (which already share its lock) touch its counter.
type output struct {
	ident  string
	key    string
	core   zapcore.Core
	close  func() error
	caller bool // its records show the caller

	errs    atomic.Int64
	lastErr atomic.Pointer[string]

	inflight atomic.Int64
	retired  atomic.Bool
	signaled atomic.Bool
	drained  chan struct{}
}

func newOutput(ident, key string, out Output, caller bool) *output {
	return &output{ident: ident, key: key, core: out.Core, close: out.Close, caller: caller, drained: make(chan struct{})}
}

func (o *output) fail(err error) int64 {
	msg := err.Error()
	o.lastErr.Store(&msg)
	return o.errs.Add(1)
}

// acquire counts a writer in; false means the output is retired and the
// writer must not use it.
func (o *output) acquire() bool {
	o.inflight.Add(1)
	if o.retired.Load() {
		o.release()
		return false
	}
	return true
}

func (o *output) release() {
	if o.inflight.Add(-1) == 0 && o.retired.Load() {
		o.signal()
	}
}

// retire stops new writers; drained is closed when the last one leaves.
func (o *output) retire() {
	o.retired.Store(true)
	if o.inflight.Load() == 0 {
		o.signal()
	}
}

func (o *output) signal() {
	if o.signaled.CompareAndSwap(false, true) {
		close(o.drained)
	}
}

// effectiveLevel is name's effective level given the own levels of the
// configured loggers: its own, or the nearest configured ancestor's that
// is not NOTSET, or the root's (WARNING when there is no root). It is the
// one place that computes it, for the tree and for Resolve.
func effectiveLevel(name string, own map[string]zapcore.Level) zapcore.Level {
	for n, real := name, true; n != "root"; {
		l, ok := own[n]
		if ok && l != NotSet {
			return l
		}
		n, real = parentName(n, real || ok), false
	}
	if l, ok := own["root"]; ok {
		return l
	}
	return zapcore.WarnLevel
}

// parentName is the next logger name Python's logging links name to, as
// Manager._fixupParents walks them: for a logger that exists (real), the
// part before its last dot; for a placeholder reached from a longer name,
// the part before the last dot that is not its own last character (so
// "app..db" is linked through the placeholder "app." to the root, never to
// "app", as CPython does). A name whose only dot comes first, or that has
// none, links to the root.
func parentName(name string, real bool) string {
	end := len(name)
	if !real && end > 0 {
		end--
	}
	if i := strings.LastIndexByte(name[:end], '.'); i > 0 {
		return name[:i]
	}
	return "root"
}

func (s *state) effective(name string) zapcore.Level { return effectiveLevel(name, s.levels) }

// floor is the lowest effective level of name and of every logger under
// it: what name's core must let through, so that zap's Named children
// (which share their parent's core) can be routed as themselves.
func (s *state) floor(name string) zapcore.Level {
	l := s.effective(name)
	if b, ok := s.below[name]; ok && b < l {
		return b
	}
	return l
}

// route lists the handlers a record logged through name reaches: its own,
// then its ancestors' until one has propagate=0, leaving out the handlers
// whose filters refuse name. found is false when no handler at all was
// reached, so the record goes to the last resort, as in Python: a
// record that the logger's own filters drop, or that only filtering
// handlers reached, is not sent there.
func (s *state) route(name string) (hs []*handler, found bool) {
	if l := s.loggers[name]; l != nil && !passes(l.filters, name) {
		return nil, true
	}
	for n, real := name, true; ; {
		l := s.loggers[n]
		if l != nil {
			for _, h := range l.handlers {
				found = true
				if passes(h.filters, name) {
					hs = append(hs, h)
				}
			}
			if !l.propagate {
				break
			}
		}
		if n == "root" {
			break
		}
		n, real = parentName(n, real || l != nil), false
	}
	return hs, found
}

// filterNames maps filter keys to the logger names the filters pass.
func filterNames(keys []string, byKey map[string]string) []string {
	if len(keys) == 0 {
		return nil
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = byKey[k]
	}
	return out
}

// newState builds the routing part of a state for cfg over handlers
// already opened (by key).
func newState(gen uint64, cfg *Config, hs map[string]*handler) *state {
	s := &state{gen: gen, cfg: cfg, handlers: hs,
		levels:  make(map[string]zapcore.Level, len(cfg.Loggers)+1),
		below:   map[string]zapcore.Level{},
		loggers: make(map[string]*loggerState, len(cfg.Loggers)+1)}
	filters := make(map[string]string, len(cfg.Filters))
	for _, f := range cfg.Filters {
		filters[f.Key] = f.Name
	}
	formatterClass := make(map[string]string, len(cfg.Formatters))
	for _, f := range cfg.Formatters {
		formatterClass[f.Key] = f.Class
	}
	for _, h := range cfg.Handlers {
		if hh := hs[h.Key]; hh != nil {
			hh.filters = filterNames(h.Filters, filters)
			hh.text = isTextFormatter(formatterClass, h.Formatter)
		}
	}
	for _, l := range cfg.Loggers {
		ls := &loggerState{propagate: l.Propagate, filters: filterNames(l.Filters, filters)}
		for _, k := range l.Handlers {
			ls.handlers = append(ls.handlers, hs[k])
		}
		s.loggers[l.Name] = ls
		s.levels[l.Name] = l.Level
	}
	if _, ok := s.loggers["root"]; !ok {
		s.loggers["root"] = &loggerState{propagate: true}
		s.levels["root"] = zapcore.WarnLevel
	}
	for name := range s.levels {
		eff := s.effective(name)
		for a, real := name, true; a != "root"; real = false {
			_, configured := s.levels[a]
			a = parentName(a, real || configured)
			if b, ok := s.below[a]; !ok || eff < b {
				s.below[a] = eff
			}
		}
	}
	seen := map[*output]bool{}
	for _, h := range cfg.Handlers {
		if hh := hs[h.Key]; hh != nil && !seen[hh.out] {
			seen[hh.out] = true
			s.outs = append(s.outs, hh.out)
			s.needCaller = s.needCaller || hh.out.caller
		}
	}
	return s
}

// isTextFormatter says whether the formatter key (of a handler) names a
// built-in text formatter class, or none (the default Formatter).
func isTextFormatter(class map[string]string, key string) bool {
	c, ok := class[key]
	if !ok {
		return key == ""
	}
	switch strings.TrimPrefix(strings.TrimSpace(c), "logging.") {
	case "", "Formatter", "ColorFormatter", "livelog.ColorFormatter":
		return true
	}
	return false
}
