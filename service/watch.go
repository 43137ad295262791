package service

import (
	"context"
	"fmt"

	"github.com/livelog/livelog/logcfg"
)

// WithWatch(true) makes Run watch the config file of [WithConfigFile]
// with [logcfg.Watch] as well: each change of the file (a rewrite, a
// rename or mv over it, a Kubernetes ConfigMap update) is parsed with the
// same parse options and applied as a SIGHUP reload is, inside the same
// reload handshake (RELOADING=1 … READY=1), under the watch's own logger
// "livelog.watch". A file that does not parse is logged at ERROR and
// audited, and sends no handshake (nothing was reloaded). Temporary
// changes in force survive a file change (see [logcfg.Watch]); they do
// not survive a SIGHUP reload.
//
// The watch is set up before READY=1 goes out, so a change made after
// systemd sees the service ready is applied. If the file's directory
// cannot be watched, Run logs it at ERROR and goes on without the watch
// (SIGHUP still reloads). Without WithConfigFile, WithWatch does nothing.
func WithWatch(on bool) Option {
	return optionFunc(func(o *options) { o.watch = on })
}

// startWatch runs the watch of s's config file until ctx is done, and
// returns once it is set up; wait waits for it to end.
func (s *server) startWatch(ctx context.Context) (wait func()) {
	if !s.opts.watch || s.opts.configFile == "" {
		return func() {}
	}
	ready, done := make(chan struct{}), make(chan error, 1)
	go func() {
		done <- logcfg.Watch(ctx, s.tree, s.opts.configFile,
			logcfg.WatchParseOptions(s.opts.parseOpts...),
			logcfg.WatchHooks(logcfg.ApplyHooks{Around: Reload}),
			logcfg.WatchReady(func() { close(ready) }))
	}()
	select {
	case <-ready:
		return func() { <-done }
	case err := <-done:
		s.log().Error(fmt.Sprintf("not watching the config file: %v", err))
		return func() {}
	}
}
