package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/wire"
)

// statusResult is one port of `pushcfg status`, in the table and in --json.
type statusResult struct {
	Host    string       `json:"host"`
	Port    int          `json:"port"`
	Outcome string       `json:"outcome"` // "status", "skipped", "error" or (with -v) "closed"
	PID     int          `json:"pid"`
	Name    string       `json:"name"`
	Status  *wire.Status `json:"status"` // null unless outcome is "status"
	// Drift is set when the process's configured levels differ from
	// those of most of the fleet (status only).
	Drift bool   `json:"drift"`
	Error string `json:"error"`
}

// statusSummary counts the ports of a status scan.
type statusSummary struct {
	Ports   int `json:"ports"`
	Found   int `json:"found"` // livelog listeners
	Skipped int `json:"skipped"`
	Errors  int `json:"errors"`
	Closed  int `json:"closed"`
	Drift   int `json:"drift"` // processes marked drift (status)
	Exit    int `json:"exit"`
}

// statusReport is the --json document of `pushcfg status`.
type statusReport struct {
	Results []statusResult `json:"results"`
	Hosts   []statusHost   `json:"hosts"` // one per host scanned, in scan order
	Summary statusSummary  `json:"summary"`
}

// statusHost counts one host's ports of a status scan: the per-host line
// ("10.0.0.5: 3 listeners, 3 answered, 0 failed") and the "hosts" array
// of --json.
type statusHost struct {
	Host      string `json:"host"`
	Ports     int    `json:"ports"`
	Listeners int    `json:"listeners"` // livelog listeners found
	Answered  int    `json:"answered"`
	Failed    int    `json:"failed"`
	Drift     int    `json:"drift"`
}

// statusHosts counts results per host, hosts in the order of o.hosts.
func statusHosts(o *options, results []statusResult) []statusHost {
	return perHost(o.hosts, results, func(r statusResult) string { return r.Host },
		func(h string) statusHost { return statusHost{Host: h} },
		func(h *statusHost, r statusResult) {
			h.Ports++
			switch r.Outcome {
			case outStatus:
				h.Listeners++
				h.Answered++
			case outError:
				h.Listeners++
				h.Failed++
			}
			if r.Drift {
				h.Drift++
			}
		})
}

func (h statusHost) line() string {
	s := fmt.Sprintf("%s: %d %s, %d answered, %d failed", h.Host, h.Listeners, plural(h.Listeners, "listener", "listeners"), h.Answered, h.Failed)
	if h.Drift > 0 {
		s += fmt.Sprintf(", %d drift", h.Drift)
	}
	return s
}

// runStatus is `pushcfg status`. It asks each livelog listener for its
// status and changes nothing; a port that does not greet as livelog is
// never written to. A process whose configured levels differ from those
// of most of the fleet is marked "drift".
func runStatus(o *options, stdout, stderr io.Writer) int {
	results, sum, ok := scan(o, stderr)
	if !ok {
		return sum.Exit
	}
	markDrift(results)
	for _, r := range results {
		if r.Drift {
			sum.Drift++
		}
	}
	if o.json {
		shown := make([]statusResult, 0, len(results))
		for _, r := range results {
			if r.Outcome != outClosed || o.verbose {
				shown = append(shown, r)
			}
		}
		writeJSON(stdout, statusReport{Results: shown, Hosts: statusHosts(o, results), Summary: sum})
		return sum.Exit
	}
	writeStatusTable(stdout, o, results, sum, time.Now())
	return sum.Exit
}

// levelsKey is what drift compares: the configured loggers (own level not
// NOTSET) with their levels, or, from a listener too old to list them,
// every effective level.
func levelsKey(s *wire.Status) string {
	var b strings.Builder
	if len(s.Loggers) == 0 {
		for _, n := range sortedKeys(s.Levels) {
			fmt.Fprintf(&b, "%q=%s ", n, s.Levels[n])
		}
		return b.String()
	}
	for _, l := range s.Loggers {
		if l.Level != "NOTSET" {
			fmt.Fprintf(&b, "%q=%s ", l.Name, l.Level)
		}
	}
	return b.String()
}

// markDrift marks the processes whose levelsKey is not the fleet's most
// common one. With a tie for most common nobody is the majority, and
// every process is marked; a lone process never drifts.
func markDrift(results []statusResult) {
	count := map[string]int{}
	for _, r := range results {
		if r.Outcome == outStatus {
			count[levelsKey(r.Status)]++
		}
	}
	if len(count) < 2 {
		return
	}
	best, most, tie := "", 0, false
	for k, n := range count {
		switch {
		case n > most:
			best, most, tie = k, n, false
		case n == most:
			tie = true
		}
	}
	for i := range results {
		if r := &results[i]; r.Outcome == outStatus {
			r.Drift = tie || levelsKey(r.Status) != best
		}
	}
}

// statusResultOf is the report of one port of a status scan.
func statusResultOf(fr fanout.Result) statusResult {
	r := statusResult{Host: fr.Target.Host, Port: fr.Target.Port}
	switch fr.Kind {
	case fanout.Closed:
		r.Outcome, r.Error = outClosed, closedText(fr.Err)
		return r
	case fanout.Silent:
		r.Outcome = outSkipped
		return r
	}
	r.PID, r.Name = fr.Hello.PID, fr.Hello.Name
	reply := fr.Reply
	switch {
	case errors.Is(fr.Err, fanout.ErrNeedSecret):
		r.Outcome, r.Error = outError, needSecret
	case fr.Err != nil:
		r.Outcome, r.Error = outError, fmt.Sprintf("no reply: %v", fr.Err)
	case !reply.OK || reply.Status == nil:
		r.Outcome, r.Error = outError, "status refused: "+orDash(reply.Error)
	default:
		r.Outcome, r.Status = outStatus, reply.Status
	}
	return r
}

// writeStatusTable prints one row per listening process.
func writeStatusTable(w io.Writer, o *options, results []statusResult, sum statusSummary, now time.Time) {
	var t table
	if !o.quiet {
		t.add(cell{"PORT", colorBold}, cell{"PID", colorBold}, cell{"NAME", colorBold}, cell{"STATE", colorBold},
			cell{"UPTIME", colorBold}, cell{"GEN", colorBold}, cell{"LAST CHANGE", colorBold},
			cell{"TEMP LEFT", colorBold}, cell{"LEVELS", colorBold})
	}
	for _, r := range results {
		addr := fanout.Target{Host: r.Host, Port: r.Port}.Addr()
		switch {
		case r.Outcome == outStatus:
			s := r.Status
			state := cell{"ok", colorGreen}
			if r.Drift {
				state = cell{"drift", colorYellow}
			}
			t.add(plain(addr), plain(pidText(r.PID)), plain(orDash(r.Name)), state,
				plain(durationText(s.Uptime)), plain(fmt.Sprint(s.Generation)), plain(lastChangeText(s.LastChange, now)),
				plain(tempText(s.TempRemaining)), plain(levelsText(s.Levels)))
		case r.Outcome == outClosed && !o.verbose:
		default:
			msg := "not a livelog listener: nothing sent"
			if r.Outcome != outSkipped {
				msg = r.Error
			}
			t.add(plain(addr), plain(pidText(r.PID)), plain(orDash(r.Name)), outcomeCell(r.Outcome),
				plain("-"), plain("-"), plain("-"), plain("-"), plain(msg))
		}
	}
	if o.quiet || len(t.rows) > 1 {
		t.write(w, useColor(w))
	}
	if !o.quiet {
		if len(o.hosts) > 1 {
			for _, h := range statusHosts(o, results) {
				fmt.Fprintln(w, escape(h.line()))
			}
		}
		drift := ""
		if sum.Drift > 0 {
			drift = fmt.Sprintf(", %d drift (levels differ from most of the fleet: see 'pushcfg loggers')", sum.Drift)
		}
		fmt.Fprintf(w, "%d %s on %s, %d skipped, %d failed%s\n", sum.Found, plural(sum.Found, "listener", "listeners"),
			rangesText(o), sum.Skipped, sum.Errors, drift)
	}
}

// durationText prints seconds as "3d4h", "2h05m", "4m10s" or "12s".
func durationText(sec float64) string {
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd%dh", d/(24*time.Hour), (d%(24*time.Hour))/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", d/time.Hour, (d%time.Hour)/time.Minute)
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", d/time.Minute, (d%time.Minute)/time.Second)
	default:
		return fmt.Sprintf("%ds", d/time.Second)
	}
}

func tempText(sec float64) string {
	if sec <= 0 {
		return "-"
	}
	return durationText(sec)
}

// lastChangeText is "4m10s ago: push from 127.0.0.1, /srv/app/error.conf"
// or "12s ago: revert to generation 3 (push from 127.0.0.1),
// /srv/app/info.conf"; from a listener that does not send an origin,
// "4m10s ago from 127.0.0.1:51234 (error.conf)". A time that is not set,
// or lies ahead of this clock by more than a minute, is shown as "at an
// unknown time" rather than as a nonsense age.
func lastChangeText(lc *wire.LastChange, now time.Time) string {
	if lc == nil {
		return "-"
	}
	ago := now.Sub(lc.At)
	s := durationText(max(ago, 0).Seconds()) + " ago"
	if lc.At.IsZero() || ago < -time.Minute {
		s = "at an unknown time"
	}
	if lc.Origin != "" {
		s += ": " + lc.Origin
		if lc.Source != "" {
			s += ", " + lc.Source
		}
		return s
	}
	if lc.From != "" {
		s += " from " + lc.From
	}
	if lc.Source != "" {
		s += " (" + lc.Source + ")"
	}
	return s
}

// levelsText is "root=WARNING app=INFO app.db=DEBUG": root first, then by name.
func levelsText(levels map[string]string) string {
	names := rootFirst(levels)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + levels[n]
	}
	return strings.Join(parts, " ")
}

// rootFirst lists the logger names of levels: root first, then by name.
func rootFirst(levels map[string]string) []string {
	names := make([]string, 0, len(levels))
	for n := range levels {
		if n != "root" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if _, ok := levels["root"]; ok {
		names = append([]string{"root"}, names...)
	}
	return names
}
