package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/livelog/livelog/internal/wire"
)

// historyRow is one change of one process in `pushcfg history`.
type historyRow struct {
	process
	wire.HistoryEntry
}

// historyReport is the --json document of `pushcfg history`.
type historyReport struct {
	History []historyRow   `json:"history"` // newest first, across the fleet
	Errors  []statusResult `json:"errors"`  // listeners that did not answer
	Summary statusSummary  `json:"summary"`
}

// runHistory is `pushcfg history`: the last changes (at most 20 per
// process, applied and rejected) of every listening process, merged
// newest first. A listener too old to keep a history lists its last
// change only.
func runHistory(o *options, stdout, stderr io.Writer) int {
	results, sum, ok := scan(o, stderr)
	if !ok {
		return sum.Exit
	}
	rows := []historyRow{}
	failed := []statusResult{}
	for _, r := range results {
		if r.Outcome == outError {
			failed = append(failed, r)
		}
		if r.Outcome != outStatus {
			continue
		}
		p := process{Host: r.Host, Port: r.Port, PID: r.PID, Name: r.Name}
		hs := r.Status.History
		if len(hs) == 0 && r.Status.LastChange != nil {
			lc := r.Status.LastChange
			hs = []wire.HistoryEntry{{At: lc.At, Generation: r.Status.Generation, Outcome: wire.OutcomeApplied,
				Source: orDash(lc.Kind), Origin: lc.From, File: lc.Source}}
		}
		for _, h := range hs {
			rows = append(rows, historyRow{process: p, HistoryEntry: h})
		}
	}
	slices.SortStableFunc(rows, func(a, b historyRow) int { return b.At.Compare(a.At) })
	if o.json {
		writeJSON(stdout, historyReport{History: rows, Errors: failed, Summary: sum})
		return sum.Exit
	}
	var t table
	t.add(cell{"TIME", colorBold}, cell{"PROCESS", colorBold}, cell{"GEN", colorBold}, cell{"OUTCOME", colorBold},
		cell{"SOURCE", colorBold}, cell{"FILE", colorBold}, cell{"WHAT", colorBold})
	for _, r := range rows {
		t.add(plain(r.At.Local().Format(time.DateTime)), plain(fmt.Sprintf("%s (%s)", orDash(r.Name), pidText(r.PID))),
			plain(fmt.Sprint(r.Generation)), outcomeCell(r.Outcome), plain(r.Origin), plain(orDash(r.File)), plain(historyWhat(r.HistoryEntry)))
	}
	if len(rows) > 0 {
		t.write(stdout, useColor(stdout))
	}
	for _, r := range failed {
		fmt.Fprintf(stdout, "%s: %s\n", process{Host: r.Host, Port: r.Port, PID: r.PID, Name: r.Name}.label(), escape(r.Error))
	}
	fmt.Fprintf(stdout, "%d %s from %d %s on %s, %d failed\n", len(rows), plural(len(rows), "change", "changes"),
		sum.Found, plural(sum.Found, "listener", "listeners"), rangesText(o), sum.Errors)
	return sum.Exit
}

// historyWhat is the WHAT column: the changes (and the expiry), or why it
// was rejected.
func historyWhat(h wire.HistoryEntry) string {
	if h.Outcome == wire.OutcomeRejected {
		return h.Error
	}
	s := "no level changed"
	if len(h.Changes) > 0 {
		s = changesText(h.Changes)
		if h.ChangesOmitted > 0 {
			s += fmt.Sprintf(", and %d more", h.ChangesOmitted)
		}
	}
	if h.Expires != nil {
		s += "; reverts at " + h.Expires.Local().Format("15:04:05")
	}
	return s
}
