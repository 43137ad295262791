// Command python runs Python's logging and livelog side by side on the same
// number of lines, with the same colour format, and prints lines per second
// for each and their ratio.
//
//	go run ./bench/python [-n 200000] [-runs 3]
//
// Each side runs as its own process, logging from a function named emit in
// a file named main (so %(module)s.%(funcName)s reads "main.emit" on both
// sides), through fileConfig-style INI with a StreamHandler to stdout, and
// stdout is /dev/null. The time counted is from the first call to the
// last, measured inside the process: start-up and config loading are
// excluded on both sides. The Python side is main.py (embedded here): a
// logging.Formatter subclass that substitutes the $ tokens as livelog's
// colorfmt does. Each side runs -runs times and the best run counts.
//
// Both sides make one write system call per line (Python's StreamHandler
// flushes every record; livelog writes every record), and that call costs
// the same on both sides, so it bounds the ratio. A second pair of runs
// ("discard") takes it out: every record is still formatted, then dropped
// (Python: the handler's stream is replaced by one whose write does
// nothing; livelog: a handler class that encodes with the formatter and
// writes to io.Discard).
package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/livelog/livelog/colorfmt"
	"github.com/livelog/livelog/logcfg"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

//go:embed main.py
var pythonMain []byte

// childEnv marks the re-executed livelog child.
const childEnv = "LIVELOG_BENCH_PYTHON_CHILD"

// format is the colour format both sides render.
const format = `$YELLOW%(asctime)s $RESET- $MAGENTA%(module)s.%(funcName)s $RESET- $GREEN%(processName)s $RESET- $COLOR%(levelname)s $RESET- %(message)s`

// configINI is the config both sides load; only the formatter class
// differs (Python's is the reference class in main.py).
func configINI(formatterClass string) string {
	return `[loggers]
keys=root,app

[handlers]
keys=out

[formatters]
keys=color

[logger_root]
level=WARNING
handlers=

[logger_app]
level=INFO
handlers=out
qualname=bench.app
propagate=0

[handler_out]
class=StreamHandler
level=NOTSET
formatter=color
args=(sys.stdout,)

[formatter_color]
class=` + formatterClass + `
format=` + format + `
color=always
`
}

// Sinks: where the lines go.
const (
	sinkDevNull = "devnull" // StreamHandler(sys.stdout), stdout is /dev/null
	sinkDiscard = "discard" // formatted, then dropped without a system call
)

var sinkText = map[string]string{
	sinkDevNull: "StreamHandler(sys.stdout) to " + os.DevNull + " (one write call per line)",
	sinkDiscard: "formatted, then discarded (no system call)",
}

func main() {
	if os.Getenv(childEnv) != "" {
		os.Exit(child(os.Args[1:], os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the parent: it runs both sides and prints the comparison.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("python", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 200000, "lines each side logs")
	runs := fs.Int("runs", 3, "runs of each side; the best counts")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *n < 1 || *runs < 1 {
		fmt.Fprintln(stderr, "python: -n and -runs must be at least 1")
		return 2
	}
	dir, err := os.MkdirTemp("", "livelog-bench-python-")
	if err != nil {
		fmt.Fprintln(stderr, "python:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	sides, err := setup(dir)
	if err != nil {
		fmt.Fprintln(stderr, "python:", err)
		return 1
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		fmt.Fprintln(stderr, "python:", err)
		return 1
	}
	defer null.Close()

	fmt.Fprintf(stdout, "lines per side: %d (best of %d runs, timed inside each process)\n", *n, *runs)
	for _, sink := range []string{sinkDevNull, sinkDiscard} {
		best := map[string]time.Duration{}
		for range *runs {
			for _, s := range sides {
				d, err := s.measure(*n, sink, null)
				if err != nil {
					fmt.Fprintf(stderr, "python: %s: %v\n", s.name, err)
					return 1
				}
				if b, ok := best[s.name]; !ok || d < b {
					best[s.name] = d
				}
			}
		}
		rate := func(name string) float64 { return float64(*n) / best[name].Seconds() }
		py, ll := rate("python"), rate("livelog")
		verdict := "met"
		if ll/py < 20 {
			verdict = "MISSED"
		}
		fmt.Fprintf(stdout, "%s:\n", sinkText[sink])
		fmt.Fprintf(stdout, "  python3 logging:  %10.0f lines/s  (%.2f µs/line)\n", py, 1e6/py)
		fmt.Fprintf(stdout, "  livelog:          %10.0f lines/s  (%.2f µs/line)\n", ll, 1e6/ll)
		fmt.Fprintf(stdout, "  ratio livelog/python: %.1fx (goal >= 20x: %s)\n", ll/py, verdict)
	}
	return 0
}

// side is one program under measurement.
type side struct {
	name string
	cmd  func(n int, sink string) *exec.Cmd
}

// setup writes main.py and the two configs into dir.
func setup(dir string) ([]side, error) {
	py, err := exec.LookPath("python3")
	if err != nil {
		return nil, errors.New("python3 not found on PATH")
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	script := filepath.Join(dir, "main.py")
	pyINI := filepath.Join(dir, "python.ini")
	goINI := filepath.Join(dir, "livelog.ini")
	for path, text := range map[string][]byte{
		script: pythonMain,
		pyINI:  []byte(configINI("__main__.ColorFormatter")),
		goINI:  []byte(configINI("ColorFormatter")),
	} {
		if err := os.WriteFile(path, text, 0o644); err != nil {
			return nil, err
		}
	}
	return []side{
		{"python", func(n int, sink string) *exec.Cmd {
			return exec.Command(py, script, pyINI, strconv.Itoa(n), sink)
		}},
		{"livelog", func(n int, sink string) *exec.Cmd {
			c := exec.Command(self, goINI, strconv.Itoa(n), sink)
			c.Env = append(os.Environ(), childEnv+"=1")
			return c
		}},
	}, nil
}

// measure runs the side once with stdout to out and returns the time it
// reports.
func (s side) measure(n int, sink string, out io.Writer) (time.Duration, error) {
	c := s.cmd(n, sink)
	var errBuf bytes.Buffer
	c.Stdout, c.Stderr = out, &errBuf
	if err := c.Run(); err != nil {
		return 0, fmt.Errorf("%v\n%s", err, errBuf.String())
	}
	return parseSeconds(errBuf.String())
}

// parseSeconds reads the "seconds=<float>" line a side prints on stderr.
func parseSeconds(s string) (time.Duration, error) {
	for line := range strings.Lines(s) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "seconds="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 {
				return 0, fmt.Errorf("bad time %q", v)
			}
			return time.Duration(f * float64(time.Second)), nil
		}
	}
	return 0, fmt.Errorf("no seconds= line in %q", s)
}

// discardClass is python.DiscardHandler: it encodes every record with the
// handler's formatter and writes it to io.Discard.
var discardClass = logcfg.HandlerClass{
	Check: func(*logcfg.HandlerConfig) error { return nil },
	Open: func(h *logcfg.HandlerConfig, newEncoder logcfg.EncoderFunc) (logcfg.Output, error) {
		enc, err := newEncoder(nil)
		if err != nil {
			return logcfg.Output{}, err
		}
		return logcfg.Output{Core: zapcore.NewCore(enc, zapcore.AddSync(io.Discard), zapcore.DebugLevel)}, nil
	},
}

// child is the livelog side: args are CONFIG.ini N SINK, as for main.py.
// With the discard sink, the config's StreamHandler becomes a
// python.DiscardHandler.
func child(args []string, stderr io.Writer) int {
	if len(args) != 3 {
		fmt.Fprintln(stderr, "python child: want CONFIG.ini N SINK")
		return 2
	}
	n, err := strconv.Atoi(args[1])
	if err != nil {
		fmt.Fprintln(stderr, "python child:", err)
		return 2
	}
	text, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "python child:", err)
		return 1
	}
	if args[2] == sinkDiscard {
		logcfg.RegisterHandlerClass("python.DiscardHandler", discardClass)
		text = bytes.Replace(text, []byte("class=StreamHandler\n"), []byte("class=python.DiscardHandler\n"), 1)
		text = bytes.Replace(text, []byte("args=(sys.stdout,)"), []byte("args=()"), 1)
	}
	colorfmt.SetProcessName("MainProcess") // what Python's %(processName)s shows
	cfg, err := logcfg.Parse(bytes.NewReader(text), args[0])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	log := tree.Logger("bench.app")
	start := time.Now()
	emit(log, n)
	err = tree.Sync()
	seconds := time.Since(start).Seconds()
	if cerr := tree.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "python child:", err)
		return 1
	}
	fmt.Fprintf(stderr, "seconds=%.6f\n", seconds)
	return 0
}

// emit logs n lines; its name and file make %(module)s.%(funcName)s
// "main.emit", as in main.py.
func emit(log *zap.Logger, n int) {
	for range n {
		log.Info("request served", zap.Int("status", 200), zap.String("user", "alice"), zap.Duration("elapsed", 1500*time.Millisecond))
	}
}
