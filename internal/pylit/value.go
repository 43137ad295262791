package pylit

import (
	"fmt"
	"strconv"
)

// Kind is the type of a parsed Python literal.
type Kind uint8

// Kinds of [Value].
const (
	KindNone Kind = iota
	KindBool
	KindInt
	KindFloat
	KindString
	KindTuple // also lists
	KindDict
	KindStream // sys.stdout / sys.stderr (also "ext://sys.stdout")
	KindTime   // datetime.time(...): Int is the microseconds after midnight
)

// Value is a Python literal from args= or kwargs=: None, a bool, an int, a
// float, a string, a tuple or list, a dict with string keys, or one of the
// streams sys.stdout and sys.stderr. It is data: nothing is evaluated.
type Value struct {
	Kind  Kind
	Bool  bool
	Int   int64
	Float float64
	// Str holds a string, or the stream name ("stdout", "stderr").
	Str   string
	Items []Value          // tuple or list items
	Dict  map[string]Value // dict entries
}

// kindNames are the names KindName gives, by Kind.
var kindNames = [...]string{"None", "a bool", "an int", "a float", "a string", "a tuple", "a dict", "a stream", "a datetime.time"}

// KindName names a kind in messages, with its article: "a tuple",
// "an int", "None".
func KindName(k Kind) string {
	if int(k) >= len(kindNames) {
		return fmt.Sprintf("kind %d", k)
	}
	return kindNames[k]
}

// Describe names v in an error message, as in "mode must be 'a' or 'w',
// not the string "r"": scalars with their value (None, True, the number
// 5, the string "x", sys.stdout), tuples and dicts by their kind (a tuple,
// a dict). Strings are clipped ([Clip]). It is the one describer of
// values for livelog's messages.
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
		return "the string " + strconv.Quote(Clip(v.Str))
	case KindStream:
		return "sys." + v.Str
	case KindTime:
		return describeTime(v)
	}
	return KindName(v.Kind)
}

// ClipAt is how many bytes of a string an error message quotes.
const ClipAt = 200

// Clip shortens s for an error message: at most ClipAt bytes (cut at a
// character boundary), then an ellipsis and the original length.
func Clip(s string) string {
	if len(s) <= ClipAt {
		return s
	}
	cut := ClipAt
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…(" + strconv.Itoa(len(s)) + " bytes)"
}
