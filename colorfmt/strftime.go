package colorfmt

import (
	"strconv"
	"strings"
	"time"
)

// dateFormat is a compiled Python (C library) strftime format: literal
// runs and directives, translated once.
type dateFormat struct {
	parts []datePart
}

// datePart is a literal (dir == 0) or one directive.
type datePart struct {
	dir   byte
	noPad bool // GNU "%-d": no padding
	lit   string
}

// dateDirectives are the directives livelog renders, as glibc does in the
// C locale (Python's time.strftime calls the C library).
const dateDirectives = "aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%"

// numericDirectives accept GNU's "-" flag (no padding).
const numericDirectives = "CdegGHIjklmMsSuUVwWyY"

// compileDatefmt translates a strftime format.
func compileDatefmt(s string) (*dateFormat, error) {
	df := &dateFormat{}
	lit := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i > lit {
			df.parts = append(df.parts, datePart{lit: s[lit:i]})
		}
		start := i
		i++
		noPad := false
		if i < len(s) && s[i] == '-' {
			noPad = true
			i++
		}
		if i >= len(s) {
			return nil, newFormatError("datefmt", s, start, "incomplete directive: lone '%%' at the end (write %%%% for a literal %%)")
		}
		d := s[i]
		if !strings.ContainsRune(dateDirectives, rune(d)) {
			return nil, newFormatError("datefmt", s, start, "unsupported directive %q", s[start:min(i+1, len(s))])
		}
		if noPad && !strings.ContainsRune(numericDirectives, rune(d)) {
			return nil, newFormatError("datefmt", s, start, "the '-' flag applies to numeric directives only, not %q", s[start:i+1])
		}
		df.parts = append(df.parts, datePart{dir: d, noPad: noPad})
		lit = i + 1
	}
	if lit < len(s) {
		df.parts = append(df.parts, datePart{lit: s[lit:]})
	}
	return df, nil
}

var (
	shortDays   = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	longDays    = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortMonths = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	longMonths  = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// appendNum writes v padded to width digits with pad (0: no padding).
func appendNum(dst []byte, v, width int, pad byte) []byte {
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	if pad != 0 {
		for w, x := 1, v; w < width; w++ {
			x /= 10
			if x == 0 {
				dst = append(dst, pad)
			}
		}
	}
	return strconv.AppendInt(dst, int64(v), 10)
}

// append renders t under the format. It is called at most once per second
// per encoder (see stampCache), so clarity wins over speed here.
func (df *dateFormat) append(dst []byte, t time.Time) []byte {
	for _, p := range df.parts {
		if p.dir == 0 {
			dst = append(dst, p.lit...)
			continue
		}
		dst = appendDirective(dst, t, p.dir, p.noPad)
	}
	return dst
}

func appendDirective(dst []byte, t time.Time, d byte, noPad bool) []byte {
	zero, space := byte('0'), byte(' ')
	if noPad {
		zero, space = 0, 0
	}
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	wday := int(t.Weekday())
	yday := t.YearDay() - 1
	switch d {
	case 'a':
		return append(dst, shortDays[wday]...)
	case 'A':
		return append(dst, longDays[wday]...)
	case 'b', 'h':
		return append(dst, shortMonths[month-1]...)
	case 'B':
		return append(dst, longMonths[month-1]...)
	case 'c': // C locale: "%a %b %e %H:%M:%S %Y"
		dst = append(dst, shortDays[wday]...)
		dst = append(dst, ' ')
		dst = append(dst, shortMonths[month-1]...)
		dst = append(dst, ' ')
		dst = appendNum(dst, day, 2, ' ')
		dst = append(dst, ' ')
		dst = appendDirective(dst, t, 'T', false)
		dst = append(dst, ' ')
		return strconv.AppendInt(dst, int64(year), 10)
	case 'C':
		return appendNum(dst, year/100, 2, zero)
	case 'd':
		return appendNum(dst, day, 2, zero)
	case 'D', 'x': // C locale %x is %m/%d/%y
		dst = appendNum(dst, int(month), 2, '0')
		dst = append(dst, '/')
		dst = appendNum(dst, day, 2, '0')
		dst = append(dst, '/')
		return appendNum(dst, year%100, 2, '0')
	case 'e':
		return appendNum(dst, day, 2, space)
	case 'F':
		dst = strconv.AppendInt(dst, int64(year), 10)
		dst = append(dst, '-')
		dst = appendNum(dst, int(month), 2, '0')
		dst = append(dst, '-')
		return appendNum(dst, day, 2, '0')
	case 'g':
		y, _ := t.ISOWeek()
		return appendNum(dst, y%100, 2, zero)
	case 'G':
		y, _ := t.ISOWeek()
		return strconv.AppendInt(dst, int64(y), 10)
	case 'H':
		return appendNum(dst, hour, 2, zero)
	case 'I':
		return appendNum(dst, hour12(hour), 2, zero)
	case 'j':
		return appendNum(dst, yday+1, 3, zero)
	case 'k':
		return appendNum(dst, hour, 2, space)
	case 'l':
		return appendNum(dst, hour12(hour), 2, space)
	case 'm':
		return appendNum(dst, int(month), 2, zero)
	case 'M':
		return appendNum(dst, minute, 2, zero)
	case 'n':
		return append(dst, '\n')
	case 'p':
		if hour < 12 {
			return append(dst, "AM"...)
		}
		return append(dst, "PM"...)
	case 'P':
		if hour < 12 {
			return append(dst, "am"...)
		}
		return append(dst, "pm"...)
	case 'r': // C locale: "%I:%M:%S %p"
		dst = appendNum(dst, hour12(hour), 2, '0')
		dst = append(dst, ':')
		dst = appendNum(dst, minute, 2, '0')
		dst = append(dst, ':')
		dst = appendNum(dst, sec, 2, '0')
		dst = append(dst, ' ')
		return appendDirective(dst, t, 'p', false)
	case 'R':
		dst = appendNum(dst, hour, 2, '0')
		dst = append(dst, ':')
		return appendNum(dst, minute, 2, '0')
	case 's':
		return strconv.AppendInt(dst, t.Unix(), 10)
	case 'S':
		return appendNum(dst, sec, 2, zero)
	case 't':
		return append(dst, '\t')
	case 'T', 'X': // C locale %X is %H:%M:%S
		dst = appendNum(dst, hour, 2, '0')
		dst = append(dst, ':')
		dst = appendNum(dst, minute, 2, '0')
		dst = append(dst, ':')
		return appendNum(dst, sec, 2, '0')
	case 'u':
		return appendNum(dst, (wday+6)%7+1, 1, zero)
	case 'U':
		return appendNum(dst, (yday+7-wday)/7, 2, zero)
	case 'V':
		_, w := t.ISOWeek()
		return appendNum(dst, w, 2, zero)
	case 'w':
		return appendNum(dst, wday, 1, zero)
	case 'W':
		return appendNum(dst, (yday+7-(wday+6)%7)/7, 2, zero)
	case 'y':
		return appendNum(dst, year%100, 2, zero)
	case 'Y':
		return strconv.AppendInt(dst, int64(year), 10)
	case 'z':
		_, off := t.Zone()
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		dst = append(dst, sign)
		dst = appendNum(dst, off/3600, 2, '0')
		return appendNum(dst, off/60%60, 2, '0')
	case 'Z':
		name, _ := t.Zone()
		return append(dst, name...)
	}
	return append(dst, '%') // '%%'
}

func hour12(h int) int {
	if h%12 == 0 {
		return 12
	}
	return h % 12
}
