package logcfg

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"go.uber.org/zap/zapcore"
)

// HandlerClass makes the handlers of one class, e.g. "StreamHandler".
//
// Parse calls Check, so a config that parses has handlers whose arguments
// are known good; Tree.Apply calls Open. A class must never accept in Check
// what Open then refuses for a reason Check could have seen.
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
type EncoderFunc func(out *os.File) (zapcore.Encoder, error)

// Output is an opened handler.
type Output struct {
	// Core writes every entry it is given: the tree filters by the
	// handler's level before calling it, so Core should enable all levels.
	Core zapcore.Core
	// Close releases what Open acquired; nil if nothing. The tree calls it
	// once, after no write can reach Core any more.
	Close func() error
}

// FormatterClass makes the encoders of one formatter class, e.g.
// "ColorFormatter".
type FormatterClass struct {
	// Check validates f (compiles the format, checks Extra keys). It must
	// not have side effects. Errors should say the column.
	Check func(f *FormatterConfig) error
	// New makes an encoder writing to out (nil when not a file).
	New func(f *FormatterConfig, out *os.File) (zapcore.Encoder, error)
}

var registry = struct {
	sync.RWMutex
	handlers   map[string]HandlerClass
	formatters map[string]FormatterClass
}{handlers: map[string]HandlerClass{}, formatters: map[string]FormatterClass{}}

// RegisterHandlerClass makes a handler class available to configs under
// name. Names are matched as Python resolves them: "StreamHandler",
// "logging.StreamHandler" and "handlers.StreamHandler" all find a class
// registered as "StreamHandler"; a dotted name registered as such (e.g.
// "myapp.AuditHandler") is matched exactly. Registering a name twice
// replaces the class. It panics if Check or Open is nil.
func RegisterHandlerClass(name string, c HandlerClass) {
	if c.Check == nil || c.Open == nil {
		panic("logcfg: RegisterHandlerClass " + name + ": nil Check or Open")
	}
	registry.Lock()
	defer registry.Unlock()
	registry.handlers[name] = c
}

// RegisterFormatterClass makes a formatter class available to configs
// under name, matched like handler classes. It panics if Check or New is
// nil.
func RegisterFormatterClass(name string, c FormatterClass) {
	if c.Check == nil || c.New == nil {
		panic("logcfg: RegisterFormatterClass " + name + ": nil Check or New")
	}
	registry.Lock()
	defer registry.Unlock()
	registry.formatters[name] = c
}

// LookupHandlerClass finds a registered handler class by a config's class
// name.
func LookupHandlerClass(name string) (HandlerClass, error) {
	registry.RLock()
	defer registry.RUnlock()
	if c, ok := lookup(registry.handlers, name); ok {
		return c, nil
	}
	return HandlerClass{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownClass, name, strings.Join(keys(registry.handlers), ", "))
}

// LookupFormatterClass finds a registered formatter class by a config's
// class name; "" is logging.Formatter.
func LookupFormatterClass(name string) (FormatterClass, error) {
	if name == "" {
		name = "Formatter"
	}
	registry.RLock()
	defer registry.RUnlock()
	if c, ok := lookup(registry.formatters, name); ok {
		return c, nil
	}
	return FormatterClass{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownClass, name, strings.Join(keys(registry.formatters), ", "))
}

// ClassName is the last dotted component of a class name, as the resolved
// view shows it: "logging.handlers.RotatingFileHandler" → "RotatingFileHandler".
func ClassName(class string) string {
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
	sort.Strings(out)
	return out
}
