package logcfg

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// bom is the UTF-8 byte order mark, which a config may start with.
var bom = []byte("\xef\xbb\xbf")

// checkUTF8 rejects data that is not valid UTF-8 (after an optional BOM),
// naming the line and the byte offset of the first bad byte. livelog reads
// configs as UTF-8 only: Python's fileConfig reads a file in the locale's
// encoding, which differs between machines, so a config that is not UTF-8
// is rejected rather than guessed at, and no byte is ever replaced.
func checkUTF8(data []byte, name string) error {
	text := bytes.TrimPrefix(data, bom)
	if utf8.Valid(text) {
		return nil
	}
	off := len(data) - len(text) // bytes before text (the BOM)
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	line := 1 + bytes.Count(text[:i], []byte("\n"))
	col := i - (bytes.LastIndexByte(text[:i], '\n') + 1) + 1
	return &Error{File: name, Line: line, Err: fmt.Errorf(
		"%w: byte 0x%02X at byte offset %d (line %d, byte %d of the line) is not valid UTF-8; "+
			"configs are read as UTF-8 only (a leading BOM is allowed): convert the file, e.g. iconv -f LATIN1 -t UTF-8",
		ErrEncoding, text[i], off+i, line, col)}
}
