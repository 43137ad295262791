package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/livelog/livelog/internal/fanout"
)

// Exit codes; doc.go and the usage text document them.
const (
	exitOK       = 0 // every listener applied (status: every listener answered)
	exitFailed   = 1 // some listener rejected the config or could not be reached
	exitUsage    = 2 // bad flag, bad argument or a config that does not parse
	exitNotFound = 3 // no listener found
)

// Commands.
const (
	cmdPush       = "push"
	cmdSet        = "set"
	cmdStatus     = "status"
	cmdLoggers    = "loggers"
	cmdHistory    = "history"
	cmdCheck      = "check"
	cmdVersion    = "version"
	cmdCompletion = "completion"
)

// commands are the words read as a command when they come first; any
// other first argument is a FILE to push (a file named like a command is
// pushed with a path: ./status).
var commands = []string{cmdSet, cmdStatus, cmdLoggers, cmdHistory, cmdCheck, cmdVersion, cmdCompletion}

// Defaults of the flags.
const (
	defaultPorts   = "9001-9030"
	defaultHost    = "127.0.0.1"
	defaultTimeout = 2 * time.Second
	maxParallel    = 1024 // --parallel: open sockets are a process's to count
)

// options is the parsed command line.
type options struct {
	cmd        string
	file       string            // FILE, for push and check
	args       []string          // NAME=LEVEL for set, PATTERN for loggers, SHELL for completion
	defaults   map[string]string // --default key=value
	classes    []string          // --class NAME: the program's own classes
	hosts      []string          // --host, then --hosts-file, then --dns: in the order given, deduplicated
	hostsFile  string            // --hosts-file
	dns        string            // --dns NAME, resolved by resolveHosts
	portsOf    map[string][2]int // a host's own range, from --hosts-file
	origin     map[string]string // where a host of --hosts-file or --dns came from, for errors
	portLo     int               // --ports
	portHi     int               //
	timeout    time.Duration     // --timeout: each step (connect, greeting, reply) per port
	parallel   int               // --parallel: ports worked on at once
	forDur     time.Duration     // --for
	full       bool              // --full
	secretFile string            // --secret-file
	secret     []byte            // its content
	legacy     bool              // --legacy
	strict     bool              // --strict
	dryRun     bool              // --dry-run
	json       bool              // --json
	quiet      bool              // -q
	verbose    bool              // -v
	python     bool              // --python (check)
}

// usage is printed by --help (on stdout, exit 0) and named by usage errors.
const usage = `usage:
  pushcfg [flags] FILE                 push FILE to every listener on the port range
  pushcfg set [flags] NAME=LEVEL ...   set single loggers' levels (root included); nothing else moves
  pushcfg status [flags]               show every listening process, marking drift; changes nothing
  pushcfg loggers [flags] [PATTERN]    every logger in use, with own and effective level, grouped
  pushcfg history [flags]              the last changes of every process (applied and rejected), newest first
  pushcfg check [flags] FILE           parse and resolve FILE as a listener would
  pushcfg version                      print pushcfg's module version (also --version)
  pushcfg completion bash|zsh          print a shell completion script

Push validates FILE first: a config that does not parse is never sent. It
then scans every port of --ports on every --host in parallel. A port whose
program greets as a livelog listener gets the config; any other program is
listed as skipped and is never sent a byte (unless --legacy). What the
config's parse warns about (unknown keys, unlisted sections) is printed
under the report, as each listener found it.

Set sends NAME=LEVEL pairs as one incremental change (dictConfig
"incremental": true): only the loggers named change, with the same report,
exit codes and flags as a push.

Flags:
  --default key=value  interpolation default for %(key)s, like the defaults
                       argument of Python's fileConfig (repeatable; push, check)
  --class NAME         a handler or formatter class the program registers
                       itself (logcfg.Registry); its arguments are checked by
                       the listener, not here (repeatable; push, check)
  --ports LO-HI        port range to scan (default 9001-9030)
  --host HOST          host to scan (repeatable; default 127.0.0.1)
  --hosts-file FILE    hosts to scan, one per line: HOST or HOST:LO-HI (the
                       range overrides --ports for that host; IPv6 in
                       brackets, [::1]:9001-9010); # starts a comment
  --dns NAME           scan every address (A and AAAA records) of NAME,
                       e.g. a Kubernetes headless Service
                       (app.default.svc.cluster.local)
  --parallel N         ports worked on at once, over all hosts (default 64)
  --timeout DURATION   per-port limit on each step: connecting, the
                       listener's greeting, its reply (default 2s)
  --for DURATION       temporary change: each listener reverts after
                       DURATION, e.g. 30s or 10m (push, set)
  --dry-run            each listener answers what it would change and ignore
                       under its own policy, and changes nothing (push, set)
  --full               ask for full reconfiguration (handlers, formatters);
                       each listener decides whether it allows it
  --secret-file PATH   sign requests with the shared secret in PATH; needed
                       to contact any host that is not loopback (exit 2
                       without it, nothing sent)
  --legacy             also send the config to ports that do not greet
                       (Python logging.config.listen); such a delivery is
                       reported as "delivered, not acknowledged" (push, set)
  --strict             refuse to send a config with warnings (exit 2); with
                       --legacy, also count an unacknowledged delivery as a
                       failure (push, set)
  --python             check: also report what CPython's logging.config would
                       reject (bare or wrong-module class names, and the rest
                       of the README's differences); exit 1 if there is any
  --json               print a JSON document instead of a table
  -q                   quiet: print only what went wrong (push, set),
                       nothing on success (check), no header (status)
  -v                   also list closed ports
  --version            print pushcfg's module version
  -h, --help           print this help

Exit codes:
  0  every listener applied the config (status: every listener answered;
     check: the config is valid; --dry-run: every listener would apply it)
  1  some listener rejected the config or failed (check --python: the config
     is valid here, but CPython would reject it)
  2  usage error, or the config does not parse, or (--strict) it has
     warnings: nothing was sent
  3  no listener found
These are the codes of a built pushcfg (go build -o pushcfg ./tools/pushcfg,
or go install); 'go run' turns every non-zero code into 1.
`

// run is the whole command; main only calls it. It returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "%v\nRun 'pushcfg --help' for usage.\n", err)
		return exitUsage
	}
	switch o.cmd {
	case cmdCheck:
		return runCheck(o, stdout, stderr)
	case cmdStatus:
		return runStatus(o, stdout, stderr)
	case cmdLoggers:
		return runLoggers(o, stdout, stderr)
	case cmdHistory:
		return runHistory(o, stdout, stderr)
	case cmdVersion:
		fmt.Fprintln(stdout, versionText())
		return exitOK
	case cmdCompletion:
		return runCompletion(o, stdout, stderr)
	case cmdSet:
		return runSet(o, stdout, stderr)
	default:
		return runPush(o, stdout, stderr)
	}
}

// Groups of commands, for flagCommands.
var (
	scanning = []string{cmdPush, cmdSet, cmdStatus, cmdLoggers, cmdHistory}
	sending  = []string{cmdPush, cmdSet}
)

// flagCommands says which commands accept each flag.
var flagCommands = map[string][]string{
	"default":     {cmdPush, cmdCheck},
	"class":       {cmdPush, cmdCheck},
	"ports":       scanning,
	"host":        scanning,
	"hosts-file":  scanning,
	"dns":         scanning,
	"timeout":     scanning,
	"parallel":    scanning,
	"for":         sending,
	"dry-run":     sending,
	"full":        {cmdPush},
	"secret-file": scanning,
	"legacy":      sending,
	"strict":      sending,
	"json":        {cmdPush, cmdSet, cmdStatus, cmdLoggers, cmdHistory, cmdCheck},
	"q":           {cmdPush, cmdSet, cmdStatus, cmdCheck},
	"v":           scanning,
	"version":     append([]string{cmdVersion}, commands...),
	"python":      {cmdCheck},
}

// parseArgs parses the command line. Flags may come before or after the
// command and FILE. Errors start with "pushcfg: " and name the flag.
func parseArgs(args []string) (*options, error) {
	o := &options{defaults: map[string]string{}, timeout: defaultTimeout}
	var ports string
	var version bool
	fs := flag.NewFlagSet("pushcfg", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Var((*defaultsFlag)(&o.defaults), "default", "")
	fs.Var((*classesFlag)(&o.classes), "class", "")
	fs.StringVar(&ports, "ports", defaultPorts, "")
	fs.Var((*hostsFlag)(&o.hosts), "host", "")
	fs.StringVar(&o.hostsFile, "hosts-file", "", "")
	fs.StringVar(&o.dns, "dns", "", "")
	fs.Var((*durationFlag)(&o.timeout), "timeout", "")
	fs.IntVar(&o.parallel, "parallel", fanout.MaxParallel, "")
	fs.Var((*durationFlag)(&o.forDur), "for", "")
	fs.BoolVar(&o.dryRun, "dry-run", false, "")
	fs.BoolVar(&o.full, "full", false, "")
	fs.StringVar(&o.secretFile, "secret-file", "", "")
	fs.BoolVar(&o.legacy, "legacy", false, "")
	fs.BoolVar(&o.strict, "strict", false, "")
	fs.BoolVar(&o.json, "json", false, "")
	fs.BoolVar(&o.quiet, "q", false, "")
	fs.BoolVar(&o.verbose, "v", false, "")
	fs.BoolVar(&o.python, "python", false, "")
	fs.BoolVar(&version, "version", false, "")

	// Parse flags interleaved with positional arguments.
	var pos []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			// "invalid value "30" for flag -for: ..." reads "--for 30: ...";
			// the flag package names flags with one dash, the usage two.
			msg := err.Error()
			if m := badValue.FindStringSubmatch(msg); m != nil {
				msg = fmt.Sprintf("-%s %s: %s", m[2], m[1], m[3])
			}
			return nil, fmt.Errorf("pushcfg: %s", flagName.ReplaceAllString(msg, "$1--$2"))
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		rest = rest[1:]
	}

	o.cmd = cmdPush
	if len(pos) > 0 && slices.Contains(commands, pos[0]) {
		o.cmd, pos = pos[0], pos[1:]
	}
	if version && o.cmd == cmdPush && len(pos) == 0 {
		o.cmd = cmdVersion
	}
	if err := o.positional(pos); err != nil {
		return nil, err
	}

	var misplaced []string
	fs.Visit(func(f *flag.Flag) {
		if !slices.Contains(flagCommands[f.Name], o.cmd) {
			misplaced = append(misplaced, "--"+f.Name)
		}
	})
	if len(misplaced) > 0 {
		return nil, fmt.Errorf("pushcfg: flag %s does not apply to %s", strings.Join(misplaced, ", "), o.cmd)
	}
	if version {
		o.cmd = cmdVersion
	}

	var err error
	var pe *fanout.PortsError
	if o.portLo, o.portHi, err = fanout.ParsePorts(ports); errors.As(err, &pe) {
		return nil, pe.Flag("pushcfg: --ports")
	}
	if o.timeout <= 0 {
		return nil, fmt.Errorf("pushcfg: --timeout %v: must be positive", o.timeout)
	}
	if o.parallel < 1 || o.parallel > maxParallel {
		return nil, fmt.Errorf("pushcfg: --parallel %d: want 1 to %d", o.parallel, maxParallel)
	}
	if o.forDur < 0 {
		return nil, fmt.Errorf("pushcfg: --for %v: must be positive", o.forDur)
	}
	if o.dryRun && o.legacy {
		return nil, errors.New("pushcfg: --dry-run cannot be sent with --legacy: a Python listener applies whatever it is sent")
	}
	if o.hostsFile != "" {
		if err := readHostsFile(o, o.hostsFile); err != nil {
			return nil, err
		}
	}
	if o.dns != "" {
		if _, err := checkHost(o.dns); err != nil || net.ParseIP(o.dns) != nil {
			return nil, fmt.Errorf("pushcfg: --dns %q: want a DNS name, e.g. app.default.svc.cluster.local", clipLine(o.dns))
		}
	}
	if len(o.hosts) == 0 && o.dns == "" {
		o.hosts = []string{defaultHost}
	}
	if o.secretFile != "" {
		if o.secret, err = readSecret(o.secretFile); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// positional checks the arguments after the command.
func (o *options) positional(pos []string) error {
	switch o.cmd {
	case cmdStatus, cmdHistory, cmdVersion:
		if len(pos) > 0 {
			return fmt.Errorf("pushcfg: %s takes no argument, got %q", o.cmd, pos[0])
		}
	case cmdLoggers:
		if len(pos) > 1 {
			return fmt.Errorf("pushcfg: loggers takes at most one PATTERN, got %d arguments: %q", len(pos), pos)
		}
		o.args = pos
	case cmdCompletion:
		if len(pos) != 1 || (pos[0] != "bash" && pos[0] != "zsh") {
			return fmt.Errorf("pushcfg: completion takes one shell, bash or zsh, got %q", pos)
		}
		o.args = pos
	case cmdSet:
		if len(pos) == 0 {
			return errors.New("pushcfg: set needs NAME=LEVEL, e.g. pushcfg set app.db=DEBUG root=INFO")
		}
		o.args = pos
	default:
		switch {
		case len(pos) == 0:
			return fmt.Errorf("pushcfg: %s needs a config FILE", o.cmd)
		case len(pos) > 1:
			return fmt.Errorf("pushcfg: %s takes one FILE, got %d arguments: %q", o.cmd, len(pos), pos)
		}
		o.file = pos[0]
	}
	return nil
}

// durationFlag is a duration flag whose error says what is wrong: a
// number without a unit gets "missing unit, e.g. 30s or 10m".
type durationFlag time.Duration

func (d *durationFlag) String() string { return time.Duration(*d).String() }

func (d *durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err == nil {
		*d = durationFlag(v)
		return nil
	}
	if _, nerr := strconv.ParseFloat(strings.TrimSpace(s), 64); nerr == nil {
		return errors.New("missing unit, e.g. 30s or 10m")
	}
	return errors.New("not a duration, e.g. 30s, 10m or 1h30m")
}

// badValue is the flag package's error for a bad flag value.
var badValue = regexp.MustCompile(`^invalid value "(.*)" for flag -([a-z-]+): (.*)$`)

// flagName finds "-name" in the flag package's errors.
var flagName = regexp.MustCompile(`(^|\s)-([a-z][a-z-]+)`)

// readSecret reads --secret-file.
func readSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pushcfg: --secret-file: %w", err)
	}
	b = bytes.TrimSpace(b) // as the listener reads it
	if len(b) == 0 {
		return nil, fmt.Errorf("pushcfg: --secret-file %q is empty", path)
	}
	return b, nil
}

// classesFlag is --class NAME, repeatable.
type classesFlag []string

func (c *classesFlag) String() string { return strings.Join(*c, ",") }

func (c *classesFlag) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("want a class name, e.g. --class myapp.AuditHandler")
	}
	*c = append(*c, strings.TrimSpace(v))
	return nil
}

// defaultsFlag is --default key=value, repeatable.
type defaultsFlag map[string]string

var defaultKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

func (d *defaultsFlag) String() string {
	if d == nil {
		return ""
	}
	keys := make([]string, 0, len(*d))
	for k := range *d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + (*d)[k]
	}
	return strings.Join(keys, ",")
}

func (d *defaultsFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok {
		return fmt.Errorf("want key=value, e.g. here=/srv/app")
	}
	if !defaultKey.MatchString(k) {
		return fmt.Errorf("key %q: want a name of letters, digits and _", k)
	}
	// configparser keys are case-insensitive; store them as Python does.
	(*d)[strings.ToLower(k)] = v
	return nil
}

// hostsFlag is --host HOST, repeatable.
type hostsFlag []string

var hostName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*\.?$`)

func (h *hostsFlag) String() string {
	if h == nil {
		return ""
	}
	return strings.Join(*h, ",")
}

func (h *hostsFlag) Set(s string) error {
	host, err := checkHost(s)
	if err != nil {
		return err
	}
	for _, have := range *h {
		if have == host {
			return nil
		}
	}
	*h = append(*h, host)
	return nil
}
