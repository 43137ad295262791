package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/service"
)

// The story's timings: about 10 seconds in all.
const (
	debugPhase  = 2500 * time.Millisecond // everyone at DEBUG
	errorPhase  = 2 * time.Second         // after error.conf
	tempFor     = 3 * time.Second         // the temporary change to info.conf
	revertGrace = 5 * time.Second         // beyond tempFor, for every process to revert
	afterRevert = 1500 * time.Millisecond // errors only again, before the shutdown
	pollEvery   = 100 * time.Millisecond  // status requests while waiting for the revert
)

// story is steps 1 to 3; runParent does step 4, the shutdown. It stops at
// the first step that fails, with an error saying which process failed and
// how.
func (d *parent) story(ctx context.Context) error {
	d.say("step 1/4 at %s: every process logs ERROR, INFO and DEBUG (%s) for %s",
		stamp(time.Now()), filepath.Base(d.o.config), debugPhase)
	if err := pause(ctx, debugPhase); err != nil {
		return err
	}
	errorConf := filepath.Join(d.o.configDir, "error.conf")
	if err := d.push(ctx, "2/4", errorConf, 0, "INFO and DEBUG stop everywhere"); err != nil {
		return err
	}
	if err := pause(ctx, errorPhase); err != nil {
		return err
	}
	if err := d.push(ctx, "3/4", filepath.Join(d.o.configDir, "info.conf"), tempFor,
		"INFO is back until each process reverts by itself"); err != nil {
		return err
	}
	if err := d.awaitRevert(ctx, errorConf); err != nil {
		return err
	}
	return pause(ctx, afterRevert)
}

// push sends file to every listener of the demo (temporarily, for dur,
// when dur > 0), prints each acknowledgement and a summary line saying
// effect. Every process must apply it.
func (d *parent) push(ctx context.Context, step, file string, dur time.Duration, effect string) error {
	// As pushcfg does: a config that does not parse is never sent.
	if _, err := logcfg.ParseFile(file); err != nil {
		return err
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("multiproc: %w", err)
	}
	env := wire.Envelope{Op: wire.OpApply, Config: string(text), Source: filepath.Base(file)}
	what, kind := filepath.Base(file), ""
	if dur > 0 {
		env.For = dur.String()
		what += " for " + env.For
		kind = " (a temporary change: it reverts by itself)"
	}
	d.say("step %s at %s: pushing %s%s to every livelog listener on 127.0.0.1:%d-%d, in parallel, as pushcfg does",
		step, stamp(time.Now()), what, kind, d.o.portLo, d.o.portHi)
	known := d.known()
	acks := pushAll(ctx, d.o.portLo, d.o.portHi, env, known, d.ours)
	acked := time.Now()

	var errs []error
	answered := map[string]bool{}
	for _, a := range acks {
		d.say("  %s", a)
		answered[a.addr] = a.ours
		if a.ours && !a.applied() {
			errs = append(errs, fmt.Errorf("%s at %s did not apply %s: %s", a.name, a.addr, what, ackProblem(a)))
		}
	}
	for _, t := range sortedTargets(known) {
		if !answered[t.Addr()] {
			errs = append(errs, fmt.Errorf("%s at %s was not found on the port range", known[t], t.Addr()))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	d.say("%d of %d processes applied %s (acknowledged at %s): %s", len(known), len(known), what, stamp(acked), effect)
	return nil
}

// ackProblem says why a did not apply.
func ackProblem(a ack) string {
	if a.err != nil {
		return a.err.Error()
	}
	return fmt.Sprintf("%s: %s", a.reply.Outcome, a.reply.Error)
}

// awaitRevert polls every process's status until none has a temporary
// change left and every root logger is back at file's root level.
func (d *parent) awaitRevert(ctx context.Context, file string) error {
	cfg, err := logcfg.ParseFile(file)
	if err != nil {
		return err
	}
	want := ""
	for _, l := range cfg.Loggers {
		if l.Name == "root" {
			want = logcfg.LevelName(l.Level)
		}
	}
	deadline := time.Now().Add(tempFor + revertGrace)
	known := d.known()
	pending := d.known()
	last := map[fanout.Target]string{} // what each pending process said last
	for len(pending) > 0 {
		ts := sortedTargets(pending)
		for i, r := range statusAll(ctx, ts) {
			t := ts[i]
			switch {
			case r.Err != nil:
				last[t] = r.Err.Error()
			case !r.Reply.OK || r.Reply.Status == nil:
				last[t] = "status refused: " + r.Reply.Error
			case r.Reply.Status.TempRemaining > 0:
				last[t] = fmt.Sprintf("%.1fs left on the temporary change", r.Reply.Status.TempRemaining)
			case rootLevel(r.Reply.Status) != want:
				last[t] = fmt.Sprintf("no temporary change, but root is at %s, not %s", rootLevel(r.Reply.Status), want)
			default:
				d.say("  %-15s  pid %-7d  %-11s  reverted  generation %d: root back at %s", t.Addr(), r.Reply.PID, pending[t], r.Reply.Generation, want)
				delete(pending, t)
			}
		}
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			var errs []error
			for _, t := range sortedTargets(pending) {
				errs = append(errs, fmt.Errorf("%s at %s did not revert within %s: %s", pending[t], t.Addr(), tempFor+revertGrace, last[t]))
			}
			return errors.Join(errs...)
		}
		if err := pause(ctx, pollEvery); err != nil {
			return err
		}
	}
	d.say("%d of %d processes reverted to %s by themselves (confirmed at %s): INFO stops again",
		len(known), len(known), filepath.Base(file), stamp(time.Now()))
	return nil
}

// rootLevel is the root logger's effective level in a status.
func rootLevel(s *wire.Status) string {
	if l, ok := s.Levels["root"]; ok {
		return l
	}
	return s.Levels[""]
}

// serve runs until SIGINT or SIGTERM under service.Run: READY=1 to
// systemd now that every process is up; a reload signal (SIGHUP; Windows
// has none) re-reads the config file in the parent and, forwarded, in
// every worker. A worker that dies meanwhile is reported by its watcher
// (see startWorkers) and the others keep serving.
func (d *parent) serve(ctx context.Context) error {
	ports := ""
	if d.o.portLo != 9001 || d.o.portHi != 9030 {
		ports = fmt.Sprintf(" --ports %d-%d", d.o.portLo, d.o.portHi)
	}
	dir := shortPath(d.o.configDir)
	d.say("serving until Ctrl-C (SIGINT) or SIGTERM. From another terminal, try:")
	d.say("  go build -o pushcfg ./tools/pushcfg    # a built pushcfg keeps its exit codes (go run maps them to 1)")
	d.say("  ./pushcfg status%s", ports)
	d.say("  ./pushcfg%s %s", ports, filepath.Join(dir, "error.conf"))
	d.say("  ./pushcfg%s --for 30s %s", ports, filepath.Join(dir, "info.conf"))
	d.say("  ./pushcfg%s set demo=DEBUG --for 1m", ports)
	if hint := reloadHint(os.Getpid()); hint != "" {
		d.say("  %s    # every process re-reads %s", hint, shortPath(d.o.config))
	}

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, append([]os.Signal{os.Interrupt, syscall.SIGTERM}, reloadSignals...)...)
	defer signal.Stop(sigs)
	toRun := make(chan os.Signal, 4)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-done:
				return
			case sig := <-sigs:
				if slices.Contains(reloadSignals, sig) {
					for _, c := range d.children {
						c.cmd.Process.Signal(sig) // fails only for a worker that is gone
					}
				}
				select {
				case toRun <- sig:
				case <-done:
					return
				}
			}
		}
	}()
	err := service.Run(ctx, d.self.tree, service.WithConfigFile(d.o.config), service.WithSignals(toRun))
	if cause := context.Cause(ctx); cause != nil {
		err = errors.Join(err, cause)
	}
	return err
}

// known maps the listener of every process of the demo to its name.
func (d *parent) known() map[fanout.Target]string {
	m := map[fanout.Target]string{d.self.target(): "MainProcess"}
	for _, c := range d.children {
		if c.listening() {
			m[c.lis] = c.name
		}
	}
	return m
}

// ours reports whether pid is one of the demo's processes.
func (d *parent) ours(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	for _, c := range d.children {
		if c.cmd.Process.Pid == pid {
			return true
		}
	}
	return false
}

// pause waits for dur, or returns ctx's cause if it ends first.
func pause(ctx context.Context, dur time.Duration) error {
	t := time.NewTimer(dur)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}

// sortedTargets are m's keys by host, then port.
func sortedTargets(m map[fanout.Target]string) []fanout.Target {
	ts := slices.Collect(maps.Keys(m))
	slices.SortFunc(ts, func(a, b fanout.Target) int {
		return cmp.Or(strings.Compare(a.Host, b.Host), cmp.Compare(a.Port, b.Port))
	})
	return ts
}
