package colorfmt

import "fmt"

// FormatError is a problem at a place in a format or datefmt string. Its
// message reads
//
//	colorfmt: format "%(levelnam)s": column 1: unknown attribute "levelnam"
//
// Column counts characters (runes), starting at 1.
type FormatError struct {
	What   string // "format" or "datefmt"
	Text   string // the whole string as given
	Column int    // 1-based character column of the problem
	Msg    string // what is wrong
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("colorfmt: %s %q: column %d: %s", e.What, e.Text, e.Column, e.Msg)
}

// newFormatError makes a FormatError for the byte offset off of text.
func newFormatError(what, text string, off int, format string, args ...any) *FormatError {
	if off > len(text) {
		off = len(text)
	}
	col := 1
	for range text[:off] {
		col++
	}
	return &FormatError{What: what, Text: text, Column: col, Msg: fmt.Sprintf(format, args...)}
}
