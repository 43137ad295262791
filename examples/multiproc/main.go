package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/logcfg"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // a process failed to start, apply, revert or stop
	exitUsage  = 2 // a bad flag, or no config to load
)

// workerEnv selects worker mode: its value is the worker's number.
const workerEnv = "LIVELOG_DEMO_WORKER"

// options are the command line, checked.
type options struct {
	workers        int
	portLo, portHi int
	interval       time.Duration
	serve          bool
	configDir      string // where debug.conf, info.conf and error.conf are
	config         string // the file every process loads at start
	why            string // why that file: "ENV unset", "-config", ...
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command: the parent, or a worker when workerEnv is set.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	if k := os.Getenv(workerEnv); k != "" {
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "multiproc: %s=%q: want a worker number from 1\n", workerEnv, k)
			return exitUsage
		}
		return runWorker(n, o, stderr)
	}
	return runParent(o, stdout, stderr)
}

const usage = `usage: go run ./examples/multiproc [flags]

A parent and -workers worker processes log ERROR, INFO and DEBUG lines in
colour, each with its own livelog listener. By default the parent tells a
story and exits (about 10s): everyone at DEBUG; error.conf pushed to all
(INFO and DEBUG stop); info.conf pushed for 3s (a temporary change that
reverts by itself); clean shutdown. With -serve it keeps running until
Ctrl-C, so that you can try pushcfg from another terminal.

Flags:
  -workers N        worker processes besides the parent (default 4)
  -ports LO-HI      listener port range (default 9001-9030)
  -interval D       how often each process logs its three lines (default 500ms)
  -serve            keep running until SIGINT/SIGTERM; SIGHUP reloads the config
                    (not on Windows, which has no SIGHUP); a worker that dies
                    is reported and the other processes keep running
  -config-dir DIR   where debug.conf, info.conf and error.conf are
                    (default: found next to the working directory, the
                    executable or the source)
  -config FILE      the config every process loads at start (default: by ENV:
                    unset → debug.conf, dev/test → info.conf, prod → error.conf;
                    the story always starts from debug.conf)

Exit status: 0 when every process started, applied, reverted and stopped
cleanly; 1 when one did not (with -serve: also when a worker died while
serving); 2 for a bad flag or a missing config.
`

// parseFlags reads the command line and finds the config files.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	var ports string
	fs := flag.NewFlagSet("multiproc", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.IntVar(&o.workers, "workers", 4, "")
	fs.StringVar(&ports, "ports", "9001-9030", "")
	fs.DurationVar(&o.interval, "interval", 500*time.Millisecond, "")
	fs.BoolVar(&o.serve, "serve", false, "")
	fs.StringVar(&o.configDir, "config-dir", "", "")
	fs.StringVar(&o.config, "config", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usage)
			return nil, err
		}
		return nil, fmt.Errorf("multiproc: %w (see -help)", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("multiproc: unexpected argument %q (see -help)", fs.Arg(0))
	}
	if o.workers < 0 || o.workers > 64 {
		return nil, fmt.Errorf("multiproc: -workers %d: want 0 to 64", o.workers)
	}
	if o.interval < 10*time.Millisecond {
		return nil, fmt.Errorf("multiproc: -interval %s: want at least 10ms", o.interval)
	}
	var err error
	var pe *fanout.PortsError
	if o.portLo, o.portHi, err = fanout.ParsePorts(ports); errors.As(err, &pe) {
		return nil, pe.Flag("multiproc: -ports")
	}
	if os.Getenv(workerEnv) == "" && o.workers+1 > o.portHi-o.portLo+1 {
		return nil, fmt.Errorf("multiproc: -ports %s has %d ports for %d processes", ports, o.portHi-o.portLo+1, o.workers+1)
	}
	if o.configDir, err = findConfigDir(o.configDir); err != nil {
		return nil, err
	}
	switch {
	case o.config != "":
		o.why = "-config"
	case !o.serve || os.Getenv(workerEnv) != "":
		// The story needs DEBUG lines to silence. (A worker is always
		// given -config by the parent.)
		o.config = filepath.Join(o.configDir, "debug.conf")
		o.why = "the story starts at DEBUG"
		if env := logcfg.EnvFile(o.configDir); env != o.config {
			o.why += fmt.Sprintf("; ENV=%s would choose %s, as -serve does", os.Getenv("ENV"), filepath.Base(env))
		}
	default:
		o.config = logcfg.EnvFile(o.configDir)
		o.why = "ENV unset"
		if env, ok := os.LookupEnv("ENV"); ok {
			o.why = "ENV=" + env
		}
	}
	if _, err := os.Stat(o.config); err != nil {
		return nil, fmt.Errorf("multiproc: config file: %w", err)
	}
	return o, nil
}

// configDirs are where logger_config is looked for, relative to the
// working directory and then to the executable.
var configDirs = []string{"examples/multiproc/logger_config", "logger_config"}

// findConfigDir returns dir if set, else the first logger_config directory
// holding debug.conf: under the working directory, next to the executable
// (a built binary installed with its configs), or next to this source file
// (go run from anywhere in the repository).
func findConfigDir(dir string) (string, error) {
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "debug.conf")); err != nil {
			return "", fmt.Errorf("multiproc: -config-dir %q: %w", dir, err)
		}
		return dir, nil
	}
	var tried []string
	for _, base := range configBases() {
		for _, rel := range configDirs {
			d := filepath.Join(base, rel)
			tried = append(tried, d)
			if _, err := os.Stat(filepath.Join(d, "debug.conf")); err == nil {
				return d, nil
			}
		}
	}
	return "", fmt.Errorf("multiproc: no logger_config directory with debug.conf in %s; give -config-dir", strings.Join(tried, ", "))
}

// configBases are the directories findConfigDir searches under: "." first
// (so the paths it prints stay short), then the executable's directory,
// then this source file's directory.
func configBases() []string {
	bases := []string{"."}
	if exe, err := os.Executable(); err == nil {
		bases = append(bases, filepath.Dir(exe))
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		bases = append(bases, filepath.Dir(file))
	}
	return bases
}
