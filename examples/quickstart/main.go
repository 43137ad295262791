// Command quickstart is the program of the README's "Using livelog in a
// program": a service that logs through a livelog tree, listens for
// config pushes on the first free port of 127.0.0.1:9001-9030, and under
// systemd reports readiness and reloads its file on SIGHUP.
//
//	go run ./examples/quickstart                        # DEBUG (ENV unset → debug.conf)
//	ENV=prod go run ./examples/quickstart               # ERROR (error.conf)
//	go build -o pushcfg ./tools/pushcfg && ./pushcfg examples/multiproc/logger_config/info.conf   # from another terminal
//
// It logs a line a second until Ctrl-C (or -for D).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/service"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	dir := fs.String("config-dir", "examples/quickstart/logger_config", "directory of debug.conf, info.conf and error.conf")
	lo := fs.Int("port-lo", listener.DefaultPortLo, "first port the listener tries")
	hi := fs.Int("port-hi", listener.DefaultPortHi, "last port the listener tries")
	runFor := fs.Duration("for", 0, "stop after this long (0: run until SIGINT/SIGTERM)")
	if err := fs.Parse(args); err != nil {
		return err
	}

	// ENV=prod → error.conf, dev/test → info.conf, unset → debug.conf.
	tree, err := logcfg.FromEnv(*dir)
	if err != nil {
		return err
	}
	defer tree.Close()

	// The operators' channel: pushcfg reaches it. Another program may hold
	// every port of the range; that is not a reason to stop.
	l, err := listener.Start(tree, listener.WithPorts(*lo, *hi),
		listener.WithHooks(listener.Hooks{AroundApply: service.Reload}))
	switch {
	case errors.Is(err, listener.ErrNoFreePort):
		tree.Logger("app").Warn("no free port for the config listener", zap.Error(err))
	case err != nil:
		return err
	default:
		defer l.Close()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *runFor > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *runFor)
		defer cancel()
	}
	go work(ctx, tree)

	// READY=1 under systemd; SIGHUP re-reads the file; returns on SIGTERM,
	// SIGINT or when ctx ends, having flushed every handler.
	return service.Run(ctx, tree, service.WithConfigFile(logcfg.EnvFile(*dir)))
}

// work logs through two named loggers: app.db inherits from app, then
// from the root, unless a config names it.
func work(ctx context.Context, tree *logcfg.Tree) {
	app := tree.Logger("app")
	db := app.Named("db") // the same logger as tree.Logger("app.db")
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for n := 1; ; n++ {
		db.Debug("query", zap.String("sql", "SELECT 1"), zap.Duration("took", 3*time.Millisecond))
		app.Info("request served", zap.Int("n", n))
		if n%5 == 0 {
			app.Warn("slow request", zap.Int("n", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
