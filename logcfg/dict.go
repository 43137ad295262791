package logcfg

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/livelog/livelog/internal/pylit"
	"go.uber.org/zap/zapcore"
)

// dictParser turns a dictConfig document (see [ParseJSON] and
// [ParseYAML]) into a Config, collecting every problem with its place.
type dictParser struct {
	reg  *Registry
	file string
	// format is "JSON" or "YAML"; mapping is what that format calls a
	// mapping ("an object", "a mapping"), for messages.
	format, mapping string
	cfg             *Config
	errs            []error
	// steps counts the nodes the checks visit; with the bytes read it is
	// the parse's work.
	steps int
	// warnOmitted counts the warnings past maxWarnings.
	warnOmitted int
}

// parseDict reads the document top, read from data (JSON or YAML) by a
// reader that did readWork steps.
func parseDict(top *dnode, name, format, mapping string, o *parseOptions, readWork int) (*Config, error) {
	p := &dictParser{file: name, format: format, mapping: mapping, cfg: &Config{File: name}, reg: o.classes(), steps: readWork}
	if top.kind != dMap {
		p.fail(top, "", "", fmt.Errorf("%w: the %s config must be %s, not %s", ErrSyntax, format, mapping, top.describe(mapping)))
	} else {
		p.parse(top)
	}
	if o.work != nil {
		*o.work = p.steps
	}
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool { return errBefore(p.errs[i], p.errs[j]) })
		return nil, joinErrors(p.errs)
	}
	sort.SliceStable(p.cfg.Warnings, func(i, j int) bool {
		a, b := p.cfg.Warnings[i].Pos, p.cfg.Warnings[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
	finishWarnings(p.cfg, p.warnOmitted)
	if o.python != nil {
		pyDict(p.cfg, o.python) // WithPythonCheck
	}
	return p.cfg, nil
}

// errBefore orders errors by line, then column.
func errBefore(a, b error) bool {
	ea, _ := a.(*Error)
	eb, _ := b.(*Error)
	if ea == nil || eb == nil {
		return ea == nil && eb != nil
	}
	return ea.Line < eb.Line || ea.Line == eb.Line && ea.Column < eb.Column
}

func (p *dictParser) pos(n *dnode, section string) Pos {
	pos := Pos{File: p.file, Section: section}
	if n != nil {
		pos.Line, pos.Column = n.line, n.col
	}
	return pos
}

// fail records err at n (nil: no position).
func (p *dictParser) fail(n *dnode, section, key string, err error) {
	e := &Error{File: p.file, Section: section, Key: key, Err: err}
	if n != nil {
		e.Line, e.Column = n.line, n.col
	}
	p.errs = append(p.errs, e)
}

func (p *dictParser) warn(n *dnode, section, key, format string, args ...any) {
	addWarning(p.cfg, &p.warnOmitted, Warning{Pos: p.pos(n, section), Key: key, Msg: fmt.Sprintf(format, args...)})
}

// topKeys are the keys dictConfig reads at the top of the document.
var topKeys = []string{"version", "incremental", "disable_existing_loggers", "formatters", "filters", "handlers", "loggers", "root"}

func (p *dictParser) parse(top *dnode) {
	v := top.get("version")
	switch {
	case v == nil:
		p.fail(top, "", "version", fmt.Errorf(`%w: "version": 1 is required`, ErrMissingKey))
		return
	case v.kind == dInt && !v.big && v.i == 1:
	case v.kind == dInt || v.kind == dFloat:
		p.fail(v, "", "version", fmt.Errorf("%w: unsupported version %s (want 1)", ErrSyntax, clip(v.s)))
		return
	default:
		p.fail(v, "", "version", fmt.Errorf("%w: version must be the number 1, not %s", ErrSyntax, v.describe(p.mapping)))
		return
	}
	p.cfg.Incremental = p.boolean("", "incremental", top.get("incremental"), false)
	if d := top.get("disable_existing_loggers"); d != nil {
		if p.boolean("", "disable_existing_loggers", d, false) {
			p.warn(d, "", "disable_existing_loggers", "livelog never disables loggers a config does not mention; they go back to NOTSET and keep inheriting from their ancestors")
		}
	}
	for _, e := range top.entries {
		p.steps++
		if !slices.Contains(topKeys, e.key) {
			p.warn(e.at, "", e.key, "dictConfig does not read key %q; Python ignores it", clip(e.key))
		}
	}
	formatters := p.objects("formatters", top.get("formatters"))
	filters := p.objects("filters", top.get("filters"))
	handlers := p.objects("handlers", top.get("handlers"))
	loggers := p.objects("loggers", top.get("loggers"))
	if p.cfg.Incremental {
		if f := top.get("formatters"); len(formatters) > 0 {
			p.warn(f, "formatters", "", "formatters are ignored in incremental mode")
		}
		if f := top.get("filters"); len(filters) > 0 {
			p.warn(f, "filters", "", "filters are ignored in incremental mode")
		}
		filters = nil
	} else {
		for _, e := range formatters {
			p.formatter(e.key, e.val)
		}
		for _, e := range filters {
			p.filter(e.key, e.val)
		}
	}
	refs := dictRefs{formatters: names(formatters), filters: names(filters), handlers: names(handlers)}
	for _, e := range handlers {
		p.handler(e.key, e.val, refs)
	}
	targets := map[string]string{}
	for _, h := range p.cfg.Handlers {
		if h.Target != "" {
			targets[h.Key] = h.Target
		}
	}
	if cycle := targetCycle(p.cfg.Handlers, targets, &p.steps); cycle != nil {
		var at *dnode
		for _, e := range handlers {
			if e.key == cycle[0] {
				at = e.val.get("target")
			}
		}
		p.fail(at, "handlers."+cycle[0], "target", cycleError(cycle))
	}
	p.roots(top, refs)
	for _, e := range loggers {
		if e.key == "" || e.key == "root" {
			continue // a root part: see roots
		}
		p.logger("loggers."+e.key, e.key, e.val, refs)
	}
}

// roots reads the root logger's config. As in Python, where
// getLogger("") and getLogger("root") are the root, "loggers" may
// configure the root under "" or "root", and "root" is applied after
// them: each part sets the level if it gives one and replaces the
// handlers (a part without "handlers" leaves the root none); filters add
// up. Python's dictConfig leaves a root it is not given alone (a fresh
// process's: WARNING, no handlers); livelog's root is always that, as a
// [logger_root] without level= is.
func (p *dictParser) roots(top *dnode, refs dictRefs) {
	type part struct {
		sec string
		m   *dnode
	}
	var parts []part
	if ls := top.get("loggers"); ls != nil && ls.kind == dMap {
		for _, e := range ls.entries {
			if (e.key == "" || e.key == "root") && e.val.kind == dMap {
				parts = append(parts, part{"loggers." + strconv.Quote(e.key), e.val})
			}
		}
	}
	switch root := top.get("root"); {
	case root != nil && root.kind == dMap:
		parts = append(parts, part{"root", root})
	case !root.isNull():
		p.fail(root, "root", "", fmt.Errorf("%w: root must be %s, not %s", ErrSyntax, p.mapping, root.describe(p.mapping)))
	}
	r := LoggerConfig{Key: "root", Name: "root", Level: zapcore.WarnLevel, Propagate: true, Handlers: []string{}, Pos: p.pos(top, "root")}
	keep := !p.cfg.Incremental
	for _, pt := range parts {
		l, ok := p.loggerConfig(pt.sec, "root", pt.m, refs)
		if !ok {
			continue
		}
		keep = true
		if !pt.m.get("level").isNull() {
			r.Level = l.Level
		}
		r.Handlers = l.Handlers
		if pt.sec != "root" && !p.cfg.Incremental {
			// Python's configure_logger sets the root's propagate too,
			// which means nothing for the root (it has no parent).
			r.Propagate = p.boolean(pt.sec, "propagate", pt.m.get("propagate"), r.Propagate)
		}
		for _, f := range l.Filters {
			if !slices.Contains(r.Filters, f) {
				r.Filters = append(r.Filters, f)
			}
		}
		r.Pos = l.Pos
	}
	if keep {
		p.cfg.Loggers = append([]LoggerConfig{r}, p.cfg.Loggers...)
	}
}

// dictRefs are the names a handler or a logger may refer to.
type dictRefs struct{ formatters, filters, handlers map[string]bool }

func names(es []dentry) map[string]bool {
	m := make(map[string]bool, len(es))
	for _, e := range es {
		m[e.key] = true
	}
	return m
}

// objects reads a mapping of mappings (formatters, filters, handlers,
// loggers), sorted by key as Python configures handlers.
func (p *dictParser) objects(section string, n *dnode) []dentry {
	if n.isNull() {
		return nil
	}
	if n.kind != dMap {
		p.fail(n, section, "", fmt.Errorf("%w: %s must be %s, not %s", ErrSyntax, section, p.mapping, n.describe(p.mapping)))
		return nil
	}
	out := make([]dentry, 0, len(n.entries))
	for _, e := range n.entries {
		p.steps++
		if e.val.kind != dMap {
			p.fail(e.val, section+"."+e.key, "", fmt.Errorf("%w: must be %s, not %s", ErrSyntax, p.mapping, e.val.describe(p.mapping)))
			continue
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

func (p *dictParser) formatter(name string, m *dnode) {
	sec := "formatters." + name
	f := FormatterConfig{Key: name, Style: "%", Extra: map[string]string{}, Pos: p.pos(m, sec)}
	ok := p.rejectFactories(sec, m)
	f.Style = p.str(sec, "style", m.get("style"), "%")
	if defaultFormats[f.Style] == "" {
		p.fail(m.get("style"), sec, "style", fmt.Errorf(`%w: style %q (want "%%", "{" or "$")`, ErrBadFormat, clip(f.Style)))
		ok = false
	}
	f.Format = p.str(sec, "format", m.get("format"), "")
	if f.Format == "" {
		f.Format = defaultFormats[f.Style]
	}
	if d := m.get("datefmt"); !d.isNull() {
		f.Datefmt, f.HasDatefmt = p.str(sec, "datefmt", d, ""), true
	}
	f.Class = p.str(sec, "class", m.get("class"), "")
	for _, e := range m.entries {
		p.steps++
		switch k := e.key; {
		case slices.Contains(formatterKeys, k), k == "()", k == ".":
		case k == "validate":
			if !p.boolean(sec, k, e.val, true) {
				p.warn(e.at, sec, k, "false is accepted, but livelog still checks the format: it compiles every format it renders")
			}
		case k == "defaults":
			if v, good := p.defaults(sec, e.val); good {
				f.Extra["defaults"] = v
			} else {
				ok = false
			}
		case e.val.kind == dList || e.val.kind == dMap:
			p.warn(e.at, sec, k, "formatters do not read key %q; livelog ignores it", clip(k))
		default:
			f.Extra[strings.ToLower(k)] = e.val.text()
			if !slices.Contains(livelogFormatterKeys, strings.ToLower(k)) {
				p.warn(e.at, sec, k, "formatters do not read key %q; livelog ignores it", clip(k))
			}
		}
	}
	if ok {
		if fc, err := p.reg.FormatterClass(f.Class); err != nil {
			p.fail(orNode(m.get("class"), m), sec, "class", err)
		} else if err := fc.Check(&f); err != nil {
			p.failAt(m, sec, err)
		}
	}
	p.cfg.Formatters = append(p.cfg.Formatters, f)
}

// failAt records an error of a class's Check, which may name a key
// (an *Error with only Key set): the error is placed at that key's value.
func (p *dictParser) failAt(m *dnode, sec string, err error) {
	if e, ok := err.(*Error); ok && e.File == "" && e.Line == 0 {
		p.fail(orNode(m.get(e.Key), m), sec, e.Key, e.Err)
		return
	}
	p.fail(m, sec, "", err)
}

func orNode(n, def *dnode) *dnode {
	if n != nil {
		return n
	}
	return def
}

// defaults reads a formatter's defaults (Python 3.12's Formatter
// defaults; 3.11 ignores the key) as the dict literal livelog's
// formatter classes read.
func (p *dictParser) defaults(sec string, n *dnode) (string, bool) {
	if n.isNull() {
		return "", true
	}
	if n.kind != dMap {
		p.fail(n, sec, "defaults", fmt.Errorf("%w: defaults must be %s of names to values, not %s", ErrBadFormat, p.mapping, n.describe(p.mapping)))
		return "", false
	}
	v, err := p.value(n, 0)
	if err != nil {
		p.fail(n, sec, "defaults", err)
		return "", false
	}
	var b strings.Builder
	pyLiteral(&b, v)
	return b.String(), true
}

// filter reads one filter: Python's logging.Filter(name).
func (p *dictParser) filter(name string, m *dnode) {
	sec := "filters." + name
	if !p.rejectFactories(sec, m) {
		return
	}
	for _, e := range m.entries {
		p.steps++
		if e.key != "name" {
			p.warn(e.at, sec, e.key, "a filter reads only its name; Python ignores key %q", clip(e.key))
		}
	}
	p.cfg.Filters = append(p.cfg.Filters, FilterConfig{Key: name, Name: p.str(sec, "name", m.get("name"), ""), Pos: p.pos(m, sec)})
}

// handlerOwnKeys are the keys of a handler that are not keyword
// arguments of its class.
var handlerOwnKeys = []string{"class", "level", "formatter", "filters", "()", "."}

func (p *dictParser) handler(name string, m *dnode, refs dictRefs) {
	sec := "handlers." + name
	h := HandlerConfig{Key: name, Level: NotSet, Args: []Value{}, Kwargs: map[string]Value{}, Pos: p.pos(m, sec)}
	if p.cfg.Incremental {
		if m.get("level").isNull() {
			p.warn(m, sec, "", "no level: nothing to change in incremental mode")
			return
		}
		h.Level = p.level(sec, m.get("level"))
		p.cfg.Handlers = append(p.cfg.Handlers, h)
		return
	}
	ok := p.rejectFactories(sec, m)
	if c := m.get("class"); c == nil {
		p.fail(m, sec, "class", fmt.Errorf("%w: a handler needs a class", ErrMissingKey))
		ok = false
	} else {
		h.Class = p.str(sec, "class", c, "")
	}
	if l := m.get("level"); !l.isNull() {
		h.Level = p.level(sec, l)
	}
	if fn := m.get("formatter"); !fn.isNull() {
		if f := p.str(sec, "formatter", fn, ""); f != "" {
			h.Formatter = f
			if !refs.formatters[f] {
				p.fail(fn, sec, "formatter", fmt.Errorf("%w: formatter %q is not defined under \"formatters\"", ErrUndefined, clip(f)))
			}
		}
	}
	h.Filters = p.nameList(sec, "filters", m.get("filters"), refs.filters, "filter")
	for _, e := range m.entries {
		p.steps++
		if slices.Contains(handlerOwnKeys, e.key) {
			continue
		}
		if e.key == "target" && className(h.Class) == "MemoryHandler" {
			// dictConfig replaces a MemoryHandler's target by the handler
			// it names (configure_handler), as fileConfig's target= key.
			if t := p.str(sec, "target", e.val, ""); t != "" {
				if !refs.handlers[t] {
					p.fail(e.val, sec, "target", fmt.Errorf("%w: target %q is not defined under \"handlers\"", ErrUndefined, clip(t)))
					ok = false
				}
				h.Target = t
			}
			continue
		}
		if !isIdentifier(e.key) {
			// Python passes the other keys as keyword arguments and
			// refuses a key that is not an identifier (valid_ident).
			p.fail(e.at, sec, e.key, fmt.Errorf("%w: %q is not a Python identifier, so it cannot be a keyword argument of the handler class", ErrBadArgs, clip(e.key)))
			ok = false
			continue
		}
		v, err := p.value(e.val, 0)
		if err != nil {
			p.fail(e.val, sec, e.key, err)
			ok = false
			continue
		}
		h.Kwargs[e.key] = v
	}
	if ok && h.Class != "" {
		if hc, err := p.reg.HandlerClass(h.Class); err != nil {
			p.fail(m.get("class"), sec, "class", err)
		} else if err := hc.Check(&h); err != nil {
			p.failAt(m, sec, err)
		}
	}
	p.cfg.Handlers = append(p.cfg.Handlers, h)
}

// isIdentifier is Python's logging.config.valid_ident: ^[a-z_][a-z0-9_]*$,
// ignoring case, ASCII only.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= 'a' && c <= 'z' || s[i] == '_' || i > 0 && s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

// loggerKeys are the keys dictConfig reads from a logger.
var dictLoggerKeys = []string{"level", "handlers", "propagate", "filters"}

func (p *dictParser) logger(sec, name string, m *dnode, refs dictRefs) {
	if l, ok := p.loggerConfig(sec, name, m, refs); ok {
		p.cfg.Loggers = append(p.cfg.Loggers, l)
	}
}

// loggerConfig reads one logger; ok is false for an incremental config's
// logger that gives no level (nothing to change).
func (p *dictParser) loggerConfig(sec, name string, m *dnode, refs dictRefs) (l LoggerConfig, ok bool) {
	p.rejectFactories(sec, m)
	l = LoggerConfig{Key: name, Name: name, Level: NotSet, Propagate: true, Handlers: []string{}, Pos: p.pos(m, sec)}
	if name == "root" {
		l.Level = zapcore.WarnLevel
	}
	for _, e := range m.entries {
		p.steps++
		if !slices.Contains(dictLoggerKeys, e.key) || sec == "root" && e.key == "propagate" {
			p.warn(e.at, sec, e.key, "dictConfig does not read key %q here; Python ignores it", clip(e.key))
		}
	}
	if p.cfg.Incremental {
		if m.get("level").isNull() {
			p.warn(m, sec, "", "no level: nothing to change in incremental mode")
			return l, false
		}
		if m.get("handlers") != nil || m.get("propagate") != nil || m.get("filters") != nil {
			p.warn(m, sec, "", "only the level is applied in incremental mode")
		}
	}
	if lv := m.get("level"); !lv.isNull() {
		l.Level = p.level(sec, lv)
	}
	if name != "root" {
		l.Propagate = p.boolean(sec, "propagate", m.get("propagate"), true)
	}
	if !p.cfg.Incremental {
		if hs := p.nameList(sec, "handlers", m.get("handlers"), refs.handlers, "handler"); hs != nil {
			l.Handlers = hs
		}
		l.Filters = p.nameList(sec, "filters", m.get("filters"), refs.filters, "filter")
	}
	return l, true
}

// nameList reads a list of handler or filter names, each defined in
// defined; repeats are dropped, as Python adds a handler or filter once.
func (p *dictParser) nameList(sec, key string, n *dnode, defined map[string]bool, what string) []string {
	if n.isNull() {
		return nil
	}
	if n.kind != dList {
		p.fail(n, sec, key, fmt.Errorf("%w: %s must be a list of names, not %s", ErrSyntax, key, n.describe(p.mapping)))
		return nil
	}
	out := []string{}
	seen := make(map[string]bool, len(n.items))
	for _, it := range n.items {
		p.steps++
		switch {
		case it.kind != dString:
			p.fail(it, sec, key, fmt.Errorf("%w: %s names must be strings, not %s", ErrSyntax, what, it.describe(p.mapping)))
		case !defined[it.s]:
			p.fail(it, sec, key, fmt.Errorf("%w: %s %q is not defined under %q", ErrUndefined, what, clip(it.s), what+"s"))
		case !seen[it.s]:
			seen[it.s] = true
			out = append(out, it.s)
		}
	}
	return out
}

// rejectFactories refuses what would make Python call code: "()" user
// factories and "." attribute setting.
func (p *dictParser) rejectFactories(sec string, m *dnode) bool {
	ok := true
	if e := m.entry("()"); e != nil {
		p.fail(e.at, sec, "()", fmt.Errorf(`%w: "()" factories are not supported: livelog calls no code from a config (register a class instead)`, ErrUnknownClass))
		ok = false
	}
	if e := m.entry("."); e != nil {
		p.fail(e.at, sec, ".", fmt.Errorf(`%w: "." properties are not supported`, ErrBadArgs))
		ok = false
	}
	return ok
}

// str reads a string. Python converts a string of the form ext://name or
// cfg://path wherever dictConfig reads it; livelog resolves no such
// reference, so one is an error naming the key.
func (p *dictParser) str(sec, key string, n *dnode, def string) string {
	if n.isNull() {
		return def
	}
	if n.kind != dString {
		p.fail(n, sec, key, fmt.Errorf("%w: %s must be a string, not %s", ErrSyntax, key, n.describe(p.mapping)))
		return def
	}
	if err := checkReference(n.s, false); err != nil {
		p.fail(n, sec, key, err)
		return def
	}
	return n.s
}

// checkReference refuses the ext:// and cfg:// strings Python's
// dictConfig would resolve; ext://sys.stdout and ext://sys.stderr are
// streams where stream is allowed.
func checkReference(s string, stream bool) error {
	if !strings.HasPrefix(s, "ext://") && !strings.HasPrefix(s, "cfg://") {
		return nil
	}
	if _, ok := pylit.ExtStream(s); ok && stream {
		return nil
	}
	return fmt.Errorf("%w: %q: only ext://sys.stdout and ext://sys.stderr are supported, as handler arguments (livelog resolves no other references)", ErrBadLiteral, clip(s))
}

func (p *dictParser) boolean(sec, key string, n *dnode, def bool) bool {
	switch {
	case n.isNull():
		return def
	case n.kind == dBool:
		return n.b
	case n.kind == dInt && !n.big && (n.i == 0 || n.i == 1):
		return n.i == 1
	}
	p.fail(n, sec, key, fmt.Errorf("%w: %s must be true or false, not %s", ErrSyntax, key, n.describe(p.mapping)))
	return def
}

func (p *dictParser) level(sec string, n *dnode) zapcore.Level {
	var (
		l   zapcore.Level
		err error
	)
	switch {
	case n.kind == dString:
		l, err = ParseLevel(n.s)
	case n.kind == dInt && !n.big && n.i == int64(int(n.i)):
		l, err = levelFromNumber(int(n.i))
	case n.kind == dInt:
		err = fmt.Errorf("%w %s (want 0, 10, 20, 30, 40 or 50)", ErrBadLevel, clip(n.s))
	default:
		err = fmt.Errorf("%w: want a level name or number, not %s", ErrBadLevel, n.describe(p.mapping))
	}
	if err != nil {
		p.fail(n, sec, "level", err)
		return NotSet
	}
	return l
}

// value converts a handler's keyword argument to a Value.
func (p *dictParser) value(n *dnode, depth int) (Value, error) {
	p.steps++
	if depth > pylit.MaxDepth {
		return Value{}, fmt.Errorf("%w: nested deeper than %d levels", ErrBadLiteral, pylit.MaxDepth)
	}
	switch n.kind {
	case dNull:
		return Value{Kind: KindNone}, nil
	case dBool:
		return Value{Kind: KindBool, Bool: n.b}, nil
	case dString:
		if err := checkReference(n.s, true); err != nil {
			return Value{}, err
		}
		if s, ok := pylit.ExtStream(n.s); ok {
			return s, nil
		}
		return Value{Kind: KindString, Str: n.s}, nil
	case dInt:
		if n.big {
			return Value{}, fmt.Errorf("%w: number %s is out of range", ErrBadLiteral, clip(n.s))
		}
		return Value{Kind: KindInt, Int: n.i}, nil
	case dFloat:
		return Value{Kind: KindFloat, Float: n.f}, nil
	case dList:
		items := make([]Value, 0, len(n.items))
		for _, it := range n.items {
			v, err := p.value(it, depth+1)
			if err != nil {
				return Value{}, err
			}
			items = append(items, v)
		}
		return Value{Kind: KindTuple, Items: items}, nil
	case dMap:
		d := make(map[string]Value, len(n.entries))
		for _, e := range n.entries {
			v, err := p.value(e.val, depth+1)
			if err != nil {
				return Value{}, err
			}
			d[e.key] = v
		}
		return Value{Kind: KindDict, Dict: d}, nil
	}
	return Value{}, fmt.Errorf("%w: %s cannot be a handler argument", ErrBadLiteral, n.describe(p.mapping))
}
