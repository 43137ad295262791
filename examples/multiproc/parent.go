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
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/livelog/livelog/colorfmt"
	"github.com/livelog/livelog/internal/fanout"
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
	ready  *os.File       // the read end of the worker's ready pipe
	lis    fanout.Target  // its listener, once it reported
	exited chan struct{}  // closed once cmd.Wait returned; err is then set
	err    error
	// gone: it ended before it was told to stop, and its watcher said so;
	// death is then why, unless it exited cleanly. Both are guarded by
	// parent.stateMu.
	gone  bool
	death error
}

// listening reports whether the worker reported its listener.
func (c *child) listening() bool { return c.lis.Port != 0 }

// parent is the running demo, seen from the parent process.
type parent struct {
	o        *options
	out      io.Writer // stdout: the "== " lines
	self     *process
	children []*child
	lost     context.CancelCauseFunc
	told     bool       // the story (or serving) began
	mu       sync.Mutex // serialises say

	stateMu  sync.Mutex
	stopping bool     // the workers are being told to stop: an exit from now on is stopWorkers' to report
	died     []*child // each worker that died on its own with a failure, in the order seen
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
			signal.Notify(stopSignals, os.Interrupt, syscall.SIGTERM)
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
	stopErr := d.stopWorkers()
	if err := d.self.close(); err != nil {
		stopErr = errors.Join(stopErr, fmt.Errorf("MainProcess did not close cleanly: %w", err))
	}
	return d.report(time.Since(started), failed, stopErr)
}

// report prints the last lines of the demo and returns its exit code.
// Every failure is said once: a worker that died in the story is listed
// with its reason (the story stopped for it, so its error is not listed
// again); one that died while serving was reported when it died, and is
// only named here.
func (d *parent) report(took time.Duration, failed, stopErr error) int {
	d.stateMu.Lock()
	died := slices.Clone(d.died)
	d.stateMu.Unlock()
	var errs []error
	for _, c := range died {
		if !d.o.serve {
			errs = append(errs, c.death)
		}
	}
	if failed != nil && !slices.ContainsFunc(died, func(c *child) bool { return errors.Is(failed, c.death) }) {
		errs = append(errs, failed)
	}
	if stopErr != nil {
		errs = append(errs, stopErr)
	}
	var lost string
	if d.o.serve && len(died) > 0 {
		names := make([]string, len(died))
		for i, c := range died {
			names[i] = fmt.Sprintf("%s (pid %d)", c.name, c.cmd.Process.Pid)
		}
		lost = strings.Join(names, ", ") + " died while serving (reported above)"
	}
	if err := errors.Join(errs...); err != nil {
		d.say("FAILED after %.1fs:", took.Seconds())
		for _, line := range strings.Split(err.Error(), "\n") {
			d.say("  %s", line)
		}
		if lost != "" {
			d.say("  %s", lost)
		}
		return exitFailed
	}
	if lost != "" {
		d.say("done in %.1fs: served until told to stop; %s; every other process exited cleanly", took.Seconds(), lost)
		return exitFailed
	}
	d.say("done in %.1fs: every process started, %s, and exited cleanly", took.Seconds(),
		map[bool]string{true: "served until told to stop", false: "applied both pushes, reverted by itself"}[d.o.serve])
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
		d.say("%-11s  pid %-7d  listening on %s", c.name, c.cmd.Process.Pid, c.lis.Addr())
	}
	for _, c := range d.children {
		if c.listening() {
			go d.watch(c)
		}
	}
	return errors.Join(errs...)
}

// watch waits for c to exit and, if it ends before the parent tells it to
// stop, says so once. A worker that fails on its own stops the story
// (its reason is listed once, at the end); while serving it is one line,
// and the other processes keep running, as independent processes do. One
// that exits cleanly by itself was stopped by someone (under systemd,
// every process of the unit gets SIGTERM at once): that is said, not a
// failure.
func (d *parent) watch(c *child) {
	<-c.exited
	pid := c.cmd.Process.Pid
	d.stateMu.Lock()
	if d.stopping {
		d.stateMu.Unlock()
		return // stopWorkers reports it
	}
	c.gone = true
	if c.err != nil {
		c.death = fmt.Errorf("%s (pid %d) %s", c.name, pid, exitText(c.err))
		d.died = append(d.died, c)
	}
	d.stateMu.Unlock()
	switch {
	case c.err == nil:
		d.say("%-11s  pid %-7d  exited by itself (status 0)", c.name, pid)
	case d.o.serve:
		d.say("%-11s  pid %-7d  %s; the other processes keep running", c.name, pid, exitText(c.err))
	default:
		d.lost(c.death)
	}
}

// startWorker re-executes this binary as Worker #k. Its stdout and stderr
// are the parent's (its lines reach the same terminal); its stdin is a
// pipe the parent closes to stop it; the ready pipe is where it reports
// (passReady hands it over).
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
	passReady(c.cmd, readyW)
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
		t, err := targetOf(m.Addr)
		if err != nil {
			return fmt.Errorf("%s (pid %d) failed to start: %w", c.name, c.cmd.Process.Pid, err)
		}
		c.lis = t
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
// exit is reported, except that of a worker its watcher reported already;
// any that is not a clean exit 0 is an error.
func (d *parent) stopWorkers() error {
	d.stateMu.Lock()
	d.stopping = true
	d.stateMu.Unlock()
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
		d.stateMu.Lock()
		gone := c.gone
		d.stateMu.Unlock()
		switch {
		case !c.listening(): // it never started, and said so already
		case gone: // it ended before, and its watcher said so
		case c.err != nil:
			errs = append(errs, fmt.Errorf("%s (pid %d) %s", c.name, pid, exitText(c.err)))
		default:
			d.say("%-11s  pid %-7d  exited cleanly (status 0)", c.name, pid)
		}
	}
	return errors.Join(errs...)
}

// exitText says how a process ended, from cmd.Wait's error: "exited with
// status 2", "was killed by signal SIGKILL".
func exitText(err error) string {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return "exited with status 0"
	case errors.As(err, &ee) && ee.Exited():
		return fmt.Sprintf("exited with status %d", ee.ExitCode())
	case errors.As(err, &ee):
		if sig, ok := killedBy(ee.ProcessState); ok {
			return "was killed by signal " + signalName(sig)
		}
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
