package logcfg

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"go.uber.org/zap/zapcore"
)

// state is one immutable generation of a tree: the config it runs and the
// handlers opened for it. Writers reach it through Tree.acquire, which
// counts them, so that outputs are closed only when no write can reach
// them any more.
type state struct {
	gen        uint64
	cfg        *Config
	loggers    map[string]*loggerState
	handlers   map[string]*handler
	needCaller bool
	refs       atomic.Int64
}

type loggerState struct {
	level     zapcore.Level
	handlers  []*handler
	propagate bool
}

// handler is a running handler in one state; its output may be shared
// with the states before and after it.
type handler struct {
	key   string
	level zapcore.Level
	out   *output
}

// output is an opened handler output, identified by everything that went
// into opening it, so an unchanged handler is carried from one state to
// the next instead of being reopened.
type output struct {
	ident   string
	core    zapcore.Core
	close   func() error
	errs    atomic.Int64
	lastErr atomic.Pointer[string]
}

func (o *output) fail(err error) int64 {
	msg := err.Error()
	o.lastErr.Store(&msg)
	return o.errs.Add(1)
}

// drain waits until no write holds a reference to s, for at most limit
// (0: no limit), and says whether none does. Writers hold one only for the
// length of one write, and no new writer can take one once s is no longer
// current, so this normally ends within microseconds.
func (s *state) drain(limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for wait := time.Microsecond; s.refs.Load() != 0; {
		if limit > 0 && time.Now().After(deadline) {
			return false
		}
		time.Sleep(wait)
		if wait < time.Millisecond {
			wait *= 2
		}
	}
	return true
}

// drainAll drains every state in turn within one overall limit (0: no
// limit) and says whether all were drained.
func drainAll(states []*state, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for _, s := range states {
		left := time.Until(deadline)
		if limit > 0 && left <= 0 {
			return false
		}
		if limit == 0 {
			left = 0
		}
		if !s.drain(left) {
			return false
		}
	}
	return true
}

// effective is name's effective level in s: its own, or the nearest
// configured ancestor's, or the root's.
func (s *state) effective(name string) zapcore.Level {
	for n := name; ; n = parentName(n) {
		if l := s.loggers[n]; l != nil && (l.level != NotSet || n == "root") {
			return l.level
		}
		if n == "root" {
			return zapcore.WarnLevel
		}
	}
}

// route lists the handlers a record logged through name reaches: its own,
// then its ancestors' until one has propagate=0.
func (s *state) route(name string) []*handler {
	var hs []*handler
	for n := name; ; n = parentName(n) {
		if l := s.loggers[n]; l != nil {
			hs = append(hs, l.handlers...)
			if !l.propagate {
				break
			}
		}
		if n == "root" {
			break
		}
	}
	return hs
}

// parentName is the dotted parent of name; the root is the parent of
// every top-level name.
func parentName(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return "root"
}

// outputs lists the distinct outputs of s.
func (s *state) outputs() map[*output]string {
	m := make(map[*output]string, len(s.handlers))
	for k, h := range s.handlers {
		m[h.out] = k
	}
	return m
}

// callerAttrs are the format attributes that need the caller's frame.
var callerAttrs = []string{"module", "funcName", "filename", "pathname", "lineno"}

// buildState opens what cfg needs, carrying over unchanged outputs from
// prev (which may be nil). It returns the outputs it opened, so that the
// caller can close them if the state is never published; on error it has
// closed them itself.
func buildState(cfg *Config, prev *state) (*state, []*output, error) {
	if err := validateRefs(cfg); err != nil {
		return nil, nil, err
	}
	s := &state{cfg: cfg, loggers: map[string]*loggerState{}, handlers: map[string]*handler{}}
	carried := map[string]*output{}
	if prev != nil {
		for o := range prev.outputs() {
			carried[o.ident] = o
		}
	}
	formatters := formattersByKey(cfg)
	var opened []*output
	fail := func(err error) (*state, []*output, error) {
		closeOutputs(opened)
		return nil, nil, err
	}
	for i := range cfg.Handlers {
		hc := &cfg.Handlers[i]
		fc := formatters[hc.Formatter]
		if fc == nil {
			fc = &FormatterConfig{Key: "", Format: "%(message)s", Style: "%"}
		}
		if needsCaller(hc, fc) {
			s.needCaller = true
		}
		ident := outputIdent(hc, fc)
		o := carried[ident]
		if o == nil {
			var err error
			if o, err = openOutput(hc, fc, ident); err != nil {
				return fail(err)
			}
			opened = append(opened, o)
		}
		s.handlers[hc.Key] = &handler{key: hc.Key, level: hc.Level, out: o}
	}
	for _, l := range cfg.Loggers {
		ls := &loggerState{level: l.Level, propagate: l.Propagate}
		for _, k := range l.Handlers {
			ls.handlers = append(ls.handlers, s.handlers[k])
		}
		s.loggers[l.Name] = ls
	}
	if s.loggers["root"] == nil {
		s.loggers["root"] = &loggerState{level: zapcore.WarnLevel, propagate: true}
	}
	return s, opened, nil
}

func needsCaller(hc *HandlerConfig, fc *FormatterConfig) bool {
	switch ClassName(hc.Class) {
	case "StreamHandler", "FileHandler", "RotatingFileHandler", "WatchedFileHandler", "NullHandler", "SysLogHandler", "SystemdHandler":
	default:
		return true // other classes (journald, custom) may use the caller
	}
	switch ClassName(fc.Class) {
	case "", "Formatter", "ColorFormatter":
	default:
		return true
	}
	for _, a := range callerAttrs {
		if strings.Contains(fc.Format, a) {
			return true
		}
	}
	return false
}

// outputIdent is everything that goes into opening a handler's output:
// key, class, arguments and formatter (not the level).
func outputIdent(hc *HandlerConfig, fc *FormatterConfig) string {
	b := make([]byte, 0, 256)
	b = strconv.AppendQuote(b, hc.Key)
	b = strconv.AppendQuote(b, hc.Class)
	b = appendValues(b, hc.Args)
	b = appendDict(b, hc.Kwargs)
	b = append(b, '|')
	b = strconv.AppendQuote(b, fc.Class)
	b = strconv.AppendQuote(b, fc.Format)
	b = strconv.AppendQuote(b, fc.Datefmt)
	b = strconv.AppendBool(b, fc.HasDatefmt)
	b = strconv.AppendQuote(b, fc.Style)
	for _, k := range sortedKeys(fc.Extra) {
		b = strconv.AppendQuote(b, k)
		b = strconv.AppendQuote(b, fc.Extra[k])
	}
	return string(b)
}

func appendValues(b []byte, vs []Value) []byte {
	b = append(b, '(')
	for _, v := range vs {
		b = appendValue(b, v)
	}
	return append(b, ')')
}

func appendDict(b []byte, d map[string]Value) []byte {
	b = append(b, '{')
	for _, k := range sortedKeys(d) {
		b = strconv.AppendQuote(b, k)
		b = appendValue(b, d[k])
	}
	return append(b, '}')
}

// appendValue writes v unambiguously: its kind, then its content.
func appendValue(b []byte, v Value) []byte {
	b = append(b, 'a'+byte(v.Kind))
	switch v.Kind {
	case KindBool:
		b = strconv.AppendBool(b, v.Bool)
	case KindInt:
		b = strconv.AppendInt(b, v.Int, 10)
	case KindFloat:
		b = strconv.AppendFloat(b, v.Float, 'g', -1, 64)
	case KindString, KindStream:
		b = strconv.AppendQuote(b, v.Str)
	case KindTuple:
		b = appendValues(b, v.Items)
	case KindDict:
		b = appendDict(b, v.Dict)
	}
	return append(b, ',')
}

func openOutput(hc *HandlerConfig, fc *FormatterConfig, ident string) (*output, error) {
	where := func(err error) error {
		return &Error{File: hc.Pos.File, Line: hc.Pos.Line, Section: hc.Pos.Section, Err: err}
	}
	hclass, err := LookupHandlerClass(hc.Class)
	if err != nil {
		return nil, where(err)
	}
	fclass, err := LookupFormatterClass(fc.Class)
	if err != nil {
		return nil, where(err)
	}
	if err := hclass.Check(hc); err != nil {
		return nil, where(err)
	}
	if err := fclass.Check(fc); err != nil {
		return nil, where(err)
	}
	newEnc := func(out *os.File) (zapcore.Encoder, error) { return fclass.New(fc, out) }
	out, err := hclass.Open(hc, newEnc)
	if err != nil {
		// A class that says ErrOpen itself has said what failed; the
		// section names the handler.
		if !errors.Is(err, ErrOpen) {
			err = fmt.Errorf("%w %q (%s): %w", ErrOpen, hc.Key, ClassName(hc.Class), err)
		}
		return nil, where(err)
	}
	if out.Core == nil {
		if out.Close != nil {
			_ = out.Close()
		}
		return nil, where(fmt.Errorf("%w: handler %q: class %q opened no core", ErrOpen, hc.Key, hc.Class))
	}
	return &output{ident: ident, core: out.Core, close: out.Close}, nil
}

// validateRefs checks what Parse guarantees, for hand-built configs.
func validateRefs(cfg *Config) error {
	if cfg == nil {
		return errors.New("logcfg: nil config")
	}
	hs := map[string]bool{}
	for _, h := range cfg.Handlers {
		if hs[h.Key] {
			return &Error{File: h.Pos.File, Line: h.Pos.Line, Section: h.Pos.Section,
				Err: fmt.Errorf("%w: handler %q is defined twice", ErrDuplicate, h.Key)}
		}
		hs[h.Key] = true
	}
	fs := map[string]bool{}
	for _, f := range cfg.Formatters {
		if fs[f.Key] {
			return &Error{File: f.Pos.File, Line: f.Pos.Line, Section: f.Pos.Section,
				Err: fmt.Errorf("%w: formatter %q is defined twice", ErrDuplicate, f.Key)}
		}
		fs[f.Key] = true
	}
	for _, h := range cfg.Handlers {
		if h.Formatter != "" && !fs[h.Formatter] {
			return &Error{File: h.Pos.File, Line: h.Pos.Line, Section: h.Pos.Section, Key: "formatter",
				Err: fmt.Errorf("%w: formatter %q is not defined", ErrUndefined, h.Formatter)}
		}
	}
	names := map[string]bool{}
	for _, l := range cfg.Loggers {
		if names[l.Name] {
			return &Error{File: l.Pos.File, Line: l.Pos.Line, Section: l.Pos.Section,
				Err: fmt.Errorf("%w: logger %q is configured twice", ErrDuplicate, l.Name)}
		}
		names[l.Name] = true
		for _, k := range l.Handlers {
			if !hs[k] {
				return &Error{File: l.Pos.File, Line: l.Pos.Line, Section: l.Pos.Section, Key: "handlers",
					Err: fmt.Errorf("%w: handler %q is not defined", ErrUndefined, k)}
			}
		}
	}
	return nil
}

func closeOutputs(os []*output) error {
	var errs []error
	for _, o := range os {
		if o.close != nil {
			if err := o.close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// validate checks a config given to Apply as Parse would have: levels,
// duplicates, references, classes and their arguments. A config from
// Parse passes; one built by hand gets the same errors. An incremental
// config names only levels, so only those are checked.
func validate(cfg *Config) error {
	if cfg == nil {
		return errors.New("logcfg: Apply: nil config")
	}
	at := func(p Pos, key string, err error) error {
		return &Error{File: p.File, Line: p.Line, Section: p.Section, Key: key, Err: err}
	}
	badLevel := func(l zapcore.Level) error {
		if l < NotSet || l > zapcore.FatalLevel {
			return fmt.Errorf("%w %d (want a level from NOTSET to CRITICAL)", ErrBadLevel, int(l))
		}
		return nil
	}
	for _, l := range cfg.Loggers {
		if err := badLevel(l.Level); err != nil {
			return at(l.Pos, "level", fmt.Errorf("logger %q: %w", l.Name, err))
		}
		if l.Name == "" {
			return at(l.Pos, "qualname", fmt.Errorf("%w: logger %q has no name (the root is \"root\")", ErrMissingKey, l.Key))
		}
	}
	for _, h := range cfg.Handlers {
		if err := badLevel(h.Level); err != nil {
			return at(h.Pos, "level", fmt.Errorf("handler %q: %w", h.Key, err))
		}
	}
	if cfg.Incremental {
		return nil
	}
	if err := validateRefs(cfg); err != nil {
		return err
	}
	for i := range cfg.Formatters {
		f := &cfg.Formatters[i]
		fc, err := LookupFormatterClass(f.Class)
		if err == nil {
			err = fc.Check(f)
		}
		if err != nil {
			return classError(f.Pos, "class", err)
		}
	}
	for i := range cfg.Handlers {
		h := &cfg.Handlers[i]
		hc, err := LookupHandlerClass(h.Class)
		if err == nil {
			err = hc.Check(h)
		}
		if err != nil {
			return classError(h.Pos, "class", err)
		}
	}
	return nil
}

// classError places a class's error at p, keeping the key the class named.
func classError(p Pos, key string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		if e.File != "" || e.Line != 0 || e.Section != "" {
			return err
		}
		c := *e
		c.File, c.Line, c.Section = p.File, p.Line, p.Section
		return &c
	}
	return &Error{File: p.File, Line: p.Line, Section: p.Section, Key: key, Err: err}
}
