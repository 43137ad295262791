package logcfg

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
)

// Python's level names map onto zapcore levels here and nowhere else.
//
//	Python     number  zapcore.Level
//	NOTSET      0      NotSet (below DebugLevel: lets everything through)
//	DEBUG      10      DebugLevel
//	INFO       20      InfoLevel
//	WARNING    30      WarnLevel
//	ERROR      40      ErrorLevel
//	CRITICAL   50      Critical (= DPanicLevel)
//
// CRITICAL is zap's DPanicLevel. Loggers built by a [Tree] never carry zap's
// Development option, so logger.DPanic logs at CRITICAL and returns: it never
// panics and never exits. zap's PanicLevel and FatalLevel are also named
// CRITICAL when rendered; calling logger.Panic or logger.Fatal keeps zap's
// meaning (panic, exit), which is the caller's explicit choice.
const (
	// NotSet is Python's NOTSET: a logger at NotSet takes its effective
	// level from the nearest ancestor that has a level; a handler at NotSet
	// lets every record through.
	NotSet zapcore.Level = zapcore.DebugLevel - 1
	// Critical is Python's CRITICAL (and FATAL).
	Critical zapcore.Level = zapcore.DPanicLevel
)

// ParseLevel reads a Python level name: DEBUG, INFO, WARNING (or WARN),
// ERROR, CRITICAL (or FATAL) and NOTSET. Case matters, as in Python's
// fileConfig; surrounding spaces do not.
func ParseLevel(s string) (zapcore.Level, error) {
	switch strings.TrimSpace(s) {
	case "NOTSET":
		return NotSet, nil
	case "DEBUG":
		return zapcore.DebugLevel, nil
	case "INFO":
		return zapcore.InfoLevel, nil
	case "WARNING", "WARN":
		return zapcore.WarnLevel, nil
	case "ERROR":
		return zapcore.ErrorLevel, nil
	case "CRITICAL", "FATAL":
		return Critical, nil
	}
	return 0, badLevel(s)
}

// parseLevelExact reads a level as fileConfig does: the value exactly as
// configparser gives it (setLevel looks the name up as is), so a line
// break or spaces that configparser keeps (a level on a continuation
// line, an interpolated caller default ' INFO ') make it unknown, as in
// Python.
func parseLevelExact(s string) (zapcore.Level, error) {
	if strings.TrimSpace(s) != s {
		if _, err := ParseLevel(s); err == nil {
			return 0, fmt.Errorf("%w %q: Python reads the spaces or line breaks around it as part of the name "+
				"(Unknown level); write it on the key's line, without spaces", ErrBadLevel, clip(s))
		}
	}
	return ParseLevel(s)
}

// levelNames are the names ParseLevel reads, for suggestions.
var levelNames = []string{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "NOTSET", "WARN", "FATAL"}

// badLevel is ParseLevel's error, with the closest level name when s is a
// likely misspelling ("Info", "WARNIGN").
func badLevel(s string) error {
	if near := pylit.Closest(strings.TrimSpace(s), levelNames); near != "" {
		return fmt.Errorf("%w %q (did you mean %s? want DEBUG, INFO, WARNING, ERROR, CRITICAL or NOTSET; case matters)",
			ErrBadLevel, clip(s), near)
	}
	return fmt.Errorf("%w %q (want DEBUG, INFO, WARNING, ERROR, CRITICAL or NOTSET)", ErrBadLevel, clip(s))
}

// LevelName is the Python name of a level: "NOTSET", "DEBUG", "INFO",
// "WARNING", "ERROR" or "CRITICAL" (for DPanic, Panic and Fatal).
func LevelName(l zapcore.Level) string {
	switch {
	case l <= NotSet:
		return "NOTSET"
	case l == zapcore.DebugLevel:
		return "DEBUG"
	case l == zapcore.InfoLevel:
		return "INFO"
	case l == zapcore.WarnLevel:
		return "WARNING"
	case l == zapcore.ErrorLevel:
		return "ERROR"
	default:
		return "CRITICAL"
	}
}

// levelNumber is Python's number for a level: 0, 10, 20, 30, 40 or 50.
func levelNumber(l zapcore.Level) int {
	switch {
	case l <= NotSet:
		return 0
	case l >= Critical:
		return 50
	default:
		return 10 * int(l+2)
	}
}

// levelFromNumber maps Python's level numbers (0, 10, 20, 30, 40, 50), as a
// dictConfig may give them, onto zapcore levels. Other numbers are rejected:
// zap has no level between its named ones.
func levelFromNumber(n int) (zapcore.Level, error) {
	switch n {
	case 0:
		return NotSet, nil
	case 10, 20, 30, 40:
		return zapcore.Level(n/10 - 2), nil
	case 50:
		return Critical, nil
	}
	return 0, fmt.Errorf("%w %d (want 0, 10, 20, 30, 40 or 50)", ErrBadLevel, n)
}

// clip shortens user input quoted in an error message, so that a hostile
// megabyte-long value does not travel back in the message whole.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + fmt.Sprintf("...(%d bytes)", len(s))
}
