package robust_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
	"github.com/stretchr/testify/require"
)

// Environment of a re-executed listener child.
const (
	childEnv        = "LIVELOG_ROBUST_CHILD"         // the port range, "lo-hi"
	childConfigEnv  = "LIVELOG_ROBUST_CONFIG"        // the INI file the child starts with
	childTimeoutEnv = "LIVELOG_ROBUST_READ_TIMEOUT"  // listener.WithReadTimeout
	childConnsEnv   = "LIVELOG_ROBUST_MAX_CONNS"     // listener.WithMaxConns
	childWriteEnv   = "LIVELOG_ROBUST_WRITE_TIMEOUT" // listener.WithWriteTimeout
	childSecretEnv  = "LIVELOG_ROBUST_SECRET_FILE"   // listener.WithSecretFile
)

// TestMain lets the test binary act as a listener child process, or as
// the stdout-logging child of TestFaultStdoutClosed.
func TestMain(m *testing.M) {
	if r := os.Getenv(childEnv); r != "" {
		os.Exit(listenerChild(r))
	}
	if path := os.Getenv(stdoutChildEnv); path != "" {
		os.Exit(stdoutChild(path))
	}
	os.Exit(m.Run())
}

// listenerChild builds a tree from $LIVELOG_ROBUST_CONFIG, starts a
// listener on the range r, prints "listening PORT" and serves until its
// stdin closes.
func listenerChild(r string) int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "robust child:", err)
		return 1
	}
	var lo, hi int
	if _, err := fmt.Sscanf(r, "%d-%d", &lo, &hi); err != nil {
		return fail(err)
	}
	opts := []listener.Option{listener.WithPorts(lo, hi), listener.WithProcessName("robust child")}
	if s := os.Getenv(childTimeoutEnv); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return fail(err)
		}
		opts = append(opts, listener.WithReadTimeout(d))
	}
	if s := os.Getenv(childConnsEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return fail(err)
		}
		opts = append(opts, listener.WithMaxConns(n))
	}
	if s := os.Getenv(childWriteEnv); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return fail(err)
		}
		opts = append(opts, listener.WithWriteTimeout(d))
	}
	if s := os.Getenv(childSecretEnv); s != "" {
		opts = append(opts, listener.WithSecretFile(s))
	}
	cfg, err := logcfg.ParseFile(os.Getenv(childConfigEnv))
	if err != nil {
		return fail(err)
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		return fail(err)
	}
	defer tree.Close()
	// SIGTERM is caught before the port is announced: a parent that
	// signals as soon as it reads the port must find the handler in place
	// (announcing first let an early SIGTERM kill the child outright).
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	l, err := listener.Start(tree, opts...)
	if err != nil {
		return fail(err)
	}
	fmt.Printf("listening %d\n", l.Addr().(*net.TCPAddr).Port)
	stop := make(chan struct{}, 2)
	go func() { <-sigs; stop <- struct{}{} }()
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); stop <- struct{}{} }()
	<-stop // stdin closed, or SIGTERM
	if err := l.Close(); err != nil {
		return fail(err)
	}
	return 0
}

// proc is a listener child process seen from the test.
type proc struct {
	cmd   *exec.Cmd
	addr  string
	stdin io.Closer
	done  chan error // receives Wait's result once

	stopOnce sync.Once
	stopErr  error
}

// stop closes the child's stdin (which closes its listener) and waits up
// to limit for it to exit, killing it after that. It reports a bad exit or
// the kill; later calls return the first result.
func (p *proc) stop(limit time.Duration) error {
	p.stopOnce.Do(func() {
		p.stdin.Close()
		p.stopErr = p.wait(limit)
	})
	return p.stopErr
}

// wait waits up to limit for the child to exit, killing it after that.
func (p *proc) wait(limit time.Duration) error {
	select {
	case err := <-p.done:
		if err != nil {
			return fmt.Errorf("exited badly: %w", err)
		}
		return nil
	case <-time.After(limit):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("did not exit within %s; killed", limit)
	}
}

// terminate sends SIGTERM and waits up to limit for the child to exit.
func (p *proc) terminate(limit time.Duration) error {
	p.stopOnce.Do(func() {
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			p.stopErr = err
			return
		}
		p.stopErr = p.wait(limit)
	})
	return p.stopErr
}

// childOptions configure startChild.
type childOptions struct {
	config       string        // INI text
	readTimeout  time.Duration // 0: the listener's default
	maxConns     int           // 0: the listener's default
	writeTimeout time.Duration // 0: the listener's default
	secretFile   string        // "": no authentication
}

// startChild starts a listener child and waits until it listens. The child
// is stopped (stdin closed, then killed after a grace period) when t ends.
func startChild(t *testing.T, o childOptions) *proc {
	t.Helper()
	lo, hi := lltest.FreePortRange(t, 3)
	path := t.TempDir() + "/child.ini"
	require.NoError(t, os.WriteFile(path, []byte(o.config), 0o644))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d-%d", childEnv, lo, hi), childConfigEnv+"="+path)
	if o.readTimeout > 0 {
		cmd.Env = append(cmd.Env, childTimeoutEnv+"="+o.readTimeout.String())
	}
	if o.maxConns > 0 {
		cmd.Env = append(cmd.Env, childConnsEnv+"="+strconv.Itoa(o.maxConns))
	}
	if o.writeTimeout > 0 {
		cmd.Env = append(cmd.Env, childWriteEnv+"="+o.writeTimeout.String())
	}
	if o.secretFile != "" {
		cmd.Env = append(cmd.Env, childSecretEnv+"="+o.secretFile)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	p := &proc{cmd: cmd, done: make(chan error, 1), stdin: stdin}
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if err := p.stop(15 * time.Second); err != nil {
			t.Errorf("listener child: %v", err)
		}
		if t.Failed() {
			t.Logf("listener child's stderr:\n%s", stderr.String())
		}
	})
	select {
	case line := <-lines:
		port, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
		require.True(t, ok, "child said %q; stderr:\n%s", line, stderr.String())
		p.addr = net.JoinHostPort("127.0.0.1", port)
	case <-time.After(15 * time.Second):
		t.Fatalf("listener child not listening after 15s; stderr:\n%s", stderr.String())
	}
	return p
}

// alive reports whether the child process still runs.
func (p *proc) alive() bool {
	return p.cmd.Process.Signal(syscall.Signal(0)) == nil
}

// rssKiB reads the child's resident set size from /proc.
func (p *proc) rssKiB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	require.NoError(t, err, "child process gone")
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			require.NoError(t, err)
			return kib
		}
	}
	t.Fatal("no VmRSS in /proc status")
	return 0
}

// dial connects and reads the greeting.
func (p *proc) dial(t *testing.T) *wire.Conn {
	t.Helper()
	c, _, err := wire.Dial(context.Background(), p.addr, 10*time.Second)
	require.NoError(t, err)
	return c
}

// status asks the child for its status.
func (p *proc) status(t *testing.T) *wire.Status {
	t.Helper()
	c := p.dial(t)
	defer c.Close()
	rep, err := c.Status()
	require.NoError(t, err)
	require.True(t, rep.OK, "status: %+v", rep)
	require.NotNil(t, rep.Status)
	return rep.Status
}

// push sends config as an apply request and returns the reply.
//
// The reply may take long under -race on a loaded machine (a push of
// 800 KB is parsed, planned and applied by a race-instrumented child):
// the tests that push are about what happens, not how fast, so the
// client waits up to a minute. (Bounded work is asserted by counting
// steps, in logcfg's bounds tests.)
func (p *proc) push(t *testing.T, config string) *wire.Reply {
	t.Helper()
	c, _, err := wire.Dial(context.Background(), p.addr, time.Minute)
	require.NoError(t, err)
	defer c.Close()
	rep, err := c.Apply(wire.Envelope{Config: config})
	require.NoError(t, err)
	return rep
}
