package bench

import (
	"testing"
	"time"

	"github.com/livelog/livelog/colorfmt"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// issueFormat is the format of issue 3, as operators write it for Python.
const issueFormat = "$YELLOW%(asctime)s $RESET- $MAGENTA%(module)s.%(funcName)s $RESET- $GREEN%(processName)s $RESET- $COLOR%(levelname)s $RESET- %(message)s"

// encodeEntry is the entry both encoders render: caller defined, a logger
// name, and the time of now (so the per-second date cache sees real use).
func encodeEntry() zapcore.Entry {
	return zapcore.Entry{
		Level:      zapcore.InfoLevel,
		Time:       time.Now(),
		LoggerName: "app.db",
		Message:    "query finished",
		Caller: zapcore.EntryCaller{
			Defined:  true,
			File:     "/src/example.com/app/db/query.go",
			Line:     42,
			Function: "example.com/app/db.(*Conn).Query",
		},
	}
}

// encodeFields are three fields: int, string, duration.
func encodeFields() []zapcore.Field {
	return []zapcore.Field{zap.Int("rows", 42), zap.String("table", "users"), zap.Duration("took", 1500*time.Microsecond)}
}

// zapConsoleEncoder shows the same information with zap's console encoder:
// time, coloured level, name, caller and function, message, fields.
func zapConsoleEncoder() zapcore.Encoder {
	return zapcore.NewConsoleEncoder(zapcore.EncoderConfig{
		TimeKey:        "time",
		LevelKey:       "level",
		NameKey:        "name",
		CallerKey:      "caller",
		FunctionKey:    "func",
		MessageKey:     "msg",
		LineEnding:     zapcore.DefaultLineEnding,
		EncodeLevel:    zapcore.CapitalColorLevelEncoder,
		EncodeTime:     zapcore.ISO8601TimeEncoder,
		EncodeDuration: zapcore.StringDurationEncoder,
		EncodeCaller:   zapcore.ShortCallerEncoder,
		EncodeName:     zapcore.FullNameEncoder,
	})
}

// BenchmarkEncode compares colorfmt with zap's console encoder on the same
// entry and fields, in the same run (issue 3).
func BenchmarkEncode(b *testing.B) {
	ent, fields := encodeEntry(), encodeFields()
	cf, err := colorfmt.New(issueFormat, &colorfmt.Options{Tokens: true, Color: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		enc  zapcore.Encoder
	}{
		{"colorfmt", cf},
		{"zapconsole", zapConsoleEncoder()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf, err := bc.enc.EncodeEntry(ent, fields)
				if err != nil {
					b.Fatal(err)
				}
				buf.Free()
			}
		})
	}
}
