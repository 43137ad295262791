package logcfg

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Tree is a live tree of named zap loggers, configured by a [Config] and
// reconfigured by [Tree.Apply] while it runs. All its methods are safe for
// concurrent use; logging through its loggers takes no lock and writes to
// no memory that all goroutines share.
type Tree struct {
	// mu serialises Apply and Close. It is never held across a handler's
	// write: waiting for writers to leave a replaced handler happens after
	// it is released.
	mu       sync.Mutex
	state    atomic.Pointer[state]
	nodesMu  sync.Mutex // serialises node creation only
	nodes    sync.Map   // name → *node
	registry *Registry
	errOut   zapcore.WriteSyncer
	zapOpts  []zap.Option
	closed   bool
	// drainLimit bounds how long Apply and Close wait for a write through
	// a replaced handler before leaving its closing to a goroutine.
	drainLimit time.Duration
	pending    sync.WaitGroup // such goroutines
	lastResort io.Writer      // os.Stderr; a buffer in tests
	clock      Clock
	// temps are the temporary changes in force, history the last applies;
	// guarded by mu.
	temps   []*temporary
	history []HistoryEntry
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
	t := &Tree{errOut: zapcore.Lock(os.Stderr), drainLimit: time.Second, lastResort: os.Stderr, registry: defaultRegistry, clock: systemClock{}}
	for _, o := range opts {
		o.applyTreeOption(t)
	}
	if criticalPanics(t.zapOpts) {
		return nil, errors.New("logcfg: NewTree: the zap options make CRITICAL (zap's DPanic) panic; " +
			"do not pass zap.Development() or a panic hook: CRITICAL must log and return")
	}
	root := &Config{Loggers: []LoggerConfig{{Key: "root", Name: "root", Level: zapcore.WarnLevel, Propagate: true}}}
	t.state.Store(newState(0, root, map[string]*handler{}))
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

// Registry is the registry of classes the tree opens handlers with.
func (t *Tree) Registry() *Registry { return t.registry }

// Logger returns the logger named name: "" and "root" are the root; dotted
// names form the hierarchy ("app.db" is a child of "app"). A logger may be
// asked for before any config names it: it inherits its level and reaches
// its ancestors' handlers, and follows every later config. The same name
// always gives the same *zap.Logger.
//
// zap's Named composes: Logger("app").Named("db") logs as "app.db", at
// app.db's level and to app.db's handlers, exactly as Logger("app.db").
// Logger never waits for an Apply or a Close.
func (t *Tree) Logger(name string) *zap.Logger { return t.node(name).logger }

// node returns the node of name, making it on first use.
func (t *Tree) node(name string) *node {
	name = canonicalName(name)
	if n, ok := t.nodes.Load(name); ok {
		return n.(*node)
	}
	t.nodesMu.Lock()
	defer t.nodesMu.Unlock()
	if n, ok := t.nodes.Load(name); ok {
		return n.(*node)
	}
	n := &node{name: name}
	n.core = &routerCore{t: t, n: n}
	opts := append([]zap.Option{zap.ErrorOutput(t.errOut)}, t.zapOpts...)
	n.logger = zap.New(n.core, opts...).Named(name)
	t.nodes.Store(name, n)
	// An Apply that published a new state after this node's levels were
	// read, but ranged over the nodes before it was stored, missed it:
	// read again until the state is the one the levels came from.
	for {
		s := t.state.Load()
		n.setLevels(s)
		if t.state.Load() == s {
			break
		}
	}
	return n
}

// canonicalName maps "" to "root", and the names zap's Named makes under
// the root ("root.db") to the names they stand for ("db").
func canonicalName(name string) string {
	if name == "" {
		return "root"
	}
	if rest, ok := strings.CutPrefix(name, "root."); ok && rest != "" {
		return rest
	}
	return name
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
	t.nodes.Range(func(k, _ any) bool {
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
	var out []HandlerError
	for _, o := range t.state.Load().outs {
		if n := o.errs.Load(); n > 0 {
			he := HandlerError{Handler: o.key, Count: n}
			if p := o.lastErr.Load(); p != nil {
				he.Last = *p
			}
			out = append(out, he)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Handler < out[j].Handler })
	return out
}

// Sync flushes every running handler.
func (t *Tree) Sync() error { return syncOutputs(t.state.Load().outs) }

// syncOutputs flushes outs, skipping any that is being retired.
func syncOutputs(outs []*output) error {
	var errs []error
	for _, o := range outs {
		if !o.acquire() {
			continue
		}
		if err := o.core.Sync(); err != nil && !ignorableSyncError(err) {
			errs = append(errs, fmt.Errorf("logcfg: sync handler %q: %w", o.key, err))
		}
		o.release()
	}
	return errors.Join(errs...)
}

// Close flushes and closes every handler. Loggers stay usable: afterwards
// they reach no handler (records at WARNING and above go to stderr, like
// Python's last resort). Apply fails after Close.
//
// Close waits for writes in progress, but not for ever: a handler whose
// write has not returned within a second (a pipe nobody reads) is reported
// on the error output and closed by a goroutine when the write returns,
// and Close returns.
func (t *Tree) Close() error {
	syncErr := t.Sync()
	old, ok := t.closeLocked()
	if !ok {
		return nil
	}
	return errors.Join(syncErr, t.retire(closeOrder(old.cfg, old.outs)))
}

// closeLocked publishes the closed state; false if the tree was closed.
func (t *Tree) closeLocked() (*state, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, false
	}
	t.closed = true
	t.stopTemporaryLocked()
	old := t.state.Load()
	// The closed state keeps the levels and reaches no handler.
	closedCfg := cloneConfig(old.cfg)
	closedCfg.Handlers = nil
	for i := range closedCfg.Loggers {
		closedCfg.Loggers[i].Handlers = nil
	}
	t.publish(newState(old.gen, closedCfg, map[string]*handler{}))
	return old, true
}

// retire retires outs (no longer reachable from the published state),
// waits up to drainLimit for their writers to leave, and closes them. It
// is called without t.mu. An output whose writer is stuck is reported and
// left to a goroutine that closes it once the write returns.
func (t *Tree) retire(outs []*output) error {
	for _, o := range outs {
		o.retire()
	}
	deadline := time.NewTimer(t.drainLimit)
	defer deadline.Stop()
	var errs []error
	for i, o := range outs {
		select {
		case <-o.drained:
			if err := closeOutput(o); err != nil {
				errs = append(errs, err)
			}
			continue
		case <-deadline.C:
		}
		stuck := outs[i:]
		for _, o := range stuck {
			select {
			case <-o.drained:
				if err := closeOutput(o); err != nil {
					errs = append(errs, err)
				}
			default:
				t.reportf("logcfg: handler %q: a write has not returned after %s; the handler is closed when it does", o.key, t.drainLimit)
				t.pending.Add(1)
				go func() {
					defer t.pending.Done()
					<-o.drained
					if err := closeOutput(o); err != nil {
						t.reportf("%v", err)
					}
				}()
			}
		}
		break
	}
	return errors.Join(errs...)
}

func closeOutput(o *output) error {
	if o.close == nil {
		return nil
	}
	if err := o.close(); err != nil {
		return fmt.Errorf("logcfg: closing handler %q: %w", o.key, err)
	}
	return nil
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
