package ini

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/livelog/livelog/internal/pylit"
)

// MaxSections bounds the sections of one file: real configs have tens, and
// a hostile one must not make the reader build a large index (a 1 MiB
// payload of empty sections would otherwise cost tens of MiB).
const MaxSections = 10000

// defaultSection is configparser's default_section.
const defaultSection = "DEFAULT"

// Key is one key of a section, with where its value sits.
type Key struct {
	Name  string // lower-cased, as configparser's optionxform does
	Line  int    // line of "name = value"
	Value string // the raw value, its lines joined with "\n" and right-trimmed

	pct   bool     // whether Value holds a '%' (interpolation has work to do)
	lines []int    // file line of each line of the joined value
	cols  []int    // 0-based file column (in characters) where each line of the value starts
	parts []string // value lines before joining, while Read runs
}

// Section is one section of a file; all [DEFAULT] headers share one.
type Section struct {
	Name string // as written between the brackets (section names keep their case)
	Line int    // line of the (first) header; 0 for an absent [DEFAULT]
	Keys []*Key // the section's own keys, in file order

	index map[string]*Key
}

// Key returns the section's own key name (lower-case), or nil. A nil
// Section has no keys.
func (s *Section) Key(name string) *Key {
	if s == nil {
		return nil
	}
	return s.index[name]
}

// Doc is a whole file: its [DEFAULT] keys and its other sections in file
// order.
type Doc struct {
	File     string     // file name as given to Read, for messages
	Defaults *Section   // the [DEFAULT] section, never nil (Line 0 if the file has none)
	Sections []*Section // the other sections, in file order

	index map[string]*Section
	size  int // bytes of the text read, for the interpolation budget
}

// Section returns the section name (not [DEFAULT]), or nil.
func (d *Doc) Section(name string) *Section { return d.index[name] }

// ValuePos maps a byte offset in k's joined value to the file line and
// 1-based column (in characters) it came from.
func (k *Key) ValuePos(off int) (line, col int) {
	off = min(off, len(k.Value))
	n := strings.Count(k.Value[:off], "\n")
	if n >= len(k.lines) {
		return k.Line, column(k.Value, off)
	}
	return k.lines[n], k.cols[n] + column(k.Value, off)
}

// ValueWhere names the file position of a byte offset in k's value for a
// message: "column 8" for a one-line value, "line 30, column 8" for a
// multi-line one.
func (k *Key) ValueWhere(off int) string {
	line, col := k.ValuePos(off)
	if len(k.lines) == 1 {
		return fmt.Sprintf("column %d", col)
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}

// Read splits data into sections and keys exactly as configparser does:
// full-line comments start with '#' or ';' after optional spaces (there are
// no inline comments), keys are case-insensitive and delimited by the first
// '=' or ':', a line indented deeper than its key continues the key's value
// (blank lines inside such a value are kept, comment lines dropped),
// duplicate sections and duplicate keys in one section are errors, and a
// line that is none of these is a syntax error. A leading byte order mark
// is skipped; lines end at "\n", "\r\n" or "\r". file names the file in
// errors.
//
// The error is an [*Error], or an [ErrorList] when several lines are not
// INI. A duplicate section or key and a key before the first section
// header stop the reading at once, as in configparser; so does a section
// beyond [MaxSections], livelog's own bound.
func Read(data []byte, file string) (*Doc, error) {
	d := &Doc{
		File:     file,
		Defaults: &Section{Name: defaultSection, index: map[string]*Key{}},
		index:    map[string]*Section{},
		size:     len(data),
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	var (
		cur         *Section
		opt         *Key
		indentLevel int
		bogus       ErrorList
		seenKeys    = map[[2]string]int{}
	)
	lineno := 0
	for len(text) > 0 {
		lineno++
		var line string
		line, text = nextLine(text)
		value := Strip(line)
		comment := strings.HasPrefix(value, "#") || strings.HasPrefix(value, ";")
		if comment || value == "" {
			// A blank line belongs to the value being read (it is dropped
			// again if nothing indented follows); a comment line does not.
			if !comment && cur != nil && opt != nil {
				opt.parts = append(opt.parts, "")
				opt.lines = append(opt.lines, lineno)
				opt.cols = append(opt.cols, 0)
			}
			continue
		}
		indent := indentOf(line)
		if cur != nil && opt != nil && indent > indentLevel {
			opt.parts = append(opt.parts, value)
			opt.lines = append(opt.lines, lineno)
			opt.cols = append(opt.cols, indent)
			continue
		}
		indentLevel = indent
		if name, ok := sectionHeader(value); ok {
			opt = nil
			switch {
			case d.index[name] != nil:
				return nil, &Error{File: file, Line: lineno, Section: name, Err: fmt.Errorf(
					"%w section [%s]: it already started at line %d (Python's configparser rejects duplicate sections)",
					ErrDuplicate, pylit.Clip(name), d.index[name].Line)}
			case name == defaultSection:
				cur = d.Defaults
				if cur.Line == 0 {
					cur.Line = lineno
				}
			default:
				if len(d.Sections) >= MaxSections {
					return nil, &Error{File: file, Line: lineno, Section: name, Err: fmt.Errorf(
						"%w: more than %d sections; livelog refuses configs this large", ErrSyntax, MaxSections)}
				}
				cur = &Section{Name: name, Line: lineno, index: map[string]*Key{}}
				d.Sections = append(d.Sections, cur)
				d.index[name] = cur
			}
			continue
		}
		if cur == nil {
			return nil, &Error{File: file, Line: lineno, Err: fmt.Errorf(
				"%w: %q comes before the first [section] header", ErrSyntax, pylit.Clip(value))}
		}
		i := strings.IndexAny(value, "=:")
		if i < 0 {
			bogus = append(bogus, &Error{File: file, Line: lineno, Section: cur.Name, Err: fmt.Errorf(
				"%w: line %q is not a [section] header, a key = value line, a comment or an indented continuation",
				ErrSyntax, pylit.Clip(value))})
			continue
		}
		name := strings.ToLower(strings.TrimRightFunc(value[:i], IsSpace))
		if name == "" {
			bogus = append(bogus, &Error{File: file, Line: lineno, Section: cur.Name, Err: fmt.Errorf(
				"%w: line %q has no key before %q", ErrSyntax, pylit.Clip(value), value[i:i+1])})
		}
		if first, dup := seenKeys[[2]string{cur.Name, name}]; dup {
			return nil, &Error{File: file, Line: lineno, Section: cur.Name, Key: name, Err: fmt.Errorf(
				"%w key %q: it is already set at line %d (keys are case-insensitive; Python's configparser rejects duplicates)",
				ErrDuplicate, pylit.Clip(name), first)}
		}
		seenKeys[[2]string{cur.Name, name}] = lineno
		val := Strip(value[i+1:])
		col := indent + utf8.RuneCountInString(value[:len(value)-len(strings.TrimLeftFunc(value[i+1:], IsSpace))])
		opt = &Key{Name: name, Line: lineno, lines: []int{lineno}, cols: []int{col}, parts: []string{val}}
		cur.Keys = append(cur.Keys, opt)
		cur.index[name] = opt
	}
	for _, s := range append([]*Section{d.Defaults}, d.Sections...) {
		for _, k := range s.Keys {
			k.Value = strings.TrimRightFunc(strings.Join(k.parts, "\n"), IsSpace)
			k.parts = nil
			k.pct = strings.Contains(k.Value, "%")
		}
	}
	switch len(bogus) {
	case 0:
		return d, nil
	case 1:
		return nil, bogus[0]
	}
	return nil, bogus
}

// nextLine cuts the first line off text, ending at "\n", "\r\n" or "\r"
// (Python's universal newlines).
func nextLine(text string) (line, rest string) {
	i := strings.IndexAny(text, "\r\n")
	if i < 0 {
		return text, ""
	}
	if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
		return text[:i], text[i+2:]
	}
	return text[:i], text[i+1:]
}

// indentOf counts the characters before the first non-space one.
func indentOf(line string) int {
	n := 0
	for _, r := range line {
		if !IsSpace(r) {
			break
		}
		n++
	}
	return n
}

// sectionHeader matches configparser's permissive `\[(?P<header>.+)\]`:
// from the first '[' to the last ']' of the stripped line, not trimmed.
func sectionHeader(value string) (string, bool) {
	if !strings.HasPrefix(value, "[") {
		return "", false
	}
	j := strings.LastIndexByte(value, ']')
	if j < 2 {
		return "", false
	}
	return value[1:j], true
}

// column is the 1-based character column of byte offset off in src,
// counted from the start of its line.
func column(src string, off int) int {
	off = min(off, len(src))
	lineStart := strings.LastIndexByte(src[:off], '\n') + 1
	return utf8.RuneCountInString(src[lineStart:off]) + 1
}

// IsSpace is Python's str.isspace for one character, which str.strip,
// the \s of configparser's patterns and int() use: Go's unicode.IsSpace
// plus the separators U+001C to U+001F.
func IsSpace(r rune) bool { return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f }

// Strip is Python's str.strip(): s without the [IsSpace] characters at
// either end.
func Strip(s string) string { return strings.TrimFunc(s, IsSpace) }
