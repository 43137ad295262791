package logcfg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"go.uber.org/zap"
)

// WatchOption configures [Watch].
type WatchOption interface{ applyWatchOption(*watchOpts) }

type watchOpts struct {
	debounce  time.Duration
	parseOpts []ParseOption
	onError   func(error)
	onApply   func(*ApplyResult)
	logger    string
	hooks     ApplyHooks
	ready     func()
}

type watchOptionFunc func(*watchOpts)

func (f watchOptionFunc) applyWatchOption(o *watchOpts) { f(o) }

// DefaultDebounce is how long [Watch] waits after the last event of a
// burst before it reads the file.
const DefaultDebounce = 20 * time.Millisecond

// WatchDebounce sets the quiet window of [Watch]: the file is read once no
// event has come for d (default [DefaultDebounce]; d <= 0 keeps it).
func WatchDebounce(d time.Duration) WatchOption {
	return watchOptionFunc(func(o *watchOpts) {
		if d > 0 {
			o.debounce = d
		}
	})
}

// WatchParseOptions are passed to the parser after the tree's registry
// (e.g. [WithDefaults]).
func WatchParseOptions(opts ...ParseOption) WatchOption {
	return watchOptionFunc(func(o *watchOpts) { o.parseOpts = append(o.parseOpts, opts...) })
}

// WatchOnError calls f with each failure to read, parse or apply the file
// (after it is logged); the running config stays.
func WatchOnError(f func(error)) WatchOption {
	return watchOptionFunc(func(o *watchOpts) { o.onError = f })
}

// WatchOnApply calls f with the result of each apply from a file change.
func WatchOnApply(f func(*ApplyResult)) WatchOption {
	return watchOptionFunc(func(o *watchOpts) { o.onApply = f })
}

// WatchLogger names the tree's logger Watch reports on (default
// "livelog.watch").
func WatchLogger(name string) WatchOption {
	return watchOptionFunc(func(o *watchOpts) { o.logger = name })
}

// WatchReady calls f once the directory is watched: a change made after
// it is seen.
func WatchReady(f func()) WatchOption {
	return watchOptionFunc(func(o *watchOpts) { o.ready = f })
}

// WatchHooks sets the hooks of each apply from a file change (service
// uses Around to wrap it in systemd's reload handshake).
func WatchHooks(h ApplyHooks) WatchOption {
	return watchOptionFunc(func(o *watchOpts) { o.hooks = h })
}

// Watch re-reads the config file at path when it changes and applies it to
// tree, until ctx is done (then it returns nil). It returns an error at
// once if the file's directory cannot be watched.
//
// Watch watches the file's directory (with fsnotify), not the file, so
// that every way a file is replaced is seen: a plain rewrite, an editor's
// write to a temporary file renamed over it, mv, and a Kubernetes
// ConfigMap volume's update, where path is a symlink through ..data to a
// timestamped directory and ..data is swapped to a new one (the old one
// removed). Each time, path is resolved anew (filepath.EvalSymlinks); if
// the target is in another directory, that directory is watched too.
//
// Events are debounced: the file is read once no event came for the quiet
// window ([WatchDebounce], 20 ms by default), so a burst of writes makes
// one apply. The content is applied only when its SHA-256 differs from the
// content last seen; the content present when Watch starts is taken as the
// one running (call Watch right after building the tree from the file).
//
// The file is parsed with the tree's registry and applied with policy
// [Full], WithSource("file", absolute path), kind [SourceFile], as a SIGHUP
// reload is; each apply is audited ([Tree.Audit]) and logged at INFO on
// "livelog.watch". A file that does not parse or apply, or disappears,
// keeps the running config: the reason is logged at ERROR, an audit line
// "rejected file, PATH: reason" is written on [AuditLogger], and the
// [WatchOnError] callback is called; the next change is tried again.
//
// Temporary changes in force stay: the file's config becomes the base
// they revert to, and each keeps its own expiry. While one is in force,
// the levels it set stay at its values (the file's levels for them take
// effect when it ends); every other level, and the handlers, come from the
// file. This differs from a SIGHUP reload or a plain [Tree.Apply] of a
// full config, which end every temporary change (see [Tree.ApplyFor]).
func Watch(ctx context.Context, tree *Tree, path string, opts ...WatchOption) error {
	if tree == nil {
		panic("logcfg: Watch with a nil tree")
	}
	o := watchOpts{debounce: DefaultDebounce, logger: "livelog.watch"}
	for _, opt := range opts {
		opt.applyWatchOption(&o)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("logcfg: Watch %q: %w", path, err)
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("logcfg: Watch %q: %w", abs, err)
	}
	defer fw.Close()
	w := &watcher{tree: tree, path: abs, dir: filepath.Dir(abs), opts: o, fw: fw}
	if err := fw.Add(w.dir); err != nil {
		return fmt.Errorf("logcfg: Watch %q: watch directory: %w", abs, err)
	}
	w.last, _ = w.read() // the content running now, if any
	if o.ready != nil {
		o.ready()
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-fw.Events:
			if !ok {
				return nil
			}
			if w.relevant(ev.Name) {
				timer.Reset(o.debounce)
			}
		case err, ok := <-fw.Errors:
			if !ok {
				return nil
			}
			// An overflow may have hidden a change: look again.
			w.log().Warn(fmt.Sprintf("watching %q: %v", abs, err))
			timer.Reset(o.debounce)
		case <-timer.C:
			w.check()
		}
	}
}

// watcher is the state of one Watch.
type watcher struct {
	tree      *Tree
	path, dir string
	opts      watchOpts
	fw        *fsnotify.Watcher
	target    string   // path resolved at the last read
	extra     string   // the target's directory, when watched too
	last      [32]byte // hash of the content last applied (or running at the start)
	failed    [32]byte // hash of the content that last failed
	gone      bool     // the file was missing at the last read
}

func (w *watcher) log() *zap.Logger { return w.tree.Logger(w.opts.logger) }

// relevant says whether an event on name may change what path reads:
// path itself, a ConfigMap's ..data and timestamped directories, the
// resolved target or its directory's entries of that name.
func (w *watcher) relevant(name string) bool {
	switch {
	case name == w.path, name == w.target:
		return true
	case filepath.Dir(name) == w.dir && strings.HasPrefix(filepath.Base(name), ".."):
		return true
	}
	return false
}

// read resolves path and hashes its content.
func (w *watcher) read() ([32]byte, []byte) {
	target, err := filepath.EvalSymlinks(w.path)
	if err != nil {
		return [32]byte{}, nil
	}
	w.follow(target)
	data, err := os.ReadFile(target)
	if err != nil {
		return [32]byte{}, nil
	}
	return sha256.Sum256(data), data
}

// follow notes the resolved target and watches its directory when it is
// not path's.
func (w *watcher) follow(target string) {
	w.target = target
	d := filepath.Dir(target)
	if d == w.dir || d == w.extra {
		return
	}
	if w.extra != "" {
		_ = w.fw.Remove(w.extra) // it may be gone already
		w.extra = ""
	}
	if !strings.HasPrefix(d, w.dir+string(filepath.Separator)) { // a ConfigMap's ..2026_… is seen through dir
		if w.fw.Add(d) == nil {
			w.extra = d
		}
	}
}

// check reads the file after a burst and applies it if it changed.
func (w *watcher) check() {
	sum, data := w.read()
	if data == nil {
		if _, err := os.Stat(w.path); err != nil && !w.gone {
			w.gone = true
			w.fail(fmt.Errorf("config file %q is gone: %w", w.path, err))
		}
		return
	}
	w.gone = false
	if sum == w.last || sum == w.failed {
		return
	}
	popts := append([]ParseOption{WithRegistry(w.tree.Registry())}, w.opts.parseOpts...)
	cfg, err := Parse(bytes.NewReader(data), w.path, popts...)
	var res *ApplyResult
	if err == nil {
		res, err = w.tree.Apply(cfg, Full, WithSource("file", w.path), WithOrigin(SourceFile, ""),
			WithHooks(w.opts.hooks), applyOptionFunc(func(o *applyOpts) { o.keepTemps = true }))
	}
	if err != nil {
		w.failed = sum
		w.fail(fmt.Errorf("apply of %q failed, keeping the running config: %w", w.path, err))
		return
	}
	w.last, w.failed = sum, [32]byte{}
	w.tree.Audit(res.Generation)
	w.log().Info(fmt.Sprintf("applied %q: generation %d, %d level changes", w.path, res.Generation, len(res.Changes)))
	if w.opts.onApply != nil {
		w.opts.onApply(res)
	}
}

// fail reports err: ERROR on the watch logger, a rejection on the audit
// logger, the callback.
func (w *watcher) fail(err error) {
	w.log().Error(err.Error())
	w.tree.Logger(AuditLogger).Info(fmt.Sprintf("rejected %s, %s: %v", SourceFile, w.path, errors.Unwrap(err)),
		zap.String("source", SourceFile), zap.String("file", w.path), zap.Error(err))
	if w.opts.onError != nil {
		w.opts.onError(err)
	}
}
