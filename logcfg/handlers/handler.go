package handlers

import (
	"errors"
	"os"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
)

// Errors a class's Check and Open wrap, for errors.Is. logcfg exports the
// same values as logcfg.ErrBadArgs and logcfg.ErrOpen.
var (
	ErrBadArgs = errors.New("bad handler arguments")
	ErrOpen    = errors.New("cannot open handler")
)

// Args are a handler section's arguments: Python literals, never
// evaluated.
type Args struct {
	Class  string                 // the class as written, for messages
	Args   []pylit.Value          // args=
	Kwargs map[string]pylit.Value // kwargs=
}

// Class is one handler class, e.g. "RotatingFileHandler".
//
// Check validates the arguments and has no side effects; Open makes the
// running handler. A class never accepts in Check what Open then refuses
// for a reason Check could have seen.
type Class struct {
	Check func(a Args) error
	Open  func(a Args, newEncoder EncoderFunc) (Output, error)
}

// EncoderFunc builds a handler's encoder for the file it writes to (nil
// when it writes to something that is not a terminal or file it owns):
// colour in "auto" mode depends on it.
type EncoderFunc func(out *os.File) (zapcore.Encoder, error)

// Output is an opened handler.
type Output struct {
	// Core writes every entry it is given: the tree filters by the
	// handler's level before calling it, so Core enables all levels.
	Core zapcore.Core
	// Close releases what Open acquired; nil if nothing. It is called
	// once, after no write can reach Core any more.
	Close func() error
	// Caller says that the handler itself uses the record's caller
	// (JournalHandler's CODE_FILE), whatever its formatter shows; the tree
	// then finds callers for the records it writes.
	Caller bool
}

// Builtins returns the built-in classes by the names configs use for
// them (a new map each call).
func Builtins() map[string]Class {
	stream := Class{Check: checkStream, Open: openStream}
	file := Class{Check: checkFile(fileSig), Open: openFile(fileSig, false)}
	watched := Class{Check: checkFile(fileSig), Open: openFile(fileSig, true)}
	rotating := Class{Check: checkFile(rotatingSig), Open: openFile(rotatingSig, false)}
	null := Class{Check: checkNull, Open: openNull}
	syslog := Class{Check: checkSyslog, Open: openSyslog}
	systemd := Class{Check: checkSystemd, Open: openSystemd}
	journal := Class{Check: checkJournal, Open: openJournal}
	timed := Class{Check: checkTimed, Open: openTimed}
	memory := Class{Check: checkMemory, Open: openMemory}
	// The network handlers (socket.go, http.go, smtp.go).
	socket := Class{Check: checkSocket, Open: openSocket}
	datagram := Class{Check: checkDatagram, Open: openDatagram}
	http := Class{Check: checkHTTP, Open: openHTTP}
	smtp := Class{Check: checkSMTP, Open: openSMTP}
	return map[string]Class{
		"StreamHandler":                  stream,
		"FileHandler":                    file,
		"WatchedFileHandler":             watched,
		"RotatingFileHandler":            rotating,
		"NullHandler":                    null,
		"SysLogHandler":                  syslog,
		"SystemdHandler":                 systemd,
		"livelog.SystemdHandler":         systemd,
		"JournalHandler":                 journal,
		"livelog.JournalHandler":         journal,
		"systemd.journal.JournalHandler": journal, // systemd-python's class
		"TimedRotatingFileHandler":       timed,
		"MemoryHandler":                  memory,
		"SocketHandler":                  socket,
		"DatagramHandler":                datagram,
		"HTTPHandler":                    http,
		"SMTPHandler":                    smtp,
	}
}
