package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/wire"
)

// dialTimeout bounds each step with one port: connecting, the greeting, the
// reply. A silent program on a port costs this much, once per push: ports
// are probed in parallel (fanout.MaxParallel at once).
const dialTimeout = 2 * time.Second

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
// parallel, with fanout.Push as pushcfg does: each port's greeting is read
// first, and a port that does not greet as livelog is never written to.
// Only the demo's own processes (ours reports their pids) are sent env:
// another program's listener that happens to be on the range is listed
// and left alone. known maps the demo's processes' listeners to their
// names, so that a process that fails to answer is reported by name. The
// acks come back in port order.
func pushAll(ctx context.Context, lo, hi int, env wire.Envelope, known map[fanout.Target]string, ours func(pid int) bool) []ack {
	rs := fanout.Push(ctx, fanout.Targets([]string{"127.0.0.1"}, lo, hi), env,
		&fanout.Options{Timeout: dialTimeout, Accept: func(h *wire.Hello) bool { return ours(h.PID) }})
	var acks []ack
	for _, r := range rs {
		a := ack{addr: r.Target.Addr(), ours: true, reply: r.Reply, err: r.Err}
		switch {
		case r.Kind == fanout.Livelog:
			a.pid, a.name = r.Hello.PID, r.Hello.Name
			if errors.Is(r.Err, fanout.ErrDeclined) {
				a.ours, a.err = false, nil
			}
		case known[r.Target] != "":
			a.name = known[r.Target] // one of ours, not answering
		default:
			continue // closed, or a silent program: nobody the demo cares about
		}
		acks = append(acks, a)
	}
	return acks
}

// statusAll asks each of ts for its status, in parallel; the results are
// in the order of ts.
func statusAll(ctx context.Context, ts []fanout.Target) []fanout.Result {
	return fanout.Status(ctx, ts, &fanout.Options{Timeout: dialTimeout})
}

// targetOf is the listener at addr ("127.0.0.1:9001"), as a worker
// reports it.
func targetOf(addr string) (fanout.Target, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fanout.Target{}, err
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return fanout.Target{}, fmt.Errorf("multiproc: bad port in listener address %q", addr)
	}
	return fanout.Target{Host: host, Port: p}, nil
}

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
