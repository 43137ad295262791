package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/livelog/livelog/colorfmt"
	"golang.org/x/sys/unix"
)

// Deadlines of the parent.
const (
	startDeadline = 20 * time.Second // for a worker to report on readyFD
	stopDeadline  = 10 * time.Second // for every worker to exit once told to
)

// child is one worker process.
type child struct {
	k      int
	name   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser // closing it stops the worker
	ready  *os.File       // the read end of the worker's readyFD
	addr   string         // its listener, once it reported
	exited chan struct{}  // closed once cmd.Wait returned; err is then set
	err    error
}

// parent is the running demo, seen from the parent process.
type parent struct {
	o        *options
	out      io.Writer // stdout: the "== " lines
	self     *process
	children []*child
	stopping atomic.Bool // set before the workers are told to stop
	lost     context.CancelCauseFunc
	told     bool       // the story (or serving) began
	mu       sync.Mutex // serialises say
}

// runParent starts the parent's own process and the workers, tells the
// story (or serves), and stops everything.
func runParent(o *options, stdout, stderr io.Writer) int {
	started := time.Now()
	d := &parent{o: o, out: stdout}
	var err error
	workers := fmt.Sprintf("%d workers", o.workers)
	if o.workers == 1 {
		workers = "1 worker"
	}
	d.say("livelog demo: MainProcess and %s log every %s; listeners on 127.0.0.1:%d-%d",
		workers, o.interval, o.portLo, o.portHi)
	d.say("config: %s (%s)", shortPath(o.config), o.why)
	if d.self, err = startProcess("MainProcess", o); err != nil {
		fmt.Fprintf(stderr, "multiproc: MainProcess did not start: %v\n", err)
		return exitFailed
	}
	d.say("%-11s  pid %-7d  listening on %s", "MainProcess", os.Getpid(), d.self.lis.Addr())

	// ctx is cancelled when a worker dies on its own, or on SIGINT/SIGTERM
	// during the story; its cause says which.
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	d.lost = cancel
	failed := d.startWorkers(ctx, stdout, stderr)

	if failed == nil {
		d.told = true
		if o.serve {
			failed = d.serve(ctx)
		} else {
			stopSignals := make(chan os.Signal, 1)
			signal.Notify(stopSignals, syscall.SIGINT, syscall.SIGTERM)
			go func() {
				if sig, ok := <-stopSignals; ok {
					cancel(fmt.Errorf("interrupted by %s", signalName(sig)))
				}
			}()
			failed = d.story(ctx)
			signal.Stop(stopSignals)
			close(stopSignals)
		}
	}

	switch {
	case d.told && !o.serve:
		d.say("step 4/4 at %s: shutting down: closing each worker's stdin", stamp(time.Now()))
	case failed == nil:
		d.say("shutting down: closing each worker's stdin")
	default:
		d.say("shutting down after a failure: closing each worker's stdin")
	}
	failed = errors.Join(failed, d.stopWorkers())
	if err := d.self.close(); err != nil {
		failed = errors.Join(failed, fmt.Errorf("MainProcess did not close cleanly: %w", err))
	}
	if failed != nil {
		d.say("FAILED after %.1fs:", time.Since(started).Seconds())
		for _, line := range strings.Split(failed.Error(), "\n") {
			d.say("  %s", line)
		}
		return exitFailed
	}
	d.say("done in %.1fs: every process started, %s, and exited cleanly", time.Since(started).Seconds(),
		map[bool]string{true: "served until told to stop", false: "applied both pushes, reverted by itself"}[o.serve])
	return exitOK
}

// startWorkers starts every worker and waits until each has reported. Any
// that does not start is an error, which names it and says why.
func (d *parent) startWorkers(ctx context.Context, stdout, stderr io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find my own executable to start workers: %w", err)
	}
	var errs []error
	for k := 1; k <= d.o.workers; k++ {
		c, err := d.startWorker(exe, k, stdout, stderr)
		if err != nil {
			errs = append(errs, err)
			break
		}
		d.children = append(d.children, c)
	}
	for _, c := range d.children {
		if err := c.awaitReady(); err != nil {
			errs = append(errs, err)
			continue
		}
		d.say("%-11s  pid %-7d  listening on %s", c.name, c.cmd.Process.Pid, c.addr)
	}
	// From now on a worker that fails on its own stops the demo. One that
	// exits cleanly by itself was stopped by someone (under systemd, every
	// process of the unit gets SIGTERM at once): that is said, not a failure.
	for _, c := range d.children {
		go func() {
			<-c.exited
			switch {
			case d.stopping.Load():
			case c.err != nil:
				d.lost(fmt.Errorf("%s (pid %d) %s", c.name, c.cmd.Process.Pid, exitText(c.err)))
			default:
				d.say("%-11s  pid %-7d  exited by itself (status 0)", c.name, c.cmd.Process.Pid)
			}
		}()
	}
	return errors.Join(errs...)
}

// startWorker re-executes this binary as Worker #k. Its stdout and stderr
// are the parent's (its lines reach the same terminal); its stdin is a
// pipe the parent closes to stop it; readyFD is a pipe it reports on.
func (d *parent) startWorker(exe string, k int, stdout, stderr io.Writer) (*child, error) {
	c := &child{k: k, name: fmt.Sprintf("Worker #%d", k), exited: make(chan struct{})}
	readyR, readyW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.name, err)
	}
	defer readyW.Close()
	c.ready = readyR
	c.cmd = exec.Command(exe,
		"-config", absPath(d.o.config), "-config-dir", absPath(d.o.configDir),
		"-ports", fmt.Sprintf("%d-%d", d.o.portLo, d.o.portHi), "-interval", d.o.interval.String())
	c.cmd.Env = workerEnviron(k)
	c.cmd.Stdout, c.cmd.Stderr = stdout, stderr
	c.cmd.ExtraFiles = []*os.File{readyW}
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		readyR.Close()
		return nil, fmt.Errorf("%s: %w", c.name, err)
	}
	if err := c.cmd.Start(); err != nil {
		readyR.Close()
		return nil, fmt.Errorf("%s did not start: %w", c.name, err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.exited)
	}()
	return c, nil
}

// workerEnviron is the parent's environment for Worker #k: workerEnv set,
// NOTIFY_SOCKET removed (only the main process talks to systemd).
func workerEnviron(k int) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NOTIFY_SOCKET=") && !strings.HasPrefix(kv, workerEnv+"=") {
			env = append(env, kv)
		}
	}
	return append(env, workerEnv+"="+strconv.Itoa(k))
}

// awaitReady reads the worker's report, waiting at most startDeadline.
func (c *child) awaitReady() error {
	defer c.ready.Close()
	c.ready.SetReadDeadline(time.Now().Add(startDeadline))
	line, rerr := bufio.NewReader(c.ready).ReadBytes('\n')
	var m readyMsg
	switch {
	case rerr == nil && json.Unmarshal(line, &m) == nil && m.Error != "":
		return fmt.Errorf("%s (pid %d) failed to start: %s", c.name, c.cmd.Process.Pid, m.Error)
	case rerr == nil && json.Unmarshal(line, &m) == nil && m.Addr != "":
		c.addr = m.Addr
		return nil
	case errors.Is(rerr, os.ErrDeadlineExceeded):
		return fmt.Errorf("%s (pid %d) did not report within %s", c.name, c.cmd.Process.Pid, startDeadline)
	}
	// It closed the pipe without a report: it died. Say how.
	select {
	case <-c.exited:
		return fmt.Errorf("%s (pid %d) failed to start: %s", c.name, c.cmd.Process.Pid, exitText(c.err))
	case <-time.After(stopDeadline):
		return fmt.Errorf("%s (pid %d) failed to start: it sent %q and kept running", c.name, c.cmd.Process.Pid, line)
	}
}

// stopWorkers closes every worker's stdin and waits for all of them to
// exit, at most stopDeadline; one that does not is killed. Each worker's
// exit is reported; any that is not a clean exit 0 is an error.
func (d *parent) stopWorkers() error {
	d.stopping.Store(true)
	for _, c := range d.children {
		c.stdin.Close()
	}
	deadline := time.NewTimer(stopDeadline)
	defer deadline.Stop()
	var errs []error
	for _, c := range d.children {
		pid := c.cmd.Process.Pid
		select {
		case <-c.exited:
		case <-deadline.C:
			c.cmd.Process.Kill()
			<-c.exited
			errs = append(errs, fmt.Errorf("%s (pid %d) did not stop within %s; killed", c.name, pid, stopDeadline))
			continue
		}
		switch {
		case c.addr == "": // it never started, and said so already
		case c.err != nil:
			errs = append(errs, fmt.Errorf("%s (pid %d) %s", c.name, pid, exitText(c.err)))
		default:
			d.say("%-11s  pid %-7d  exited cleanly (status 0)", c.name, pid)
		}
	}
	return errors.Join(errs...)
}

// exitText says how a process ended, from cmd.Wait's error.
func exitText(err error) string {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return "exited with status 0"
	case errors.As(err, &ee) && ee.Exited():
		return fmt.Sprintf("exited with status %d", ee.ExitCode())
	case errors.As(err, &ee):
		return "was killed: " + ee.String()
	}
	return err.Error()
}

// say prints one "== " line (in bold on a terminal), in one write, so it
// never interleaves with the processes' log lines.
func (d *parent) say(format string, args ...any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	msg := fmt.Sprintf(format, args...)
	if f, ok := d.out.(*os.File); ok && colorfmt.ShouldColor(colorfmt.ColorAuto, f) {
		io.WriteString(d.out, "\x1b[1m== "+msg+"\x1b[0m\n")
		return
	}
	io.WriteString(d.out, "== "+msg+"\n")
}

// stampLayout is %(asctime)s's default format, so that the parent's
// times compare with the log lines'.
const stampLayout = "2006-01-02 15:04:05,000"

func stamp(t time.Time) string { return t.Format(stampLayout) }

// shortPath is path relative to the working directory when that is
// shorter, for printing commands to copy.
func shortPath(path string) string {
	abs := absPath(path)
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && len(rel) < len(abs) {
			return rel
		}
	}
	return abs
}

func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// signalName is "SIGINT" for SIGINT.
func signalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok && unix.SignalName(s) != "" {
		return unix.SignalName(s)
	}
	return sig.String()
}
