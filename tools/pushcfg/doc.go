// Command pushcfg pushes a logging config to every livelog listener on a
// port range, in parallel, and reports what each process did with it. It
// also shows the status of the listening processes and checks a config
// file offline.
//
//	pushcfg error.conf                 # every process on 127.0.0.1:9001-9030 logs at ERROR
//	pushcfg --for 10m debug.conf       # DEBUG for ten minutes, then back
//	pushcfg set app.db=DEBUG --for 5m  # one logger, no file
//	pushcfg --dry-run error.conf       # what each listener would do; nothing changes
//	pushcfg status                     # who listens, at which levels; drift marked
//	pushcfg loggers 'app.*'            # every logger in use, grouped across processes
//	pushcfg history                    # the last changes of the fleet, newest first
//	pushcfg check --json app.conf      # what a listener would make of app.conf
//
// Install with `go install github.com/livelog/livelog/tools/pushcfg@latest`,
// or from a checkout with `go install ./tools/pushcfg` or
// `go build -o pushcfg ./tools/pushcfg`. `go run ./tools/pushcfg ...` works
// too, but go run reports every non-zero exit code as 1.
//
// # Push
//
// `pushcfg [flags] FILE` first parses FILE as a listener would
// (logcfg.ParsePayload with the --default values); a config that does not
// parse is never sent, and pushcfg exits 2 with the parser's message. It
// then scans every port of --ports on every host (--host, --hosts-file,
// --dns: see Many hosts) in parallel (at most 64
// ports at once, each step bounded by --timeout); a closed port or a dead
// process never stops the scan. A livelog listener speaks first: it greets
// every connection, so pushcfg knows who is on a port before writing a
// byte. A port that greets gets the config in a request envelope (with
// --for, --full, the --default values and, with --secret-file, a
// signature); any other program, such as Supervisor's web server on 9001
// or a Python logging.config.listen server (which would eval what it is
// sent), is listed as skipped and is never written to.
//
// With --legacy, ports that accept a connection but say nothing are sent
// FILE's text as one raw frame, as Python's logging.config.listen expects;
// such a listener never answers, so the delivery is reported as
// "delivered, not acknowledged" and counts as success unless --strict.
// --for, --full, --default and --secret-file mean nothing to a Python
// listener and are not sent to it.
//
// The report has one line per port found: address, pid, process name,
// outcome, and details (the level changes, what the listener's policy
// ignored, the revert time of a temporary change, or the reason of a
// rejection). Closed ports are listed only with -v. A summary line follows.
//
// # Set and dry runs
//
// `pushcfg set NAME=LEVEL [NAME=LEVEL ...]` sends the pairs as one
// incremental dictConfig ({"version": 1, "incremental": true, "root": ...,
// "loggers": ...}): only the loggers named change. It takes a push's flags
// (--for, --dry-run, --strict, --legacy, --secret-file, ...) and gives its
// report and exit codes; the envelope says "via": "set", so status, history
// and the audit log record a set. Levels are read in any case.
//
// With --dry-run (push and set) each listener answers what it would change
// and ignore under its own policy and changes nothing: the listener's
// verdict, not a local parse. A listener whose greeting does not list the
// dry_run feature (an older livelog) would apply such a request, so it is
// sent nothing and reported as an error. --dry-run and --legacy exclude
// each other: a Python listener applies whatever it gets.
//
// Warnings: each listener's reply lists the config's warnings (what Python
// would silently ignore); they are printed once under the report with the
// number of listeners that reported them, and counted in the summary line.
// --strict refuses a FILE whose local parse has warnings, before anything
// is sent (exit 2).
//
// # Status, loggers, history and check
//
// A status marks "drift": a process whose configured levels (loggers whose
// own level is not NOTSET) differ from those of the largest group of
// processes with the same ones. With a tie for largest, every process of
// the tie is marked. `pushcfg loggers [PATTERN]` lists every logger in use
// with its own and effective level; processes with the same set collapse
// into one table with a count, the largest first, and each other group is
// marked as differing, row by row. PATTERN is a glob (path.Match); a name
// without glob characters selects that logger and its descendants.
// `pushcfg history` merges the last 20 changes of each process (applied
// and rejected) newest first.
//
// `pushcfg status` asks every livelog listener of the range for its status
// (port, pid, name, uptime, config generation, last change, time left on a
// temporary change, effective levels). It changes nothing and never writes
// to a port that did not greet as livelog.
//
// `pushcfg check FILE` parses and resolves FILE as a listener would and
// prints the resolved view: a readable tree, or with --json exactly
// logcfg's Resolved JSON. It opens no file a handler names and contacts no
// process. A config that does not parse gives the parser's message (the
// message a listener would send back) and exit 2. With --python, check also
// lists ("python: " lines, or the JSON's "python" list) everything in FILE
// that livelog accepts but CPython's logging.config would reject or fail
// on (logcfg.WithPythonCheck: bare or wrong-module class names, livelog's
// own classes, ext:// in INI args, defaults= in INI), so that a file meant
// for both stays loadable by both; it then exits 1.
//
// # Many hosts
//
// Every command that scans (push, set, status, loggers, history) takes
// its hosts from --host (repeatable), --hosts-file FILE and --dns NAME,
// in that order, each host once; 127.0.0.1 only when none is given. A
// hosts file has one host per line, "host" or "host:LO-HI" (the range
// overrides --ports for that host), an IPv6 address in brackets
// ("[::1]:9001-9010"; a bare "::1" without a range is read whole), "#" to
// the end of a line a comment, blank lines skipped; a bad line is a usage
// error naming the file and line, quoting the line clipped. --dns scans
// every A and AAAA record of NAME (a Kubernetes headless Service answers
// with one per ready pod), sorted, on --ports; a name that does not
// resolve or has no address is a usage error. Every host name is looked
// up before anything is sent.
//
// Every port of every host goes through the one fan-out (internal/fanout:
// at most --parallel connections at once, 64 by default, 1 to 1024; each
// step bounded by --timeout). With
// more than one host, a line per host follows the table
// ("127.0.0.2: 1 listener, 1 applied, 0 failed"; status: "N answered,
// N failed, N drift"), and --json has a "hosts" array, one object per
// host in scan order: push and set {"host", "ports", "listeners",
// "applied", "dry_run", "failed"}, status {"host", "ports", "listeners",
// "answered", "failed", "drift"}.
//
// A host that is not loopback (an address outside 127.0.0.0/8 and ::1,
// or a name with any such address) is contacted only with --secret-file:
// without one pushcfg exits 2 before sending anything, naming the host and
// where it came from (--host, --hosts-file FILE:LINE, --dns NAME). A
// request that crosses a network must be signed; a listener binds a
// non-loopback address only with a secret anyway.
//
// # Output
//
// Tables are aligned; outcomes are coloured only when stdout is a terminal
// (and NO_COLOR is unset). With --json every command prints one JSON
// document meant for scripts; its shape is stable. Push:
//
//	{"results": [{"host": "127.0.0.1", "port": 9001, "outcome": "applied",
//	              "pid": 4242, "name": "worker-1", "generation": 3,
//	              "changes": [{"kind": "logger", "name": "root", "old": "DEBUG", "new": "ERROR"}],
//	              "ignored": [], "expires": "2026-01-02T15:04:05Z", "error": ""}],
//	 "summary": {"ports": 30, "found": 1, "applied": 1, "rejected": 0, "unacknowledged": 0,
//	             "skipped": 0, "errors": 0, "closed": 29, "exit": 0}}
//
// Each result also has "warnings" (always an array) and the summary
// "dry_run" and "warnings" (distinct warnings). outcome is one of
// "applied", "dry-run", "rejected" (error says why),
// "unacknowledged" (--legacy delivery), "skipped" (not livelog, nothing
// sent), "error" (a livelog listener, but the exchange failed) and, with
// -v only, "closed". changes and ignored are always arrays; expires is
// present only for a temporary change; pid is 0 and name "" where unknown.
// found counts the listeners pushed to (applied, rejected, unacknowledged,
// errors). Status:
//
//	{"results": [{"host": "127.0.0.1", "port": 9001, "outcome": "status",
//	              "pid": 4242, "name": "worker-1", "status": {...}, "error": ""}],
//	 "summary": {"ports": 30, "found": 1, "skipped": 0, "errors": 0, "closed": 29, "exit": 0}}
//
// where each result also has "drift" (true for a process marked drift)
// and the summary "drift" (their count), and status is the listener's
// status object, the JSON form of listener.Status (started, uptime_s,
// generation, last_change, levels, temp_remaining_s, loggers, history),
// null unless outcome is "status". Loggers prints {"pattern", "groups":
// [{"count", "majority", "processes", "loggers"}], "errors", "summary"};
// history {"history": [each entry of a status history with the process's
// host, port, pid and name], "errors", "summary"}. Check prints the
// logcfg.Resolved object.
//
// # Exit codes
//
//	0  every listener applied the config (status, loggers, history: every
//	   listener answered; check: the config is valid; check --python: for
//	   CPython too; --dry-run: every listener would apply it)
//	1  some listener rejected the config or failed (with --strict, also a
//	   legacy delivery that was not acknowledged; check --python: the config
//	   is valid here but CPython would reject it)
//	2  usage error (the message names the flag), the config does not
//	   parse, or --strict and it has warnings: nothing was sent
//	3  no listener found (ports that are not livelog listeners do not count)
package main
