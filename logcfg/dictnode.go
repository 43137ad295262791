package logcfg

import (
	"fmt"
	"strconv"
	"strings"
)

// dnode is one value of a dictConfig document, JSON or YAML, with where
// it starts: the shape both readers produce and [dictParser] reads.
// Nodes reached through YAML aliases are shared, not copied, so a
// document's nodes take memory linear in its size.
type dnode struct {
	kind      dkind
	line, col int
	b         bool    // dBool
	i         int64   // dInt
	big       bool    // dInt: the number does not fit in an int64
	f         float64 // dFloat
	s         string  // dString; the source text of a number or timestamp
	items     []*dnode
	entries   []dentry // dMap, in document order, keys distinct
}

type dentry struct {
	key string
	at  *dnode // the key's own node, for its position
	val *dnode
}

type dkind uint8

const (
	dNull dkind = iota
	dBool
	dInt
	dFloat
	dString
	dList
	dMap
	// dTimestamp is a YAML plain scalar that PyYAML reads as a date or a
	// datetime; livelog has no use for one and says so where it is read.
	dTimestamp
)

// get is the value of key in a mapping, nil when it is absent.
func (n *dnode) get(key string) *dnode {
	if n == nil || n.kind != dMap {
		return nil
	}
	for i := range n.entries {
		if n.entries[i].key == key {
			return n.entries[i].val
		}
	}
	return nil
}

// entry is key's entry in a mapping, nil when it is absent.
func (n *dnode) entry(key string) *dentry {
	if n == nil || n.kind != dMap {
		return nil
	}
	for i := range n.entries {
		if n.entries[i].key == key {
			return &n.entries[i]
		}
	}
	return nil
}

// isNull is true for an absent value and for null.
func (n *dnode) isNull() bool { return n == nil || n.kind == dNull }

// describe names what n is in messages: "a string", "a list", ...;
// mapping is "an object" (JSON) or "a mapping" (YAML).
func (n *dnode) describe(mapping string) string {
	if n == nil {
		return "nothing"
	}
	switch n.kind {
	case dNull:
		return "null"
	case dBool:
		return "a boolean"
	case dInt, dFloat:
		return "a number"
	case dString:
		return "a string"
	case dList:
		return "a list"
	case dMap:
		return mapping
	case dTimestamp:
		return "a date (PyYAML reads " + strconv.Quote(clip(n.s)) + " as one: quote it to make it a string)"
	}
	return "a value"
}

// text is a scalar as text, for FormatterConfig.Extra and messages:
// strings as they are, numbers as written, booleans and null as JSON
// writes them.
func (n *dnode) text() string {
	switch n.kind {
	case dString, dInt, dFloat, dTimestamp:
		return n.s
	case dBool:
		return strconv.FormatBool(n.b)
	case dNull:
		return ""
	}
	return ""
}

// pyLiteral writes v as a Python literal that internal/pylit reads back
// as v (for a dictConfig formatter's defaults, which livelog's formatter
// classes read as a dict literal, as from an INI section).
func pyLiteral(b *strings.Builder, v Value) {
	switch v.Kind {
	case KindNone:
		b.WriteString("None")
	case KindBool:
		b.WriteString(map[bool]string{true: "True", false: "False"}[v.Bool])
	case KindInt:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case KindFloat:
		b.WriteString(strconv.FormatFloat(v.Float, 'g', -1, 64))
	case KindString:
		b.WriteString(strconv.Quote(v.Str))
	case KindStream:
		b.WriteString("sys." + v.Str)
	case KindTuple:
		b.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			pyLiteral(b, it)
		}
		b.WriteByte(']')
	case KindDict:
		b.WriteByte('{')
		for i, k := range sortedKeys(v.Dict) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(k) + ": ")
			pyLiteral(b, v.Dict[k])
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%v", v)
	}
}
