package logcfg

import (
	"errors"
	"fmt"

	"github.com/livelog/livelog/internal/ini"
	"github.com/livelog/livelog/logcfg/handlers"
)

// Error categories, for errors.Is. Every error that Parse, ParseFile and
// Tree.Apply return wraps one of them (often inside an [*Error] that says
// where). ErrSyntax, ErrDuplicate and ErrInterpolation are the categories
// of the INI reader's errors too, so that errors.Is finds them however an
// error was made.
var (
	ErrSyntax         = ini.ErrSyntax
	ErrBadLevel       = errors.New("bad level")
	ErrUnknownClass   = errors.New("unknown class")
	ErrBadLiteral     = errors.New("bad literal")
	ErrBadArgs        = handlers.ErrBadArgs // "bad handler arguments"
	ErrMissingSection = errors.New("missing section")
	ErrMissingKey     = errors.New("missing key")
	ErrUndefined      = errors.New("undefined reference")
	ErrDuplicate      = ini.ErrDuplicate
	ErrBadFormat      = errors.New("bad format")
	ErrInterpolation  = ini.ErrInterpolation
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

// fromINI turns an error of the INI reader (an *ini.Error, or an
// ini.ErrorList of them) into *Errors that name the same place, capped as
// joinErrors caps them.
func fromINI(err error) error {
	switch e := err.(type) {
	case nil:
		return nil
	case *ini.Error:
		return positioned(e)
	case ini.ErrorList:
		errs := make([]error, len(e))
		for i, ie := range e {
			errs[i] = positioned(ie)
		}
		return joinErrors(errs)
	}
	return err
}

// positioned is e as an *Error: the same file, line, section, key and
// problem.
func positioned(e *ini.Error) *Error {
	return &Error{File: e.File, Line: e.Line, Section: e.Section, Key: e.Key, Err: e.Err}
}

// joinErrors returns the only error, or all of them joined with
// errors.Join (the first one first), capped so that a hostile file cannot
// produce a huge message.
func joinErrors(errs []error) error {
	const maxErrors = 10
	if len(errs) == 1 {
		return errs[0]
	}
	if len(errs) > maxErrors {
		more := fmt.Errorf("logcfg: and %d more problems", len(errs)-maxErrors)
		errs = append(errs[:maxErrors:maxErrors], more)
	}
	return errors.Join(errs...)
}
