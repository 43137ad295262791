package colorfmt

import (
	"math"
	"strconv"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"go.uber.org/zap/buffer"
)

// spec is one compiled conversion: Python's %-style flags, width, precision
// and conversion type, or the equivalent str.format spec.
type spec struct {
	verb  byte // s r a d i u o x X e E f F g G
	align byte // '<', '>', '^' or '=' (pad between sign and digits)
	fill  rune
	sign  byte // 0, '+' or ' '
	alt   bool // '#'
	width int  // -1: none
	prec  int  // -1: none
	// floatRepr: a float under str.format with no type, rendered as
	// repr() with the sign and padding the spec gives.
	floatRepr bool
}

// plain reports whether the spec renders a value exactly as str() would,
// so the renderer can append it without padding logic.
func (sp *spec) plain() bool {
	return sp.verb == 's' && sp.width < 0 && sp.prec < 0 && sp.sign == 0
}

// check reports whether the conversion applies to a value of kind k, as
// Python's % operator and str.format would at format time.
func (sp *spec) check(k valueKind, brace bool) string {
	switch sp.verb {
	case 's', 'r', 'a':
		if brace && sp.sign != 0 && !sp.floatRepr {
			return "sign not allowed in string format specifier"
		}
		return ""
	case 'd', 'i', 'u':
		if k == kindStr {
			return "%" + string(sp.verb) + " format: a real number is required, not str"
		}
	case 'o', 'x', 'X':
		if k != kindInt {
			return "%" + string(sp.verb) + " format: an integer is required, not " + kindName(k)
		}
	case 'e', 'E', 'f', 'F', 'g', 'G':
		if k == kindStr {
			return "%" + string(sp.verb) + " format: a real number is required, not str"
		}
	default:
		return "unsupported conversion type " + strconv.QuoteRune(rune(sp.verb))
	}
	if brace && sp.prec >= 0 && k == kindInt && sp.verb != 'e' && sp.verb != 'E' && sp.verb != 'f' && sp.verb != 'F' && sp.verb != 'g' && sp.verb != 'G' {
		return "precision not allowed in integer format specifier"
	}
	return ""
}

func kindName(k valueKind) string {
	switch k {
	case kindInt:
		return "int"
	case kindFloat:
		return "float"
	}
	return "str"
}

// bstr views b as a string without copying; the result must not outlive b.
func bstr(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// appendStr renders a str value: precision truncates (in characters),
// width pads.
func appendStr(buf *buffer.Buffer, s string, sp *spec) {
	if sp.verb == 'r' || sp.verb == 'a' {
		var scratch [128]byte
		r := appendPyRepr(scratch[:0], s, sp.verb == 'a')
		appendPadded(buf, "", truncate(bstr(r), sp.prec), sp, '>')
		return
	}
	appendPadded(buf, "", truncate(s, sp.prec), sp, '>')
}

// truncate cuts s to at most n characters (n < 0: no limit).
func truncate(s string, n int) string {
	if n < 0 || n >= len(s) {
		return s
	}
	i := 0
	for off := range s {
		if i == n {
			return s[:off]
		}
		i++
	}
	return s
}

// appendPadded writes prefix+body padded to the spec's width. prefix is
// the sign (and radix prefix) of a number, which '=' alignment keeps in
// front of the padding. def is the alignment when the spec has none.
func appendPadded(buf *buffer.Buffer, prefix, body string, sp *spec, def byte) {
	n := 0
	if sp.width > 0 {
		n = sp.width - utf8.RuneCountInString(prefix) - utf8.RuneCountInString(body)
	}
	if n <= 0 {
		buf.AppendString(prefix)
		buf.AppendString(body)
		return
	}
	align := sp.align
	if align == 0 {
		align = def
	}
	switch align {
	case '<':
		buf.AppendString(prefix)
		buf.AppendString(body)
		appendFill(buf, sp.fill, n)
	case '^':
		appendFill(buf, sp.fill, n/2)
		buf.AppendString(prefix)
		buf.AppendString(body)
		appendFill(buf, sp.fill, n-n/2)
	case '=':
		buf.AppendString(prefix)
		appendFill(buf, sp.fill, n)
		buf.AppendString(body)
	default:
		appendFill(buf, sp.fill, n)
		buf.AppendString(prefix)
		buf.AppendString(body)
	}
}

func appendFill(buf *buffer.Buffer, fill rune, n int) {
	if fill == 0 {
		fill = ' '
	}
	if fill < utf8.RuneSelf {
		for range n {
			buf.AppendByte(byte(fill))
		}
		return
	}
	var enc [utf8.UTFMax]byte
	w := utf8.EncodeRune(enc[:], fill)
	for range n {
		_, _ = buf.Write(enc[:w])
	}
}

// signPrefix is the sign Python writes for a number.
func signPrefix(neg bool, sign byte) string {
	switch {
	case neg:
		return "-"
	case sign == '+':
		return "+"
	case sign == ' ':
		return " "
	}
	return ""
}

// appendInt renders an int value under sp.
func appendInt(buf *buffer.Buffer, v int64, sp *spec) {
	var scratch [80]byte
	switch sp.verb {
	case 's', 'r', 'a':
		appendPadded(buf, "", truncate(bstr(strconv.AppendInt(scratch[:0], v, 10)), sp.prec), sp, '>')
		return
	case 'e', 'E', 'f', 'F', 'g', 'G':
		appendFloat(buf, float64(v), sp)
		return
	}
	base, pfx := 10, ""
	switch sp.verb {
	case 'o':
		base = 8
		if sp.alt {
			pfx = "0o"
		}
	case 'x':
		base = 16
		if sp.alt {
			pfx = "0x"
		}
	case 'X':
		base = 16
		if sp.alt {
			pfx = "0X"
		}
	}
	u := uint64(v)
	if v < 0 {
		u = -u
	}
	digits := strconv.AppendUint(scratch[:0], u, base)
	if sp.verb == 'X' {
		for i, c := range digits {
			if c >= 'a' && c <= 'f' {
				digits[i] = c - 'a' + 'A'
			}
		}
	}
	body := digits
	if sp.prec > len(digits) {
		// Python's %.3d: at least prec digits.
		z := sp.prec - len(digits)
		tmp := scratch[len(digits):len(digits)]
		for range z {
			tmp = append(tmp, '0')
		}
		tmp = append(tmp, digits...)
		body = tmp
	}
	var sign [4]byte
	p := append(sign[:0], signPrefix(v < 0, sp.sign)...)
	p = append(p, pfx...)
	appendPadded(buf, bstr(p), bstr(body), sp, '>')
}

// appendFloat renders a float value under sp.
func appendFloat(buf *buffer.Buffer, v float64, sp *spec) {
	var scratch [400]byte
	switch sp.verb {
	case 's', 'r', 'a':
		if sp.floatRepr {
			neg := math.Signbit(v) && !math.IsNaN(v)
			appendPadded(buf, signPrefix(neg, sp.sign), bstr(appendPyFloat(scratch[:0], math.Abs(v))), sp, '>')
			return
		}
		appendPadded(buf, "", truncate(bstr(appendPyFloat(scratch[:0], v)), sp.prec), sp, '>')
		return
	case 'd', 'i', 'u':
		if math.IsInf(v, 0) || math.IsNaN(v) {
			// Python raises; render like str() rather than fail a log line.
			appendPadded(buf, "", bstr(appendPyFloat(scratch[:0], v)), sp, '>')
			return
		}
		isp := *sp
		isp.verb = 'd'
		appendInt(buf, int64(v), &isp)
		return
	}
	neg := math.Signbit(v) && !math.IsNaN(v)
	a := math.Abs(v)
	prec := sp.prec
	if prec < 0 {
		prec = 6
	}
	var body []byte
	upper := sp.verb == 'E' || sp.verb == 'F' || sp.verb == 'G'
	switch {
	case math.IsInf(a, 0):
		body = append(scratch[:0], "inf"...)
	case math.IsNaN(a):
		body = append(scratch[:0], "nan"...)
	case sp.verb == 'f' || sp.verb == 'F':
		body = strconv.AppendFloat(scratch[:0], a, 'f', prec, 64)
		if sp.alt && prec == 0 {
			body = append(body, '.')
		}
	case sp.verb == 'e' || sp.verb == 'E':
		body = strconv.AppendFloat(scratch[:0], a, 'e', prec, 64)
		if sp.alt && prec == 0 {
			body = insertDot(body)
		}
	default: // g, G
		body = appendPyG(scratch[:0], a, prec, sp.alt)
	}
	if upper {
		for i, c := range body {
			if c >= 'a' && c <= 'z' {
				body[i] = c - 'a' + 'A'
			}
		}
	}
	appendPadded(buf, signPrefix(neg, sp.sign), bstr(body), sp, '>')
}

// insertDot turns "1e+05" into "1.e+05" (Python's %#.0e).
func insertDot(b []byte) []byte {
	for i, c := range b {
		if c == 'e' {
			b = append(b, 0)
			copy(b[i+1:], b[i:])
			b[i] = '.'
			return b
		}
	}
	return append(b, '.')
}

// appendPyG is Python's %g: p significant digits, exponent form when the
// exponent is < -4 or >= p, trailing zeros removed unless alt.
func appendPyG(dst []byte, a float64, p int, alt bool) []byte {
	if p == 0 {
		p = 1
	}
	if a == 0 {
		dst = append(dst, '0')
		if alt && p > 1 {
			dst = append(dst, '.')
			for range p - 1 {
				dst = append(dst, '0')
			}
		}
		return dst
	}
	start := len(dst)
	e := strconv.AppendFloat(dst, a, 'e', p-1, 64)
	// exponent after rounding
	i := len(e) - 1
	for e[i] != 'e' {
		i--
	}
	x, _ := strconv.Atoi(bstr(e[i+1:]))
	if x >= -4 && x < p {
		dst = strconv.AppendFloat(dst[:start], a, 'f', p-1-x, 64)
		if !alt {
			dst = trimZeros(dst, start, len(dst))
		} else if p-1-x == 0 {
			dst = append(dst, '.')
		}
		return dst
	}
	if alt {
		if p == 1 {
			return insertDot(e)
		}
		return e
	}
	var exp [8]byte
	n := copy(exp[:], e[i:])
	mant := trimZeros(e, start, i)
	return append(mant, exp[:n]...)
}

// trimZeros removes trailing zeros (and a trailing '.') from the fraction
// of the number in b[start:end].
func trimZeros(b []byte, start, end int) []byte {
	b = b[:end]
	dot := -1
	for i := start; i < end; i++ {
		if b[i] == '.' {
			dot = i
		}
	}
	if dot < 0 {
		return b
	}
	for len(b) > dot+1 && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if len(b) == dot+1 {
		b = b[:dot]
	}
	return b
}

// appendPyFloat is Python's repr(float): the shortest round-trip digits,
// with ".0" on integral values and exponent form outside [1e-4, 1e16).
func appendPyFloat(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "nan"...)
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	}
	a := math.Abs(v)
	if a != 0 && (a < 1e-4 || a >= 1e16) {
		// Python writes 1e+16, not 1.0e+16: Go agrees.
		return strconv.AppendFloat(dst, v, 'e', -1, 64)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'f', -1, 64)
	for _, c := range dst[start:] {
		if c == '.' {
			return dst
		}
	}
	return append(dst, '.', '0')
}

// appendPyRepr is Python's repr(str) (ascii(str) when ascii is set).
func appendPyRepr(dst []byte, s string, ascii bool) []byte {
	q := byte('\'')
	if containsByte(s, '\'') && !containsByte(s, '"') {
		q = '"'
	}
	dst = append(dst, q)
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		switch {
		case r == rune(q) || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r == '\n':
			dst = append(dst, '\\', 'n')
		case r == '\r':
			dst = append(dst, '\\', 'r')
		case r == '\t':
			dst = append(dst, '\\', 't')
		case r == utf8.RuneError && w == 1:
			// Python str has no invalid UTF-8; show the byte.
			dst = appendHexEscape(dst, 'x', uint32(s[i-1]), 2)
		case r < 0x20 || r == 0x7f:
			dst = appendHexEscape(dst, 'x', uint32(r), 2)
		case r < utf8.RuneSelf:
			dst = append(dst, byte(r))
		case ascii || !isPyPrintable(r):
			switch {
			case r <= 0xff:
				dst = appendHexEscape(dst, 'x', uint32(r), 2)
			case r <= 0xffff:
				dst = appendHexEscape(dst, 'u', uint32(r), 4)
			default:
				dst = appendHexEscape(dst, 'U', uint32(r), 8)
			}
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return append(dst, q)
}

func appendHexEscape(dst []byte, kind byte, v uint32, n int) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '\\', kind)
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, hex[(v>>(4*uint(i)))&0xf])
	}
	return dst
}

// isPyPrintable approximates Python's str.isprintable for one rune: Go's
// unicode.IsPrint excludes the same categories (controls, format
// characters, separators other than the ASCII space).
func isPyPrintable(r rune) bool { return unicode.IsPrint(r) }

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}
