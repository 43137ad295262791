package pylit

import "strconv"

// Describe names a value for an error message: `the string "x"`, `the
// number 3`, `True`, `None`, `a tuple`, `a dict`, `sys.stdout`. Strings
// are clipped to 200 bytes.
func Describe(v Value) string {
	switch v.Kind {
	case KindNone:
		return "None"
	case KindBool:
		if v.Bool {
			return "True"
		}
		return "False"
	case KindInt:
		return "the number " + strconv.FormatInt(v.Int, 10)
	case KindFloat:
		return "the number " + strconv.FormatFloat(v.Float, 'g', -1, 64)
	case KindString:
		return "the string " + strconv.Quote(clip(v.Str))
	case KindTuple:
		return "a tuple"
	case KindDict:
		return "a dict"
	case KindStream:
		return "sys." + v.Str
	}
	return "an unknown value"
}

// clipAt is how much of a string an error message quotes.
const clipAt = 200

func clip(s string) string {
	if len(s) <= clipAt {
		return s
	}
	cut := clipAt
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…(" + strconv.Itoa(len(s)) + " bytes)"
}
