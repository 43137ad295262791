package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/livelog/livelog/service"
)

// readyMsg is the one line a worker writes on its ready pipe (readyFile):
// that it is up, or why it is not.
type readyMsg struct {
	PID   int    `json:"pid"`
	Addr  string `json:"addr,omitempty"`  // where its listener listens
	Error string `json:"error,omitempty"` // why it did not start
}

// runWorker is "Worker #k": it runs a process like the parent's, reports
// on readyFD, and serves until its stdin closes (the parent's way of
// stopping it, which also stops it if the parent dies) or SIGTERM. SIGHUP
// re-reads the config file. SIGINT is ignored: on Ctrl-C in a terminal
// every process of the group gets it, and the parent stops the workers in
// order. (Windows has no SIGHUP: there, only a push changes the config.)
func runWorker(k int, o *options, stderr io.Writer) int {
	name := fmt.Sprintf("Worker #%d", k)
	signal.Ignore(os.Interrupt)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, append([]os.Signal{syscall.SIGTERM}, reloadSignals...)...)
	defer signal.Stop(sigs)

	report := readyFile()
	p, err := startProcess(name, o)
	if err != nil {
		if rerr := writeReady(report, readyMsg{PID: os.Getpid(), Error: err.Error()}); rerr != nil {
			fmt.Fprintf(stderr, "multiproc: %s: %v\n", name, err)
		}
		return exitFailed
	}
	if err := writeReady(report, readyMsg{PID: os.Getpid(), Addr: p.lis.Addr().String()}); err != nil {
		fmt.Fprintf(stderr, "multiproc: %s: cannot report to the parent: %v\n", name, err)
		p.close()
		return exitFailed
	}

	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		cancel(errors.New("the parent closed stdin"))
	}()
	err = service.Run(ctx, p.tree, service.WithConfigFile(o.config), service.WithSignals(sigs))
	if err = errors.Join(err, p.close()); err != nil {
		fmt.Fprintf(stderr, "multiproc: %s: %v\n", name, err)
		return exitFailed
	}
	return exitOK
}

// writeReady writes m as one JSON line on f and closes f.
func writeReady(f *os.File, m readyMsg) error {
	if f == nil {
		return errors.New("multiproc: no ready pipe to report on (workers are started by the parent)")
	}
	b, _ := json.Marshal(m)
	_, err := f.Write(append(b, '\n'))
	return errors.Join(err, f.Close())
}
