package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/livelog/livelog/internal/wire"
)

// dialTimeout bounds each step with one port: connecting, the greeting, the
// reply. A silent program on a port costs this much, once per push: ports
// are probed in parallel.
const dialTimeout = 2 * time.Second

// maxParallel bounds how many ports are probed at once.
const maxParallel = 32

// ack is what one port answered to a push: the acknowledgement of one of
// the demo's processes, or a listener of some other program.
type ack struct {
	addr  string
	pid   int
	name  string
	ours  bool        // one of the demo's processes
	reply *wire.Reply // nil when err is set or the listener is not ours
	err   error
}

// pushAll sends env to every livelog listener on 127.0.0.1:lo-hi, in
// parallel, the way pushcfg does: wire.Dial reads each port's greeting and
// never writes to a port that does not greet as livelog. Only the demo's
// own processes (ours reports their pids) are sent env: another program's
// listener that happens to be on the range is listed and left alone.
// known maps the demo's processes' addresses to their names, so that a
// process that fails to answer is reported by name. The acks come back in
// port order.
func pushAll(ctx context.Context, lo, hi int, env wire.Envelope, known map[string]string, ours func(pid int) bool) []ack {
	results := make([]*ack, hi-lo+1)
	sem := make(chan struct{}, maxParallel)
	var wg sync.WaitGroup
	for port := lo; port <= hi; port++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[port-lo] = pushOne(ctx, portAddr(port), env, known, ours)
		}()
	}
	wg.Wait()
	var acks []ack
	for _, a := range results {
		if a != nil {
			acks = append(acks, *a)
		}
	}
	return acks
}

// pushOne pushes env to addr; nil means nobody the demo cares about is
// there (closed, or a silent program on a port that is not ours).
func pushOne(ctx context.Context, addr string, env wire.Envelope, known map[string]string, ours func(pid int) bool) *ack {
	conn, hello, err := wire.Dial(ctx, addr, dialTimeout)
	if err != nil {
		if name, ok := known[addr]; ok {
			return &ack{addr: addr, name: name, ours: true, err: err}
		}
		return nil
	}
	defer conn.Close()
	a := &ack{addr: addr, pid: hello.PID, name: hello.Name, ours: ours(hello.PID)}
	if !a.ours {
		return a
	}
	a.reply, a.err = conn.Apply(env)
	return a
}

// statusOf asks the listener at addr for its status.
func statusOf(ctx context.Context, addr string) (*wire.Reply, error) {
	conn, _, err := wire.Dial(ctx, addr, dialTimeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	rep, err := conn.Status()
	if err == nil && rep.Status == nil {
		err = fmt.Errorf("multiproc: %s answered a status request without a status", addr)
	}
	return rep, err
}

func portAddr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// applied reports whether a is one of ours and applied the config.
func (a ack) applied() bool {
	return a.ours && a.err == nil && a.reply != nil && a.reply.OK && a.reply.Outcome == wire.OutcomeApplied
}

// String is one line of the push report, without the "== " prefix:
// address, pid, name, outcome and what changed.
func (a ack) String() string {
	head := fmt.Sprintf("%-15s  pid %-7s  %-11s", a.addr, pidText(a.pid), a.name)
	switch {
	case !a.ours:
		return head + "  not one of ours: left alone"
	case a.err != nil:
		return head + "  failed: " + a.err.Error()
	case !a.applied():
		return fmt.Sprintf("%s  %s: %s", head, a.reply.Outcome, a.reply.Error)
	}
	r := a.reply
	var parts []string
	if len(r.Changes) == 0 {
		parts = append(parts, "no level changed")
	}
	for _, c := range r.Changes {
		name := c.Name
		if c.Kind == "handler" {
			name = "handler " + name
		}
		parts = append(parts, fmt.Sprintf("%s %s→%s", name, c.Old, c.New))
	}
	s := fmt.Sprintf("%s  applied  generation %d: %s", head, r.Generation, strings.Join(parts, ", "))
	if len(r.Ignored) > 0 {
		s += "; ignored: " + strings.Join(r.Ignored, "; ")
	}
	if r.Expires != nil {
		s += "; reverts at " + r.Expires.Local().Format("15:04:05.000")
	}
	return s
}

func pidText(pid int) string {
	if pid == 0 {
		return "-"
	}
	return strconv.Itoa(pid)
}
