package ini

import (
	"fmt"
	"strings"
)

const (
	// maxInterpolationDepth is configparser's MAX_INTERPOLATION_DEPTH.
	maxInterpolationDepth = 10
	// maxInterpolatedLen bounds a value that references itself many times
	// per level: 10 levels of doubling are harmless, 10 levels of ten-fold
	// growth are not. Python has no such bound; it would just run out of
	// memory.
	maxInterpolatedLen = 1 << 20
	// maxInterpolatedTotal bounds the text all values of one file produce
	// together, so that many such values cannot add up either.
	maxInterpolatedTotal = 8 << 20
)

// Scope looks values up for the sections of one Doc as configparser does:
// a section's own keys, then the file's [DEFAULT], then the caller's
// defaults, in that order. [Scope.Get] is configparser's
// BasicInterpolation: "%(name)s" is replaced by the value of key name
// (case-insensitive) looked up the same way, and "%%" is a literal "%".
// [Scope.Raw] reads a value as configparser's raw=True does.
//
// A Scope counts the text its Gets produce, so that one file cannot
// make interpolation produce more than a bounded amount (8 MiB) in total;
// use one Scope per file read, from one goroutine.
type Scope struct {
	doc      *Doc
	defaults map[string]string
	spent    int // bytes produced by interpolation so far
}

// NewScope returns the scope of doc's sections, with the caller's
// defaults (like the defaults argument of fileConfig; keys lower-case, as
// configparser's optionxform makes them). The map is not copied and must
// not change while the scope is used.
func NewScope(doc *Doc, defaults map[string]string) *Scope {
	return &Scope{doc: doc, defaults: defaults}
}

// Value is a value and where it was found.
type Value struct {
	Text string // the value: raw from Raw, interpolated from Get
	Key  *Key   // the key it is written at; nil for a caller default
	From string // where it came from: "" (the section itself), "[DEFAULT]" or "the caller's defaults"
}

// lookup finds key as configparser does for section s.
func (sc *Scope) lookup(s *Section, key string) (Value, bool) {
	if k := s.Key(key); k != nil {
		return Value{Text: k.Value, Key: k}, true
	}
	if k := sc.doc.Defaults.Key(key); k != nil {
		return Value{Text: k.Value, Key: k, From: "[DEFAULT]"}, true
	}
	if v, ok := sc.defaults[key]; ok {
		return Value{Text: v, From: "the caller's defaults"}, true
	}
	return Value{}, false
}

// Raw returns the value of key (lower-case) for section s as configparser
// reads it with raw=True, and whether s has the key at all.
func (sc *Scope) Raw(s *Section, key string) (Value, bool) { return sc.lookup(s, key) }

// Get returns the value of key (lower-case) for section s with its
// %(name)s references replaced, and whether s has the key at all. A
// reference that cannot be replaced (a name s does not have, a cycle, a
// bad "%" or a value that grows too large) is an [*Error] that points at
// the line where the value is written; a value that nothing Gets is never
// interpolated, so its references are no error, as in Python.
func (sc *Scope) Get(s *Section, key string) (Value, bool, error) {
	f, ok := sc.lookup(s, key)
	if !ok {
		return f, false, nil
	}
	var b strings.Builder
	if err := sc.interpolate(s, key, f, f.Text, &b, 1); err != nil {
		return f, true, err
	}
	f.Text = b.String()
	sc.spent += len(f.Text)
	return f, true, nil
}

// interpolate is configparser's BasicInterpolation._interpolate_some.
func (sc *Scope) interpolate(s *Section, key string, f Value, rest string, b *strings.Builder, depth int) error {
	if depth > maxInterpolationDepth {
		return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
			"%w: %q still holds %%(...)s references after %d substitutions (a reference cycle?)",
			ErrInterpolation, f.Text, maxInterpolationDepth))
	}
	for rest != "" {
		p := strings.IndexByte(rest, '%')
		if p < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:p])
		rest = rest[p:]
		switch {
		case strings.HasPrefix(rest, "%%"):
			b.WriteByte('%')
			rest = rest[2:]
		case strings.HasPrefix(rest, "%("):
			end := strings.IndexByte(rest, ')')
			if end < 3 || !strings.HasPrefix(rest[end:], ")s") {
				return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
					"%w: bad reference %q in %q (write %%(name)s, or %%%% for a literal %%)",
					ErrInterpolation, rest, f.Text))
			}
			name := strings.ToLower(rest[2:end])
			rest = rest[end+2:]
			v, ok := sc.lookup(s, name)
			if !ok {
				return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
					"%w: %q refers to %%(%s)s, which is not a key of [%s], [DEFAULT] or the caller's defaults",
					ErrInterpolation, f.Text, name, s.Name))
			}
			if strings.Contains(v.Text, "%") {
				if err := sc.interpolate(s, key, f, v.Text, b, depth+1); err != nil {
					return err
				}
			} else {
				b.WriteString(v.Text)
			}
		default:
			return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
				"%w: '%%' must be followed by '%%' or '(' in %q, found %q (write %%%% for a literal %%)",
				ErrInterpolation, f.Text, rest))
		}
		if b.Len() > maxInterpolatedLen {
			return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
				"%w: the value grows beyond %d bytes", ErrInterpolation, maxInterpolatedLen))
		}
		if sc.spent+b.Len() > maxInterpolatedTotal {
			return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
				"%w: the file's values grow beyond %d bytes in total", ErrInterpolation, maxInterpolatedTotal))
		}
	}
	return nil
}
