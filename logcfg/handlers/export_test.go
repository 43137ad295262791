package handlers

import (
	"os"

	"go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"
)

// Hooks for the tests of package handlers_test, which reach the classes
// through logcfg as programs do.

// SetStdStream redirects the stream handlers' stdout and stderr for the
// rest of the test (t.Cleanup restores them).
func SetStdStream(f func(name string) *os.File) (restore func()) {
	saved := stdStream
	stdStream = f
	return func() { stdStream = saved }
}

// SetJournalSocket points JournalHandler at path.
func SetJournalSocket(path string) (restore func()) {
	saved := journalSocket
	journalSocket = path
	return func() { journalSocket = saved }
}

// JournalSocket is where JournalHandler sends.
func JournalSocket() string { return journalSocket }

var (
	AppendOneLine    = appendOneLine
	JournalCheckName = journalCheckName
)

// Severity is the syslog (and journald) priority of a level.
func Severity(l zapcore.Level) int64 { return syslogSeverity(l) }

// GetBuffer is a buffer from the sinks' pool.
func GetBuffer() *buffer.Buffer { return pool.Get() }

// OpenSystemd and OpenJournal open the classes directly.
func OpenSystemd(a Args, enc EncoderFunc) (Output, error) { return openSystemd(a, enc) }

// OpenJournal opens a JournalHandler.
func OpenJournal(a Args, enc EncoderFunc) (Output, error) { return openJournal(a, enc) }
