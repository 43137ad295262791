package ini

import (
	"fmt"
	"strings"

	"github.com/livelog/livelog/internal/pylit"
)

const (
	// maxInterpolationDepth is configparser's MAX_INTERPOLATION_DEPTH: a
	// reference nested deeper is an error (InterpolationDepthError), as
	// in BasicInterpolation._interpolate_some.
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

// The work budget of one Scope: interpolation may take at most
// WorkPerByte steps per byte of the file (and of the caller's defaults),
// plus WorkBase. A step is one %(name)s lookup or one byte scanned or
// produced. Without it, ten [DEFAULT] keys that each refer k times to the
// next, the last one empty, cost k⁹ lookups that produce nothing: a
// 648-byte file took 20 s. Real configs use a few steps per byte.
const (
	WorkPerByte = 64
	WorkBase    = 4096
)

// Scope looks values up for the sections of one Doc as configparser does:
// a section's own keys, then the file's [DEFAULT], then the caller's
// defaults, in that order. [Scope.Get] is configparser's
// BasicInterpolation: "%(name)s" is replaced by the value of key name
// (case-insensitive) looked up the same way, and "%%" is a literal "%".
// [Scope.Raw] reads a value as configparser's raw=True does.
//
// A Scope counts the work its Gets do and the text they produce, so that
// one file cannot make interpolation take more than [Scope.Budget] steps
// or produce more than 8 MiB in total; use one Scope per file read, from
// one goroutine.
type Scope struct {
	doc      *Doc
	defaults map[string]string
	size     int // bytes of the file and the caller's defaults
	work     int // steps taken so far
	limit    int // steps allowed
	spent    int // bytes produced by interpolation so far
}

// NewScope returns the scope of doc's sections, with the caller's
// defaults (like the defaults argument of fileConfig; keys lower-case, as
// configparser's optionxform makes them). The map is not copied and must
// not change while the scope is used.
func NewScope(doc *Doc, defaults map[string]string) *Scope {
	size := doc.size
	for k, v := range defaults {
		size += len(k) + len(v)
	}
	return &Scope{doc: doc, defaults: defaults, size: size, limit: WorkPerByte*size + WorkBase}
}

// Work returns the steps the scope's Gets have taken so far: %(name)s
// lookups plus bytes scanned and produced. It never exceeds [Scope.Budget]
// by more than one value's last step.
func (sc *Scope) Work() int { return sc.work }

// Budget returns the steps the scope's Gets may take together:
// [WorkPerByte] per byte of the file and the caller's defaults, plus
// [WorkBase].
func (sc *Scope) Budget() int { return sc.limit }

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
	if !sc.hasPercent(f) {
		// Nothing to replace: the value is its own text, at no cost
		// (a [DEFAULT] value read by every section must not count
		// again and again).
		return f, true, nil
	}
	var b strings.Builder
	if err := sc.interpolate(s, key, f, f.Text, &b, 1); err != nil {
		return f, true, err
	}
	f.Text = b.String()
	sc.spent += len(f.Text)
	return f, true, nil
}

// hasPercent reports whether v holds a '%', from what Read found for a
// key of the file and by scanning (a step a byte) a caller's default.
func (sc *Scope) hasPercent(v Value) bool {
	if v.Key != nil {
		return v.Key.pct
	}
	sc.work += len(v.Text)
	return strings.Contains(v.Text, "%")
}

// step spends n steps of the budget; the error says that the budget is
// spent.
func (sc *Scope) step(s *Section, key string, f Value, n int) error {
	sc.work += n
	if sc.work <= sc.limit {
		return nil
	}
	return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
		"%w: interpolating %q needs more than %d steps for a %d-byte config (livelog allows %d per byte plus %d; "+
			"are there references that each repeat the next?)",
		ErrInterpolation, pylit.Clip(f.Text), sc.limit, sc.size, WorkPerByte, WorkBase))
}

// interpolate is configparser's BasicInterpolation._interpolate_some,
// counting its steps.
func (sc *Scope) interpolate(s *Section, key string, f Value, rest string, b *strings.Builder, depth int) error {
	if depth > maxInterpolationDepth {
		return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
			"%w: %q still holds %%(...)s references after %d substitutions (a reference cycle?)",
			ErrInterpolation, pylit.Clip(f.Text), maxInterpolationDepth))
	}
	for rest != "" {
		p := strings.IndexByte(rest, '%')
		if p < 0 {
			b.WriteString(rest)
			if err := sc.step(s, key, f, len(rest)); err != nil {
				return err
			}
			break
		}
		b.WriteString(rest[:p])
		rest = rest[p:]
		if err := sc.step(s, key, f, p+1); err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(rest, "%%"):
			b.WriteByte('%')
			rest = rest[2:]
		case strings.HasPrefix(rest, "%("):
			end := strings.IndexByte(rest, ')')
			if end < 3 || !strings.HasPrefix(rest[end:], ")s") {
				return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
					"%w: bad reference %q in %q (write %%(name)s, or %%%% for a literal %%)",
					ErrInterpolation, pylit.Clip(rest), pylit.Clip(f.Text)))
			}
			name := strings.ToLower(rest[2:end])
			rest = rest[end+2:]
			if err := sc.step(s, key, f, end+2); err != nil {
				return err
			}
			v, ok := sc.lookup(s, name)
			if !ok {
				return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
					"%w: %q refers to %%(%s)s, which is not a key of [%s], [DEFAULT] or the caller's defaults",
					ErrInterpolation, pylit.Clip(f.Text), pylit.Clip(name), pylit.Clip(s.Name)))
			}
			if sc.hasPercent(v) {
				if err := sc.interpolate(s, key, f, v.Text, b, depth+1); err != nil {
					return err
				}
			} else {
				b.WriteString(v.Text)
				if err := sc.step(s, key, f, len(v.Text)); err != nil {
					return err
				}
			}
		default:
			return sc.doc.ErrorAt(s, key, f, fmt.Errorf(
				"%w: '%%' must be followed by '%%' or '(' in %q, found %q (write %%%% for a literal %%)",
				ErrInterpolation, pylit.Clip(f.Text), pylit.Clip(rest)))
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
