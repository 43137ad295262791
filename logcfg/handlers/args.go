package handlers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/livelog/livelog/internal/pylit"
)

// signature is a Python parameter list: names in order, with the number
// that are required.
type signature struct {
	class    string
	names    []string
	required int
}

var (
	streamSig  = signature{"StreamHandler", []string{"stream"}, 0}
	systemdSig = signature{"SystemdHandler", []string{"stream"}, 0}
	nullSig    = signature{"NullHandler", []string{"level"}, 0} // logging.Handler's

	fileSig     = signature{"FileHandler", []string{"filename", "mode", "encoding", "delay", "errors"}, 1}
	rotatingSig = signature{"RotatingFileHandler", []string{"filename", "mode", "maxBytes", "backupCount", "encoding", "delay", "errors"}, 1}
	syslogSig   = signature{"SysLogHandler", []string{"address", "facility", "socktype"}, 0}
)

// bind matches args and kwargs to the signature as Python's call would.
func (sig signature) bind(a Args) (map[string]pylit.Value, error) {
	if len(a.Args) > len(sig.names) {
		return nil, fmt.Errorf("%w: %s takes at most %d arguments %v, got %d", ErrBadArgs, sig.class, len(sig.names), sig.names, len(a.Args))
	}
	got := make(map[string]pylit.Value, len(sig.names))
	for i, v := range a.Args {
		got[sig.names[i]] = v
	}
	for _, k := range sortedKeys(a.Kwargs) {
		found := false
		for _, n := range sig.names {
			switch {
			case n == k:
				if _, dup := got[n]; dup {
					return nil, fmt.Errorf("%w: %s got %s twice, in args and kwargs", ErrBadArgs, sig.class, n)
				}
				got[n], found = a.Kwargs[k], true
			case strings.EqualFold(n, k):
				// Python's keyword arguments are case-sensitive.
				return nil, fmt.Errorf("%w: %s has no argument %q (did you mean %q?)", ErrBadArgs, sig.class, clip(k), n)
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: %s has no argument %q (it takes %v)", ErrBadArgs, sig.class, clip(k), sig.names)
		}
	}
	for _, n := range sig.names[:sig.required] {
		if v, ok := got[n]; !ok || v.Kind == pylit.KindNone {
			return nil, fmt.Errorf("%w: %s needs %s", ErrBadArgs, sig.class, n)
		}
	}
	if v, ok := got["level"]; ok && !isLevel(v) {
		return nil, fmt.Errorf("%w: %s level must be a level such as DEBUG or 'DEBUG', or a number, not %s",
			ErrBadArgs, sig.class, pylit.Describe(v))
	}
	return got, nil
}

// isLevel says whether logging.Handler's level argument takes v, as
// Python's _checkLevel does: any int, or a level name (case matters).
func isLevel(v pylit.Value) bool {
	switch v.Kind {
	case pylit.KindInt, pylit.KindBool:
		return true
	case pylit.KindString:
		switch v.Str {
		case "NOTSET", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "CRITICAL", "FATAL":
			return true
		}
	}
	return false
}

// stream returns the stream argument: "stdout" or "stderr" (the default).
func (sig signature) stream(a Args) (string, error) {
	got, err := sig.bind(a)
	if err != nil {
		return "", err
	}
	v, ok := got["stream"]
	switch {
	case !ok || v.Kind == pylit.KindNone:
		return "stderr", nil
	case v.Kind == pylit.KindStream && (v.Str == "stdout" || v.Str == "stderr"):
		return v.Str, nil
	}
	return "", fmt.Errorf("%w: %s stream must be sys.stdout or sys.stderr, not %s", ErrBadArgs, sig.class, pylit.Describe(v))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// clip shortens a name quoted in an error message.
func clip(s string) string { return pylit.Clip(s) }
