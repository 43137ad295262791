package pylit

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxDepth bounds the nesting of a literal, so that hostile input cannot
// exhaust the stack. Readers of other formats into a [Value] (dictConfig
// JSON) keep to it too.
const MaxDepth = 32

// Error is a problem at a byte offset of a literal's text. Its message
// names no position of its own: the caller places it (logcfg names the
// file, line and column), as encoding/json's SyntaxError leaves Offset to
// its caller.
type Error struct {
	Offset int    // byte offset in the text where the problem is
	Column int    // 1-based character column of Offset within its line of the text
	Msg    string // what is wrong, e.g. `name "foo" is not allowed: livelog evaluates nothing ...`
}

// Error returns e.Msg.
func (e *Error) Error() string { return e.Msg }

// Parse reads src, a whole args= or kwargs= value: one expression, or
// several separated by commas (a tuple, as eval reads "a, b"). Messages
// that name another place in src than the error's own (the bracket an
// unclosed one opened) name it through where, e.g. as a line and column
// of the file src came from; nil names the column in src. A non-nil
// error is an [*Error].
func Parse(src string, where func(off int) string) (Value, error) {
	if where == nil {
		where = func(off int) string { return fmt.Sprintf("column %d", column(src, off)) }
	}
	p := &parser{src: src, where: where}
	items, comma, err := p.exprList(0, 0)
	if err != nil {
		return Value{}, err
	}
	if p.skip(); p.pos < len(p.src) {
		return Value{}, p.errorf("unexpected %s after the value", p.describe())
	}
	if len(items) == 0 {
		return Value{}, p.errorf("empty value (write () for no arguments)")
	}
	return tupleOrItem(items, comma), nil
}

// parser is the state of one Parse: the text and the offset read up to.
type parser struct {
	src   string
	pos   int
	where func(off int) string
}

func (p *parser) errorf(format string, args ...any) *Error {
	return &Error{Offset: p.pos, Column: column(p.src, p.pos), Msg: fmt.Sprintf(format, args...)}
}

// skip passes spaces, newlines, backslash-newline continuations and
// comments.
func (p *parser) skip() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			p.pos++
		case c == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n':
			p.pos += 2
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

// describe names what sits at the current position, for messages.
func (p *parser) describe() string {
	if p.pos >= len(p.src) {
		return "end of value"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

// exprList reads "a, b, ..." up to close (or the end when close is "")
// and reports whether a comma followed the last item.
func (p *parser) exprList(depth int, close byte) ([]Value, bool, *Error) {
	items := []Value{}
	comma := false
	for {
		p.skip()
		if p.pos >= len(p.src) || close != 0 && p.src[p.pos] == close {
			return items, comma, nil
		}
		v, err := p.expr(depth)
		if err != nil {
			return nil, false, err
		}
		items = append(items, v)
		p.skip()
		comma = p.pos < len(p.src) && p.src[p.pos] == ','
		if !comma {
			return items, false, nil
		}
		p.pos++
	}
}

// tupleOrItem is what Python makes of "(a)" (a itself) and "(a,)", "(a, b)"
// or "()" (tuples).
func tupleOrItem(items []Value, comma bool) Value {
	if len(items) == 1 && !comma {
		return items[0]
	}
	return Value{Kind: KindTuple, Items: items}
}

// expr reads one expression.
func (p *parser) expr(depth int) (Value, *Error) {
	if depth > MaxDepth {
		return Value{}, p.errorf("nested deeper than %d levels", MaxDepth)
	}
	p.skip()
	if p.pos >= len(p.src) {
		return Value{}, p.errorf("a value is missing at the end")
	}
	start := p.pos
	switch c := p.src[p.pos]; {
	case c == '-' || c == '+':
		p.pos++
		v, err := p.expr(depth + 1)
		if err != nil {
			return Value{}, err
		}
		switch {
		case v.Kind == KindInt && c == '-':
			v.Int = -v.Int
		case v.Kind == KindFloat && c == '-':
			v.Float = -v.Float
		case v.Kind != KindInt && v.Kind != KindFloat:
			p.pos = start
			return Value{}, p.errorf("unary %q applies to numbers only (livelog evaluates nothing)", string(c))
		}
		return v, nil
	case c == '(' || c == '[':
		p.pos++
		close := map[byte]byte{'(': ')', '[': ']'}[c]
		items, comma, err := p.exprList(depth+1, close)
		if err != nil {
			return Value{}, err
		}
		if c == '[' {
			comma = true // a list is a list, even of one item
		}
		return tupleOrItem(items, comma), p.expect(close, start)
	case c == '{':
		p.pos++
		return p.dict(depth+1, start)
	case c == '"' || c == '\'' || stringPrefixLen(p.src[p.pos:]) > 0:
		return p.strings()
	case c >= '0' && c <= '9' || c == '.' && p.pos+1 < len(p.src) && p.src[p.pos+1] >= '0' && p.src[p.pos+1] <= '9':
		return p.number()
	case isIdentStart(c):
		return p.name()
	}
	return Value{}, p.errorf("unexpected %s", p.describe())
}

func (p *parser) expect(close byte, open int) *Error {
	p.skip()
	if p.pos >= len(p.src) || p.src[p.pos] != close {
		hint := ""
		if p.pos < len(p.src) && strings.IndexByte("+-*/%&|^<>=@~", p.src[p.pos]) >= 0 {
			hint = " (livelog evaluates nothing: no operators)"
		}
		return p.errorf("expected %q to close the %q at %s, found %s%s", close, p.src[open], p.where(open), p.describe(), hint)
	}
	p.pos++
	return nil
}

// dict reads the entries of a {...} literal after its '{'.
func (p *parser) dict(depth, open int) (Value, *Error) {
	d := map[string]Value{}
	for {
		p.skip()
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			p.pos++
			return Value{Kind: KindDict, Dict: d}, nil
		}
		keyPos := p.pos
		k, err := p.expr(depth)
		if err != nil {
			return Value{}, err
		}
		if k.Kind != KindString {
			p.pos = keyPos
			return Value{}, p.errorf("dict keys must be strings")
		}
		p.skip()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return Value{}, p.errorf("expected ':' after dict key %q, found %s (sets are not supported)", k.Str, p.describe())
		}
		p.pos++
		v, err := p.expr(depth)
		if err != nil {
			return Value{}, err
		}
		d[k.Str] = v
		p.skip()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if err := p.expect('}', open); err != nil {
			return Value{}, err
		}
		return Value{Kind: KindDict, Dict: d}, nil
	}
}

// strings reads one or more adjacent string literals and concatenates
// them, as Python does.
func (p *parser) strings() (Value, *Error) {
	var b strings.Builder
	for {
		raw := false
		if n := stringPrefixLen(p.src[p.pos:]); n > 0 {
			raw = p.src[p.pos] == 'r' || p.src[p.pos] == 'R'
			p.pos += n
		}
		if err := p.str(&b, raw); err != nil {
			return Value{}, err
		}
		save := p.pos
		p.skip()
		if p.pos < len(p.src) && (p.src[p.pos] == '"' || p.src[p.pos] == '\'' || stringPrefixLen(p.src[p.pos:]) > 0) {
			continue
		}
		p.pos = save
		break
	}
	if v, ok := ExtStream(b.String()); ok {
		return v, nil
	}
	return Value{Kind: KindString, Str: b.String()}, nil
}

// stringPrefixLen is the length of a string prefix (r, u, R, U) directly
// followed by a quote, or 0.
func stringPrefixLen(s string) int {
	if len(s) >= 2 && strings.ContainsRune("rRuU", rune(s[0])) && (s[1] == '"' || s[1] == '\'') {
		return 1
	}
	return 0
}

// str reads one quoted string at p.pos into b.
func (p *parser) str(b *strings.Builder, raw bool) *Error {
	start := p.pos
	q := p.src[p.pos : p.pos+1]
	if strings.HasPrefix(p.src[p.pos:], q+q+q) {
		q += q + q
	}
	p.pos += len(q)
	for {
		if p.pos >= len(p.src) {
			p.pos = start
			return p.errorf("unterminated string")
		}
		if strings.HasPrefix(p.src[p.pos:], q) {
			p.pos += len(q)
			return nil
		}
		c := p.src[p.pos]
		switch {
		case c == '\n' && len(q) == 1:
			p.pos = start
			return p.errorf("unterminated string (a line ends inside it)")
		case c == '\\' && p.pos+1 < len(p.src):
			if raw {
				b.WriteString(p.src[p.pos : p.pos+2])
				p.pos += 2
				continue
			}
			if err := p.escape(b); err != nil {
				return err
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
}

// escape reads one backslash escape at p.pos.
func (p *parser) escape(b *strings.Builder) *Error {
	at := p.pos
	c := p.src[p.pos+1]
	p.pos += 2
	simple := map[byte]string{'\n': "", '\\': `\`, '\'': "'", '"': `"`, 'a': "\a", 'b': "\b", 'f': "\f", 'n': "\n", 'r': "\r", 't': "\t", 'v': "\v"}
	if s, ok := simple[c]; ok {
		b.WriteString(s)
		return nil
	}
	hex := map[byte]int{'x': 2, 'u': 4, 'U': 8}
	switch {
	case c >= '0' && c <= '7':
		n := int(c - '0')
		for i := 0; i < 2 && p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '7'; i++ {
			n = n*8 + int(p.src[p.pos]-'0')
			p.pos++
		}
		b.WriteRune(rune(n))
	case hex[c] > 0:
		digits := p.src[p.pos:min(p.pos+hex[c], len(p.src))]
		n, err := strconv.ParseUint(digits, 16, 32)
		if err != nil || len(digits) != hex[c] || strings.ContainsAny(digits, "+-_") || n > utf8.MaxRune {
			p.pos = at
			return p.errorf("bad escape \\%c: want %d hex digits", c, hex[c])
		}
		p.pos += hex[c]
		b.WriteRune(rune(n))
	case c == 'N':
		p.pos = at
		return p.errorf(`\N{...} escapes are not supported`)
	default: // Python keeps unknown escapes as they are
		b.WriteByte('\\')
		p.pos--
	}
	return nil
}

// number reads an int or a float in Python's syntax.
func (p *parser) number() (Value, *Error) {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		isExpSign := (c == '+' || c == '-') && p.pos > start && (p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E') &&
			!strings.HasPrefix(strings.ToLower(p.src[start:]), "0x")
		if !isIdentChar(c) && c != '.' && !isExpSign {
			break
		}
		p.pos++
	}
	tok := p.src[start:p.pos]
	lower := strings.ToLower(tok)
	bad := func(why string) (Value, *Error) {
		p.pos = start
		return Value{}, p.errorf("bad number %q: %s", tok, why)
	}
	if strings.HasSuffix(lower, "j") {
		return bad("complex numbers are not supported")
	}
	isFloat := !strings.HasPrefix(lower, "0x") && !strings.HasPrefix(lower, "0o") && !strings.HasPrefix(lower, "0b") &&
		strings.ContainsAny(lower, ".e")
	if isFloat {
		if strings.ContainsAny(lower, "abcdfghijklmnopqrstuvwxyz") || strings.Contains(lower, "_.") || strings.Contains(lower, "._") {
			return bad("not a Python number")
		}
		f, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			return bad("not a Python number")
		}
		return Value{Kind: KindFloat, Float: f}, nil
	}
	if len(lower) > 1 && lower[0] == '0' && lower[1] >= '0' && lower[1] <= '9' || len(lower) > 1 && lower[0] == '0' && lower[1] == '_' {
		if strings.Trim(lower, "0_") != "" {
			return bad("leading zeros are not allowed in Python (write 0o17 for octal)")
		}
		lower = "0"
	}
	n, err := strconv.ParseInt(lower, 0, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return bad("out of the 64-bit range")
		}
		return bad("not a Python number")
	}
	return Value{Kind: KindInt, Int: n}, nil
}

// name reads a dotted name and maps it to a value of the table of names,
// or one of the empty calls tuple(), list(), dict().
func (p *parser) name() (Value, *Error) {
	start := p.pos
	for p.pos < len(p.src) && (isIdentChar(p.src[p.pos]) || p.src[p.pos] == '.' && p.pos+1 < len(p.src) && isIdentStart(p.src[p.pos+1])) {
		p.pos++
	}
	name := p.src[start:p.pos]
	if p.pos < len(p.src) && (p.src[p.pos] == '"' || p.src[p.pos] == '\'') {
		p.pos = start
		return Value{}, p.errorf("string prefix %q is not supported (only r and u)", name)
	}
	after := p.pos
	p.skip()
	if p.pos < len(p.src) && p.src[p.pos] == '(' {
		if name == timeCall {
			return p.time()
		}
		p.pos++
		p.skip()
		if v, ok := emptyCall(name); ok && p.pos < len(p.src) && p.src[p.pos] == ')' {
			p.pos++
			return v, nil
		}
		p.pos = start
		return Value{}, p.errorf("call %s(...) is not allowed: livelog evaluates nothing (only tuple(), list() and dict() with no arguments)", name)
	}
	p.pos = after
	if v, ok := names[name]; ok {
		return v, nil
	}
	p.pos = start
	return Value{}, p.errorf("%s", unknownName(name))
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// column is the 1-based character column of byte offset off in src,
// counted from the start of its line.
func column(src string, off int) int {
	off = min(off, len(src))
	lineStart := strings.LastIndexByte(src[:off], '\n') + 1
	return utf8.RuneCountInString(src[lineStart:off]) + 1
}
