package handlers

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// pyMail builds the message CPython's SMTPHandler.emit builds, flattened
// as smtplib.send_message sends it, for each stdin line: hex of the
// formatted record; argv: from, JSON list of to, subject, Unix time.
const pyMail = `
import datetime, email.generator, email.utils, io, json, sys
from email.message import EmailMessage
fromaddr, toaddrs, subject, ts = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], float(sys.argv[4])
for line in sys.stdin.read().split("\n")[:-1]:
    msg = EmailMessage()
    msg['From'] = fromaddr
    msg['To'] = ','.join(toaddrs)
    msg['Subject'] = subject
    msg['Date'] = email.utils.localtime(datetime.datetime.fromtimestamp(ts, datetime.timezone.utc))
    msg.set_content(bytes.fromhex(line).decode())
    out = io.BytesIO()
    email.generator.BytesGenerator(out).flatten(msg, linesep='\r\n')
    print(out.getvalue().hex())
`

// The message is byte for byte CPython's for bodies that take each
// transfer encoding Python chooses: 7bit, 8bit, quoted-printable (long
// lines, with '=' and spaces where lines break, more than ten lines) and
// base64 (long non-ASCII lines).
func TestMailMatchesPython(t *testing.T) {
	texts := []string{
		"ERROR app: disk full",
		"",
		"two\nlines\r\nand\rmore",
		"héllo wörld",
		strings.Repeat("x", 78),
		strings.Repeat("x", 79),
		strings.Repeat("x", 200),
		strings.Repeat("ab=cd ", 40),
		strings.Repeat("y", 75) + "=" + strings.Repeat("z", 20),
		strings.Repeat("y", 76) + "=" + strings.Repeat("z", 20),
		strings.Repeat("w", 90) + " ",
		strings.Repeat("w", 77) + " ",
		strings.Repeat("w", 78) + "\t",
		strings.Repeat("w", 79) + " ",
		strings.Repeat("日本語のログ", 20),
		strings.Repeat("line of a traceback that is rather long, longer than seventy-eight bytes, as they are\n", 12),
		"Traceback (most recent call last):\n  File \"app.py\", line 1\n" + strings.Repeat("é", 50) + strings.Repeat("a", 40),
	}
	const from, subject = "Log Sender <logs@example.com>", "Error in app"
	to := []string{"ops@example.com", "Dev <dev@example.com>"}
	when := time.Unix(1764689733, 250e6)
	toJSON, err := json.Marshal(to)
	require.NoError(t, err)
	var in strings.Builder
	for _, text := range texts {
		in.WriteString(hex.EncodeToString([]byte(text)) + "\n")
	}
	out, _ := lltest.RunPythonInput(t, time.Minute, in.String(), pyMail, from, string(toJSON), subject, fmt.Sprint(when.Unix()))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, len(texts))
	headers := mailHeaders(from, to, subject)
	for i, text := range texts {
		want, err := hex.DecodeString(lines[i])
		require.NoError(t, err)
		// The formatter ends the record with a newline, which Python's
		// format(record) does not.
		got := appendMail(nil, headers, when, []byte(text+"\n"))
		assert.Equal(t, string(want), string(got), "text %d %q", i, text)
	}
}
