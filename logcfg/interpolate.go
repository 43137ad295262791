package logcfg

import (
	"fmt"
	"strings"
)

// This file is configparser's BasicInterpolation: "%(name)s" is replaced by
// the value of key name (case-insensitive) from the same section, then
// [DEFAULT], then the caller's defaults ([WithDefaults]); "%%" is a literal
// "%". Values are interpolated only when fileConfig reads them
// interpolated, so a bad reference in a key that nothing reads is no error,
// as in Python; format, datefmt and style are read raw.

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

// scope is where a section's values come from: its own keys, the file's
// [DEFAULT] and the caller's defaults (lower-cased keys), in that order.
type scope struct {
	doc      *iniDoc
	defaults map[string]string
	spent    *int // bytes produced by interpolation so far
}

// found is a value and where it was found.
type found struct {
	value string
	key   *iniKey // nil for a caller default
	from  string  // "" (the section itself), "[DEFAULT]" or "the caller's defaults"
}

// lookup finds key as configparser does for section s.
func (sc scope) lookup(s *iniSection, key string) (found, bool) {
	if k := s.key(key); k != nil {
		return found{value: k.value, key: k}, true
	}
	if k := sc.doc.defaults.key(key); k != nil {
		return found{value: k.value, key: k, from: "[DEFAULT]"}, true
	}
	if v, ok := sc.defaults[key]; ok {
		return found{value: v, from: "the caller's defaults"}, true
	}
	return found{}, false
}

// has reports whether key is set for s (Python's `key in section`).
func (sc scope) has(s *iniSection, key string) bool {
	_, ok := sc.lookup(s, key)
	return ok
}

// raw returns the value of key as read with raw=True.
func (sc scope) raw(s *iniSection, key string) (found, bool) { return sc.lookup(s, key) }

// get returns the value of key with %(name)s references replaced.
func (sc scope) get(s *iniSection, key string) (found, bool, error) {
	f, ok := sc.lookup(s, key)
	if !ok {
		return f, false, nil
	}
	var b strings.Builder
	if err := sc.interpolate(s, key, f, f.value, &b, 1); err != nil {
		return f, true, err
	}
	f.value = b.String()
	if sc.spent != nil {
		*sc.spent += len(f.value)
	}
	return f, true, nil
}

// interpolate is configparser's BasicInterpolation._interpolate_some.
func (sc scope) interpolate(s *iniSection, key string, f found, rest string, b *strings.Builder, depth int) error {
	if depth > maxInterpolationDepth {
		return sc.errAt(s, key, f, fmt.Errorf(
			"%w: %q still holds %%(...)s references after %d substitutions (a reference cycle?)",
			ErrInterpolation, f.value, maxInterpolationDepth))
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
				return sc.errAt(s, key, f, fmt.Errorf(
					"%w: bad reference %q in %q (write %%(name)s, or %%%% for a literal %%)",
					ErrInterpolation, rest, f.value))
			}
			name := strings.ToLower(rest[2:end])
			rest = rest[end+2:]
			v, ok := sc.lookup(s, name)
			if !ok {
				return sc.errAt(s, key, f, fmt.Errorf(
					"%w: %q refers to %%(%s)s, which is not a key of [%s], [DEFAULT] or the caller's defaults",
					ErrInterpolation, f.value, name, s.name))
			}
			if strings.Contains(v.value, "%") {
				if err := sc.interpolate(s, key, f, v.value, b, depth+1); err != nil {
					return err
				}
			} else {
				b.WriteString(v.value)
			}
		default:
			return sc.errAt(s, key, f, fmt.Errorf(
				"%w: '%%' must be followed by '%%' or '(' in %q, found %q (write %%%% for a literal %%)",
				ErrInterpolation, f.value, rest))
		}
		if b.Len() > maxInterpolatedLen {
			return sc.errAt(s, key, f, fmt.Errorf(
				"%w: the value grows beyond %d bytes", ErrInterpolation, maxInterpolatedLen))
		}
		if sc.spent != nil && *sc.spent+b.Len() > maxInterpolatedTotal {
			return sc.errAt(s, key, f, fmt.Errorf(
				"%w: the file's values grow beyond %d bytes in total", ErrInterpolation, maxInterpolatedTotal))
		}
	}
	return nil
}

// errAt is an error about key of section s whose value f was found as
// shown: it points at the line where the value is written.
func (sc scope) errAt(s *iniSection, key string, f found, err error) *Error {
	e := &Error{File: sc.doc.file, Line: s.line, Section: s.name, Key: key, Err: err}
	if f.key != nil {
		e.Line = f.key.line
	}
	if f.from != "" {
		e.Err = fmt.Errorf("%w (value from %s)", err, f.from)
	}
	return e
}
