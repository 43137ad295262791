package handlers_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
)

// pySMTPServer is python3.11's smtpd server: it prints each mail it
// receives as a JSON line (envelope sender, recipients, the message as
// received). The first line is its port.
const pySMTPServer = `
import json, sys, warnings
warnings.simplefilter("ignore", DeprecationWarning)
import asyncore, smtpd

class S(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        print(json.dumps({"from": mailfrom, "to": rcpttos, "data": data.decode("utf-8", "replace")}), flush=True)

s = S(("127.0.0.1", 0), None, decode_data=False)
print(s.socket.getsockname()[1], flush=True)
asyncore.loop()
`

// smtpMail is what pySMTPServer prints of a mail.
type smtpMail struct {
	From string   `json:"from"`
	To   []string `json:"to"`
	Data string   `json:"data"`
}

var dateLine = regexp.MustCompile(`(?m)^Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$`)

// SMTPHandler sends, for the same config and records, the mail CPython's
// SMTPHandler sends: the same envelope and the same message as the
// server receives it (From, To, Subject, Content-Type,
// Content-Transfer-Encoding, MIME-Version and the body in Python's
// encoding), but for the Date, which both write in the same form.
func TestSMTPHandlerMatchesPython(t *testing.T) {
	server := startPyServer[smtpMail](t, pySMTPServer)
	port := server.port
	for _, args := range [][]string{
		{fmt.Sprintf("(('127.0.0.1', %d), 'Logs <logs@example.com>', ['ops@example.com', 'dev@example.com'], 'Error in app')", port)},
		{"()", fmt.Sprintf("kwargs={'mailhost': ('127.0.0.1', %d), 'fromaddr': 'logs@example.com', 'toaddrs': 'ops@example.com', "+
			"'subject': 'Error', 'credentials': None, 'secure': None, 'timeout': 2.5}", port)},
	} {
		t.Run(args[0], func(t *testing.T) {
			ini := lltest.NewINI().Logger("root", "DEBUG", "mail", true).
				Handler("mail", "handlers.SMTPHandler", "ERROR", "f", args[0], args[1:]...).
				Formatter("f", "%(levelname)s %(name)s: %(message)s").String()
			records := []string{"app ERROR disk_full", "app.db CRITICAL " + strings.Repeat("long_", 30), "app INFO not_sent"}

			lltest.PythonLogs(t, ini, t.TempDir(), records)
			var python []smtpMail
			for range 2 {
				python = append(python, server.next(t))
			}

			tree := configTree(t, ini, t.TempDir())
			lltest.LogRecords(t, records, tree.Logger, logcfg.ParseLevel)
			for i := range 2 {
				got := server.next(t)
				assert.Equal(t, python[i].From, got.From)
				assert.Equal(t, python[i].To, got.To)
				assert.Regexp(t, dateLine, got.Data)
				assert.Equal(t, dateLine.ReplaceAllString(python[i].Data, "Date: -"), dateLine.ReplaceAllString(got.Data, "Date: -"))
			}
			select {
			case m := <-server.values:
				t.Fatalf("a mail for a record below the handler's level: %v", m)
			default:
			}
			assert.Empty(t, tree.HandlerErrors())
		})
	}
}
