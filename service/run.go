package service

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"go.uber.org/zap"

	"github.com/livelog/livelog/logcfg"
)

// Option configures [Run].
type Option interface{ applyServiceOption(*options) }

type options struct {
	configFile string
	parseOpts  []logcfg.ParseOption
	signals    <-chan os.Signal
	logger     string
	watch      bool // WithWatch
}

type optionFunc func(*options)

func (f optionFunc) applyServiceOption(o *options) { f(o) }

// WithConfigFile names the INI file that SIGHUP re-reads (with
// [logcfg.ParseFile] and parseOpts) and applies with policy
// [logcfg.Full]. Without it, SIGHUP only completes systemd's reload
// handshake and logs that there is nothing to reload.
func WithConfigFile(path string, parseOpts ...logcfg.ParseOption) Option {
	return optionFunc(func(o *options) { o.configFile, o.parseOpts = path, parseOpts })
}

// WithSignals makes Run read signals from ch instead of subscribing to
// SIGHUP, SIGTERM and SIGINT itself (for tests, or a program that routes
// signals on its own). A closed ch stops Run as SIGTERM would. A
// syscall.SIGHUP on ch reloads on every OS, Windows included, where the
// OS itself never sends one.
func WithSignals(ch <-chan os.Signal) Option {
	return optionFunc(func(o *options) { o.signals = ch })
}

// WithLogger names the tree's logger that Run reports through (reloads,
// their failures, why it stops). The default is "livelog.service".
func WithLogger(name string) Option {
	return optionFunc(func(o *options) { o.logger = name })
}

// Run serves tree as a systemd service until SIGTERM or SIGINT arrives or
// ctx is done:
//
//   - at once, it tells systemd the service is ready (READY=1): call it
//     after logging and the listener are up;
//   - on SIGHUP it re-reads the config file (see [WithConfigFile]) and
//     applies it inside the reload handshake of [Reload]; a config that
//     fails to parse or apply is logged at ERROR with the reason, and the
//     running config stays;
//   - with [WithWatch], each change of the config file is applied too,
//     inside the same handshake (set up before READY=1);
//   - on SIGTERM or SIGINT (or when ctx is done) it logs why it stops at
//     INFO ("stopping on SIGTERM"), sends STOPPING=1, flushes every handler
//     (tree.Sync) and returns nil, so main can close the tree and exit 0.
//
// It returns an error only when the flush fails. Notification failures
// are logged at WARNING and change nothing. Outside systemd the
// notifications are no-ops and the signals work the same. Run does not
// close tree: the caller owns it. Windows has no SIGHUP: see Operating
// systems in the package doc.
func Run(ctx context.Context, tree *logcfg.Tree, opts ...Option) error {
	if tree == nil {
		panic("service: Run with a nil tree")
	}
	o := options{logger: "livelog.service"}
	for _, opt := range opts {
		opt.applyServiceOption(&o)
	}
	if o.signals == nil {
		ch := make(chan os.Signal, 4)
		signal.Notify(ch, runSignals...)
		defer signal.Stop(ch)
		o.signals = ch
	}
	s := &server{tree: tree, opts: o}
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	waitWatch := s.startWatch(watchCtx)

	s.warnIf(Ready())
	var reason string
	for reason == "" {
		select {
		case <-ctx.Done():
			reason = "context: " + context.Cause(ctx).Error()
		case sig, ok := <-o.signals:
			switch {
			case !ok:
				reason = "closed signal channel"
			case sig == syscall.SIGHUP:
				s.reload()
			default:
				reason = signalName(sig)
			}
		}
	}
	s.log().Info("stopping on " + reason)
	s.warnIf(Stopping())
	stopWatch()
	waitWatch()
	if err := tree.Sync(); err != nil {
		return fmt.Errorf("service: flush handlers: %w", err)
	}
	return nil
}

// server is the state of one Run.
type server struct {
	tree *logcfg.Tree
	opts options
}

func (s *server) log() *zap.Logger { return s.tree.Logger(s.opts.logger) }

func (s *server) warnIf(err error) {
	if err != nil {
		s.log().Warn(err.Error())
	}
}

// reload re-reads and applies the config file inside the handshake. The
// outcome is logged before READY=1 goes out, so whoever waits for it finds
// the line written.
func (s *server) reload() {
	s.warnIf(Reload(func() error {
		s.apply()
		return nil // reported above; only notification errors come back
	}))
}

func (s *server) apply() {
	path := s.opts.configFile
	if path == "" {
		s.log().Warn("SIGHUP: nothing to reload (no config file given)")
		return
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // status and history name the file absolutely
	}
	opts := append([]logcfg.ParseOption{logcfg.WithRegistry(s.tree.Registry())}, s.opts.parseOpts...)
	cfg, err := logcfg.ParseFile(path, opts...)
	var res *logcfg.ApplyResult
	if err == nil {
		res, err = s.tree.Apply(cfg, logcfg.Full, logcfg.WithSource("sighup", path), logcfg.WithOrigin(logcfg.SourceReload, ""))
	}
	if err != nil {
		s.log().Error(fmt.Sprintf("reload of %q failed, keeping the running config: %v", path, err))
		s.tree.Logger(logcfg.AuditLogger).Info(fmt.Sprintf("rejected %s, %s: %v", logcfg.SourceReload, path, err),
			zap.String("source", logcfg.SourceReload), zap.String("file", path), zap.Error(err))
		return
	}
	s.tree.Audit(res.Generation)
	s.log().Info(fmt.Sprintf("reloaded %q: generation %d, %d level changes", path, res.Generation, len(res.Changes)))
}
