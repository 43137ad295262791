package logcfg

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg/handlers"
)

// HandlerClass makes the handlers of one class, e.g. "StreamHandler".
//
// Parse calls Check, so a config that parses has handlers whose arguments
// are known good; Tree.Apply calls Open for each handler it starts (and
// only those: a handler carried over from the running config is not
// checked again). A class must never accept in Check what Open then
// refuses for a reason Check could have seen.
type HandlerClass struct {
	// Check validates h.Args and h.Kwargs. It must not open anything.
	Check func(h *HandlerConfig) error
	// Open makes the running handler. newEncoder gives the handler's
	// formatter as an encoder for the file the handler writes to (nil when
	// it writes to something that is not a file); colour in "auto" mode
	// depends on it.
	Open func(h *HandlerConfig, newEncoder EncoderFunc) (Output, error)
}

// EncoderFunc builds a handler's encoder for the file it writes to (or nil).
type EncoderFunc = handlers.EncoderFunc

// Output is an opened handler: the core the tree writes the handler's
// records to (it should enable every level: the tree filters by the
// handler's level first), what closes it, and whether the handler itself
// uses the record's caller. Whether the formatter shows the caller the
// tree asks the encoder (an encoder with a UsesCaller() bool method, like
// colorfmt's, is asked; any other is taken to show it).
type Output = handlers.Output

// FormatterClass makes the encoders of one formatter class, e.g.
// "ColorFormatter".
type FormatterClass struct {
	// Check validates f (compiles the format, checks Extra keys). It must
	// not have side effects. Errors should say the column.
	Check func(f *FormatterConfig) error
	// New makes an encoder writing to out (nil when not a file).
	New func(f *FormatterConfig, out *os.File) (zapcore.Encoder, error)
}

// Registry is a set of handler and formatter classes by the names configs
// use. Parsing and applying use the registry they are given ([WithRegistry]),
// so what one part of a program registers never changes how another part
// reads a config. The zero value is not usable; make one with
// [NewRegistry]. A Registry is safe for concurrent use.
type Registry struct {
	mu         sync.RWMutex
	handlers   map[string]HandlerClass
	formatters map[string]FormatterClass
}

// NewRegistry returns a registry of livelog's built-in classes (see
// package [handlers] and the formatter classes in the package doc).
func NewRegistry() *Registry {
	r := &Registry{handlers: map[string]HandlerClass{}, formatters: builtinFormatters()}
	for name, c := range handlers.Builtins() {
		r.handlers[name] = adapt(c)
	}
	return r
}

// adapt makes a built-in class one of the registry's.
func adapt(c handlers.Class) HandlerClass {
	return HandlerClass{
		Check: func(h *HandlerConfig) error { return c.Check(argsOf(h)) },
		Open:  func(h *HandlerConfig, enc EncoderFunc) (Output, error) { return c.Open(argsOf(h), enc) },
	}
}

func argsOf(h *HandlerConfig) handlers.Args {
	return handlers.Args{Class: h.Class, Args: h.Args, Kwargs: h.Kwargs}
}

// defaultRegistry is what Parse and NewTree use without WithRegistry.
var defaultRegistry = NewRegistry()

// DefaultRegistry is the registry Parse, ParseFile, ParseJSON and NewTree
// use when no [WithRegistry] option is given: the built-ins plus what
// [RegisterHandlerClass] and [RegisterFormatterClass] added.
func DefaultRegistry() *Registry { return defaultRegistry }

// RegisterHandlerClass adds a handler class to the default registry; see
// [Registry.RegisterHandlerClass].
func RegisterHandlerClass(name string, c HandlerClass) { defaultRegistry.RegisterHandlerClass(name, c) }

// RegisterFormatterClass adds a formatter class to the default registry;
// see [Registry.RegisterFormatterClass].
func RegisterFormatterClass(name string, c FormatterClass) {
	defaultRegistry.RegisterFormatterClass(name, c)
}

// RegisterHandlerClass makes a handler class available to configs under
// name. Names are matched as Python resolves them: "StreamHandler",
// "logging.StreamHandler" and "handlers.StreamHandler" all find a class
// registered as "StreamHandler"; a dotted name registered as such (e.g.
// "myapp.AuditHandler") is matched exactly. Registering a name twice
// replaces the class. It panics if Check or Open is nil.
func (r *Registry) RegisterHandlerClass(name string, c HandlerClass) {
	if c.Check == nil || c.Open == nil {
		panic("logcfg: RegisterHandlerClass " + name + ": nil Check or Open")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[name] = c
}

// RegisterFormatterClass makes a formatter class available to configs
// under name, matched like handler classes. It panics if Check or New is
// nil.
func (r *Registry) RegisterFormatterClass(name string, c FormatterClass) {
	if c.Check == nil || c.New == nil {
		panic("logcfg: RegisterFormatterClass " + name + ": nil Check or New")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.formatters[name] = c
}

// HandlerClass finds a handler class by a config's class name.
func (r *Registry) HandlerClass(name string) (HandlerClass, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if c, ok := lookup(r.handlers, name); ok {
		return c, nil
	}
	return HandlerClass{}, unknownClass(name, r.handlers, unsupportedHandlers, "RegisterHandlerClass")
}

// FormatterClass finds a formatter class by a config's class name; "" is
// logging.Formatter.
func (r *Registry) FormatterClass(name string) (FormatterClass, error) {
	if name == "" {
		name = "Formatter"
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if c, ok := lookup(r.formatters, name); ok {
		return c, nil
	}
	return FormatterClass{}, unknownClass(name, r.formatters, nil, "RegisterFormatterClass")
}

// unsupportedHandlers are Python's handler classes livelog does not run,
// with why; they are not listed as known.
var unsupportedHandlers = map[string]string{
	"TimedRotatingFileHandler": "not supported by livelog yet",
	"MemoryHandler":            "not supported by livelog",
	"BufferingHandler":         "not supported by livelog",
	"QueueHandler":             "not supported by livelog: it needs a Python queue object, which a Go program does not have",
	"QueueListener":            "not supported by livelog: it needs a Python queue object, which a Go program does not have",
	"NTEventLogHandler":        "not supported by livelog",
}

func unknownClass[C any](name string, known map[string]C, unsupported map[string]string, register string) error {
	if why, ok := lookup(unsupported, name); ok {
		return fmt.Errorf("%w %q: %s (use one of: %s)", ErrUnknownClass, clip(name), why, strings.Join(keys(known), ", "))
	}
	return fmt.Errorf("%w %q (known: %s; a program adds its own with logcfg.%s)",
		ErrUnknownClass, clip(name), strings.Join(keys(known), ", "), register)
}

// className is the last dotted component of a class name, as the resolved
// view shows it: "logging.handlers.RotatingFileHandler" → "RotatingFileHandler".
func className(class string) string {
	class = strings.TrimSpace(class)
	if i := strings.LastIndexByte(class, '.'); i >= 0 {
		return class[i+1:]
	}
	return class
}

func lookup[C any](m map[string]C, name string) (C, bool) {
	name = strings.TrimSpace(name)
	if c, ok := m[name]; ok {
		return c, true
	}
	for _, prefix := range []string{"logging.handlers.", "logging.", "handlers."} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			if c, ok := m[rest]; ok {
				return c, true
			}
		}
	}
	var zero C
	return zero, false
}

func keys[C any](m map[string]C) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// RegistryOption selects the [Registry] that parsing and a tree use; it
// is both a [ParseOption] and a [TreeOption].
type RegistryOption struct{ r *Registry }

// WithRegistry makes Parse (ParseFile, ParseJSON, ParsePayload) and
// NewTree use r instead of [DefaultRegistry]. It panics if r is nil.
func WithRegistry(r *Registry) RegistryOption {
	if r == nil {
		panic("logcfg: WithRegistry(nil)")
	}
	return RegistryOption{r}
}

func (o RegistryOption) applyParseOption(p *parseOptions) { p.registry = o.r }
func (o RegistryOption) applyTreeOption(t *Tree)          { t.registry = o.r }
