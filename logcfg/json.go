package logcfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseJSON reads a dictConfig as a JSON object (version 1), the other
// format Python's logging.config.listen accepts. It reads the whole
// dictConfig schema but user factories:
//
//	{"version": 1,
//	 "incremental": false,                  // true: only levels change
//	 "disable_existing_loggers": false,     // livelog never disables loggers (true is a warning)
//	 "formatters": {"f": {"format": "...", "datefmt": "...", "style": "%", "class": "...",
//	                      "validate": true, "defaults": {"key": "value"}}},
//	 "filters":    {"db": {"name": "app.db"}},
//	 "handlers":   {"h": {"class": "logging.StreamHandler", "level": "INFO", "formatter": "f",
//	                      "filters": ["db"], "stream": "ext://sys.stdout", ...}},
//	 "loggers":    {"app.db": {"level": "DEBUG", "handlers": ["h"], "propagate": false, "filters": ["db"]}},
//	 "root":       {"level": "WARNING", "handlers": ["h"]}}
//
// Every handler key other than class, level, formatter and filters is a
// keyword argument of the handler class (Config.Handlers[i].Kwargs), and
// must be a Python identifier, as in Python. Levels are names or Python's
// numbers (10, 20, ...). A config without "root" leaves the root at
// WARNING with no handlers (a fresh Python process's root). In
// incremental mode only the loggers and handlers that give a level are
// kept, as only levels change. "()" factories, "." properties, and ext://
// (but ext://sys.stdout and ext://sys.stderr as handler arguments) and
// cfg:// references are rejected, naming the key. A key given twice in
// one object is an error (Python keeps the last one).
//
// Errors name the file, line and column, the section ("handlers.h") and
// the key. The same rules as [Parse] hold for encoding (UTF-8, a BOM
// allowed) and for the size of an error's text ([MaxErrorText]).
func ParseJSON(data []byte, name string, opts ...ParseOption) (*Config, error) {
	o := collectParseOptions(opts)
	if err := checkUTF8(data, name); err != nil {
		return nil, err
	}
	text := bytes.TrimPrefix(data, bom)
	top, err := readJSON(text, name)
	if err != nil {
		if o.work != nil {
			*o.work = len(data)
		}
		return nil, err
	}
	return parseDict(top, name, "JSON", "an object", &o, len(data))
}

// ParsePayload reads a config as Python's logging.config.listen does,
// and YAML too. After leading blank lines and comment lines (# or ;):
//
//   - a payload that starts with "{" is a JSON dictConfig ([ParseJSON];
//     an error in it is reported as such, never retried as INI), as
//     Python's listen tries json.loads first;
//   - one that starts with "[" (a section header), or that is empty, is
//     fileConfig INI ([Parse]), read with opts, as listen's fallback;
//   - anything else is a YAML dictConfig ([ParseYAML]): no INI that
//     fileConfig accepts starts otherwise, and no YAML dictConfig (a
//     mapping) starts with "[".
func ParsePayload(data []byte, name string, opts ...ParseOption) (*Config, error) {
	switch payloadFormat(data) {
	case "json":
		return ParseJSON(data, name, opts...)
	case "yaml":
		return ParseYAML(data, name, opts...)
	}
	return parseINI(data, name, opts)
}

// payloadFormat is "json", "ini" or "yaml", by ParsePayload's rule.
func payloadFormat(data []byte) string {
	rest := bytes.TrimPrefix(data, bom)
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		t := bytes.TrimLeft(line, " \t\r\f\v")
		switch {
		case len(t) == 0 || t[0] == '#' || t[0] == ';':
			continue
		case t[0] == '{':
			return "json"
		case t[0] == '[':
			return "ini"
		}
		return "yaml"
	}
	return "ini"
}

func collectParseOptions(opts []ParseOption) parseOptions {
	var o parseOptions
	for _, opt := range opts {
		opt.applyParseOption(&o)
	}
	return o
}

// jsonReader reads a JSON document into dnodes with their line and
// column: encoding/json checks the syntax (and places its errors), then
// the reader scans the bytes, known to be valid JSON, once.
type jsonReader struct {
	data []byte
	pos  int
	name string
	// lines are the offsets at which lines start; runes[i] is the number
	// of characters before byte i*runeBlock: positions in O(1) each.
	lines, runes []int
}

const runeBlock = 64

// runesBefore is the number of characters in data[:off].
func (r *jsonReader) runesBefore(off int) int {
	b := off / runeBlock
	if b >= len(r.runes) {
		return utf8.RuneCount(r.data[:off])
	}
	n := r.runes[b]
	for _, c := range r.data[b*runeBlock : off] {
		if utf8.RuneStart(c) {
			n++
		}
	}
	return n
}

// readJSON reads one JSON value (the whole of text) with positions.
func readJSON(text []byte, name string) (*dnode, error) {
	r := &jsonReader{data: text, name: name, lines: []int{0}}
	runes := 0
	for i, c := range text {
		if i%runeBlock == 0 {
			r.runes = append(r.runes, runes)
		}
		if c == '\n' {
			r.lines = append(r.lines, i+1)
		}
		if utf8.RuneStart(c) {
			runes++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, r.syntax(err, int(dec.InputOffset()))
	}
	end := int(dec.InputOffset())
	r.pos = end
	r.space()
	if r.pos < len(text) {
		return nil, r.errAt(r.pos, fmt.Errorf("data after the JSON object at offset %d", r.pos))
	}
	r.data, r.pos = text[:end], 0
	return r.value(0)
}

// lineCol is the 1-based line and column (in characters, as YAML's
// columns count) of offset off.
func (r *jsonReader) lineCol(off int) (int, int) {
	i := sort.Search(len(r.lines), func(i int) bool { return r.lines[i] > off }) - 1
	return i + 1, r.runesBefore(off) - r.runesBefore(r.lines[i]) + 1
}

func (r *jsonReader) errAt(off int, err error) error {
	e := &Error{File: r.name, Err: fmt.Errorf("%w: not a JSON object: %v", ErrSyntax, err)}
	e.Line, e.Column = r.lineCol(min(off, len(r.data)))
	return e
}

// syntax turns a decoder error into an *Error at its offset.
func (r *jsonReader) syntax(err error, off int) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
		if off > 0 && !strings.Contains(se.Error(), "looking for beginning of value") {
			off-- // the decoder's offset is past the byte at fault
		}
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("unexpected end of JSON input")
		off = len(r.data)
	}
	return r.errAt(off, err)
}

// space skips JSON whitespace.
func (r *jsonReader) space() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\r', '\n':
			r.pos++
		default:
			return
		}
	}
}

// value scans the value at r.pos: the input is valid JSON.
func (r *jsonReader) value(depth int) (*dnode, error) {
	r.space()
	off := r.pos
	n := &dnode{}
	n.line, n.col = r.lineCol(off)
	switch c := r.data[off]; c {
	case '{', '[':
		if depth >= maxDictDepth {
			return nil, r.errAt(off, fmt.Errorf("nested deeper than %d levels", maxDictDepth))
		}
		r.pos++
		if c == '[' {
			n.kind = dList
			return n, r.list(n, depth)
		}
		n.kind = dMap
		return n, r.object(n, depth)
	case '"':
		n.kind, n.s = dString, r.str()
	case 't':
		n.kind, n.b = dBool, true
		r.pos += len("true")
	case 'f':
		n.kind = dBool
		r.pos += len("false")
	case 'n':
		n.kind = dNull
		r.pos += len("null")
	default:
		for r.pos < len(r.data) && strings.IndexByte("+-0123456789.eE", r.data[r.pos]) >= 0 {
			r.pos++
		}
		n.s = string(r.data[off:r.pos])
		if i, err := strconv.ParseInt(n.s, 10, 64); err == nil {
			n.kind, n.i = dInt, i
		} else if !strings.ContainsAny(n.s, ".eE") {
			n.kind, n.big = dInt, true
		} else {
			f, _ := strconv.ParseFloat(n.s, 64) // ±Inf for huge ones, as Python's float()
			n.kind, n.f = dFloat, f
		}
	}
	return n, nil
}

func (r *jsonReader) list(n *dnode, depth int) error {
	for {
		r.space()
		switch r.data[r.pos] {
		case ']':
			r.pos++
			return nil
		case ',':
			r.pos++
			continue
		}
		it, err := r.value(depth + 1)
		if err != nil {
			return err
		}
		n.items = append(n.items, it)
	}
}

func (r *jsonReader) object(n *dnode, depth int) error {
	var seen map[string]bool // past a few keys; a linear search before
	for {
		r.space()
		switch r.data[r.pos] {
		case '}':
			r.pos++
			return nil
		case ',':
			r.pos++
			continue
		}
		k, _ := r.value(depth + 1) // a string: the syntax is valid
		dup := seen[k.s]
		if seen == nil {
			dup = n.entry(k.s) != nil
			if len(n.entries) == 8 {
				seen = make(map[string]bool, 16)
				for _, e := range n.entries {
					seen[e.key] = true
				}
			}
		}
		if dup {
			return &Error{File: r.name, Line: k.line, Column: k.col,
				Err: fmt.Errorf("%w: key %q is given twice in one object", ErrDuplicate, clip(k.s))}
		}
		if seen != nil {
			seen[k.s] = true
		}
		r.space()
		r.pos++ // the colon
		v, err := r.value(depth + 1)
		if err != nil {
			return err
		}
		n.entries = append(n.entries, dentry{key: k.s, at: k, val: v})
	}
}

// str scans the string at r.pos (valid JSON) and returns its value.
func (r *jsonReader) str() string {
	start, escaped := r.pos, false
	r.pos++
	for r.data[r.pos] != '"' {
		if r.data[r.pos] == '\\' {
			escaped = true
			r.pos++
		}
		r.pos++
	}
	r.pos++
	if !escaped {
		return string(r.data[start+1 : r.pos-1])
	}
	var s string
	_ = json.Unmarshal(r.data[start:r.pos], &s) // valid: checked by the decoder
	return s
}

// maxDictDepth bounds the nesting of a dictConfig document (a config is
// four levels deep; a handler argument may nest pylit.MaxDepth more).
const maxDictDepth = 64

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
