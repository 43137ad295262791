package handlers

import (
	"go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"
)

func checkSystemd(a Args) error {
	_, err := systemdSig.stream(a)
	return err
}

func openSystemd(a Args, newEnc EncoderFunc) (Output, error) {
	name, err := systemdSig.stream(a)
	if err != nil {
		return Output{}, err
	}
	keepSIGPIPE() // a closed stdout pipe fails writes instead of killing us
	// nil: the encoder writes to no terminal, so "auto" colour stays off.
	enc, err := newEnc(nil)
	if err != nil {
		return Output{}, err
	}
	return Output{Core: NewCore(enc, &systemdSink{out: newStreamSink(stdStream(name))})}, nil
}

// systemdSink writes "<N>" + the encoder's line, made one line.
type systemdSink struct {
	out *streamSink
}

func (s *systemdSink) WriteRecord(ent zapcore.Entry, text []byte) error {
	line := pool.Get()
	line.AppendByte('<')
	line.AppendInt(syslogSeverity(ent.Level))
	line.AppendByte('>')
	appendOneLine(line, text)
	err := s.out.WriteRecord(ent, line.Bytes())
	line.Free()
	return err
}

// Sync does nothing: writes to stdout and stderr are not buffered, and
// fsync on a pipe or the journal's stream socket only fails.
func (s *systemdSink) Sync() error { return nil }

// appendOneLine appends text as one line: every newline but a final one is
// written `\n`, a carriage return `\r` and a NUL (which journald also takes
// as the end of a line) `\0`; the line ends with one newline. Backslashes
// are left as they are, so that the output of a formatter with oneline=true,
// which escapes them itself, is not escaped twice.
func appendOneLine(b *buffer.Buffer, text []byte) {
	if n := len(text); n > 0 && text[n-1] == '\n' {
		text = text[:n-1]
	}
	start := 0
	for i, c := range text {
		var esc string
		switch c {
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case 0:
			esc = `\0`
		default:
			continue
		}
		b.AppendBytes(text[start:i])
		b.AppendString(esc)
		start = i + 1
	}
	b.AppendBytes(text[start:])
	b.AppendByte('\n')
}
