package handlers

import (
	"bytes"
	"encoding/base64"
	"mime"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// The mail SMTPHandler sends for a record, as CPython's SMTPHandler.emit
// builds it: an email.message.EmailMessage (policy email.policy.default:
// lines of at most 78 characters) with From, To (the addresses joined by
// ","), Subject, Date (email.utils.localtime() at the record's time), and
// the formatted record as its text/plain content, flattened with CRLF by
// smtplib.send_message.

// maxLineLength is email.policy.default.max_line_length.
const maxLineLength = 78

// mailHeaders is the From, To and Subject lines, the same for every
// record.
func mailHeaders(from string, to []string, subject string) []byte {
	var b []byte
	b = appendAddressHeader(b, "From", from, []string{from})
	b = appendAddressHeader(b, "To", strings.Join(to, ","), to)
	b = appendHeader(b, "Subject", subject)
	return b
}

// plainHeader says whether a header line can go as it is: ASCII, no
// control characters, short enough.
func plainHeader(name, value string) bool {
	if len(name)+2+len(value) > maxLineLength {
		return false
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// appendHeader writes an unstructured header (Subject). Beyond what
// plainHeader allows, Python refolds the header; here a non-ASCII value
// is sent as RFC 2047 encoded words (mime.QEncoding) and a long ASCII
// one is folded at spaces: the text a mail reader decodes is the same,
// the bytes may differ from Python's.
func appendHeader(b []byte, name, value string) []byte {
	value = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' ' // no header injection
		}
		return r
	}, value)
	if !plainHeader(name, value) {
		if !isASCII(value) {
			value = mime.QEncoding.Encode("utf-8", value)
		}
		return appendFolded(b, name, value)
	}
	b = append(b, name...)
	b = append(b, ": "...)
	b = append(b, value...)
	return append(b, "\r\n"...)
}

// appendAddressHeader writes From or To: as given when plainHeader
// allows, else each address re-rendered by net/mail (which encodes a
// non-ASCII display name), joined by ", ".
func appendAddressHeader(b []byte, name, value string, addrs []string) []byte {
	if plainHeader(name, value) || isASCII(value) {
		return appendHeader(b, name, value)
	}
	parts := make([]string, len(addrs))
	for i, a := range addrs {
		if p, err := mail.ParseAddress(a); err == nil {
			parts[i] = p.String()
		} else {
			parts[i] = mime.QEncoding.Encode("utf-8", a)
		}
	}
	return appendFolded(b, name, strings.Join(parts, ", "))
}

// appendFolded writes a header folded at spaces into lines of at most
// maxLineLength where the words allow.
func appendFolded(b []byte, name, value string) []byte {
	line := len(name) + 1
	b = append(b, name...)
	b = append(b, ':')
	for _, w := range strings.Split(value, " ") {
		if line+1+len(w) > maxLineLength && line > len(name)+1 {
			b = append(b, "\r\n"...)
			line = 0
		}
		b = append(b, ' ')
		b = append(b, w...)
		line += 1 + len(w)
	}
	return append(b, "\r\n"...)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// mailDate is email.utils.format_datetime(email.utils.localtime()).
const mailDate = "Mon, 02 Jan 2006 15:04:05 -0700"

// appendMail writes the whole message for a record rendered as text at
// t, without the newline the formatter ends it with (Python's format does
// not add one).
func appendMail(b, headers []byte, t time.Time, text []byte) []byte {
	text = bytes.TrimSuffix(text, []byte("\n"))
	b = append(b, headers...)
	b = append(b, "Date: "...)
	b = t.Local().AppendFormat(b, mailDate)
	b = append(b, "\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: "...)
	lines := splitLines(text)
	cte, body := encodeText(lines)
	b = append(b, cte...)
	b = append(b, "\r\nMIME-Version: 1.0\r\n\r\n"...)
	return appendCRLF(b, body)
}

// splitLines is Python's bytes.splitlines: at \n, \r\n and \r, with no
// empty line after a final line break.
func splitLines(text []byte) [][]byte {
	var lines [][]byte
	for len(text) > 0 {
		i := bytes.IndexAny(text, "\r\n")
		if i < 0 {
			lines = append(lines, text)
			break
		}
		lines = append(lines, text[:i])
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
	}
	return lines
}

// encodeText is email.contentmanager._encode_text for the default
// policy (cte_type 8bit): 7bit for ASCII lines of at most 78 bytes, 8bit
// for other short lines, else quoted-printable or base64, whichever
// encodes the first ten lines shorter. The body's lines end in "\n".
func encodeText(lines [][]byte) (cte string, body []byte) {
	normal := append(bytes.Join(lines, []byte("\n")), '\n')
	longest := 0
	for _, l := range lines {
		longest = max(longest, len(l))
	}
	if longest <= maxLineLength {
		if isASCII(string(normal)) {
			return "7bit", normal
		}
		return "8bit", normal
	}
	sniff := append(bytes.Join(lines[:min(10, len(lines))], []byte("\n")), '\n')
	// binascii.b2a_base64 ends its output with "\n".
	if len(qpBodyEncode(sniff)) > base64.StdEncoding.EncodedLen(len(sniff))+1 {
		return "base64", encodeBase64(normal)
	}
	return "quoted-printable", qpBodyEncode(normal)
}

// encodeBase64 is email.base64mime's _encode_base64: lines of
// max_line_length//4*3 bytes, each encoded and ended with "\n".
func encodeBase64(data []byte) []byte {
	const per = maxLineLength / 4 * 3
	var out []byte
	for len(data) > 0 {
		n := min(per, len(data))
		out = base64.StdEncoding.AppendEncode(out, data[:n])
		out = append(out, '\n')
		data = data[n:]
	}
	return out
}

// qpSafe are the bytes email.quoprimime's body encoding leaves alone.
var qpSafe = func() (safe [256]bool) {
	for _, c := range []byte(" !\"#$%&'()*+,-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\t\r\n") {
		safe[c] = true
	}
	return safe
}()

// qpBodyEncode is email.quoprimime.body_encode(body, 78) with eol "\n",
// step for step.
func qpBodyEncode(body []byte) []byte {
	if len(body) == 0 {
		return nil
	}
	const hex = "0123456789ABCDEF"
	var t []byte
	for _, c := range body {
		if qpSafe[c] {
			t = append(t, c)
		} else {
			t = append(t, '=', hex[c>>4], hex[c&15])
		}
	}
	const maxLen1 = maxLineLength - 1
	var out [][]byte
	for _, line := range splitLines(t) {
		start, last := 0, len(line)-1-maxLineLength
		for start <= last {
			stop := start + maxLen1
			switch {
			case line[stop-2] == '=':
				out = append(out, line[start:stop-1])
				start = stop - 2
			case line[stop-1] == '=':
				out = append(out, line[start:stop])
				start = stop - 1
			default:
				out = append(out, append(line[start:stop:stop], '='))
				start = stop
			}
		}
		if n := len(line); n > 0 && (line[n-1] == ' ' || line[n-1] == '\t') {
			c := line[n-1]
			quoted := []byte{'=', hex[c>>4], hex[c&15]}
			var q []byte
			switch room := start - last; {
			case room >= 3:
				q = quoted
			case room == 2:
				q = []byte{c, '=', '\n'}
			default:
				q = append([]byte("=\n"), quoted...)
			}
			out = append(out, append(append([]byte(nil), line[start:n-1]...), q...))
		} else {
			out = append(out, line[start:])
		}
	}
	if c := body[len(body)-1]; c == '\r' || c == '\n' {
		out = append(out, nil)
	}
	return bytes.Join(out, []byte("\n"))
}

// appendCRLF writes body with its "\n" line ends as "\r\n", as the
// generator flattens it.
func appendCRLF(b, body []byte) []byte {
	for len(body) > 0 {
		i := bytes.IndexByte(body, '\n')
		if i < 0 {
			return append(b, body...)
		}
		b = append(b, body[:i]...)
		b = append(b, '\r', '\n')
		body = body[i+1:]
	}
	return b
}
