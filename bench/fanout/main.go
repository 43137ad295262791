// Command fanout times one config push to many listener processes, with an
// acknowledgement from each, the way pushcfg pushes.
//
//	go run ./bench/fanout [-n 30] [-ports lo-hi] [-pushes 9]
//
// It starts -n child processes (itself, re-executed), each running a
// logcfg tree and listener.Start on the port range, waits until every
// child listens, then pushes a config -pushes times (the root level
// alternates between DEBUG and INFO, so every push changes something).
// One push is internal/fanout's Push over the range, the code pushcfg
// runs: it dials every port in parallel (at most fanout.MaxParallel at
// once), reads each listener's greeting, sends the config and reads the
// reply; it counts only when every child answered "applied". The figure
// printed is the median wall time of the pushes (a first, untimed push
// warms up). Children exit when their stdin closes, so they never outlive
// the command, even if it is killed.
//
// Without -ports the range is n+10 consecutive free loopback ports found
// at start, never the default 9001–9030.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
)

// childEnv carries the port range to a re-executed child.
const childEnv = "LIVELOG_FANOUT_CHILD"

// configINI is what each child starts with and what is pushed: the root
// logger at level, with a NullHandler.
func configINI(level string) string {
	return `[loggers]
keys=root

[handlers]
keys=null

[formatters]
keys=

[logger_root]
level=` + level + `
handlers=null

[handler_null]
class=NullHandler
args=()
`
}

func main() {
	if r := os.Getenv(childEnv); r != "" {
		os.Exit(child(r, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the parent.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fanout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 30, "listener processes to start")
	ports := fs.String("ports", "", "port range lo-hi (default: n+10 free ports found at start)")
	pushes := fs.Int("pushes", 9, "timed pushes; the median is printed")
	timeout := fs.Duration("timeout", 5*time.Second, "per-connection timeout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *n < 1 || *n > 1000 || *pushes < 1 {
		fmt.Fprintln(stderr, "fanout: want 1 <= -n <= 1000 and -pushes >= 1")
		return 2
	}
	lo, hi, err := portRange(*ports, *n+10)
	if err != nil {
		fmt.Fprintln(stderr, "fanout:", err)
		return 2
	}
	if hi-lo+1 < *n {
		fmt.Fprintf(stderr, "fanout: range %d-%d has fewer than %d ports\n", lo, hi, *n)
		return 2
	}
	kids, err := startChildren(*n, lo, hi)
	defer kids.stop(stderr)
	if err != nil {
		fmt.Fprintln(stderr, "fanout:", err)
		return 1
	}

	times := make([]time.Duration, 0, *pushes)
	for i := range *pushes + 1 {
		level := [2]string{"DEBUG", "INFO"}[i%2]
		d, err := push(lo, hi, configINI(level), *timeout, len(kids.procs))
		if err != nil {
			fmt.Fprintf(stderr, "fanout: push %d: %v\n", i, err)
			return 1
		}
		if i > 0 { // push 0 warms up
			times = append(times, d)
		}
	}
	slices.Sort(times)
	med := times[len(times)/2]
	if len(times)%2 == 0 {
		med = (times[len(times)/2-1] + times[len(times)/2]) / 2
	}
	verdict := "met"
	if med > 50*time.Millisecond {
		verdict = "MISSED"
	}
	fmt.Fprintf(stdout, "fanout: %d listener processes on ports %d-%d; one push to all, every one acknowledged \"applied\"\n", *n, lo, hi)
	fmt.Fprintf(stdout, "fanout: median %s over %d pushes (min %s, max %s); goal <= 50ms: %s\n",
		ms(med), len(times), ms(times[0]), ms(times[len(times)-1]), verdict)
	return 0
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// portRange parses -ports, or finds size free consecutive ports when it
// is empty.
func portRange(s string, size int) (lo, hi int, err error) {
	if s == "" {
		return freeRange(size)
	}
	lo, hi, err = fanout.ParsePorts(s)
	var pe *fanout.PortsError
	if errors.As(err, &pe) {
		err = pe.Flag("-ports")
	}
	return lo, hi, err
}

// freeRange finds size consecutive loopback ports that all bind now, away
// from the default listener range.
func freeRange(size int) (lo, hi int, err error) {
	for range 100 {
		probe, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, 0, err
		}
		lo = probe.Addr().(*net.TCPAddr).Port
		probe.Close()
		hi = lo + size - 1
		if hi > 65535 || (lo <= listener.DefaultPortHi && hi >= listener.DefaultPortLo) {
			continue
		}
		var held []net.Listener
		for p := lo; p <= hi; p++ {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				break
			}
			held = append(held, l)
		}
		all := len(held) == size
		for _, l := range held {
			l.Close()
		}
		if all {
			return lo, hi, nil
		}
	}
	return 0, 0, fmt.Errorf("no %d consecutive free loopback ports found", size)
}

// children are the listener processes.
type children struct {
	procs []*exec.Cmd
	stdin []io.Closer
}

// startChildren starts n children and waits until each prints the port it
// bound.
func startChildren(n, lo, hi int) (*children, error) {
	self, err := os.Executable()
	if err != nil {
		return &children{}, err
	}
	kids := &children{}
	ready := make(chan error, n)
	for i := range n {
		c := exec.Command(self)
		c.Env = append(os.Environ(), fmt.Sprintf("%s=%d-%d", childEnv, lo, hi))
		c.Stderr = os.Stderr
		in, err := c.StdinPipe()
		if err != nil {
			return kids, err
		}
		out, err := c.StdoutPipe()
		if err != nil {
			return kids, err
		}
		if err := c.Start(); err != nil {
			return kids, fmt.Errorf("start child %d: %w", i, err)
		}
		kids.procs = append(kids.procs, c)
		kids.stdin = append(kids.stdin, in)
		go func() {
			line, err := bufio.NewReader(out).ReadString('\n')
			if err == nil && !strings.HasPrefix(line, "listening ") {
				err = fmt.Errorf("child said %q", line)
			}
			ready <- err
			_, _ = io.Copy(io.Discard, out)
		}()
	}
	deadline := time.After(30 * time.Second)
	for i := range n {
		select {
		case err := <-ready:
			if err != nil {
				return kids, fmt.Errorf("a child did not start listening: %w", err)
			}
		case <-deadline:
			return kids, fmt.Errorf("only %d of %d children listening after 30s", i, n)
		}
	}
	return kids, nil
}

// stop closes every child's stdin and waits for it to exit, killing those
// still running after a grace period.
func (k *children) stop(stderr io.Writer) {
	for _, in := range k.stdin {
		in.Close()
	}
	var wg sync.WaitGroup
	for _, c := range k.procs {
		wg.Go(func() {
			done := make(chan error, 1)
			go func() { done <- c.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					fmt.Fprintf(stderr, "fanout: child %d: %v\n", c.Process.Pid, err)
				}
			case <-time.After(10 * time.Second):
				_ = c.Process.Kill()
				<-done
				fmt.Fprintf(stderr, "fanout: child %d killed after 10s\n", c.Process.Pid)
			}
		})
	}
	wg.Wait()
}

// push sends config to every port of lo-hi with fanout.Push, the fan-out
// pushcfg runs, and returns the wall time until the last reply. It fails
// unless exactly want listeners answered "applied" and every other port
// was closed.
func push(lo, hi int, config string, timeout time.Duration, want int) (time.Duration, error) {
	ts := fanout.Targets([]string{"127.0.0.1"}, lo, hi)
	start := time.Now()
	rs := fanout.Push(context.Background(), ts, wire.Envelope{Config: config}, &fanout.Options{Timeout: timeout})
	d := time.Since(start)
	var errs []error
	applied := 0
	for _, r := range rs {
		switch {
		case r.Kind == fanout.Closed:
		case r.Applied():
			applied++
		case r.Err != nil:
			errs = append(errs, fmt.Errorf("port %d: %w", r.Target.Port, r.Err))
		default:
			errs = append(errs, fmt.Errorf("port %d: %s: %s", r.Target.Port, r.Reply.Outcome, r.Reply.Error))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	if applied != want {
		return 0, fmt.Errorf("%d of %d listeners applied", applied, want)
	}
	return d, nil
}

// child runs one listener on the range r ("lo-hi"), prints "listening
// PORT", and serves until stdin closes.
func child(r string, stdin io.Reader, stdout, stderr io.Writer) int {
	lo, hi, err := portRange(r, 0)
	if err != nil {
		fmt.Fprintln(stderr, "fanout child:", err)
		return 2
	}
	cfg, err := logcfg.Parse(strings.NewReader(configINI("INFO")), "fanout.ini")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer tree.Close()
	l, err := listener.Start(tree, listener.WithPorts(lo, hi), listener.WithProcessName(fmt.Sprintf("fanout #%d", os.Getpid())))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer l.Close()
	fmt.Fprintf(stdout, "listening %d\n", l.Addr().(*net.TCPAddr).Port)
	_, _ = io.Copy(io.Discard, stdin) // until the parent closes stdin or dies
	return 0
}
