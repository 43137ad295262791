package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg"
)

// loadConfig reads FILE and parses it as a listener parses a pushed payload
// (logcfg.ParsePayload: "{" first is a JSON dictConfig, "[" INI, anything
// else a YAML dictConfig), with the --default values and any extra options
// (check --python's logcfg.WithPythonCheck). Parsing opens no file a
// handler names.
func loadConfig(o *options, extra ...logcfg.ParseOption) (text []byte, cfg *logcfg.Config, err error) {
	text, err = os.ReadFile(o.file)
	if err != nil {
		return nil, nil, fmt.Errorf("pushcfg: %w", err)
	}
	popts := []logcfg.ParseOption{logcfg.WithRegistry(classRegistry(o.classes))}
	if len(o.defaults) > 0 {
		popts = append(popts, logcfg.WithDefaults(o.defaults))
	}
	cfg, err = logcfg.ParsePayload(text, o.file, append(popts, extra...)...)
	if err != nil {
		return nil, nil, err
	}
	return text, cfg, nil
}

// runCheck is `pushcfg check FILE`. With --python it also lists what
// CPython's logging.config would reject (logcfg.WithPythonCheck), after
// the tree ("python: " lines) or in the JSON's "python" list, and exits 1
// if there is anything.
func runCheck(o *options, stdout, stderr io.Writer) int {
	var diffs []logcfg.Warning
	var extra []logcfg.ParseOption
	if o.python {
		extra = append(extra, logcfg.WithPythonCheck(&diffs))
	}
	_, cfg, err := loadConfig(o, extra...)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	res := cfg.Resolve()
	code := exitOK
	if len(diffs) > 0 {
		code = exitFailed
	}
	if o.json {
		if !o.python {
			writeJSON(stdout, res)
			return exitOK
		}
		py := make([]string, 0, len(diffs))
		for _, d := range diffs {
			py = append(py, d.String())
		}
		writeJSON(stdout, struct {
			logcfg.Resolved
			Python []string `json:"python"`
		}{res, py})
		return code
	}
	if !o.quiet {
		writeTree(stdout, res)
	}
	for _, d := range diffs {
		fmt.Fprintf(stdout, "python: %s\n", d)
	}
	if o.python && !o.quiet && len(diffs) == 0 {
		fmt.Fprintln(stdout, "python: CPython's logging.config would load it too")
	}
	return code
}

// writeTree prints a resolved view for people: the logger hierarchy with
// each logger's level and handlers, then the handlers and formatters.
func writeTree(w io.Writer, r logcfg.Resolved) {
	names := make([]string, 0, len(r.Loggers))
	for n := range r.Loggers {
		if n != "root" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	names = append([]string{"root"}, names...)

	fmt.Fprintln(w, "loggers:")
	var t table
	for _, n := range names {
		l, ok := r.Loggers[n]
		if !ok {
			continue
		}
		label := strings.Repeat("  ", depth(n, r.Loggers)) + n
		level := l.Effective
		if l.Level != l.Effective {
			level += " (inherited)"
		}
		extra := ""
		if !l.Propagate {
			extra = "propagate=0"
		}
		t.add(plain("  "+label), plain(level), plain("→ "+orNone(strings.Join(l.Handlers, ", "))), plain(extra))
	}
	t.write(w, false)

	if len(r.Handlers) > 0 {
		fmt.Fprintln(w, "handlers:")
		t = table{}
		for _, k := range sortedKeys(r.Handlers) {
			h := r.Handlers[k]
			t.add(plain("  "+k), plain(h.Class), plain(h.Level), plain("formatter="+orNone(h.Formatter)))
		}
		t.write(w, false)
	}
	if len(r.Formatters) > 0 {
		fmt.Fprintln(w, "formatters:")
		t = table{}
		for _, k := range sortedKeys(r.Formatters) {
			f := r.Formatters[k]
			datefmt := ""
			if f.Datefmt != nil {
				datefmt = "datefmt=" + fmt.Sprintf("%q", *f.Datefmt)
			}
			t.add(plain("  "+k), plain(fmt.Sprintf("%q", f.Format)), plain(datefmt))
		}
		t.write(w, false)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}

// depth is how far n sits below root in the tree drawn: one level per
// configured ancestor, so "app.db" sits under "app" only if app is there.
func depth[V any](n string, loggers map[string]V) int {
	if n == "root" {
		return 0
	}
	d := 1
	for i := range len(n) {
		if n[i] == '.' {
			if _, ok := loggers[n[:i]]; ok {
				d++
			}
		}
	}
	return d
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// classRegistry is livelog's built-in classes plus, for each --class
// name, a stand-in for a class of the program's own: pushcfg cannot run
// the program's code, so such a class's arguments are checked by the
// listener that has it, not here. Nothing pushcfg parses is ever opened.
func classRegistry(names []string) *logcfg.Registry {
	reg := logcfg.NewRegistry()
	for _, name := range names {
		reg.RegisterHandlerClass(name, logcfg.HandlerClass{
			Check: func(*logcfg.HandlerConfig) error { return nil },
			Open: func(*logcfg.HandlerConfig, logcfg.EncoderFunc) (logcfg.Output, error) {
				return logcfg.Output{}, fmt.Errorf("pushcfg: %q is a stand-in for the program's own class", name)
			},
		})
		reg.RegisterFormatterClass(name, logcfg.FormatterClass{
			Check: func(*logcfg.FormatterConfig) error { return nil },
			New: func(*logcfg.FormatterConfig, *os.File) (zapcore.Encoder, error) {
				return nil, fmt.Errorf("pushcfg: %q is a stand-in for the program's own class", name)
			},
		})
	}
	return reg
}
