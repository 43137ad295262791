package main

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/wire"
)

// process is one listening process of a scan, as loggers and history
// list it.
type process struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	PID  int    `json:"pid"`
	Name string `json:"name"`
}

func (p process) label() string {
	return fmt.Sprintf("%s (pid %s, %s)", orDash(p.Name), pidText(p.PID), fanout.Target{Host: p.Host, Port: p.Port}.Addr())
}

// loggerGroup is a set of processes with exactly the same loggers at the
// same levels.
type loggerGroup struct {
	Count     int                `json:"count"`
	Majority  bool               `json:"majority"` // the largest group (the first, on a tie)
	Processes []process          `json:"processes"`
	Loggers   []wire.LoggerLevel `json:"loggers"`
}

// loggersReport is the --json document of `pushcfg loggers`.
type loggersReport struct {
	Pattern string         `json:"pattern"`
	Groups  []loggerGroup  `json:"groups"`
	Errors  []statusResult `json:"errors"` // listeners that did not answer
	Summary statusSummary  `json:"summary"`
}

// scan asks every listener of the range for its status; it is what
// status, loggers and history share.
func scan(o *options, stderr io.Writer) ([]statusResult, statusSummary, bool) {
	ctx := context.Background()
	if err := resolveHosts(ctx, o); err != nil {
		fmt.Fprintln(stderr, err)
		return nil, statusSummary{Exit: exitUsage}, false
	}
	ts := o.targets()
	results := make([]statusResult, len(ts))
	for i, r := range fanout.Status(ctx, ts, &fanout.Options{Timeout: o.timeout, Secret: o.secret, Parallel: o.parallel}) {
		results[i] = statusResultOf(r)
	}
	sum := statusSummary{Ports: len(ts)}
	for _, r := range results {
		switch r.Outcome {
		case outStatus:
			sum.Found++
		case outSkipped:
			sum.Skipped++
		case outError:
			sum.Found++
			sum.Errors++
		case outClosed:
			sum.Closed++
		}
	}
	switch {
	case sum.Found == 0:
		sum.Exit = exitNotFound
	case sum.Errors > 0:
		sum.Exit = exitFailed
	}
	return results, sum, true
}

// runLoggers is `pushcfg loggers [PATTERN]`: every logger each process
// has in use (configured, or only asked for by the program) with its own
// and its effective level. Processes with exactly the same loggers and
// levels collapse into one table with a count; the largest group comes
// first, and every other group is marked as differing from it. PATTERN is
// a shell glob on logger names (path.Match: "app.*"); a name without glob
// characters selects that logger and its descendants ("app" is app,
// app.db, ...).
func runLoggers(o *options, stdout, stderr io.Writer) int {
	results, sum, ok := scan(o, stderr)
	if !ok {
		return sum.Exit
	}
	pattern := ""
	if len(o.args) > 0 {
		pattern = o.args[0]
		if _, err := path.Match(pattern, ""); err != nil {
			fmt.Fprintf(stderr, "pushcfg: loggers %q: bad pattern: %v\n", pattern, err)
			return exitUsage
		}
	}
	var groups []loggerGroup
	var failed []statusResult
	keys := map[string]int{}
	for _, r := range results {
		if r.Outcome == outError {
			failed = append(failed, r)
		}
		if r.Outcome != outStatus {
			continue
		}
		ls := selectLoggers(loggersOf(r.Status), pattern)
		key := loggersKey(ls)
		p := process{Host: r.Host, Port: r.Port, PID: r.PID, Name: r.Name}
		if i, ok := keys[key]; ok {
			groups[i].Count++
			groups[i].Processes = append(groups[i].Processes, p)
			continue
		}
		keys[key] = len(groups)
		groups = append(groups, loggerGroup{Count: 1, Processes: []process{p}, Loggers: ls})
	}
	// Largest first; on a tie, the order found.
	slices.SortStableFunc(groups, func(a, b loggerGroup) int { return b.Count - a.Count })
	if len(groups) > 0 {
		groups[0].Majority = true
	}
	if o.json {
		if failed == nil {
			failed = []statusResult{}
		}
		if groups == nil {
			groups = []loggerGroup{}
		}
		writeJSON(stdout, loggersReport{Pattern: pattern, Groups: groups, Errors: failed, Summary: sum})
		return sum.Exit
	}
	color := useColor(stdout)
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		head := fmt.Sprintf("%d %s", g.Count, plural(g.Count, "process", "processes"))
		if len(groups) > 1 && i > 0 {
			head += " DIFFER from the first group"
		}
		fmt.Fprintf(stdout, "%s: %s\n", head, processList(g.Processes))
		var t table
		t.add(cell{"  LOGGER", colorBold}, cell{"LEVEL", colorBold}, cell{"EFFECTIVE", colorBold}, cell{"", colorNone})
		for _, l := range g.Loggers {
			mark := ""
			if i > 0 && differs(l, groups[0].Loggers) {
				mark = "≠ first group: " + levelIn(l.Name, groups[0].Loggers)
			}
			t.add(plain("  "+l.Name), plain(l.Level), plain(l.Effective), cell{mark, colorYellow})
		}
		if i > 0 {
			for _, l := range groups[0].Loggers {
				if levelIn(l.Name, g.Loggers) == "absent" {
					t.add(plain("  "+l.Name), plain("-"), plain("-"), cell{"≠ first group: " + l.Level + "/" + l.Effective + " (not in use here)", colorYellow})
				}
			}
		}
		if len(g.Loggers) == 0 {
			t.add(plain("  (no logger matches)"))
		}
		t.write(stdout, color)
	}
	for _, r := range failed {
		fmt.Fprintf(stdout, "%s: %s\n", process{Host: r.Host, Port: r.Port, PID: r.PID, Name: r.Name}.label(), escape(r.Error))
	}
	if !o.quiet {
		fmt.Fprintf(stdout, "%d %s on %s, %d %s of loggers, %d failed\n", sum.Found, plural(sum.Found, "listener", "listeners"),
			rangesText(o), len(groups), plural(len(groups), "set", "sets"), sum.Errors)
	}
	return sum.Exit
}

// loggersOf is a status's loggers; from a listener too old to list them,
// its effective levels with the own level unknown ("?").
func loggersOf(s *wire.Status) []wire.LoggerLevel {
	if len(s.Loggers) > 0 {
		return s.Loggers
	}
	names := rootFirst(s.Levels)
	out := make([]wire.LoggerLevel, len(names))
	for i, n := range names {
		out[i] = wire.LoggerLevel{Name: n, Level: "?", Effective: s.Levels[n]}
	}
	return out
}

// selectLoggers keeps the loggers pattern selects ("" keeps all).
func selectLoggers(ls []wire.LoggerLevel, pattern string) []wire.LoggerLevel {
	if pattern == "" {
		return ls
	}
	glob := strings.ContainsAny(pattern, `*?[\`)
	out := []wire.LoggerLevel{}
	for _, l := range ls {
		if m, _ := path.Match(pattern, l.Name); m || !glob && strings.HasPrefix(l.Name, pattern+".") {
			out = append(out, l)
		}
	}
	return out
}

// loggersKey identifies a set of loggers with their levels.
func loggersKey(ls []wire.LoggerLevel) string {
	var b strings.Builder
	for _, l := range ls {
		fmt.Fprintf(&b, "%q %s %s\n", l.Name, l.Level, l.Effective)
	}
	return b.String()
}

// differs says whether l is absent from ref or at other levels there.
func differs(l wire.LoggerLevel, ref []wire.LoggerLevel) bool {
	for _, r := range ref {
		if r.Name == l.Name {
			return r.Level != l.Level || r.Effective != l.Effective
		}
	}
	return true
}

// levelIn is "LEVEL/EFFECTIVE" of name in ls, or "absent".
func levelIn(name string, ls []wire.LoggerLevel) string {
	for _, l := range ls {
		if l.Name == name {
			return l.Level + "/" + l.Effective
		}
	}
	return "absent"
}

// maxNamed is how many processes a group's head names; --json lists all.
const maxNamed = 6

// processList names the processes of a group: "Worker #1 (pid 12,
// 127.0.0.1:9001), ...", the first maxNamed, then "and N more".
func processList(ps []process) string {
	parts := make([]string, 0, min(len(ps), maxNamed)+1)
	for _, p := range ps[:min(len(ps), maxNamed)] {
		parts = append(parts, escape(p.label()))
	}
	if n := len(ps) - maxNamed; n > 0 {
		parts = append(parts, fmt.Sprintf("and %d more (--json lists them)", n))
	}
	return strings.Join(parts, ", ")
}
