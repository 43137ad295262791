package main

import (
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

// table lays out rows in aligned columns. Widths are measured on the plain
// text, so colour codes never break the alignment.
type table struct {
	rows [][]cell
}

func (t *table) add(cells ...cell) { t.rows = append(t.rows, cells) }

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
