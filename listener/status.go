package listener

import (
	"github.com/livelog/livelog/internal/wire"
)

// Status describes the process, as a status request sees it. It changes
// nothing.
func (l *Listener) Status() *wire.Status {
	now := l.o.clock.Now()
	resolved := l.tree.Resolved()
	levels := make(map[string]string, len(resolved.Loggers))
	for name, lg := range resolved.Loggers {
		levels[name] = lg.Effective
	}
	l.applyMu.Lock()
	defer l.applyMu.Unlock()
	gen := l.tree.Generation()
	st := &wire.Status{
		Started:    l.started,
		Uptime:     now.Sub(l.started).Seconds(),
		Generation: gen,
		Levels:     levels,
	}
	last := l.last
	if gen != l.lastGen {
		last = wire.LastChange{From: "application",
			Summary: "applied by the application (a config file reload or code), not through this listener"}
	}
	st.LastChange = &last
	if t := l.temp; t != nil && t.gen == gen && t.expires.After(now) {
		st.TempRemaining = t.expires.Sub(now).Seconds()
	}
	return st
}

func (l *Listener) statusReply() wire.Reply {
	st := l.Status()
	return wire.Reply{Livelog: wire.Version, OK: true, Outcome: wire.OutcomeStatus,
		PID: l.pid, Name: l.o.name, Generation: st.Generation, Status: st}
}
