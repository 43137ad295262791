package ini

import (
	"errors"
	"fmt"
	"strings"

	"github.com/livelog/livelog/internal/pylit"
)

// Error categories, for errors.Is. Every [*Error] wraps one of them.
var (
	ErrSyntax        = errors.New("syntax error")
	ErrDuplicate     = errors.New("duplicate")
	ErrInterpolation = errors.New("bad interpolation")
)

// Error is a problem at a place in an INI file. File, Line, Section and
// Key are left empty (0) where they do not apply.
type Error struct {
	File    string // file name as given to Read
	Line    int    // 1-based line of the key, value line or section header; 0 if unknown
	Section string // section name without brackets
	Key     string // lower-cased key within the section
	Err     error  // what is wrong; wraps one of the Err* categories
}

// Error returns the problem with its place, as "ini: file:line: [section]
// key: problem"; logcfg shows its own form of the same fields instead.
func (e *Error) Error() string {
	return fmt.Sprintf("ini: %s:%d: [%s] %s: %v", e.File, e.Line, pylit.Clip(e.Section), pylit.Clip(e.Key), e.Err)
}

// Unwrap returns the underlying problem.
func (e *Error) Unwrap() error { return e.Err }

// ErrorAt is an error about key of section s whose value v was found as
// shown: it points at the line where the value is written (the section
// header for a caller default) and, when err is not nil and the value
// came from elsewhere than s, says where.
func (d *Doc) ErrorAt(s *Section, key string, v Value, err error) *Error {
	e := &Error{File: d.File, Line: s.Line, Section: s.Name, Key: key, Err: err}
	if v.Key != nil {
		e.Line = v.Key.Line
	}
	if err != nil && v.From != "" {
		e.Err = fmt.Errorf("%w (value from %s)", err, v.From)
	}
	return e
}

// ErrorList is several problems of one file, in file order: [Read]
// returns one when more than one line is not INI.
type ErrorList []*Error

// MaxListed is how many problems [ErrorList.Error] spells out; it
// counts the others.
const MaxListed = 10

// Error returns the problems' messages, one a line: the first
// [MaxListed], then how many more there are.
func (l ErrorList) Error() string {
	msgs := make([]string, 0, min(len(l), MaxListed+1))
	for _, e := range l[:min(len(l), MaxListed)] {
		msgs = append(msgs, e.Error())
	}
	if len(l) > MaxListed {
		msgs = append(msgs, fmt.Sprintf("ini: and %d more problems", len(l)-MaxListed))
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}
