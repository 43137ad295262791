package logcfg

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Tree is a live tree of named zap loggers, configured by a [Config] and
// reconfigured by [Tree.Apply] while it runs. All its methods are safe for
// concurrent use; logging through its loggers takes no lock.
type Tree struct {
	mu      sync.Mutex // serialises writers: Apply, Close, node creation
	state   atomic.Pointer[state]
	nodes   sync.Map // name → *node
	errOut  zapcore.WriteSyncer
	zapOpts []zap.Option
	closed  bool
	// drainLimit bounds how long Apply waits for writes through replaced
	// handlers before it leaves their closing to a goroutine.
	drainLimit time.Duration
	pending    sync.WaitGroup // such goroutines; Close waits for them
	lastResort io.Writer      // os.Stderr; a buffer in tests
	// undrained are replaced states whose writers nobody has waited for
	// yet (their outputs were carried over); guarded by mu.
	undrained []*state
}

// node is one named logger: its effective level, kept current by Apply,
// and its route (the handlers it reaches), computed lazily per generation.
type node struct {
	name   string
	level  atomic.Int32
	route  atomic.Pointer[route]
	logger *zap.Logger
}

type route struct {
	st       *state
	handlers []*handler
}

// TreeOption configures [NewTree].
type TreeOption interface{ applyTreeOption(*Tree) }

type treeOptionFunc func(*Tree)

func (f treeOptionFunc) applyTreeOption(t *Tree) { f(t) }

// WithErrorOutput sets where handler failures (a full disk, a closed
// pipe) and zap's own errors are reported; the default is stderr.
func WithErrorOutput(w zapcore.WriteSyncer) TreeOption {
	return treeOptionFunc(func(t *Tree) { t.errOut = zapcore.Lock(w) })
}

// WithZapOptions adds options to every logger the tree makes. Do not pass
// zap.Development: CRITICAL is zap's DPanic level, which panics in
// development mode, and livelog promises CRITICAL never panics. Do not
// pass zap.AddCaller either: the tree finds callers itself, faster, and
// only when a format shows them.
func WithZapOptions(opts ...zap.Option) TreeOption {
	return treeOptionFunc(func(t *Tree) { t.zapOpts = append(t.zapOpts, opts...) })
}

// NewTree builds a tree running cfg (applied with [Full]). A nil cfg gives
// an empty tree: the root at WARNING with no handlers, where records at
// WARNING and above reach Python's "last resort" (stderr, message only).
// It fails if cfg cannot be applied, or if the zap options given with
// [WithZapOptions] would make CRITICAL panic (zap.Development).
func NewTree(cfg *Config, opts ...TreeOption) (*Tree, error) {
	t := &Tree{errOut: zapcore.Lock(os.Stderr), drainLimit: time.Second, lastResort: os.Stderr}
	for _, o := range opts {
		o.applyTreeOption(t)
	}
	if criticalPanics(t.zapOpts) {
		return nil, errors.New("logcfg: NewTree: the zap options make CRITICAL (zap's DPanic) panic; " +
			"do not pass zap.Development() or a panic hook: CRITICAL must log and return")
	}
	empty, _, err := buildState(&Config{Loggers: []LoggerConfig{{Key: "root", Name: "root", Level: zapcore.WarnLevel, Propagate: true}}}, nil)
	if err != nil {
		return nil, err
	}
	t.state.Store(empty)
	if cfg != nil {
		if _, err := t.Apply(cfg, Full); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// criticalPanics says whether a logger built with opts panics on DPanic
// (CRITICAL), as zap.Development makes it.
func criticalPanics(opts []zap.Option) (panics bool) {
	defer func() {
		if recover() != nil {
			panics = true
		}
	}()
	zap.New(zapcore.NewNopCore(), opts...).DPanic("livelog: probe")
	return false
}

// Logger returns the logger named name: "" and "root" are the root; dotted
// names form the hierarchy ("app.db" is a child of "app"). A logger may be
// asked for before any config names it: it inherits its level and reaches
// its ancestors' handlers, and follows every later config. The same name
// always gives the same *zap.Logger.
//
// Use Logger for children too: zap's Named appends to the rendered name
// but keeps the parent's place in the tree.
func (t *Tree) Logger(name string) *zap.Logger {
	if name == "" {
		name = "root"
	}
	if n, ok := t.nodes.Load(name); ok {
		return n.(*node).logger
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if n, ok := t.nodes.Load(name); ok {
		return n.(*node).logger
	}
	n := &node{name: name}
	n.level.Store(int32(t.state.Load().effective(name)))
	opts := append([]zap.Option{zap.ErrorOutput(t.errOut)}, t.zapOpts...)
	n.logger = zap.New(&routerCore{t: t, n: n}, opts...).Named(name)
	t.nodes.Store(name, n)
	return n.logger
}

// Apply makes cfg the running configuration under policy p, all or
// nothing: every new handler is opened and every format compiled before
// anything is published with one atomic swap; handlers that did not change
// are carried over, not reopened; old handlers are closed after the swap,
// once no write can reach them, so no line is lost or torn. On error
// nothing changes.
//
// Under [LevelsOnly] only levels change (see [Policy]). A config with
// Incremental set changes only the levels it names, whatever p is.
// Loggers the new config does not name go back to NOTSET and inherit from
// their ancestors; unlike Python's fileConfig, they are not disabled.
func (t *Tree) Apply(cfg *Config, p Policy) (*ApplyResult, error) {
	if cfg == nil {
		return nil, errors.New("logcfg: Apply: nil config")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, errors.New("logcfg: Apply: tree is closed")
	}
	if err := validate(cfg); err != nil {
		return nil, err
	}
	old := t.state.Load()
	next, ignored := cloneConfig(cfg), []string(nil)
	switch {
	case cfg.Incremental:
		next, ignored = incremental(old.cfg, cfg)
	case p == LevelsOnly:
		// Even on a tree that has run no config yet (NewTree(nil)):
		// LevelsOnly is what a listener lets the network do by default,
		// so it must never open a handler.
		next, ignored = levelsOnly(old.cfg, cfg)
	}
	ns, opened, err := buildState(next, old)
	if err != nil {
		return nil, err
	}
	if len(opened) > 0 && (cfg.Incremental || p == LevelsOnly) {
		// The running handlers were all carried over by construction; if
		// one was not, refuse rather than open it under a levels policy.
		_ = closeOutputs(opened)
		return nil, fmt.Errorf("logcfg: Apply: internal error: a %s apply would open %d handler(s); nothing changed", p, len(opened))
	}
	ns.gen = old.gen + 1
	changes := levelChanges(old.cfg, next)
	t.state.Store(ns)
	t.nodes.Range(func(_, v any) bool {
		n := v.(*node)
		n.level.Store(int32(ns.effective(n.name)))
		return true
	})
	t.retire(old, ns)
	return &ApplyResult{Generation: ns.gen, Changes: changes, Ignored: ignored}, nil
}

// retire closes the outputs of old that next does not carry, once every
// write that loaded old has finished.
func (t *Tree) retire(old, next *state) {
	// A writer may still hold old, or any state replaced before it whose
	// outputs were all carried over (so nothing waited for its writers).
	// Such a state's count only falls, so those at zero are done with.
	held := t.undrained[:0]
	for _, s := range t.undrained {
		if s.refs.Load() != 0 {
			held = append(held, s)
		}
	}
	t.undrained = append(held, old)
	keep := next.outputs()
	var gone []*output
	for o := range old.outputs() {
		if _, ok := keep[o]; !ok {
			gone = append(gone, o)
		}
	}
	if len(gone) == 0 {
		return
	}
	closeGone := func() {
		if err := closeOutputs(gone); err != nil {
			t.reportf("logcfg: closing replaced handlers: %v", err)
		}
	}
	states := t.undrained
	t.undrained = nil
	if drainAll(states, t.drainLimit) {
		closeGone()
		return
	}
	// A write is stuck (a pipe nobody reads): Apply does not wait for it.
	// The outputs are closed when it returns.
	t.pending.Add(1)
	go func() {
		defer t.pending.Done()
		drainAll(states, 0)
		closeGone()
	}()
}

// acquire returns the current state with a reference held; the caller
// must release it with s.refs.Add(-1).
func (t *Tree) acquire() *state {
	for {
		s := t.state.Load()
		s.refs.Add(1)
		if t.state.Load() == s {
			return s
		}
		s.refs.Add(-1)
	}
}

// Config returns a copy of the configuration the tree runs now. After a
// LevelsOnly apply it is the running handlers and formatters with the new
// levels, so applying it later with Full restores exactly this state.
func (t *Tree) Config() *Config { return cloneConfig(t.state.Load().cfg) }

// Generation counts applies: 1 after NewTree with a config, one more for
// every successful Apply.
func (t *Tree) Generation() uint64 { return t.state.Load().gen }

// Resolved gives the JSON picture of the running tree, in the shape of
// [Config.Resolve], plus every logger the application asked for that no
// config names (level NOTSET, with its effective level).
func (t *Tree) Resolved() Resolved {
	s := t.state.Load()
	r := s.cfg.Resolve()
	t.nodes.Range(func(k, v any) bool {
		name := k.(string)
		if _, ok := r.Loggers[name]; !ok {
			r.Loggers[name] = ResolvedLogger{Level: "NOTSET", Effective: LevelName(s.effective(name)), Propagate: true, Handlers: []string{}}
		}
		return true
	})
	return r
}

// HandlerError is a handler's write failures so far.
type HandlerError struct {
	Handler string // handler key
	Count   int64  // failed writes since the handler was opened
	Last    string // the last error
}

// HandlerErrors lists the running handlers that failed to write, by key.
func (t *Tree) HandlerErrors() []HandlerError {
	s := t.state.Load()
	var out []HandlerError
	for o, key := range s.outputs() {
		if n := o.errs.Load(); n > 0 {
			he := HandlerError{Handler: key, Count: n}
			if p := o.lastErr.Load(); p != nil {
				he.Last = *p
			}
			out = append(out, he)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Handler < out[j].Handler })
	return out
}

// Sync flushes every handler.
func (t *Tree) Sync() error {
	s := t.acquire()
	defer s.refs.Add(-1)
	var errs []error
	for o, key := range s.outputs() {
		if err := o.core.Sync(); err != nil && !ignorableSyncError(err) {
			errs = append(errs, fmt.Errorf("logcfg: sync handler %q: %w", key, err))
		}
	}
	return errors.Join(errs...)
}

// Close flushes and closes every handler. Loggers stay usable: afterwards
// they reach no handler (records at WARNING and above go to stderr, like
// Python's last resort). Apply fails after Close.
func (t *Tree) Close() error {
	syncErr := t.Sync()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	t.closed = true
	old := t.state.Load()
	// The closed state keeps the levels and reaches no handler.
	closed := &state{gen: old.gen, cfg: old.cfg, loggers: map[string]*loggerState{}, handlers: map[string]*handler{}}
	for name, l := range old.loggers {
		closed.loggers[name] = &loggerState{level: l.level, propagate: l.propagate}
	}
	t.state.Store(closed)
	drainAll(append(t.undrained, old), 0)
	t.undrained = nil
	t.pending.Wait()
	var outs []*output
	for o := range old.outputs() {
		outs = append(outs, o)
	}
	return errors.Join(syncErr, closeOutputs(outs))
}

func (t *Tree) reportf(format string, args ...any) {
	fmt.Fprintf(t.errOut, format+"\n", args...)
	_ = t.errOut.Sync()
}

// ignorableSyncError: fsync on a terminal, pipe or socket fails with
// EINVAL (or ENOTTY, ENOTSUP); that is not a handler failure.
func ignorableSyncError(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTTY) || errors.Is(err, syscall.ENOTSUP)
}
