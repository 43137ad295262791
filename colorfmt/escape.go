package colorfmt

import (
	"fmt"
	"strings"

	"go.uber.org/zap/buffer"
)

// escapeBuffer applies one-line escaping to the whole of buf in place:
// "\\" → `\\`, "\n" → `\n`, "\r" → `\r`. It grows buf only when there is
// something to escape.
func escapeBuffer(buf *buffer.Buffer) {
	b := buf.Bytes()
	n := 0
	for _, c := range b {
		if c == '\n' || c == '\r' || c == '\\' {
			n++
		}
	}
	if n == 0 {
		return
	}
	old := len(b)
	for range n {
		buf.AppendByte(0)
	}
	b = buf.Bytes()
	dst := len(b) - 1
	for src := old - 1; src >= 0; src-- {
		c := b[src]
		switch c {
		case '\n':
			b[dst], b[dst-1] = 'n', '\\'
			dst -= 2
		case '\r':
			b[dst], b[dst-1] = 'r', '\\'
			dst -= 2
		case '\\':
			b[dst], b[dst-1] = '\\', '\\'
			dst -= 2
		default:
			b[dst] = c
			dst--
		}
	}
}

// Escape is the one-line escaping of [Options.OneLine]: it replaces "\\"
// with `\\`, "\n" with `\n` and "\r" with `\r`, and nothing else.
func Escape(s string) string {
	buf := bufferPool.Get()
	defer buf.Free()
	buf.AppendString(s)
	escapeBuffer(buf)
	return buf.String()
}

// Unescape reverses [Escape] (and a one-line record, without its final
// "\n"). A backslash followed by anything but n, r or another backslash
// cannot come from Escape and is an error.
func Unescape(s string) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("colorfmt: unescape: lone backslash at byte %d", i)
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteByte('\\')
		default:
			return "", fmt.Errorf("colorfmt: unescape: unknown escape %q at byte %d", s[i-1:i+1], i-1)
		}
	}
	return b.String(), nil
}
