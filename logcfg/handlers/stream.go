package handlers

import (
	"os"

	"go.uber.org/zap/zapcore"
)

func checkStream(a Args) error {
	_, err := streamSig.stream(a)
	return err
}

// stdStream resolves a stream name when a handler opens (a variable so
// that tests can send the output to a file).
var stdStream = func(name string) *os.File {
	if name == "stdout" {
		return os.Stdout
	}
	return os.Stderr
}

func openStream(a Args, newEnc EncoderFunc) (Output, error) {
	name, err := streamSig.stream(a)
	if err != nil {
		return Output{}, err
	}
	f := stdStream(name)
	keepSIGPIPE()
	enc, err := newEnc(f)
	if err != nil {
		return Output{}, err
	}
	return Output{Core: NewCore(enc, newStreamSink(f))}, nil
}

// streamSink writes each record with one write call, under a lock. Writes
// to stdout and stderr are not buffered, and fsync on a terminal or pipe
// only fails: Sync does nothing.
type streamSink struct {
	out zapcore.WriteSyncer
}

func newStreamSink(f *os.File) *streamSink {
	return &streamSink{out: zapcore.Lock(zapcore.AddSync(writerOnly{f}))}
}

func (s *streamSink) WriteRecord(_ zapcore.Entry, text []byte) error {
	_, err := s.out.Write(text)
	return err
}

func (s *streamSink) Sync() error { return nil }

// writerOnly hides a file's Sync method.
type writerOnly struct{ w *os.File }

func (w writerOnly) Write(p []byte) (int, error) { return w.w.Write(p) }

func checkNull(a Args) error {
	_, err := nullSig.bind(a)
	return err
}

func openNull(Args, EncoderFunc) (Output, error) {
	return Output{Core: zapcore.NewNopCore()}, nil
}
