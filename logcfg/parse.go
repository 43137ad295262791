package logcfg

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/livelog/livelog/internal/ini"
	"github.com/livelog/livelog/internal/pylit"
	"go.uber.org/zap/zapcore"
)

// ParseOption configures Parse, ParseFile and ParsePayload.
type ParseOption interface{ applyParseOption(*parseOptions) }

type parseOptions struct {
	defaults map[string]string
	registry *Registry // nil: DefaultRegistry
	// defaultsClash names two caller defaults that are one key to
	// configparser (they differ only in case), which Python refuses.
	defaultsClash [2]string
	// python, when set, receives what CPython would reject
	// (WithPythonCheck).
	python *[]Warning
	// work, when set, receives the work a parse of INI did (see
	// iniParser.work); tests use it to check that work is linear.
	work *int
}

// classes is the registry the options name, or the default one.
func (o *parseOptions) classes() *Registry {
	if o.registry != nil {
		return o.registry
	}
	return defaultRegistry
}

type defaultsOption map[string]string

func (d defaultsOption) applyParseOption(o *parseOptions) {
	if o.defaults == nil {
		o.defaults = map[string]string{}
	}
	from := make(map[string]string, len(d))
	for _, k := range sortedKeys(d) {
		lk := strings.ToLower(k)
		if other, dup := from[lk]; dup && o.defaultsClash[0] == "" {
			o.defaultsClash = [2]string{other, k}
		}
		from[lk] = k
		o.defaults[lk] = d[k]
	}
}

// WithDefaults supplies interpolation defaults, like the defaults argument
// of Python's fileConfig (e.g. {"here": "/srv/app"} for %(here)s). Keys are
// case-insensitive, so two keys that differ only in case are an error, as
// Python's configparser raises DuplicateOptionError for them; a file's own
// [DEFAULT] keys take precedence. The values
// themselves are interpolated only where a value refers to them, so values
// containing "%(" do no harm (CPython bpo-33802).
func WithDefaults(d map[string]string) ParseOption {
	c := make(defaultsOption, len(d))
	for k, v := range d {
		c[k] = v
	}
	return c
}

// Parse reads a fileConfig INI config, exactly as Python's
// logging.config.fileConfig reads it, and validates it whole: every
// section and key fileConfig needs, every level, every reference between
// sections, every args/kwargs literal, and every handler and formatter
// class (through its registered Check). name is used in error messages.
//
// A config that Python would reject is rejected with an error that names
// the file, line, section and key; several problems are joined with
// errors.Join, the first (earliest in the file) first. What Python would
// silently ignore is accepted and listed in Config.Warnings.
//
// A config must be valid UTF-8 (it may start with a BOM); one that is not
// is rejected with an error wrapping [ErrEncoding] that names the line and
// byte offset of the first bad byte. No byte is ever replaced. The text of
// any error is at most [MaxErrorText] bytes.
func Parse(r io.Reader, name string, opts ...ParseOption) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("logcfg: reading %s: %w", name, err)
	}
	return parseINI(data, name, opts)
}

// ParseFile reads a config file, picking the format by the extension:
// .json is a JSON dictConfig ([ParseJSON]), .yaml and .yml a YAML one
// ([ParseYAML]), any other a fileConfig INI file ([Parse]).
func ParseFile(path string, opts ...ParseOption) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("logcfg: %w", err)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return ParseJSON(data, path, opts...)
	case ".yaml", ".yml":
		return ParseYAML(data, path, opts...)
	}
	return parseINI(data, path, opts)
}

// Keys fileConfig reads from each kind of section; other keys are ignored
// by Python and reported as warnings.
var (
	loggerKeys    = []string{"level", "handlers", "qualname", "propagate"}
	handlerKeys   = []string{"class", "level", "formatter", "args", "kwargs", "target"}
	formatterKeys = []string{"format", "datefmt", "style", "class"}
	// livelogFormatterKeys are read by livelog's formatter classes (into
	// FormatterConfig.Extra) and are not warned about.
	livelogFormatterKeys = []string{"color", "oneline", "defaults"}
)

// defaultFormats are Python's formats for a formatter without format=, by
// style.
var defaultFormats = map[string]string{"%": "%(message)s", "{": "{message}", "$": "${message}"}

// iniParser turns an ini.Doc into a Config, collecting every problem.
type iniParser struct {
	reg   *Registry
	doc   *ini.Doc
	scope *ini.Scope
	cfg   *Config
	errs  []error
	// used are the sections fileConfig reads; the others are warned about.
	used map[string]bool
	// formatterSet and handlerSet are [formatters] and [handlers] keys=
	// as sets.
	formatterSet, handlerSet map[string]bool
	// steps counts the items the checks visit (names in lists, keys,
	// sections); with the bytes read and the interpolation's steps it is
	// the parse's work, which must grow linearly with the input.
	steps int
	// warnOmitted counts the warnings past maxWarnings.
	warnOmitted int
	// python receives what CPython would reject, or is nil.
	python *[]Warning
}

// maxWarnings caps Config.Warnings; the last warning then says how many
// more there were.
const maxWarnings = 100

// work is the parse's work so far: the bytes read, the interpolation's
// steps and the items the checks visited.
func (p *iniParser) work(n int) int { return n + p.scope.Work() + p.steps }

func parseINI(data []byte, name string, opts []ParseOption) (*Config, error) {
	var o parseOptions
	for _, opt := range opts {
		opt.applyParseOption(&o)
	}
	if err := checkUTF8(data, name); err != nil {
		return nil, err
	}
	if c := o.defaultsClash; c[0] != "" {
		return nil, &Error{File: name, Section: "DEFAULT", Err: fmt.Errorf(
			"%w: the caller's defaults %q and %q are one key (keys are case-insensitive; Python raises DuplicateOptionError)",
			ErrDuplicate, clip(c[0]), clip(c[1]))}
	}
	doc, err := ini.Read(data, name)
	if err != nil {
		if o.work != nil {
			*o.work = len(data) // the reader's one pass
		}
		return nil, fromINI(err)
	}
	pyFrom := 0
	if o.python != nil {
		pyFrom = len(*o.python)
	}
	p := &iniParser{
		doc:    doc,
		scope:  ini.NewScope(doc, o.defaults),
		reg:    o.classes(),
		cfg:    &Config{File: name},
		used:   map[string]bool{},
		python: o.python,
	}
	fkeys, fok := p.keysList("formatters")
	hkeys, hok := p.keysList("handlers")
	lkeys, lok := p.keysList("loggers")
	p.formatterSet, p.handlerSet = nameSet(fkeys), nameSet(hkeys)
	p.steps += len(fkeys) + len(hkeys)
	if fok {
		p.formatters(fkeys)
	}
	if hok {
		p.handlers(hkeys, fkeys, fok)
	}
	if lok {
		p.loggers(lkeys, hkeys, hok)
	}
	p.unlisted()
	if o.python != nil {
		mine := (*o.python)[pyFrom:]
		sort.SliceStable(mine, func(i, j int) bool { return mine[i].Pos.Line < mine[j].Pos.Line })
	}
	if o.work != nil {
		*o.work = p.work(len(data))
	}
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return errLine(p.errs[i]) < errLine(p.errs[j]) })
		return nil, joinErrors(p.errs)
	}
	sort.SliceStable(p.cfg.Warnings, func(i, j int) bool { return p.cfg.Warnings[i].Pos.Line < p.cfg.Warnings[j].Pos.Line })
	finishWarnings(p.cfg, p.warnOmitted)
	return p.cfg, nil
}

func errLine(err error) int {
	if e, ok := err.(*Error); ok {
		return e.Line
	}
	return 0
}

func (p *iniParser) fail(err error) { p.errs = append(p.errs, err) }

// get reads key of s interpolated (see ini.Scope.Get).
func (p *iniParser) get(s *ini.Section, key string) (ini.Value, bool, error) {
	v, ok, err := p.scope.Get(s, key)
	return v, ok, fromINI(err)
}

// raw reads key of s as it is written, for the keys fileConfig reads raw
// (format, datefmt, style) and for messages.
func (p *iniParser) raw(s *ini.Section, key string) (ini.Value, bool) { return p.scope.Raw(s, key) }

// errAt is an error about key of s, whose value v was read as shown: it
// points at the line where the value is written.
func (p *iniParser) errAt(s *ini.Section, key string, v ini.Value, err error) *Error {
	return positioned(p.doc.ErrorAt(s, key, v, err))
}

func (p *iniParser) warn(s *ini.Section, k *ini.Key, format string, args ...any) {
	w := Warning{Pos: Pos{File: p.doc.File, Line: s.Line, Section: s.Name}, Msg: fmt.Sprintf(format, args...)}
	if k != nil {
		w.Pos.Line, w.Key = k.Line, k.Name
	}
	addWarning(p.cfg, &p.warnOmitted, w)
}

// addWarning appends w to cfg's warnings, or counts it in omitted once
// there are maxWarnings.
func addWarning(cfg *Config, omitted *int, w Warning) {
	if len(cfg.Warnings) >= maxWarnings {
		*omitted++
		return
	}
	cfg.Warnings = append(cfg.Warnings, w)
}

// finishWarnings adds a last warning that counts the omitted ones.
func finishWarnings(cfg *Config, omitted int) {
	if omitted > 0 {
		cfg.Warnings = append(cfg.Warnings, Warning{Pos: Pos{File: cfg.File}, Msg: fmt.Sprintf("and %d more warnings", omitted)})
	}
}

// warnUnknown warns about the keys of s (its own, not inherited from
// [DEFAULT]) that fileConfig does not read.
func (p *iniParser) warnUnknown(s *ini.Section, known []string, what string) {
	for _, k := range s.Keys {
		p.steps++
		if !slices.Contains(known, k.Name) {
			p.warn(s, k, "%s does not read key %q; Python ignores it", what, k.Name)
		}
	}
}

// keysList reads the keys= list of [formatters], [handlers] or [loggers].
func (p *iniParser) keysList(kind string) ([]string, bool) {
	s := p.doc.Section(kind)
	if s == nil {
		p.fail(&Error{File: p.doc.File, Section: kind, Err: fmt.Errorf(
			"%w [%s] (fileConfig needs [loggers], [handlers] and [formatters], each with keys=, which may be empty)",
			ErrMissingSection, kind)})
		return nil, false
	}
	p.used[kind] = true
	p.warnUnknown(s, []string{"keys"}, "fileConfig")
	f, ok, err := p.get(s, "keys")
	if err != nil {
		p.fail(err)
		return nil, false
	}
	if !ok {
		p.fail(&Error{File: p.doc.File, Line: s.Line, Section: kind, Key: "keys", Err: fmt.Errorf(
			"%w: [%s] needs keys= (it may be empty)", ErrMissingKey, kind)})
		return nil, false
	}
	names, bad := splitNames(f.Text)
	if bad != "" {
		p.fail(p.errAt(s, "keys", f, fmt.Errorf("%w: empty name in %q", ErrSyntax, pylit.Clip(f.Text))))
		return nil, false
	}
	var out []string
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		p.steps++
		if seen[n] && kind == "loggers" && n == "root" {
			p.fail(p.errAt(s, "keys", f, fmt.Errorf("%w: root is listed twice (Python's fileConfig configures the root "+
				"once and then reads [logger_root] as a named logger, which fails: KeyError 'qualname')", ErrDuplicate)))
			continue
		}
		if seen[n] {
			p.warn(s, f.Key, "%q is listed twice; it is configured once", pylit.Clip(n))
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out, true
}

// nameSet returns names as a set, for membership checks that must not
// re-scan the list per item.
func nameSet(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// splitNames splits a comma list as fileConfig does ("" is no names) and
// reports a list with an empty item in bad.
func splitNames(v string) (names []string, bad string) {
	if v == "" {
		return nil, ""
	}
	for n := range strings.SplitSeq(v, ",") {
		n = ini.Strip(n) // fileConfig's _strip_spaces: str.strip
		if n == "" {
			return nil, v
		}
		names = append(names, n)
	}
	return names, ""
}

// listedSection finds the section of a name listed in [kind] keys=.
func (p *iniParser) listedSection(kind, prefix, name string) *ini.Section {
	s := p.doc.Section(prefix + name)
	if s == nil {
		ks := p.doc.Section(kind)
		f, _ := p.raw(ks, "keys")
		p.fail(p.errAt(ks, "keys", f, fmt.Errorf("%w [%s%s]: %q is listed in [%s] keys= but has no section",
			ErrMissingSection, prefix, pylit.Clip(name), pylit.Clip(name), kind)))
		return nil
	}
	p.used[s.Name] = true
	return s
}

func (p *iniParser) formatters(keys []string) {
	for _, key := range keys {
		p.steps++
		s := p.listedSection("formatters", "formatter_", key)
		if s == nil {
			continue
		}
		f := FormatterConfig{Key: key, Style: "%", Extra: map[string]string{}, Pos: p.pos(s)}
		// fileConfig reads style, format and datefmt raw: they are never
		// interpolated (their %(name)s belong to the formatter).
		styleOK := true
		if v, ok := p.raw(s, "style"); ok {
			f.Style = v.Text
			if defaultFormats[f.Style] == "" {
				styleOK = false
				p.fail(p.errAt(s, "style", v, fmt.Errorf(`%w: style %q (want "%%", "{" or "$")`, ErrBadFormat, pylit.Clip(v.Text))))
			}
		}
		if v, ok := p.raw(s, "format"); ok {
			f.Format = v.Text
		}
		if f.Format == "" {
			f.Format = defaultFormats[f.Style]
		}
		if v, ok := p.raw(s, "datefmt"); ok {
			f.Datefmt, f.HasDatefmt = v.Text, true
		}
		classOK := true
		if v, ok, err := p.get(s, "class"); err != nil {
			p.fail(err)
			classOK = false
		} else if ok {
			f.Class = strings.TrimSpace(v.Text)
		}
		for _, k := range s.Keys {
			p.steps++
			if slices.Contains(formatterKeys, k.Name) {
				continue
			}
			f.Extra[k.Name] = k.Value
			if !slices.Contains(livelogFormatterKeys, k.Name) {
				p.warn(s, k, "formatters do not read key %q; Python ignores it", k.Name)
			}
		}
		p.pyFormatter(s, &f)
		if classOK && styleOK {
			if fc, err := p.reg.FormatterClass(f.Class); err != nil {
				v, _ := p.raw(s, "class")
				p.fail(p.errAt(s, "class", v, err))
			} else if err := fc.Check(&f); err != nil {
				p.fail(p.classError(s, err))
			}
		}
		p.cfg.Formatters = append(p.cfg.Formatters, f)
	}
}

func (p *iniParser) handlers(keys, formatters []string, formattersOK bool) {
	for _, key := range keys {
		p.steps++
		s := p.listedSection("handlers", "handler_", key)
		if s == nil {
			continue
		}
		h := HandlerConfig{Key: key, Level: NotSet, Args: []Value{}, Kwargs: map[string]Value{}, Pos: p.pos(s)}
		p.warnUnknown(s, handlerKeys, "a handler section")
		var class ini.Value
		classOK := p.need(s, "class", &class)
		if classOK {
			h.Class = strings.TrimSpace(stripComment(class.Text))
			if h.Class == "" {
				classOK = false
				p.fail(p.errAt(s, "class", class, fmt.Errorf("%w: class is empty", ErrMissingKey)))
			}
		}
		h.Level = p.level(s, NotSet)
		if v, ok, err := p.get(s, "formatter"); err != nil {
			p.fail(err)
		} else if ok && v.Text != "" {
			h.Formatter = v.Text
			if formattersOK && !p.formatterSet[v.Text] {
				p.fail(p.errAt(s, "formatter", v, fmt.Errorf("%w: formatter %q is not listed in [formatters] keys=",
					ErrUndefined, pylit.Clip(v.Text))))
			}
		}
		argsOK := p.literal(s, "args", KindTuple, "a tuple such as (sys.stdout,) — note that (x) is just x in Python", func(v Value) {
			h.Args = v.Items
		})
		kwargsOK := p.literal(s, "kwargs", KindDict, "a dict such as {'mode': 'w'}", func(v Value) {
			h.Kwargs = v.Dict
		})
		p.target(s, &h, classOK)
		if classOK {
			p.pyHandler(s, class)
			if hc, err := p.reg.HandlerClass(h.Class); err != nil {
				p.fail(p.errAt(s, "class", class, err))
			} else if argsOK && kwargsOK {
				if err := hc.Check(&h); err != nil {
					p.fail(p.classError(s, err))
				} else if _, has := p.raw(s, "level"); !has {
					h.Level = argLevel(&h, h.Level)
				}
			}
		}
		p.cfg.Handlers = append(p.cfg.Handlers, h)
	}
	p.checkTargets()
}

// target reads a MemoryHandler's target= key into h.Target, as fileConfig
// does for MemoryHandler only; another class's target= is warned about.
func (p *iniParser) target(s *ini.Section, h *HandlerConfig, classOK bool) {
	v, ok, err := p.get(s, "target")
	switch {
	case err != nil:
		p.fail(err)
	case !ok || v.Text == "":
	case classOK && className(h.Class) != "MemoryHandler":
		p.warn(s, v.Key, "only MemoryHandler reads target=; Python ignores it for %s", pylit.Clip(className(h.Class)))
	default:
		h.Target = v.Text
	}
}

// checkTargets checks that every target names a listed handler and that
// no MemoryHandler reaches itself through targets (it would flush to
// itself for ever).
func (p *iniParser) checkTargets() {
	at := func(key string, err error) {
		s := p.doc.Section("handler_" + key)
		v, _, _ := p.get(s, "target")
		p.fail(p.errAt(s, "target", v, err))
	}
	targets := map[string]string{}
	for _, h := range p.cfg.Handlers {
		p.steps++
		switch {
		case h.Target == "":
		case !p.handlerSet[h.Target]:
			at(h.Key, fmt.Errorf("%w: target %q is not listed in [handlers] keys=", ErrUndefined, pylit.Clip(h.Target)))
		default:
			targets[h.Key] = h.Target
		}
	}
	if cycle := targetCycle(p.cfg.Handlers, targets, &p.steps); cycle != nil {
		at(cycle[0], cycleError(cycle))
	}
}

func (p *iniParser) loggers(keys, handlers []string, handlersOK bool) {
	ls := p.doc.Section("loggers")
	lkeys, _ := p.raw(ls, "keys")
	if !slices.Contains(keys, "root") {
		p.fail(p.errAt(ls, "keys", lkeys, fmt.Errorf(
			"%w: root is not listed in keys= (fileConfig always configures the root logger from [logger_root])",
			ErrMissingKey)))
	}
	if p.doc.Section("logger_root") == nil {
		p.fail(&Error{File: p.doc.File, Line: p.errAt(ls, "keys", lkeys, nil).Line, Section: "logger_root", Err: fmt.Errorf(
			"%w: every config needs a [logger_root] section (with handlers=, which may be empty)", ErrMissingSection)})
	}
	// fileConfig configures the root first, then the other loggers in
	// list order; a logger named twice (qualname=root included, which is
	// getLogger("root"), the root) is configured again: its handlers and
	// propagate are replaced, its level only where level= is given.
	order := make([]string, 0, len(keys))
	if slices.Contains(keys, "root") {
		order = append(order, "root")
	}
	for _, k := range keys {
		if k != "root" {
			order = append(order, k)
		}
	}
	byName := map[string]int{}
	for _, key := range order {
		p.steps++
		s := p.doc.Section("logger_" + key)
		if s == nil {
			if key != "root" {
				p.listedSection("loggers", "logger_", key)
			}
			continue
		}
		p.used[s.Name] = true
		l := LoggerConfig{Key: key, Name: "root", Propagate: true, Pos: p.pos(s)}
		if key == "root" {
			p.warnUnknown(s, []string{"level", "handlers"}, "the root logger")
			l.Level = p.level(s, zapcore.WarnLevel)
		} else {
			p.warnUnknown(s, loggerKeys, "a logger section")
			l.Level = p.level(s, NotSet)
			var qn ini.Value
			if p.need(s, "qualname", &qn) {
				if qn.Text != "" && qn.Text != "root" {
					l.Name = qn.Text
				}
			}
			if v, ok, err := p.get(s, "propagate"); err != nil {
				p.fail(err)
			} else if ok {
				nonzero, valid := pyInt(v.Text)
				if !valid {
					p.fail(p.errAt(s, "propagate", v, fmt.Errorf("%w: propagate %q is not an integer (use 0 or 1)", ErrSyntax, pylit.Clip(v.Text))))
				}
				l.Propagate = nonzero
			}
		}
		var hl ini.Value
		if p.need(s, "handlers", &hl) {
			l.Handlers = p.handlerList(s, hl, handlers, handlersOK)
		}
		if i, again := byName[l.Name]; again {
			first := &p.cfg.Loggers[i]
			qn, _ := p.raw(s, "qualname")
			p.warn(s, qn.Key, "logger %q is configured again, after [logger_%s]: this section's handlers and propagate "+
				"replace those, and its level if it has one (as in Python)", pylit.Clip(l.Name), first.Key)
			if _, has := p.raw(s, "level"); has {
				first.Level = l.Level
			}
			first.Handlers, first.Propagate = l.Handlers, l.Propagate
			continue
		}
		byName[l.Name] = len(p.cfg.Loggers)
		p.cfg.Loggers = append(p.cfg.Loggers, l)
	}
}

// handlerList reads a logger's handlers= list.
func (p *iniParser) handlerList(s *ini.Section, f ini.Value, handlers []string, handlersOK bool) []string {
	names, bad := splitNames(f.Text)
	if bad != "" {
		p.fail(p.errAt(s, "handlers", f, fmt.Errorf("%w: empty name in %q", ErrSyntax, pylit.Clip(f.Text))))
		return []string{}
	}
	out := []string{}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		p.steps++
		switch {
		case handlersOK && !p.handlerSet[n]:
			p.fail(p.errAt(s, "handlers", f, fmt.Errorf("%w: handler %q is not listed in [handlers] keys=", ErrUndefined, pylit.Clip(n))))
		case seen[n]:
			p.warn(s, f.Key, "handler %q is listed twice; it is attached once", pylit.Clip(n))
		default:
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// keyHints complete the message about a missing required key.
var keyHints = map[string]string{
	"qualname": " (the dotted logger name; every listed logger but root needs one)",
	"handlers": " (a comma list of handler keys, which may be empty)",
	"class":    " (e.g. StreamHandler)",
}

// need reads a required key into f.
func (p *iniParser) need(s *ini.Section, key string, f *ini.Value) bool {
	v, ok, err := p.get(s, key)
	switch {
	case err != nil:
		p.fail(err)
		return false
	case !ok:
		p.fail(&Error{File: p.doc.File, Line: s.Line, Section: s.Name, Key: key, Err: fmt.Errorf(
			"%w: [%s] needs %s=%s", ErrMissingKey, s.Name, key, keyHints[key])})
		return false
	}
	*f = v
	return true
}

// level reads level=, or returns def when the section has none.
func (p *iniParser) level(s *ini.Section, def zapcore.Level) zapcore.Level {
	v, ok, err := p.get(s, "level")
	if err != nil {
		p.fail(err)
		return def
	}
	if !ok {
		return def
	}
	l, err := parseLevelExact(v.Text)
	if err != nil {
		p.fail(p.errAt(s, "level", v, err))
		return def
	}
	return l
}

// argLevel is the level a NullHandler's arguments give it (its only
// argument is logging.Handler's level, which level= then overrides), or
// def. Numbers zap has no level for (Python takes any int) leave def: a
// NullHandler drops every record whatever its level.
func argLevel(h *HandlerConfig, def zapcore.Level) zapcore.Level {
	if className(h.Class) != "NullHandler" {
		return def
	}
	v, ok := h.Kwargs["level"]
	if !ok && len(h.Args) > 0 {
		v, ok = h.Args[0], true
	}
	switch {
	case !ok:
	case v.Kind == KindString:
		if l, err := ParseLevel(v.Str); err == nil {
			return l
		}
	case v.Kind == KindInt:
		if l, err := levelFromNumber(int(v.Int)); err == nil {
			return l
		}
	}
	return def
}

// literal reads args= or kwargs= (Python's defaults "()" and "{}") and
// passes it to set when it is of kind want.
func (p *iniParser) literal(s *ini.Section, key string, want Kind, hint string, set func(Value)) bool {
	f, ok, err := p.get(s, key)
	if err != nil {
		p.fail(err)
		return false
	}
	if !ok {
		return true
	}
	// Positions map back into the file unless interpolation changed the
	// text.
	exact := f.Key != nil && f.Key.Value == f.Text
	var where func(int) string
	if exact {
		where = f.Key.ValueWhere
	}
	v, err := pylit.Parse(f.Text, where)
	if err != nil {
		lerr := err.(*pylit.Error) // Parse's only kind of error
		e := p.errAt(s, key, f, nil)
		at := fmt.Sprintf("column %d of the interpolated value", lerr.Column)
		if exact {
			var col int
			e.Line, col = f.Key.ValuePos(lerr.Offset)
			at = fmt.Sprintf("column %d", col)
		}
		e.Err = fmt.Errorf("%w at %s: %s", ErrBadLiteral, at, lerr.Msg)
		p.fail(e)
		return false
	}
	if v.Kind != want {
		p.fail(p.errAt(s, key, f, fmt.Errorf("%w: %s must be %s, not %s", ErrBadArgs, key, hint, pylit.Describe(v))))
		return false
	}
	set(v)
	return true
}

// classError places an error from a class's Check in section s. Check may
// return an *Error naming the key; the file, line and section are filled
// in.
func (p *iniParser) classError(s *ini.Section, err error) error {
	if e, ok := err.(*Error); ok && e.File == "" && e.Line == 0 && e.Section == "" {
		c := *e
		c.File, c.Section, c.Line = p.doc.File, s.Name, s.Line
		if f, ok := p.raw(s, e.Key); ok && f.Key != nil {
			c.Line = f.Key.Line
		}
		return &c
	}
	return &Error{File: p.doc.File, Line: s.Line, Section: s.Name, Err: err}
}

// unlisted warns about the sections fileConfig never reads.
func (p *iniParser) unlisted() {
	for _, s := range p.doc.Sections {
		p.steps++
		if !p.used[s.Name] {
			p.warn(s, nil, "section [%s] is not listed in any keys=; Python ignores it", s.Name)
		}
	}
}

func (p *iniParser) pos(s *ini.Section) Pos {
	return Pos{File: p.doc.File, Line: s.Line, Section: s.Name}
}

// stripComment drops a Python "# comment" from an eval()-ed value such as
// class=, as eval does.
func stripComment(v string) string {
	if i := strings.IndexByte(v, '#'); i >= 0 {
		return v[:i]
	}
	return v
}

// pyInt reads an integer as Python's int() does (whitespace as
// str.strip sees it, a sign, "_" between digits, and any Unicode decimal
// digit: int("١") is 1) and reports whether it is nonzero.
func pyInt(s string) (nonzero, ok bool) {
	s = ini.Strip(s)
	s = strings.TrimLeft(s[:min(len(s), 1)], "+-") + s[min(len(s), 1):]
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' || strings.Contains(s, "__") {
		return false, false
	}
	for _, r := range s {
		switch {
		case r == '_':
		case !unicode.IsDigit(r):
			return false, false
		case digitValue(r) != 0:
			nonzero = true
		}
	}
	return nonzero, true
}

// digitValue is the value of a Unicode decimal digit (category Nd). Nd
// characters come in runs of whole 0-9 sequences (a Unicode stability
// policy), so the value is the distance from the start of the run, mod 10.
func digitValue(r rune) int {
	start := r
	for start > 0 && unicode.IsDigit(start-1) && r-start < 100 {
		start--
	}
	return int(r-start) % 10
}

// parseLiteral reads a Python literal that no file position is known for
// (a formatter's defaults= as Check sees it); a non-nil error is a
// *pylit.Error, whose message names the column.
func parseLiteral(src string) (Value, error) { return pylit.Parse(src, nil) }
