package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	outDryRun         = "dry-run"        // --dry-run: the listener said what it would do; nothing changed
)

// needSecret is the error for a listener that wants signed requests when
// no --secret-file was given: such a listener is sent nothing.
const needSecret = "the listener requires signed requests: give --secret-file (nothing was sent)"

// replyTooLarge is the report of a listener whose reply was longer than
// pushcfg reads: it answered, so the push may have been applied.
var replyTooLarge = fmt.Sprintf("the listener's reply is larger than the %d bytes pushcfg reads: the push may have applied; check with 'pushcfg status'", wire.MaxReply)

// notDryRun is the report of a listener too old to answer a dry run: it
// would ignore "dry_run" and apply, so it is sent nothing.
const notDryRun = "this listener does not answer dry runs (an older livelog): nothing was sent"

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
	Warnings   []string      `json:"warnings"`
	Expires    *time.Time    `json:"expires,omitempty"`
	Error      string        `json:"error"`
}

// summary counts the outcomes; it is the last line of the report and the
// "summary" object of --json.
type summary struct {
	Ports          int `json:"ports"` // ports scanned
	Found          int `json:"found"` // listeners pushed to (livelog, or legacy deliveries)
	Applied        int `json:"applied"`
	DryRun         int `json:"dry_run"` // listeners that answered a dry run
	Rejected       int `json:"rejected"`
	Unacknowledged int `json:"unacknowledged"`
	Skipped        int `json:"skipped"`
	Errors         int `json:"errors"`
	Closed         int `json:"closed"`
	Warnings       int `json:"warnings"` // distinct warnings the listeners reported
	Exit           int `json:"exit"`     // the exit code
}

// pushReport is the --json document of a push.
type pushReport struct {
	Results []pushResult  `json:"results"`
	Hosts   []hostSummary `json:"hosts"` // one per host scanned, in scan order
	Summary summary       `json:"summary"`
}

// hostSummary counts one host's ports of a push: the per-host line of the
// report ("10.0.0.5: 3 listeners, 3 applied, 0 failed") and the "hosts"
// array of --json.
type hostSummary struct {
	Host      string `json:"host"`
	Ports     int    `json:"ports"`     // ports scanned on it
	Listeners int    `json:"listeners"` // listeners found (as summary.found)
	Applied   int    `json:"applied"`
	DryRun    int    `json:"dry_run"`
	Failed    int    `json:"failed"` // rejected, or the exchange failed
}

// hostSummaries counts results per host, hosts in the order of o.hosts.
func hostSummaries(o *options, results []pushResult) []hostSummary {
	return perHost(o.hosts, results, func(r pushResult) string { return r.Host },
		func(h string) hostSummary { return hostSummary{Host: h} },
		func(h *hostSummary, r pushResult) {
			h.Ports++
			switch r.Outcome {
			case outApplied:
				h.Applied++
			case outDryRun:
				h.DryRun++
			case outRejected, outError:
				h.Failed++
			}
			if r.Outcome != outClosed && r.Outcome != outSkipped {
				h.Listeners++
			}
		})
}

// perHost makes one S per host (start) and counts each result into its
// host's (count): the per-host summaries of push and status.
func perHost[R, S any](hosts []string, results []R, hostOf func(R) string, start func(string) S, count func(*S, R)) []S {
	out := make([]S, len(hosts))
	idx := make(map[string]int, len(hosts))
	for i, h := range hosts {
		out[i], idx[h] = start(h), i
	}
	for _, r := range results {
		if i, ok := idx[hostOf(r)]; ok {
			count(&out[i], r)
		}
	}
	return out
}

// line is the host's line under a report of several hosts.
func (h hostSummary) line() string {
	s := fmt.Sprintf("%s: %d %s, %d applied", h.Host, h.Listeners, plural(h.Listeners, "listener", "listeners"), h.Applied)
	if h.DryRun > 0 {
		s += fmt.Sprintf(", %d would apply (dry run)", h.DryRun)
	}
	return s + fmt.Sprintf(", %d failed", h.Failed)
}

// runPush is `pushcfg [flags] FILE`.
func runPush(o *options, stdout, stderr io.Writer) int {
	text, cfg, err := loadConfig(o)
	if err != nil {
		fmt.Fprintln(stderr, err)
		fmt.Fprintf(stderr, "pushcfg: %s was not sent to any listener\n", o.file)
		return exitUsage
	}
	if o.strict && len(cfg.Warnings) > 0 {
		for _, w := range cfg.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", escape(w.String()))
		}
		fmt.Fprintf(stderr, "pushcfg: --strict: %s has %d %s; it was not sent to any listener\n",
			o.file, len(cfg.Warnings), plural(len(cfg.Warnings), "warning", "warnings"))
		return exitUsage
	}
	// Source is the file's absolute path, so that status and history name
	// it whatever directory pushcfg ran in.
	source := o.file
	if abs, err := filepath.Abs(o.file); err == nil {
		source = abs
	}
	env := wire.Envelope{Op: wire.OpApply, Config: string(text), Source: source, Full: o.full}
	if len(o.defaults) > 0 {
		env.Defaults = o.defaults
	}
	return send(o, env, text, stdout, stderr)
}

// send is the rest of a push or a set: env (with --for and --dry-run
// added) to every listener of the range, legacy to silent ports with
// --legacy, then the report.
func send(o *options, env wire.Envelope, legacy []byte, stdout, stderr io.Writer) int {
	ctx := context.Background()
	if err := resolveHosts(ctx, o); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	if o.forDur > 0 {
		env.For = o.forDur.String()
	}
	env.DryRun = o.dryRun
	ts := o.targets()
	fo := &fanout.Options{Timeout: o.timeout, Secret: o.secret, Parallel: o.parallel}
	if o.legacy {
		fo.Legacy = legacy
	}
	if o.dryRun {
		fo.Accept = func(h *wire.Hello) bool { return h.HasFeature(wire.FeatureDryRun) }
	}
	results := make([]pushResult, len(ts))
	for i, r := range fanout.Push(ctx, ts, env, fo) {
		results[i] = pushResultOf(r)
	}

	sum := summary{Ports: len(ts), Warnings: len(warningCounts(results))}
	for _, r := range results {
		switch r.Outcome {
		case outApplied:
			sum.Applied++
		case outDryRun:
			sum.DryRun++
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
	sum.Found = sum.Applied + sum.DryRun + sum.Rejected + sum.Unacknowledged + sum.Errors
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
		writeJSON(stdout, pushReport{Results: shown, Hosts: hostSummaries(o, results), Summary: sum})
		return sum.Exit
	}
	writePushTable(stdout, o, results, sum)
	return sum.Exit
}

// warning is one distinct warning of a push and how many listeners
// reported it.
type warning struct {
	text string
	n    int
}

// warningCounts lists the distinct warnings of results, in the order
// first seen.
func warningCounts(results []pushResult) []warning {
	var out []warning
	idx := map[string]int{}
	for _, r := range results {
		for _, w := range r.Warnings {
			if i, ok := idx[w]; ok {
				out[i].n++
				continue
			}
			idx[w] = len(out)
			out = append(out, warning{text: w, n: 1})
		}
	}
	return out
}

// pushResultOf is the report of one port of a push. Nothing was written
// to a port that did not greet as livelog, unless --legacy.
func pushResultOf(fr fanout.Result) pushResult {
	r := pushResult{Host: fr.Target.Host, Port: fr.Target.Port, Changes: []wire.Change{}, Ignored: []string{}, Warnings: []string{}}
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
	case errors.Is(fr.Err, fanout.ErrDeclined):
		r.Outcome, r.Error = outError, notDryRun
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
	r.Warnings = append(r.Warnings, reply.Warnings...)
	r.Expires = reply.Expires
	switch {
	case reply.Outcome == wire.OutcomeApplied && reply.OK:
		r.Outcome = outApplied
	case reply.Outcome == wire.OutcomeDryRun && reply.OK:
		r.Outcome = outDryRun
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
		if o.quiet && (r.Outcome == outApplied || r.Outcome == outDryRun || r.Outcome == outSkipped || r.Outcome == outClosed ||
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
	for _, wc := range warningCounts(results) {
		fmt.Fprintf(w, "warning (%d of %d %s): %s\n", wc.n, sum.Found, plural(sum.Found, "listener", "listeners"), escape(wc.text))
	}
	if !o.quiet {
		if len(o.hosts) > 1 {
			for _, h := range hostSummaries(o, results) {
				fmt.Fprintln(w, escape(h.line()))
			}
		}
		fmt.Fprintln(w, summaryLine(o, sum))
	}
}

func (r pushResult) addr() string { return fanout.Target{Host: r.Host, Port: r.Port}.Addr() }

// pushDetails is the DETAILS column of a push.
func pushDetails(r pushResult) string {
	switch r.Outcome {
	case outApplied, outDryRun:
		dry := r.Outcome == outDryRun
		var parts []string
		switch {
		case len(r.Changes) == 0 && dry:
			parts = append(parts, "would change no level")
		case len(r.Changes) == 0:
			parts = append(parts, "no level changed")
		case dry:
			parts = append(parts, "would change "+changesText(r.Changes))
		default:
			parts = append(parts, changesText(r.Changes))
		}
		switch {
		case len(r.Ignored) > 0 && dry:
			parts = append(parts, "would ignore: "+strings.Join(r.Ignored, "; "))
		case len(r.Ignored) > 0:
			parts = append(parts, "ignored: "+strings.Join(r.Ignored, "; "))
		}
		if n := len(r.Warnings); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s (below)", n, plural(n, "warning", "warnings")))
		}
		if r.Expires != nil {
			parts = append(parts, "reverts at "+r.Expires.Local().Format("15:04:05"))
		}
		if dry {
			return fmt.Sprintf("at generation %d (dry run): %s", r.Generation, strings.Join(parts, "; "))
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
	var parts []string
	if s.DryRun > 0 || s.Applied == 0 && o.dryRun {
		parts = append(parts, fmt.Sprintf("%d would apply (dry run: nothing changed)", s.DryRun))
	}
	if s.Applied > 0 || !o.dryRun {
		parts = append(parts, fmt.Sprintf("%d applied", s.Applied))
	}
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
	line := fmt.Sprintf("%s of %d %s on %s", strings.Join(parts, ", "), s.Found,
		plural(s.Found, "listener", "listeners"), where)
	if s.Warnings > 0 {
		line += fmt.Sprintf("; %d %s: see above", s.Warnings, plural(s.Warnings, "warning", "warnings"))
	}
	return line
}

// rangesText is "127.0.0.1:9001-9030, 10.0.0.2:9001-9030".
func rangesText(o *options) string {
	hr := o.hostRanges()
	ranges := make([]string, len(hr))
	for i, h := range hr {
		ranges[i] = fmt.Sprintf("%s:%d-%d", h.Host, h.Lo, h.Hi)
	}
	return strings.Join(ranges, ", ")
}

func outcomeCell(outcome string) cell {
	switch outcome {
	case outApplied, outStatus, outDryRun:
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

// writeJSON prints v indented, ending with a newline. encoding/json
// escapes C0 controls but leaves DEL and the C1 controls (U+0080–U+009F,
// which some terminals obey like ESC sequences) raw: they are escaped
// too, so no control character from a peer reaches a terminal that
// shows the JSON. The document means the same.
func writeJSON(w io.Writer, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil { // the reports hold only plain data
		panic(err)
	}
	fmt.Fprintf(w, "%s\n", escapeJSONControls(b))
}

// isJSONRawControl reports the controls encoding/json leaves raw.
func isJSONRawControl(r rune) bool { return r == 0x7f || r >= 0x80 && r <= 0x9f }

// escapeJSONControls rewrites DEL and U+0080–U+009F in JSON text as \u
// escapes (they occur only inside strings: JSON's syntax has none).
func escapeJSONControls(b []byte) []byte {
	if !bytes.ContainsFunc(b, isJSONRawControl) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if isJSONRawControl(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}
