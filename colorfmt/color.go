package colorfmt

import "go.uber.org/zap/zapcore"

// numLevels is the number of level slots: zapcore levels -2 (below Debug,
// Python's NOTSET) through 5 (Fatal).
const numLevels = 8

// levelIndex maps a zapcore level onto a slot of the per-level tables.
// Levels below -2 share the NOTSET slot and levels above Fatal the Fatal
// slot, so any value is safe.
func levelIndex(l zapcore.Level) int {
	i := int(l) + 2
	if i < 0 {
		return 0
	}
	if i >= numLevels {
		return numLevels - 1
	}
	return i
}

// levelNames are Python's level names by slot. zap's DPanic, Panic and Fatal
// all render CRITICAL. (logcfg/level.go holds the same mapping for configs;
// colorfmt cannot import logcfg, so the render table lives here.)
var levelNames = [numLevels]string{"NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "CRITICAL", "CRITICAL"}

// levelNumbers are Python's level numbers by slot.
var levelNumbers = [numLevels]int64{0, 10, 20, 30, 40, 50, 50, 50}

// ANSI SGR sequences for the colour tokens.
const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
)

// tokens maps each colour token (without its "$") to its escape sequence.
// $COLOR is absent: it depends on the level (see levelColors).
var tokens = map[string]string{
	"RESET":      ansiReset,
	"BOLD":       ansiBold,
	"BLACK":      "\x1b[30m",
	"RED":        "\x1b[31m",
	"GREEN":      "\x1b[32m",
	"YELLOW":     "\x1b[33m",
	"BLUE":       "\x1b[34m",
	"MAGENTA":    "\x1b[35m",
	"CYAN":       "\x1b[36m",
	"WHITE":      "\x1b[37m",
	"BG_BLACK":   "\x1b[40m",
	"BG_RED":     "\x1b[41m",
	"BG_GREEN":   "\x1b[42m",
	"BG_YELLOW":  "\x1b[43m",
	"BG_BLUE":    "\x1b[44m",
	"BG_MAGENTA": "\x1b[45m",
	"BG_CYAN":    "\x1b[46m",
	"BG_WHITE":   "\x1b[47m",
}

// colorToken is the name of the level-colour token.
const colorToken = "COLOR"

// maxTokenLen is the length of the longest token name.
const maxTokenLen = len("BG_MAGENTA")

// levelColors is what $COLOR renders for each level slot: DEBUG blue, INFO
// green, WARNING yellow, ERROR red, CRITICAL (DPanic, Panic, Fatal) bold
// white on red. NOTSET never appears on a record and renders nothing.
var levelColors = [numLevels]string{
	"",
	"\x1b[34m",
	"\x1b[32m",
	"\x1b[33m",
	"\x1b[31m",
	"\x1b[1;37;41m",
	"\x1b[1;37;41m",
	"\x1b[1;37;41m",
}

// matchToken finds the longest colour token name (including COLOR) at the
// start of s, as Python's str.replace-based colour formatters would
// substitute it. It returns "" if there is none.
func matchToken(s string) string {
	n := min(len(s), maxTokenLen)
	for ; n > 0; n-- {
		name := s[:n]
		if name == colorToken {
			return name
		}
		if _, ok := tokens[name]; ok {
			return name
		}
	}
	return ""
}
