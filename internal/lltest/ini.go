package lltest

import (
	"fmt"
	"strings"
)

// INI writes fileConfig INI text, so that a test states only its loggers,
// handlers and formatters, in that order of sections:
//
//	lltest.NewINI().
//		Logger("root", "INFO", "h", true).
//		Handler("h", "FileHandler", "", "f", lltest.FileArgs(path)).
//		Formatter("f", "%(levelname)s %(message)s").String()
//
// A logger's key is its name with dots made underscores.
type INI struct {
	loggers, handlers, formatters []string
	sections                      strings.Builder
}

// NewINI starts an empty config (no [logger_root] yet).
func NewINI() *INI { return &INI{} }

// Logger adds a logger; level "" leaves level= out (NOTSET, or WARNING
// for the root); handlers is a comma list. propagate is written for
// every logger but the root.
func (b *INI) Logger(name, level, handlers string, propagate bool) *INI {
	key := strings.ReplaceAll(name, ".", "_")
	b.loggers = append(b.loggers, key)
	fmt.Fprintf(&b.sections, "[logger_%s]\nhandlers=%s\n", key, handlers)
	if level != "" {
		fmt.Fprintf(&b.sections, "level=%s\n", level)
	}
	if name != "root" {
		p := 0
		if propagate {
			p = 1
		}
		fmt.Fprintf(&b.sections, "qualname=%s\npropagate=%d\n", name, p)
	}
	return b
}

// Handler adds a handler; level and formatter may be "". Extra lines
// (e.g. "kwargs={'delay': True}") follow.
func (b *INI) Handler(key, class, level, formatter, args string, extra ...string) *INI {
	b.handlers = append(b.handlers, key)
	fmt.Fprintf(&b.sections, "[handler_%s]\nclass=%s\nargs=%s\n", key, class, args)
	if level != "" {
		fmt.Fprintf(&b.sections, "level=%s\n", level)
	}
	if formatter != "" {
		fmt.Fprintf(&b.sections, "formatter=%s\n", formatter)
	}
	b.extra(extra)
	return b
}

// Formatter adds a formatter; extra lines (e.g. "color=never") follow.
func (b *INI) Formatter(key, format string, extra ...string) *INI {
	b.formatters = append(b.formatters, key)
	fmt.Fprintf(&b.sections, "[formatter_%s]\nformat=%s\n", key, format)
	b.extra(extra)
	return b
}

func (b *INI) extra(lines []string) {
	for _, l := range lines {
		b.sections.WriteString(l + "\n")
	}
}

// String is the INI text.
func (b *INI) String() string {
	return fmt.Sprintf("[loggers]\nkeys=%s\n[handlers]\nkeys=%s\n[formatters]\nkeys=%s\n%s",
		strings.Join(b.loggers, ","), strings.Join(b.handlers, ","), strings.Join(b.formatters, ","), b.sections.String())
}

// FileArgs is an args= tuple naming path, then more arguments as written
// (e.g. "'w'").
func FileArgs(path string, more ...string) string {
	return "(" + strings.Join(append([]string{fmt.Sprintf("%q", path)}, more...), ", ") + ",)"
}
