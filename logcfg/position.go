package logcfg

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads INI text the way Python's configparser.ConfigParser reads
// it (strict=True, the defaults of fileConfig) and keeps what ini.v1 does
// not: the line of every section header, key and value line. Parse builds
// a Config from the index; every error points back into it.
//
// Why not ini.v1: with the options DESIGN.md lists it merges duplicate
// sections and keys (configparser rejects both), keeps key case (configparser
// lower-cases), rejects blank lines inside an indented multi-line value
// ("key-value delimiter not found") and keeps no line numbers. Each rule
// below is configparser's RawConfigParser._read in CPython 3.11, checked
// against python3 by the tests in parse_test.go and fixtures_test.go.

// maxSections bounds the sections of one file: real configs have tens, and
// a hostile one must not make the parser build a large index (a 1 MiB
// payload of empty sections would otherwise cost tens of MiB).
const maxSections = 10000

// defaultSection is configparser's default_section.
const defaultSection = "DEFAULT"

// iniKey is one key of a section, with where its value sits.
type iniKey struct {
	name  string   // lower-cased, as configparser's optionxform
	line  int      // line of "name = value"
	lines []int    // file line of each line of the joined value
	cols  []int    // 0-based file column (in characters) where each line of the value starts
	parts []string // value lines before joining
	value string   // the joined value ("\n" between lines, right-trimmed)
}

// iniSection is one section (all [DEFAULT] headers share one).
type iniSection struct {
	name  string
	line  int // line of the (first) header; 0 for an absent [DEFAULT]
	keys  []*iniKey
	index map[string]*iniKey
}

func (s *iniSection) key(name string) *iniKey {
	if s == nil {
		return nil
	}
	return s.index[name]
}

// iniDoc is a whole file: its [DEFAULT] keys and its other sections in
// file order.
type iniDoc struct {
	file     string
	defaults *iniSection
	sections []*iniSection
	index    map[string]*iniSection
}

func (d *iniDoc) section(name string) *iniSection { return d.index[name] }

// valuePos maps a byte offset in k's joined value to the file line and
// 1-based column it came from.
func (k *iniKey) valuePos(off int) (line, col int) {
	off = min(off, len(k.value))
	n := strings.Count(k.value[:off], "\n")
	if n >= len(k.lines) {
		return k.line, column(k.value, off)
	}
	return k.lines[n], k.cols[n] + column(k.value, off)
}

// valueWhere names the file position of a byte offset in k's value.
func (k *iniKey) valueWhere(off int) string {
	line, col := k.valuePos(off)
	if len(k.lines) == 1 {
		return fmt.Sprintf("column %d", col)
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}

// readINI splits data into sections and keys exactly as configparser does:
// full-line comments start with '#' or ';' after optional spaces (there are
// no inline comments), keys are case-insensitive and delimited by the first
// '=' or ':', a line indented deeper than its key continues the key's value
// (blank lines inside such a value are kept, comment lines dropped),
// duplicate sections and duplicate keys in one section are errors, and a
// line that is none of these is a syntax error.
func readINI(data []byte, file string) (*iniDoc, error) {
	d := &iniDoc{
		file:     file,
		defaults: &iniSection{name: defaultSection, index: map[string]*iniKey{}},
		index:    map[string]*iniSection{},
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	var (
		cur         *iniSection
		opt         *iniKey
		indentLevel int
		bogus       []error
		seenKeys    = map[[2]string]int{}
	)
	lineno := 0
	for len(text) > 0 {
		lineno++
		var line string
		line, text = nextLine(text)
		value := strings.TrimSpace(line)
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
					ErrDuplicate, name, d.index[name].line)}
			case name == defaultSection:
				cur = d.defaults
				if cur.line == 0 {
					cur.line = lineno
				}
			default:
				if len(d.sections) >= maxSections {
					return nil, &Error{File: file, Line: lineno, Section: name, Err: fmt.Errorf(
						"%w: more than %d sections; livelog refuses configs this large", ErrSyntax, maxSections)}
				}
				cur = &iniSection{name: name, line: lineno, index: map[string]*iniKey{}}
				d.sections = append(d.sections, cur)
				d.index[name] = cur
			}
			continue
		}
		if cur == nil {
			return nil, &Error{File: file, Line: lineno, Err: fmt.Errorf(
				"%w: %q comes before the first [section] header", ErrSyntax, value)}
		}
		i := strings.IndexAny(value, "=:")
		if i < 0 {
			bogus = append(bogus, &Error{File: file, Line: lineno, Section: cur.name, Err: fmt.Errorf(
				"%w: line %q is not a [section] header, a key = value line, a comment or an indented continuation",
				ErrSyntax, value)})
			continue
		}
		name := strings.ToLower(strings.TrimRightFunc(value[:i], unicode.IsSpace))
		if name == "" {
			bogus = append(bogus, &Error{File: file, Line: lineno, Section: cur.name, Err: fmt.Errorf(
				"%w: line %q has no key before %q", ErrSyntax, value, value[i:i+1])})
		}
		if first, dup := seenKeys[[2]string{cur.name, name}]; dup {
			return nil, &Error{File: file, Line: lineno, Section: cur.name, Key: name, Err: fmt.Errorf(
				"%w key %q: it is already set at line %d (keys are case-insensitive; Python's configparser rejects duplicates)",
				ErrDuplicate, name, first)}
		}
		seenKeys[[2]string{cur.name, name}] = lineno
		val := strings.TrimSpace(value[i+1:])
		col := indent + utf8.RuneCountInString(value[:len(value)-len(strings.TrimLeftFunc(value[i+1:], unicode.IsSpace))])
		opt = &iniKey{name: name, line: lineno, lines: []int{lineno}, cols: []int{col}, parts: []string{val}}
		cur.keys = append(cur.keys, opt)
		cur.index[name] = opt
	}
	for _, s := range append([]*iniSection{d.defaults}, d.sections...) {
		for _, k := range s.keys {
			k.value = strings.TrimRightFunc(strings.Join(k.parts, "\n"), unicode.IsSpace)
			k.parts = nil
		}
	}
	if len(bogus) > 0 {
		return nil, joinErrors(bogus)
	}
	return d, nil
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
		if !unicode.IsSpace(r) {
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

// column is the 1-based character column of byte offset off in src,
// counted from the start of its line.
func column(src string, off int) int {
	off = min(off, len(src))
	lineStart := strings.LastIndexByte(src[:off], '\n') + 1
	return utf8.RuneCountInString(src[lineStart:off]) + 1
}
