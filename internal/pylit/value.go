package pylit

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
