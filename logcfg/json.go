package logcfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/livelog/livelog/internal/pylit"
	"go.uber.org/zap/zapcore"
)

// ParseJSON reads a dictConfig-style JSON object (version 1), the other
// format Python's logging.config.listen accepts. The subset livelog reads:
//
//	{"version": 1,
//	 "incremental": false,                  // true: only levels change
//	 "disable_existing_loggers": false,     // accepted, with a warning: livelog never disables loggers
//	 "formatters": {"f": {"format": "...", "datefmt": "...", "style": "%", "class": "..."}},
//	 "handlers":   {"h": {"class": "StreamHandler", "level": "INFO", "formatter": "f",
//	                      "stream": "ext://sys.stdout", "filename": "...", ...}},
//	 "loggers":    {"app.db": {"level": "DEBUG", "handlers": ["h"], "propagate": false}},
//	 "root":       {"level": "WARNING", "handlers": ["h"]}}
//
// Every handler key other than class, level and formatter is a keyword
// argument of the handler class (Config.Handlers[i].Kwargs). Levels are
// names or Python's numbers (10, 20, ...). "root" is required unless
// "incremental" is true; in incremental mode only the loggers and handlers
// that give a level are kept, as only levels change. Filters, "()"
// factories, "." properties and cfg:// references are rejected.
func ParseJSON(data []byte, name string, opts ...ParseOption) (*Config, error) {
	if err := checkUTF8(data, name); err != nil {
		return nil, err
	}
	top, err := decodeObject(bytes.TrimPrefix(data, bom), name)
	if err != nil {
		return nil, err
	}
	var o parseOptions
	for _, opt := range opts {
		opt.applyParseOption(&o)
	}
	p := &jsonParser{file: name, cfg: &Config{File: name}, reg: o.classes()}
	p.parse(top)
	finishWarnings(p.cfg, p.warnOmitted)
	if len(p.errs) > 0 {
		return nil, joinErrors(p.errs)
	}
	if o.python != nil {
		pyDict(p.cfg, o.python) // WithPythonCheck
	}
	return p.cfg, nil
}

// ParsePayload reads a config as Python's logging.config.listen does: a
// payload that is a JSON object is a dictConfig ([ParseJSON]; an error in
// it is reported as such, never retried as INI); anything else is
// fileConfig INI ([Parse]), read with opts.
func ParsePayload(data []byte, name string, opts ...ParseOption) (*Config, error) {
	if t := bytes.TrimLeft(bytes.TrimPrefix(data, bom), " \t\r\n"); len(t) > 0 && t[0] == '{' {
		// No INI file starts with '{' (configparser would fail on a line
		// before the first section), so a broken JSON object is reported
		// as the JSON error it is.
		return ParseJSON(data, name, opts...)
	}
	return parseINI(data, name, opts)
}

// decodeObject decodes a JSON object, numbers kept as json.Number.
func decodeObject(data []byte, name string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var top any
	err := dec.Decode(&top)
	if err == nil && dec.More() {
		err = fmt.Errorf("data after the JSON object at offset %d", dec.InputOffset())
	}
	if err != nil {
		e := &Error{File: name, Err: fmt.Errorf("%w: not a JSON object: %v", ErrSyntax, err)}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			e.Line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		}
		return nil, e
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, &Error{File: name, Err: fmt.Errorf("%w: the JSON config must be an object, not %s", ErrSyntax, jsonKind(top))}
	}
	return obj, nil
}

type jsonParser struct {
	reg  *Registry
	file string
	cfg  *Config
	errs []error
	// warnOmitted counts the warnings past maxWarnings.
	warnOmitted int
}

func (p *jsonParser) fail(section, key string, err error) {
	p.errs = append(p.errs, &Error{File: p.file, Section: section, Key: key, Err: err})
}

func (p *jsonParser) warn(section, key, format string, args ...any) {
	addWarning(p.cfg, &p.warnOmitted, Warning{
		Pos: Pos{File: p.file, Section: section}, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (p *jsonParser) parse(top map[string]any) {
	switch v := top["version"].(type) {
	case nil:
		p.fail("", "version", fmt.Errorf(`%w: "version": 1 is required`, ErrMissingKey))
		return
	case json.Number:
		if v.String() != "1" {
			p.fail("", "version", fmt.Errorf("%w: unsupported version %s (want 1)", ErrSyntax, v))
			return
		}
	default:
		p.fail("", "version", fmt.Errorf("%w: version must be the number 1, not %s", ErrSyntax, jsonKind(v)))
		return
	}
	p.cfg.Incremental = p.boolean("", "incremental", top["incremental"], false)
	if _, ok := top["disable_existing_loggers"]; ok {
		p.boolean("", "disable_existing_loggers", top["disable_existing_loggers"], true)
		p.warn("", "disable_existing_loggers", "livelog never disables loggers a config does not mention; they keep inheriting from their ancestors")
	}
	for _, k := range sortedKeys(top) {
		switch k {
		case "version", "incremental", "disable_existing_loggers", "formatters", "handlers", "loggers", "root":
		case "filters":
			if m, ok := top[k].(map[string]any); !ok || len(m) > 0 {
				p.fail("", k, fmt.Errorf("%w: filters are not supported", ErrSyntax))
			}
		default:
			p.warn("", k, "dictConfig does not read key %q; Python ignores it", k)
		}
	}
	formatters := p.objects("formatters", top["formatters"])
	handlers := p.objects("handlers", top["handlers"])
	loggers := p.objects("loggers", top["loggers"])
	if p.cfg.Incremental {
		if len(formatters) > 0 {
			p.warn("formatters", "", "formatters are ignored in incremental mode")
		}
	} else {
		for _, n := range sortedKeys(formatters) {
			p.formatter(n, formatters[n].(map[string]any))
		}
	}
	for _, n := range sortedKeys(handlers) {
		p.handler(n, handlers[n].(map[string]any), formatters)
	}
	switch root := top["root"].(type) {
	case map[string]any:
		p.logger("root", "root", root, handlers)
	case nil:
		if !p.cfg.Incremental {
			p.fail("root", "", fmt.Errorf(`%w: "root" is required (unless "incremental": true)`, ErrMissingSection))
		}
	default:
		p.fail("root", "", fmt.Errorf("%w: root must be an object, not %s", ErrSyntax, jsonKind(root)))
	}
	for _, n := range sortedKeys(loggers) {
		if n == "" || n == "root" {
			p.fail("loggers", n, fmt.Errorf(`%w: logger %q names the root logger; configure it under "root"`, ErrSyntax, n))
			continue
		}
		p.logger("loggers."+n, n, loggers[n].(map[string]any), handlers)
	}
}

// objects reads an object of objects (formatters, handlers, loggers).
func (p *jsonParser) objects(section string, v any) map[string]any {
	if v == nil {
		return map[string]any{}
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.fail(section, "", fmt.Errorf("%w: %s must be an object, not %s", ErrSyntax, section, jsonKind(v)))
		return map[string]any{}
	}
	for _, k := range sortedKeys(m) {
		if _, ok := m[k].(map[string]any); !ok {
			p.fail(section+"."+k, "", fmt.Errorf("%w: must be an object, not %s", ErrSyntax, jsonKind(m[k])))
			delete(m, k)
		}
	}
	return m
}

func (p *jsonParser) formatter(name string, m map[string]any) {
	sec := "formatters." + name
	f := FormatterConfig{Key: name, Style: "%", Extra: map[string]string{}, Pos: Pos{File: p.file, Section: sec}}
	ok := p.rejectFactories(sec, m)
	f.Style = p.str(sec, "style", m["style"], "%")
	if defaultFormats[f.Style] == "" {
		p.fail(sec, "style", fmt.Errorf(`%w: style %q (want "%%", "{" or "$")`, ErrBadFormat, f.Style))
		ok = false
	}
	f.Format = p.str(sec, "format", m["format"], "")
	if f.Format == "" {
		f.Format = defaultFormats[f.Style]
	}
	if m["datefmt"] != nil {
		f.Datefmt, f.HasDatefmt = p.str(sec, "datefmt", m["datefmt"], ""), true
	}
	f.Class = p.str(sec, "class", m["class"], "")
	for _, k := range sortedKeys(m) {
		switch {
		case slices.Contains(formatterKeys, k), k == "()":
		case k == "validate":
			p.boolean(sec, k, m[k], true)
		default:
			f.Extra[strings.ToLower(k)] = scalarText(m[k])
			if !slices.Contains(livelogFormatterKeys, strings.ToLower(k)) {
				p.warn(sec, k, "formatters do not read key %q; livelog ignores it", k)
			}
		}
	}
	if ok {
		if fc, err := p.reg.FormatterClass(f.Class); err != nil {
			p.fail(sec, "class", err)
		} else if err := fc.Check(&f); err != nil {
			p.fail(sec, "", err)
		}
	}
	p.cfg.Formatters = append(p.cfg.Formatters, f)
}

func (p *jsonParser) handler(name string, m map[string]any, formatters map[string]any) {
	sec := "handlers." + name
	h := HandlerConfig{Key: name, Level: NotSet, Args: []Value{}, Kwargs: map[string]Value{}, Pos: Pos{File: p.file, Section: sec}}
	if p.cfg.Incremental {
		if m["level"] == nil {
			p.warn(sec, "", "no level: nothing to change in incremental mode")
			return
		}
		h.Level = p.level(sec, m["level"])
		p.cfg.Handlers = append(p.cfg.Handlers, h)
		return
	}
	ok := p.rejectFactories(sec, m)
	h.Class = p.str(sec, "class", m["class"], "")
	if h.Class == "" && m["class"] == nil {
		p.fail(sec, "class", fmt.Errorf("%w: a handler needs a class", ErrMissingKey))
		ok = false
	}
	if m["level"] != nil {
		h.Level = p.level(sec, m["level"])
	}
	if f := p.str(sec, "formatter", m["formatter"], ""); f != "" {
		h.Formatter = f
		if _, defined := formatters[f]; !defined {
			p.fail(sec, "formatter", fmt.Errorf("%w: formatter %q is not defined under \"formatters\"", ErrUndefined, f))
		}
	}
	for _, k := range sortedKeys(m) {
		switch k {
		case "class", "level", "formatter", "()", ".", "filters":
			continue
		}
		v, err := jsonValue(m[k], 0)
		if err != nil {
			p.fail(sec, k, err)
			ok = false
			continue
		}
		h.Kwargs[k] = v
	}
	if ok && h.Class != "" {
		if hc, err := p.reg.HandlerClass(h.Class); err != nil {
			p.fail(sec, "class", err)
		} else if err := hc.Check(&h); err != nil {
			p.fail(sec, "", err)
		}
	}
	p.cfg.Handlers = append(p.cfg.Handlers, h)
}

func (p *jsonParser) logger(sec, name string, m map[string]any, handlers map[string]any) {
	p.rejectFactories(sec, m)
	l := LoggerConfig{Key: name, Name: name, Level: NotSet, Propagate: true, Handlers: []string{}, Pos: Pos{File: p.file, Section: sec}}
	if name == "root" {
		l.Level = zapcore.WarnLevel
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains([]string{"level", "handlers", "propagate", "filters"}, k) || name == "root" && k == "propagate" {
			p.warn(sec, k, "dictConfig does not read key %q here; Python ignores it", k)
		}
	}
	if p.cfg.Incremental {
		if m["level"] == nil {
			p.warn(sec, "", "no level: nothing to change in incremental mode")
			return
		}
		if m["handlers"] != nil || m["propagate"] != nil {
			p.warn(sec, "", "only the level is applied in incremental mode")
		}
	}
	if m["level"] != nil {
		l.Level = p.level(sec, m["level"])
	}
	if name != "root" {
		l.Propagate = p.boolean(sec, "propagate", m["propagate"], true)
	}
	if hs := m["handlers"]; hs != nil && !p.cfg.Incremental {
		list, ok := hs.([]any)
		if !ok {
			p.fail(sec, "handlers", fmt.Errorf("%w: handlers must be a list of names, not %s", ErrSyntax, jsonKind(hs)))
		}
		seen := make(map[string]bool, len(list))
		for _, h := range list {
			n, ok := h.(string)
			switch {
			case !ok:
				p.fail(sec, "handlers", fmt.Errorf("%w: handler names must be strings, not %s", ErrSyntax, jsonKind(h)))
			case handlers[n] == nil:
				p.fail(sec, "handlers", fmt.Errorf("%w: handler %q is not defined under \"handlers\"", ErrUndefined, n))
			case !seen[n]:
				seen[n] = true
				l.Handlers = append(l.Handlers, n)
			}
		}
	}
	p.cfg.Loggers = append(p.cfg.Loggers, l)
}

// rejectFactories refuses what would make Python call code: "()" user
// factories, "." attribute setting and filters.
func (p *jsonParser) rejectFactories(sec string, m map[string]any) bool {
	ok := true
	if _, has := m["()"]; has {
		p.fail(sec, "()", fmt.Errorf(`%w: "()" factories are not supported: livelog calls no code from a config (register a class instead)`, ErrUnknownClass))
		ok = false
	}
	if _, has := m["."]; has {
		p.fail(sec, ".", fmt.Errorf(`%w: "." properties are not supported`, ErrBadArgs))
		ok = false
	}
	if f, has := m["filters"]; has {
		if l, isList := f.([]any); !isList || len(l) > 0 {
			p.fail(sec, "filters", fmt.Errorf("%w: filters are not supported", ErrSyntax))
			ok = false
		}
	}
	return ok
}

func (p *jsonParser) str(sec, key string, v any, def string) string {
	switch s := v.(type) {
	case nil:
		return def
	case string:
		return s
	}
	p.fail(sec, key, fmt.Errorf("%w: %s must be a string, not %s", ErrSyntax, key, jsonKind(v)))
	return def
}

func (p *jsonParser) boolean(sec, key string, v any, def bool) bool {
	switch b := v.(type) {
	case nil:
		return def
	case bool:
		return b
	case json.Number:
		switch b.String() {
		case "0":
			return false
		case "1":
			return true
		}
	}
	p.fail(sec, key, fmt.Errorf("%w: %s must be true or false, not %s", ErrSyntax, key, jsonKind(v)))
	return def
}

func (p *jsonParser) level(sec string, v any) zapcore.Level {
	var (
		l   zapcore.Level
		err error
	)
	switch x := v.(type) {
	case string:
		l, err = ParseLevel(x)
	case json.Number:
		n, perr := x.Int64()
		if perr != nil || n != int64(int(n)) {
			err = fmt.Errorf("%w %s (want 0, 10, 20, 30, 40 or 50)", ErrBadLevel, x)
		} else {
			l, err = levelFromNumber(int(n))
		}
	default:
		err = fmt.Errorf("%w: want a level name or number, not %s", ErrBadLevel, jsonKind(v))
	}
	if err != nil {
		p.fail(sec, "level", err)
		return NotSet
	}
	return l
}

// jsonValue converts a handler's keyword argument from JSON to a Value.
func jsonValue(v any, depth int) (Value, error) {
	if depth > pylit.MaxDepth {
		return Value{}, fmt.Errorf("%w: nested deeper than %d levels", ErrBadLiteral, pylit.MaxDepth)
	}
	switch x := v.(type) {
	case nil:
		return Value{Kind: KindNone}, nil
	case bool:
		return Value{Kind: KindBool, Bool: x}, nil
	case string:
		if s, ok := pylit.ExtStream(x); ok {
			return s, nil
		}
		if strings.HasPrefix(x, "ext://") || strings.HasPrefix(x, "cfg://") {
			return Value{}, fmt.Errorf("%w: %q: only ext://sys.stdout and ext://sys.stderr are supported (livelog resolves no other references)", ErrBadLiteral, x)
		}
		return Value{Kind: KindString, Str: x}, nil
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return Value{Kind: KindInt, Int: n}, nil
		}
		if strings.ContainsAny(x.String(), ".eE") {
			if f, err := x.Float64(); err == nil {
				return Value{Kind: KindFloat, Float: f}, nil
			}
		}
		return Value{}, fmt.Errorf("%w: number %s is out of range", ErrBadLiteral, x)
	case []any:
		items := make([]Value, 0, len(x))
		for _, e := range x {
			iv, err := jsonValue(e, depth+1)
			if err != nil {
				return Value{}, err
			}
			items = append(items, iv)
		}
		return Value{Kind: KindTuple, Items: items}, nil
	case map[string]any:
		d := make(map[string]Value, len(x))
		for k, e := range x {
			dv, err := jsonValue(e, depth+1)
			if err != nil {
				return Value{}, err
			}
			d[k] = dv
		}
		return Value{Kind: KindDict, Dict: d}, nil
	}
	return Value{}, fmt.Errorf("%w: unexpected JSON value %v", ErrBadLiteral, v)
}

// scalarText is a JSON scalar as text for FormatterConfig.Extra.
func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
