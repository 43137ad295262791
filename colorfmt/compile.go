package colorfmt

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.uber.org/zap/buffer"
)

// maxWidth caps widths and precisions in specs: a format is configuration,
// and %(message)999999999s would cost a gigabyte per line.
const maxWidth = 4096

// itemKind is what one parsed piece of a format is.
type itemKind uint8

const (
	itemLit   itemKind = iota // literal text
	itemToken                 // a colour token
	itemAttr                  // a record attribute with its conversion
)

// item is one parsed piece of a format, before colour and level folding.
type item struct {
	kind itemKind
	text string // literal text, token name, or attribute name
	info attrInfo
	sp   spec
}

// parser turns a format string in one of Python's three styles into items.
type parser struct {
	format string
	opts   *Options
	items  []item
	lit    strings.Builder
	fields int
}

func (p *parser) errAt(off int, format string, args ...any) error {
	return newFormatError("format", p.format, off, format, args...)
}

func (p *parser) flush() {
	if p.lit.Len() > 0 {
		p.items = append(p.items, item{kind: itemLit, text: p.lit.String()})
		p.lit.Reset()
	}
}

// token tries a colour token at f[i] == '$' (format styles % and {); it
// returns the bytes consumed, or 0 when no token starts there.
func (p *parser) token(i int) int {
	if !p.opts.Tokens {
		return 0
	}
	name := matchToken(p.format[i+1:])
	if name == "" {
		return 0
	}
	p.flush()
	p.items = append(p.items, item{kind: itemToken, text: name})
	return 1 + len(name)
}

// resolve looks an attribute name up; off is where the name starts.
func (p *parser) resolve(name string, off int) (attrInfo, error) {
	if info, ok := attrs[name]; ok {
		return info, nil
	}
	if _, ok := p.opts.Defaults[name]; ok {
		return attrInfo{attr: attrDefault, kind: kindStr}, nil
	}
	if why, ok := unsupportedAttrs[name]; ok {
		return attrInfo{}, p.errAt(off, "attribute %q is not supported: %s", name, why)
	}
	return attrInfo{}, p.errAt(off, "unknown attribute %q", name)
}

func (p *parser) addAttr(name string, info attrInfo, sp spec) {
	p.flush()
	p.items = append(p.items, item{kind: itemAttr, text: name, info: info, sp: sp})
	p.fields++
}

// number reads decimal digits at f[i:]; it returns the value (or -1 when
// there are none) and the offset after them.
func (p *parser) number(i int) (int, int, error) {
	start, n := i, 0
	for i < len(p.format) && p.format[i] >= '0' && p.format[i] <= '9' {
		n = n*10 + int(p.format[i]-'0')
		if n > maxWidth {
			return 0, i, p.errAt(start, "width or precision too large (at most %d)", maxWidth)
		}
		i++
	}
	if i == start {
		return -1, i, nil
	}
	return n, i, nil
}

// parsePercent reads Python's default "%" style: %(name)[flags][width][.prec]type.
func (p *parser) parsePercent() error {
	f := p.format
	for i := 0; i < len(f); {
		switch f[i] {
		case '$':
			if n := p.token(i); n > 0 {
				i += n
				continue
			}
		case '%':
			n, err := p.percentSpec(i)
			if err != nil {
				return err
			}
			i += n
			continue
		}
		p.lit.WriteByte(f[i])
		i++
	}
	p.flush()
	if p.fields == 0 && !percentValidation.MatchString(f) {
		return p.errAt(0, "no %%(name)s field: Python rejects such a format for style '%%'")
	}
	return nil
}

// percentValidation is PercentStyle.validation_pattern, which Python
// searches the whole format for: it does not see "%%" escapes, so
// "%%(message)s" passes (and renders the text "%(message)s"), as here.
// Python's \w is Unicode's word characters.
var percentValidation = regexp.MustCompile(`%\([\p{L}\p{N}_]+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]`)

// percentSpec parses one % conversion at f[i]; it returns its length.
func (p *parser) percentSpec(i int) (int, error) {
	f := p.format
	if i+1 >= len(f) {
		return 0, p.errAt(i, "incomplete format: lone '%%' at the end (write %%%% for a literal %%)")
	}
	if f[i+1] == '%' {
		p.lit.WriteByte('%')
		return 2, nil
	}
	if f[i+1] != '(' {
		return 0, p.errAt(i, "format requires a mapping: write %%(name)s (or %%%% for a literal %%)")
	}
	depth, j := 1, i+2
	for ; j < len(f) && depth > 0; j++ {
		switch f[j] {
		case '(':
			depth++
		case ')':
			depth--
		}
	}
	if depth > 0 {
		return 0, p.errAt(i, "incomplete format key: missing ')'")
	}
	name := f[i+2 : j-1]
	sp := spec{width: -1, prec: -1, align: '>'}
	var minus, zero bool
	k := j
flags:
	for ; k < len(f); k++ {
		switch f[k] {
		case '-':
			minus = true
		case '0':
			zero = true
		case '+':
			sp.sign = '+'
		case ' ':
			if sp.sign == 0 {
				sp.sign = ' '
			}
		case '#':
			sp.alt = true
		default:
			break flags
		}
	}
	if k < len(f) && f[k] == '*' {
		return 0, p.errAt(k, "'*' width needs a tuple argument; logging passes a mapping")
	}
	w, k, err := p.number(k)
	if err != nil {
		return 0, err
	}
	sp.width = w
	if k < len(f) && f[k] == '.' {
		k++
		if k < len(f) && f[k] == '*' {
			return 0, p.errAt(k, "'*' precision needs a tuple argument; logging passes a mapping")
		}
		var pr int
		pr, k, err = p.number(k)
		if err != nil {
			return 0, err
		}
		sp.prec = max(pr, 0) // "%(x).s" is precision 0, as in Python
	}
	for k < len(f) && (f[k] == 'h' || f[k] == 'l' || f[k] == 'L') {
		k++ // length modifiers: accepted and ignored, as in Python
	}
	if k >= len(f) {
		return 0, p.errAt(i, "incomplete format: %q has no conversion type", f[i:])
	}
	sp.verb = f[k]
	if !strings.ContainsRune("srdiuoxXeEfFgGa", rune(sp.verb)) {
		r, _ := utf8.DecodeRuneInString(f[k:])
		return 0, p.errAt(k, "unsupported format character %q (0x%x)", r, r)
	}
	info, err := p.resolve(name, i)
	if err != nil {
		return 0, err
	}
	numeric := !strings.ContainsRune("sra", rune(sp.verb))
	switch {
	case minus:
		sp.align = '<'
	case zero && numeric:
		sp.align, sp.fill = '=', '0'
	}
	if msg := sp.check(info.kind, false); msg != "" {
		return 0, p.errAt(i, "%s (attribute %q)", msg, name)
	}
	p.addAttr(name, info, sp)
	return k + 1 - i, nil
}

// isIdent reports whether s is a Python identifier as string.Template
// reads it: [_a-zA-Z][_a-zA-Z0-9]*.
func isIdent(s string) bool {
	return s != "" && identLen(s) == len(s)
}

// identLen is the length of the identifier at the start of s.
func identLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') || (i > 0 && c >= '0' && c <= '9') {
			continue
		}
		return i
	}
	return len(s)
}

// parseDollar reads Python's "$" style (string.Template): $name, ${name}
// and $$. With Tokens set, a placeholder naming a colour token is one.
func (p *parser) parseDollar() error {
	f := p.format
	for i := 0; i < len(f); {
		if f[i] != '$' {
			p.lit.WriteByte(f[i])
			i++
			continue
		}
		var name string
		start, next := i+1, 0
		switch {
		case i+1 < len(f) && f[i+1] == '$':
			p.lit.WriteByte('$')
			i += 2
			continue
		case i+1 < len(f) && f[i+1] == '{':
			end := strings.IndexByte(f[i+2:], '}')
			if end < 0 {
				return p.errAt(i, "invalid placeholder: missing '}'")
			}
			start = i + 2
			name = f[start : start+end]
			next = start + end + 1
			if !isIdent(name) {
				return p.errAt(start, "invalid placeholder %q: want an identifier", name)
			}
		default:
			n := identLen(f[i+1:])
			if n == 0 {
				return p.errAt(i, "invalid placeholder: write $name, ${name} or $$ for a literal $")
			}
			name = f[i+1 : i+1+n]
			next = i + 1 + n
		}
		if _, ok := tokens[name]; p.opts.Tokens && (ok || name == colorToken) {
			p.flush()
			p.items = append(p.items, item{kind: itemToken, text: name})
		} else {
			info, err := p.resolve(name, i)
			if err != nil {
				return err
			}
			p.addAttr(name, info, spec{verb: 's', width: -1, prec: -1, align: '>'})
		}
		i = next
	}
	p.flush()
	if p.fields == 0 {
		return p.errAt(0, "no $name field: Python rejects such a format for style '$'")
	}
	return nil
}

// parseBrace reads Python's "{" style (str.format): {name}, {name!r},
// {name:spec} and {{ }}.
func (p *parser) parseBrace() error {
	f := p.format
	for i := 0; i < len(f); {
		switch f[i] {
		case '$':
			if n := p.token(i); n > 0 {
				i += n
				continue
			}
		case '}':
			if i+1 < len(f) && f[i+1] == '}' {
				p.lit.WriteByte('}')
				i += 2
				continue
			}
			return p.errAt(i, "single '}' encountered (write }} for a literal })")
		case '{':
			if i+1 < len(f) && f[i+1] == '{' {
				p.lit.WriteByte('{')
				i += 2
				continue
			}
			end := strings.IndexAny(f[i+1:], "{}")
			if end < 0 || f[i+1+end] == '{' {
				return p.errAt(i, "unterminated or nested replacement field")
			}
			if err := p.braceField(i+1, f[i+1:i+1+end]); err != nil {
				return err
			}
			i += end + 2
			continue
		}
		p.lit.WriteByte(f[i])
		i++
	}
	p.flush()
	if p.fields == 0 {
		return p.errAt(0, "no {name} field: Python rejects such a format for style '{'")
	}
	return nil
}

// braceField parses the inside of {...} starting at offset off.
func (p *parser) braceField(off int, field string) error {
	name, rest := field, ""
	if k := strings.IndexAny(field, "!:"); k >= 0 {
		name, rest = field[:k], field[k:]
	}
	if name == "" {
		return p.errAt(off-1, "positional fields are not supported: name an attribute, e.g. {message}")
	}
	if strings.ContainsAny(name, ".[") {
		return p.errAt(off-1, "attribute and index lookups are not supported in %q", name)
	}
	info, err := p.resolve(name, off-1)
	if err != nil {
		return err
	}
	conv := byte(0)
	if strings.HasPrefix(rest, "!") {
		if len(rest) < 2 || !strings.ContainsRune("rsa", rune(rest[1])) || (len(rest) > 2 && rest[2] != ':') {
			return p.errAt(off+len(name), "conversion must be !r, !s or !a")
		}
		conv, rest = rest[1], rest[2:]
		info.kind = kindStr
	}
	specOff := off + len(name) + 1
	if conv != 0 {
		specOff += 2
	}
	sp, err := p.braceSpec(strings.TrimPrefix(rest, ":"), specOff, info.kind)
	if err != nil {
		return err
	}
	if conv == 'r' || conv == 'a' {
		if sp.verb != 's' {
			return p.errAt(specOff, "a !%c conversion gives a str: use type s", conv)
		}
		sp.verb = conv
	}
	if msg := sp.check(info.kind, true); msg != "" {
		return p.errAt(off-1, "%s (attribute %q)", msg, name)
	}
	p.addAttr(name, info, sp)
	return nil
}

// braceSpec parses a str.format spec: [[fill]align][sign][#][0][width][.prec][type].
func (p *parser) braceSpec(s string, off int, kind valueKind) (spec, error) {
	sp := spec{width: -1, prec: -1}
	i := 0
	if r, w := utf8.DecodeRuneInString(s); w > 0 && w < len(s) && strings.IndexByte("<>=^", s[w]) >= 0 {
		sp.fill, sp.align, i = r, s[w], w+1
	} else if len(s) > 0 && strings.IndexByte("<>=^", s[0]) >= 0 {
		sp.align, i = s[0], 1
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-' || s[i] == ' ') {
		if kind == kindStr {
			// Python refuses any sign, '-' too, when it formats a str.
			what := map[byte]string{'+': "Sign", '-': "Sign", ' ': "Space"}[s[i]]
			return sp, p.errAt(off+i, "%s not allowed in string format specifier (Python raises ValueError)", what)
		}
		if s[i] != '-' {
			sp.sign = s[i]
		}
		i++
	}
	if i < len(s) && s[i] == '#' {
		sp.alt = true
		i++
	}
	if i < len(s) && s[i] == '0' {
		// Python 3.10+: '0' is the fill (unless one is given) with the
		// default alignment: '=' for numbers, '<' for a str.
		if sp.fill == 0 {
			sp.fill = '0'
		}
		if sp.align == 0 {
			sp.align = '='
			if kind == kindStr {
				sp.align = '<'
			}
		}
		i++
	}
	// s is p.format[off:off+len(s)]: read numbers in place.
	w, end, err := p.number(off + i)
	if err != nil {
		return sp, err
	}
	sp.width, i = w, end-off
	if i < len(s) && s[i] == '.' {
		var pr int
		if pr, end, err = p.number(off + i + 1); err != nil {
			return sp, err
		}
		if pr < 0 {
			return sp, p.errAt(off+i, "format specifier missing precision")
		}
		sp.prec, i = pr, end-off
	}
	if i < len(s) {
		sp.verb = s[i]
		if !strings.ContainsRune("sdoxXeEfFgG", rune(sp.verb)) || i+1 != len(s) {
			return sp, p.errAt(off+i, "invalid or unsupported format specifier %q", s)
		}
		// str.format, unlike %, takes no int code for a float and no 's'
		// for an int: Python raises ValueError when it formats the record.
		if kind == kindFloat && strings.IndexByte("doxX", sp.verb) >= 0 || kind == kindInt && sp.verb == 's' {
			return sp, p.errAt(off+i, "Unknown format code '%c' for object of type '%s' (Python raises ValueError)", sp.verb, kindName(kind))
		}
	} else {
		switch kind {
		case kindStr:
			sp.verb = 's'
		case kindInt:
			sp.verb = 'd'
		default:
			if sp.prec >= 0 {
				return sp, p.errAt(off, "precision without a type on a float: add f, e or g")
			}
			// str(float) is repr(float), with the spec's sign, '=' and
			// zero padding, as format(x, '+') gives.
			sp.verb, sp.floatRepr = 's', true
		}
	}
	if sp.align == 0 {
		sp.align = '>'
		if kind == kindStr {
			sp.align = '<'
		}
	}
	if sp.align == '=' && kind == kindStr {
		return sp, p.errAt(off, "'=' alignment not allowed in string format specifier")
	}
	return sp, nil
}

// parseFormat parses format in the style opts.Style names.
func parseFormat(format string, opts *Options) ([]item, error) {
	if format == "" {
		// Python's Formatter: "fmt or the style's default format".
		format = map[string]string{"": "%(message)s", "%": "%(message)s", "{": "{message}", "$": "${message}"}[opts.Style]
	}
	p := &parser{format: format, opts: opts}
	var err error
	switch opts.Style {
	case "", "%":
		err = p.parsePercent()
	case "{":
		err = p.parseBrace()
	case "$":
		err = p.parseDollar()
	default:
		return nil, fmt.Errorf("colorfmt: style %q: want '%%', '{' or '$'", opts.Style)
	}
	if err != nil {
		return nil, err
	}
	return p.items, nil
}

// segKind is what a compiled segment renders.
type segKind uint8

const (
	segLit    segKind = iota // constant bytes
	segLevel                 // bytes chosen by the entry's level
	segAttr                  // a per-entry attribute
	segFields                // the zap fields (after the message)
)

// segment is one step of a compiled format. Rendering a line appends each
// segment in turn and never looks at the format again.
type segment struct {
	kind  segKind
	lit   []byte
	level *[numLevels][]byte
	attr  attr
	plain bool // spec is a bare %s: append the value as is
	sp    spec
}

// builder folds items into segments: constant text, colour tokens and the
// level-only attributes (levelname, levelno) merge into one literal or one
// per-level segment between per-entry attributes.
type builder struct {
	segs    []segment
	pending [numLevels][]byte
	isConst bool
	any     bool
}

func (b *builder) addConst(s string) {
	for i := range b.pending {
		b.pending[i] = append(b.pending[i], s...)
	}
	if !b.any {
		b.isConst = true
	}
	b.any = true
}

func (b *builder) addLevel(texts *[numLevels]string) {
	for i := range b.pending {
		b.pending[i] = append(b.pending[i], texts[i]...)
	}
	b.any = true
	b.isConst = false
}

func (b *builder) flushPending() {
	if !b.any {
		return
	}
	if b.isConst {
		b.segs = append(b.segs, segment{kind: segLit, lit: b.pending[0]})
	} else {
		lv := b.pending
		b.segs = append(b.segs, segment{kind: segLevel, level: &lv})
	}
	b.pending = [numLevels][]byte{}
	b.any, b.isConst = false, false
}

func (b *builder) add(s segment) {
	b.flushPending()
	b.segs = append(b.segs, s)
}

// render formats a constant value under sp at compile time.
func renderConst(fn func(*buffer.Buffer)) string {
	buf := bufferPool.Get()
	defer buf.Free()
	fn(buf)
	return buf.String()
}

// compileSegments turns items into segments for opts.
func compileSegments(items []item, opts *Options) []segment {
	var b builder
	fieldsPlaced := false
	for _, it := range items {
		switch it.kind {
		case itemLit:
			b.addConst(it.text)
		case itemToken:
			if !opts.Color {
				continue
			}
			if it.text == colorToken {
				b.addLevel(&levelColors)
			} else {
				b.addConst(tokens[it.text])
			}
		case itemAttr:
			sp := it.sp
			switch it.info.attr {
			case attrLevelname, attrLevelno:
				var texts [numLevels]string
				for l := range texts {
					texts[l] = renderConst(func(buf *buffer.Buffer) {
						if it.info.attr == attrLevelname {
							appendStr(buf, levelNames[l], &sp)
						} else {
							appendInt(buf, levelNumbers[l], &sp)
						}
					})
				}
				b.addLevel(&texts)
			case attrProcess:
				b.addConst(renderConst(func(buf *buffer.Buffer) { appendInt(buf, int64(pid), &sp) }))
			case attrDefault:
				v := opts.Defaults[it.text]
				b.addConst(renderConst(func(buf *buffer.Buffer) { appendStr(buf, v, &sp) }))
			default:
				b.add(segment{kind: segAttr, attr: it.info.attr, sp: sp, plain: sp.plain()})
				if it.info.attr == attrMessage && !fieldsPlaced {
					b.add(segment{kind: segFields})
					fieldsPlaced = true
				}
			}
		}
	}
	if !fieldsPlaced {
		b.add(segment{kind: segFields})
	}
	b.flushPending()
	return b.segs
}
