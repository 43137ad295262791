package logcfg

import (
	"errors"
	"fmt"
	"unicode/utf8"

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
	// ErrEncoding is a config that is not valid UTF-8.
	ErrEncoding = errors.New("not UTF-8")
)

// MaxErrorText caps the text of the error one Parse, ParseFile, ParseJSON
// or ParsePayload returns: past it the message is cut and ends with how
// many problems and bytes were left out. Each quoted piece of input is
// already clipped to 200 bytes and at most 10 problems are listed, so the
// cap is a last line of defence, whatever a hostile config holds.
const MaxErrorText = 64 << 10

// Error is a problem at a place in a config file. Its message reads
//
//	logcfg: app.conf:12: [handler_console] class: unknown class "Foo"
//
// and, for a dictConfig in JSON or YAML, with the column too:
//
//	logcfg: app.yaml:7:12: [handlers.console] class: unknown class "Foo"
//
// File, Line, Section and Key are left empty (0) where they do not apply.
type Error struct {
	File    string // file name as given to Parse/ParseFile
	Line    int    // 1-based line of the key (or section header); 0 if unknown
	Column  int    // 1-based column (dictConfig JSON and YAML); 0 if unknown
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
		if e.Column > 0 {
			msg += fmt.Sprintf("%d:", e.Column)
		}
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
		return capped(errs[0])
	}
	if len(errs) > maxErrors {
		more := fmt.Errorf("logcfg: and %d more problems", len(errs)-maxErrors)
		errs = append(errs[:maxErrors:maxErrors], more)
	}
	return capped(errors.Join(errs...))
}

// capped returns err, or, when its text exceeds MaxErrorText, an error
// with the same chain (errors.Is and errors.As see through it) whose text
// is cut there.
func capped(err error) error {
	msg := err.Error()
	if len(msg) <= MaxErrorText {
		return err
	}
	return &cappedError{err: err, msg: clipText(msg, MaxErrorText)}
}

type cappedError struct {
	err error
	msg string
}

func (e *cappedError) Error() string { return e.msg }
func (e *cappedError) Unwrap() error { return e.err }

// clipText cuts s to at most max bytes in all, on a rune boundary, ending
// with how many bytes were left out.
func clipText(s string, max int) string {
	tail := fmt.Sprintf("… (%d bytes in all, cut at %d)", len(s), max)
	cut := max - len(tail)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + tail
}
