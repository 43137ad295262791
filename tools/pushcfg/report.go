package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/livelog/livelog/colorfmt"
)

// ANSI colours for outcomes.
const (
	colorNone   = ""
	colorGreen  = "\x1b[32m"
	colorRed    = "\x1b[31m"
	colorYellow = "\x1b[33m"
	colorDim    = "\x1b[2m"
	colorBold   = "\x1b[1m"
	colorReset  = "\x1b[0m"
)

// useColor reports whether w gets colour, by the rule every livelog
// output follows (colorfmt.ShouldColor in auto mode): a terminal, asked
// with the terminal ioctl, unless NO_COLOR or TERM=dumb says otherwise.
func useColor(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && colorfmt.ShouldColor(colorfmt.ColorAuto, f)
}

// cell is one table cell: its text and the colour to paint it on a terminal.
type cell struct {
	text  string
	color string
}

func plain(s string) cell { return cell{text: s} }

// escape makes text that may have come from a listener safe to print on a
// terminal: every control character (C0, DEL, C1), and so every escape
// sequence, is shown escaped ("\x1b", "\n", "\u009b"), as are bytes that are
// not UTF-8 ("\xff") and the bidirectional overrides. Anyone can bind a
// free port of the range and greet as livelog; nothing it sends reaches
// the terminal raw.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r == '\n':
			b.WriteString("\\n")
		case r == '\r':
			b.WriteString("\\r")
		case r == '\t':
			b.WriteString("\\t")
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// table lays out rows in aligned columns. Widths are measured on the plain
// text, so colour codes never break the alignment.
type table struct {
	rows [][]cell
}

// add adds a row; every cell's text is escaped (see [escape]).
func (t *table) add(cells ...cell) {
	for i := range cells {
		cells[i].text = escape(cells[i].text)
	}
	t.rows = append(t.rows, cells)
}

// write prints the table, two spaces between columns, with no trailing
// spaces; colour is applied only if color is set.
func (t *table) write(w io.Writer, color bool) {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c.text))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		b.Reset()
		// The last non-empty cell ends the line.
		last := len(r) - 1
		for last >= 0 && r[last].text == "" {
			last--
		}
		for i := 0; i <= last; i++ {
			c := r[i]
			if i > 0 {
				b.WriteString("  ")
			}
			if color && c.color != colorNone && c.text != "" {
				b.WriteString(c.color + c.text + colorReset)
			} else {
				b.WriteString(c.text)
			}
			if i < last {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c.text)))
			}
		}
		b.WriteByte('\n')
		io.WriteString(w, b.String())
	}
}
