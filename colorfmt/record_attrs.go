package colorfmt

import "go.uber.org/zap/zapcore"

// Record holds the Python LogRecord attributes of a zap entry with the
// values a format renders for them (see Attributes in the package doc):
// what a handler that sends the record itself rather than a rendering of
// it (livelog's SocketHandler and HTTPHandler) puts in the record's dict.
type Record struct {
	Name                       string // "root" for the root logger
	LevelName                  string
	LevelNo                    int64
	Pathname, Filename, Module string
	FuncName                   string
	Lineno                     int
	Created, Msecs             float64
	RelativeCreated            float64
	Thread                     int
	ProcessName                string
	Process                    int
}

// RecordOf returns ent's attributes. Thread is the OS thread running the
// calling goroutine, as a format renders it on the logging call.
func RecordOf(ent zapcore.Entry) Record {
	tid := threadID()
	l := levelIndex(ent.Level)
	return Record{
		Name:            strAttr(attrName, &ent),
		LevelName:       levelNames[l],
		LevelNo:         levelNumbers[l],
		Pathname:        pathname(ent.Caller),
		Filename:        filename(ent.Caller),
		Module:          module(ent.Caller),
		FuncName:        funcName(ent.Caller),
		Lineno:          lineno(ent.Caller),
		Created:         created(ent.Time),
		Msecs:           float64(ent.Time.Nanosecond() / 1e6),
		RelativeCreated: float64(ent.Time.Sub(startTime).Nanoseconds()) / 1e6,
		Thread:          tid,
		ProcessName:     ProcessName(),
		Process:         pid,
	}
}

// AppendThreadName appends %(threadName)s of r.Thread to dst: "MainThread"
// or "Thread-<tid>".
func (r Record) AppendThreadName(dst []byte) []byte {
	return appendThreadName(dst, r.Thread)
}

// AppendPyFloat appends Python's repr(v), which is also str(v).
func AppendPyFloat(dst []byte, v float64) []byte { return appendPyFloat(dst, v) }

// AppendPyRepr appends Python's repr(s).
func AppendPyRepr(dst []byte, s string) []byte { return appendPyRepr(dst, s, false) }
