package logcfg

import (
	"errors"
	"fmt"

	"github.com/livelog/livelog/logcfg/handlers"
)

// Error categories, for errors.Is. Every error that Parse, ParseFile and
// Tree.Apply return wraps one of them (often inside an [*Error] that says
// where).
var (
	ErrSyntax         = errors.New("syntax error")
	ErrBadLevel       = errors.New("bad level")
	ErrUnknownClass   = errors.New("unknown class")
	ErrBadLiteral     = errors.New("bad literal")
	ErrBadArgs        = handlers.ErrBadArgs // "bad handler arguments"
	ErrMissingSection = errors.New("missing section")
	ErrMissingKey     = errors.New("missing key")
	ErrUndefined      = errors.New("undefined reference")
	ErrDuplicate      = errors.New("duplicate")
	ErrBadFormat      = errors.New("bad format")
	ErrInterpolation  = errors.New("bad interpolation")
	ErrOpen           = handlers.ErrOpen // "cannot open handler"
)

// Error is a problem at a place in a config file. Its message reads
//
//	logcfg: app.conf:12: [handler_console] class: unknown class "Foo"
//
// File, Line, Section and Key are left empty (0) where they do not apply.
type Error struct {
	File    string // file name as given to Parse/ParseFile
	Line    int    // 1-based line of the key (or section header); 0 if unknown
	Section string // section name without brackets, e.g. "handler_console"
	Key     string // key within the section, e.g. "class"
	Err     error  // what is wrong; wraps one of the Err* categories
}

func (e *Error) Error() string {
	msg := "logcfg: "
	if e.File != "" {
		msg += e.File + ":"
	}
	if e.Line > 0 {
		msg += fmt.Sprintf("%d:", e.Line)
	}
	if msg != "logcfg: " {
		msg += " "
	}
	if e.Section != "" {
		msg += "[" + e.Section + "] "
	}
	if e.Key != "" {
		msg += e.Key + ": "
	}
	return msg + e.Err.Error()
}

// Unwrap returns the underlying problem.
func (e *Error) Unwrap() error { return e.Err }
