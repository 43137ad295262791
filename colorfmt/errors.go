package colorfmt

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// FormatError is a problem at a place in a format or datefmt string. Its
// message reads
//
//	colorfmt: format "%(levelnam)s": column 1: unknown attribute "levelnam"
//
// Column counts characters (runes), starting at 1. A string longer than
// 200 bytes is quoted as the 200 bytes around the column, with its length
// ("…" marks what is left out), and Msg is cut at 400 bytes, so that a
// huge format never makes a huge error.
type FormatError struct {
	What   string // "format" or "datefmt"
	Text   string // the whole string as given
	Column int    // 1-based character column of the problem
	Msg    string // what is wrong
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("colorfmt: %s %s: column %d: %s", e.What, quoteNear(e.Text, e.Column), e.Column, clipText(e.Msg, maxMsg))
}

// Error text bounds: how much of the string is quoted around the column,
// and how long a message may be.
const (
	quoteWindow = 200
	maxMsg      = 400
)

// quoteNear quotes text, or, when it is longer than quoteWindow bytes,
// the quoteWindow bytes around character column col, marking what is cut.
func quoteNear(text string, col int) string {
	if len(text) <= quoteWindow {
		return strconv.Quote(text)
	}
	off := 0
	for i := 1; i < col && off < len(text); i++ {
		_, n := utf8.DecodeRuneInString(text[off:])
		off += n
	}
	start := max(0, off-quoteWindow/2)
	end := min(len(text), start+quoteWindow)
	start = max(0, min(start, end-quoteWindow))
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	q := strconv.Quote(text[start:end])
	if start > 0 {
		q = "…" + q
	}
	if end < len(text) {
		q += "…"
	}
	return q + " (" + strconv.Itoa(len(text)) + " bytes)"
}

// clipText cuts s to at most n bytes at a character boundary, with "…".
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
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
