package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/wire"
)

// Outcomes of one port, as the JSON "outcome" field spells them.
const (
	outApplied        = "applied"        // the listener applied the config
	outRejected       = "rejected"       // the listener refused it; "error" says why
	outUnacknowledged = "unacknowledged" // --legacy: sent to a silent port, no answer expected
	outSkipped        = "skipped"        // not a livelog listener: nothing was sent
	outError          = "error"          // a livelog listener, but the exchange failed
	outClosed         = "closed"         // nobody listens (listed only with -v)
	outStatus         = "status"         // status: the listener answered
)

// needSecret is the error for a listener that wants signed requests when
// no --secret-file was given: such a listener is sent nothing.
const needSecret = "the listener requires signed requests: give --secret-file (nothing was sent)"

// replyTooLarge is the report of a listener whose reply was longer than
// pushcfg reads: it answered, so the push may have been applied.
var replyTooLarge = fmt.Sprintf("the listener's reply is larger than the %d bytes pushcfg reads: the push may have applied; check with 'pushcfg status'", wire.MaxReply)

// pushResult is one port of a push, in the report and in --json.
type pushResult struct {
	Host       string        `json:"host"`
	Port       int           `json:"port"`
	Outcome    string        `json:"outcome"`
	PID        int           `json:"pid"`
	Name       string        `json:"name"`
	Generation uint64        `json:"generation"`
	Changes    []wire.Change `json:"changes"`
	Ignored    []string      `json:"ignored"`
	Expires    *time.Time    `json:"expires,omitempty"`
	Error      string        `json:"error"`
}

// summary counts the outcomes; it is the last line of the report and the
// "summary" object of --json.
type summary struct {
	Ports          int `json:"ports"` // ports scanned
	Found          int `json:"found"` // listeners pushed to (livelog, or legacy deliveries)
	Applied        int `json:"applied"`
	Rejected       int `json:"rejected"`
	Unacknowledged int `json:"unacknowledged"`
	Skipped        int `json:"skipped"`
	Errors         int `json:"errors"`
	Closed         int `json:"closed"`
	Exit           int `json:"exit"` // the exit code
}

// pushReport is the --json document of a push.
type pushReport struct {
	Results []pushResult `json:"results"`
	Summary summary      `json:"summary"`
}

// runPush is `pushcfg [flags] FILE`.
func runPush(o *options, stdout, stderr io.Writer) int {
	text, _, err := loadConfig(o)
	if err != nil {
		fmt.Fprintln(stderr, err)
		fmt.Fprintf(stderr, "pushcfg: %s was not sent to any listener\n", o.file)
		return exitUsage
	}
	ctx := context.Background()
	if err := resolveHosts(ctx, o); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	// Source is the name the config was parsed under here, so a listener's
	// messages name it as the local check did.
	env := wire.Envelope{Op: wire.OpApply, Config: string(text), Source: o.file, Full: o.full}
	if o.forDur > 0 {
		env.For = o.forDur.String()
	}
	if len(o.defaults) > 0 {
		env.Defaults = o.defaults
	}
	ts := fanout.Targets(o.hosts, o.portLo, o.portHi)
	fo := &fanout.Options{Timeout: o.timeout, Secret: o.secret}
	if o.legacy {
		fo.Legacy = text
	}
	results := make([]pushResult, len(ts))
	for i, r := range fanout.Push(ctx, ts, env, fo) {
		results[i] = pushResultOf(r)
	}

	sum := summary{Ports: len(ts)}
	for _, r := range results {
		switch r.Outcome {
		case outApplied:
			sum.Applied++
		case outRejected:
			sum.Rejected++
		case outUnacknowledged:
			sum.Unacknowledged++
		case outSkipped:
			sum.Skipped++
		case outError:
			sum.Errors++
		case outClosed:
			sum.Closed++
		}
	}
	sum.Found = sum.Applied + sum.Rejected + sum.Unacknowledged + sum.Errors
	switch {
	case sum.Found == 0:
		sum.Exit = exitNotFound
	case sum.Rejected > 0 || sum.Errors > 0 || (o.strict && sum.Unacknowledged > 0):
		sum.Exit = exitFailed
	default:
		sum.Exit = exitOK
	}

	if o.json {
		shown := make([]pushResult, 0, len(results))
		for _, r := range results {
			if r.Outcome != outClosed || o.verbose {
				shown = append(shown, r)
			}
		}
		writeJSON(stdout, pushReport{Results: shown, Summary: sum})
		return sum.Exit
	}
	writePushTable(stdout, o, results, sum)
	return sum.Exit
}

// pushResultOf is the report of one port of a push. Nothing was written
// to a port that did not greet as livelog, unless --legacy.
func pushResultOf(fr fanout.Result) pushResult {
	r := pushResult{Host: fr.Target.Host, Port: fr.Target.Port, Changes: []wire.Change{}, Ignored: []string{}}
	switch {
	case fr.Kind == fanout.Closed:
		r.Outcome, r.Error = outClosed, closedText(fr.Err)
		return r
	case fr.Kind == fanout.Silent && errors.Is(fr.Err, wire.ErrNotLivelog):
		r.Outcome = outSkipped
		return r
	case fr.Kind == fanout.Silent && fr.Err != nil:
		r.Outcome, r.Error = outError, fmt.Sprintf("legacy delivery failed: %v", fr.Err)
		return r
	case fr.Kind == fanout.Silent:
		r.Outcome = outUnacknowledged
		return r
	}
	r.PID, r.Name, r.Generation = fr.Hello.PID, fr.Hello.Name, fr.Hello.Generation
	switch {
	case errors.Is(fr.Err, fanout.ErrNeedSecret):
		r.Outcome, r.Error = outError, needSecret
		return r
	case errors.Is(fr.Err, wire.ErrReplyTooLarge):
		r.Outcome, r.Error = outUnacknowledged, replyTooLarge
		return r
	case fr.Err != nil:
		r.Outcome, r.Error = outError, fmt.Sprintf("no reply: %v", fr.Err)
		return r
	}
	reply := fr.Reply
	if reply.PID != 0 {
		r.PID, r.Name = reply.PID, reply.Name
	}
	r.Generation = reply.Generation
	r.Changes = append(r.Changes, reply.Changes...)
	r.Ignored = append(r.Ignored, reply.Ignored...)
	r.Expires = reply.Expires
	switch {
	case reply.Outcome == wire.OutcomeApplied && reply.OK:
		r.Outcome = outApplied
	case reply.Outcome == wire.OutcomeRejected || !reply.OK:
		r.Outcome, r.Error = outRejected, reply.Error
	default:
		r.Outcome, r.Error = outError, fmt.Sprintf("unexpected reply outcome %q", reply.Outcome)
	}
	return r
}

// writePushTable prints one line per port found and the summary line.
func writePushTable(w io.Writer, o *options, results []pushResult, sum summary) {
	color := useColor(w)
	var t table
	t.add(cell{"PORT", colorBold}, cell{"PID", colorBold}, cell{"NAME", colorBold}, cell{"OUTCOME", colorBold}, cell{"DETAILS", colorBold})
	for _, r := range results {
		if r.Outcome == outClosed && !o.verbose {
			continue
		}
		if o.quiet && (r.Outcome == outApplied || r.Outcome == outSkipped || r.Outcome == outClosed ||
			(r.Outcome == outUnacknowledged && !o.strict)) {
			continue
		}
		t.add(plain(r.addr()), plain(pidText(r.PID)), plain(orDash(r.Name)), outcomeCell(r.Outcome), plain(pushDetails(r)))
	}
	if o.quiet {
		t.rows = t.rows[1:]
	} else if len(t.rows) == 1 {
		t.rows = nil // no port found: the summary says so
	}
	t.write(w, color)
	if !o.quiet {
		fmt.Fprintln(w, summaryLine(o, sum))
	}
}

func (r pushResult) addr() string { return fanout.Target{Host: r.Host, Port: r.Port}.Addr() }

// pushDetails is the DETAILS column of a push.
func pushDetails(r pushResult) string {
	switch r.Outcome {
	case outApplied:
		var parts []string
		if len(r.Changes) == 0 {
			parts = append(parts, "no level changed")
		} else {
			parts = append(parts, changesText(r.Changes))
		}
		if len(r.Ignored) > 0 {
			parts = append(parts, "ignored: "+strings.Join(r.Ignored, "; "))
		}
		if r.Expires != nil {
			parts = append(parts, "reverts at "+r.Expires.Local().Format("15:04:05"))
		}
		return fmt.Sprintf("generation %d: %s", r.Generation, strings.Join(parts, "; "))
	case outUnacknowledged:
		if r.Error != "" {
			return r.Error
		}
		return "delivered, not acknowledged (legacy listener)"
	case outSkipped:
		return "not a livelog listener: nothing sent"
	default:
		return r.Error
	}
}

// changesText is "root WARNING→ERROR, handler console DEBUG→INFO".
func changesText(cs []wire.Change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		name := c.Name
		if c.Kind == "handler" {
			name = "handler " + name
		}
		parts[i] = fmt.Sprintf("%s %s→%s", name, c.Old, c.New)
	}
	return strings.Join(parts, ", ")
}

// summaryLine is the last line of a push report.
func summaryLine(o *options, s summary) string {
	where := rangesText(o)
	if s.Found == 0 {
		msg := "no livelog listener found on " + where
		if s.Skipped > 0 {
			msg += fmt.Sprintf(" (%d %s skipped: not livelog; --legacy sends to them)", s.Skipped, plural(s.Skipped, "port", "ports"))
		}
		return msg
	}
	parts := []string{fmt.Sprintf("%d applied", s.Applied)}
	if s.Rejected > 0 {
		parts = append(parts, fmt.Sprintf("%d rejected", s.Rejected))
	}
	if s.Errors > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", s.Errors))
	}
	if s.Unacknowledged > 0 {
		parts = append(parts, fmt.Sprintf("%d not acknowledged", s.Unacknowledged))
	}
	if s.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", s.Skipped))
	}
	return fmt.Sprintf("%s of %d %s on %s", strings.Join(parts, ", "), s.Found,
		plural(s.Found, "listener", "listeners"), where)
}

// rangesText is "127.0.0.1:9001-9030, 10.0.0.2:9001-9030".
func rangesText(o *options) string {
	ranges := make([]string, len(o.hosts))
	for i, h := range o.hosts {
		ranges[i] = fmt.Sprintf("%s:%d-%d", h, o.portLo, o.portHi)
	}
	return strings.Join(ranges, ", ")
}

func outcomeCell(outcome string) cell {
	switch outcome {
	case outApplied, outStatus:
		return cell{outcome, colorGreen}
	case outRejected, outError:
		return cell{outcome, colorRed}
	case outUnacknowledged, outSkipped:
		return cell{outcome, colorYellow}
	default:
		return cell{outcome, colorDim}
	}
}

func pidText(pid int) string {
	if pid == 0 {
		return "-"
	}
	return strconv.Itoa(pid)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// writeJSON prints v indented, ending with a newline.
func writeJSON(w io.Writer, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil { // the reports hold only plain data
		panic(err)
	}
	fmt.Fprintf(w, "%s\n", b)
}
