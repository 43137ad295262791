package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/service"
)

// childListener is the test binary run as a listener process (TestMain
// calls it when childEnv is set): in the directory of the config file
// childEnv names, it builds a tree from that file, named relatively (as a
// program started in its own directory does), starts a listener on the
// first free port of childPortsEnv, prints "port N" on stdout, and serves
// under service.Run (SIGHUP re-reads the file) until stdin closes or it
// is killed.
func childListener() int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "child listener:", err)
		return 1
	}
	dir, file := filepath.Split(os.Getenv(childEnv))
	if err := os.Chdir(dir); err != nil {
		return fail(err)
	}
	cfg, err := logcfg.ParseFile(file)
	if err != nil {
		return fail(err)
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		return fail(err)
	}
	defer tree.Close()
	lo, hi, err := fanout.ParsePorts(os.Getenv(childPortsEnv))
	if err != nil {
		return fail(err)
	}
	opts := []listener.Option{listener.WithPorts(lo, hi), listener.WithProcessName(os.Getenv(childNameEnv))}
	if reason := os.Getenv(childRejectEnv); reason != "" {
		// Refuse every push; let status requests through.
		opts = append(opts, listener.WithVerify(func(b []byte) ([]byte, error) {
			if env, raw, err := wire.ParseRequest(b); err == nil && !raw && env.Op == wire.OpStatus {
				return b, nil
			}
			return nil, errors.New(reason)
		}))
	}
	if a := os.Getenv(childAddrEnv); a != "" {
		opts = append(opts, listener.WithAddress(a))
	}
	if secret := os.Getenv(childSecretEnv); secret != "" {
		opts = append(opts, listener.WithSecretFile(secret))
	}
	l, err := listener.Start(tree, opts...)
	if err != nil {
		return fail(err)
	}
	defer l.Close()
	// Subscribe before announcing the port: a SIGHUP the test sends as soon
	// as it reads the port must reach service.Run, not be lost (or kill
	// the process) before Run would have subscribed. The channel holds
	// what arrives until Run reads it.
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sig)
	fmt.Printf("port %d\n", l.Addr().(*net.TCPAddr).Port)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	if err := service.Run(ctx, tree, service.WithConfigFile(file), service.WithSignals(sig)); err != nil {
		return fail(err)
	}
	return 0
}
