package bench_test

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livelog/livelog/colorfmt"
	"github.com/livelog/livelog/logcfg"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// colorFormat is the format both sides render (the colorfmt issue's).
const colorFormat = `$YELLOW%(asctime)s $RESET- $MAGENTA%(module)s.%(funcName)s $RESET- $GREEN%(processName)s $RESET- $COLOR%(levelname)s $RESET- %(message)s`

// processName is what %(processName)s renders, and zap's "process" field.
const processName = "MainProcess"

// The call both sides make.
const message = "request served"

func fields() (zap.Field, zap.Field, zap.Field) {
	return zap.Int("status", 200), zap.String("user", "alice"), zap.Duration("elapsed", 1500*time.Millisecond)
}

// discardClass is "bench.DiscardHandler": it encodes every record with the
// handler's formatter and writes it to io.Discard, so the livelog side does
// all the work zap's side does (NullHandler would skip the encoding).
var discardClass = logcfg.HandlerClass{
	Check: func(h *logcfg.HandlerConfig) error {
		if len(h.Args) > 0 || len(h.Kwargs) > 0 {
			return fmt.Errorf("bench: handler %q: bench.DiscardHandler takes no arguments", h.Key)
		}
		return nil
	},
	Open: func(h *logcfg.HandlerConfig, newEncoder logcfg.EncoderFunc) (logcfg.Output, error) {
		enc, err := newEncoder(nil)
		if err != nil {
			return logcfg.Output{}, err
		}
		core := zapcore.NewCore(enc, zapcore.AddSync(io.Discard), zap.LevelEnablerFunc(func(zapcore.Level) bool { return true }))
		return logcfg.Output{Core: core}, nil
	},
}

// registry is the built-in classes plus bench.DiscardHandler: a value,
// never the default registry.
var registry = func() *logcfg.Registry {
	r := logcfg.NewRegistry()
	r.RegisterHandlerClass("bench.DiscardHandler", discardClass)
	return r
}()

var registerOnce sync.Once

func register() {
	registerOnce.Do(func() { colorfmt.SetProcessName(processName) })
}

// benchINI is the livelog side: logger bench.app at INFO writing through a
// discard handler with the colour format. otherLevel and handlerLevel vary
// between the two configs the apply benchmarks alternate; neither turns
// bench.app's INFO lines off.
func benchINI(otherLevel, handlerLevel string) string {
	return iniWith("bench.DiscardHandler", "()", otherLevel, handlerLevel)
}

// iniWith is benchINI with another handler class and args.
func iniWith(class, args, otherLevel, handlerLevel string) string {
	return `[loggers]
keys=root,app,other

[handlers]
keys=discard

[formatters]
keys=color

[logger_root]
level=WARNING
handlers=

[logger_app]
level=INFO
handlers=discard
qualname=bench.app
propagate=0

[logger_other]
level=` + otherLevel + `
handlers=discard
qualname=bench.other
propagate=0

[handler_discard]
class=` + class + `
level=` + handlerLevel + `
formatter=color
args=` + args + `

[formatter_color]
class=ColorFormatter
format=` + colorFormat + `
color=always
`
}

func parse(tb testing.TB, text string) *logcfg.Config {
	tb.Helper()
	cfg, err := logcfg.Parse(strings.NewReader(text), "bench.ini", logcfg.WithRegistry(registry))
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return cfg
}

// newTree builds a tree running text; it is closed when tb ends.
func newTree(tb testing.TB, text string) *logcfg.Tree {
	tb.Helper()
	register()
	tree, err := logcfg.NewTree(parse(tb, text), logcfg.WithRegistry(registry))
	if err != nil {
		tb.Fatalf("NewTree: %v", err)
	}
	tb.Cleanup(func() { _ = tree.Close() })
	return tree
}

// livelogLogger is the livelog side of BenchmarkInfo.
func livelogLogger(tb testing.TB) (*logcfg.Tree, *zap.Logger) {
	tree := newTree(tb, benchINI("WARNING", "NOTSET"))
	return tree, tree.Logger("bench.app")
}

// zapEncoderConfig carries what the colour format shows: time, level in
// colour, caller with its function, the message; the logger name and the
// process name come as the name key and a field.
func zapEncoderConfig() zapcore.EncoderConfig {
	return zapcore.EncoderConfig{
		TimeKey:        "T",
		LevelKey:       "L",
		NameKey:        "N",
		CallerKey:      "C",
		FunctionKey:    "F",
		MessageKey:     "M",
		StacktraceKey:  "S",
		LineEnding:     zapcore.DefaultLineEnding,
		EncodeLevel:    zapcore.CapitalColorLevelEncoder,
		EncodeTime:     zapcore.ISO8601TimeEncoder,
		EncodeDuration: zapcore.StringDurationEncoder,
		EncodeCaller:   zapcore.ShortCallerEncoder,
	}
}

// zapLogger is the zap side: the console encoder to w at INFO, with the
// caller, named bench.app, with the process name as a field.
func zapLogger(w io.Writer) *zap.Logger {
	core := zapcore.NewCore(zapcore.NewConsoleEncoder(zapEncoderConfig()), zapcore.AddSync(w), zapcore.InfoLevel)
	return zap.New(core, zap.AddCaller()).Named("bench.app").With(zap.String("process", processName))
}
