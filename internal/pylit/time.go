package pylit

import (
	"fmt"
	"strings"
)

// timeCall is the one call with arguments a literal may make: a time of
// day, for TimedRotatingFileHandler's atTime. It is read, not evaluated;
// note that CPython's fileConfig cannot evaluate it (datetime is not a
// name of the logging module), so only livelog reads a config that uses
// it.
const timeCall = "datetime.time"

// timeFields are datetime.time's parameters with their upper bounds.
var timeFields = []struct {
	name string
	max  int64
}{{"hour", 23}, {"minute", 59}, {"second", 59}, {"microsecond", 999999}}

// time reads datetime.time(hour=0, minute=0, second=0, microsecond=0)
// from the '(' at p.pos: whole numbers, positional or by
// keyword, checked as datetime.time checks them. tzinfo and fold are not
// supported.
func (p *parser) time() (Value, *Error) {
	open := p.pos
	p.pos++ // '('
	var got [4]int64
	set := [4]bool{}
	positional := true
	for i := 0; ; i++ {
		p.skip()
		if p.pos < len(p.src) && p.src[p.pos] == ')' {
			p.pos++
			break
		}
		field, kwAt := i, p.pos
		if kw := p.keyword(); kw != "" {
			positional = false
			field = -1
			for j, f := range timeFields {
				if f.name == kw {
					field = j
				}
			}
			if field < 0 {
				p.pos = kwAt
				return Value{}, p.errorf("datetime.time has no argument %q (livelog reads hour, minute, second and microsecond)", Clip(kw))
			}
		} else if !positional {
			return Value{}, p.errorf("positional argument follows keyword argument in datetime.time(...)")
		}
		if field >= len(timeFields) {
			return Value{}, p.errorf("datetime.time takes at most 4 arguments here (hour, minute, second, microsecond; tzinfo is not supported)")
		}
		if set[field] {
			return Value{}, p.errorf("datetime.time got %s twice", timeFields[field].name)
		}
		at := p.pos
		if p.pos >= len(p.src) || strings.IndexByte("+-0123456789", p.src[p.pos]) < 0 {
			return Value{}, p.errorf("datetime.time takes whole numbers, not %s", p.describe())
		}
		v, err := p.expr(0)
		if err != nil {
			return Value{}, err
		}
		if v.Kind != KindInt {
			p.pos = at
			return Value{}, p.errorf("datetime.time takes whole numbers, not %s", Describe(v))
		}
		if f := timeFields[field]; v.Int < 0 || v.Int > f.max {
			p.pos = at
			return Value{}, p.errorf("datetime.time: %s must be in 0..%d, not %d", f.name, f.max, v.Int)
		}
		got[field], set[field] = v.Int, true
		p.skip()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if err := p.expect(')', open); err != nil {
			return Value{}, err
		}
		break
	}
	us := ((got[0]*60+got[1])*60+got[2])*1_000_000 + got[3]
	return Value{Kind: KindTime, Int: us}, nil
}

// keyword reads "name=" (not "name==") at p.pos and returns the name, or
// returns "" and reads nothing.
func (p *parser) keyword() string {
	end := p.pos
	for end < len(p.src) && isIdentChar(p.src[end]) {
		end++
	}
	if end == p.pos || !isIdentStart(p.src[p.pos]) {
		return ""
	}
	eq := end
	for eq < len(p.src) && (p.src[eq] == ' ' || p.src[eq] == '\t') {
		eq++
	}
	if eq >= len(p.src) || p.src[eq] != '=' || eq+1 < len(p.src) && p.src[eq+1] == '=' {
		return ""
	}
	name := p.src[p.pos:end]
	p.pos = eq + 1
	return name
}

// TimeOfDay splits a KindTime value into hour, minute, second and
// microsecond.
func TimeOfDay(v Value) (hour, minute, second, microsecond int) {
	us := v.Int
	return int(us / 3_600_000_000), int(us / 60_000_000 % 60), int(us / 1_000_000 % 60), int(us % 1_000_000)
}

// describeTime names a time as Python's repr does:
// datetime.time(4, 30), datetime.time(0, 0), datetime.time(1, 2, 3, 4).
func describeTime(v Value) string {
	h, m, s, us := TimeOfDay(v)
	switch {
	case us != 0:
		return fmt.Sprintf("datetime.time(%d, %d, %d, %d)", h, m, s, us)
	case s != 0:
		return fmt.Sprintf("datetime.time(%d, %d, %d)", h, m, s)
	}
	return fmt.Sprintf("datetime.time(%d, %d)", h, m)
}
