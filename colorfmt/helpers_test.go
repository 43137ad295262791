package colorfmt

import (
	"time"

	"go.uber.org/zap/zapcore"
)

// issueFormat is the format of issue 3.
const issueFormat = "$YELLOW%(asctime)s $RESET- $MAGENTA%(module)s.%(funcName)s $RESET- $GREEN%(processName)s $RESET- $COLOR%(levelname)s $RESET- %(message)s"

// allocEntryFor is an INFO entry at a fixed time with a defined caller.
func allocEntryFor(msg string) zapcore.Entry {
	return zapcore.Entry{
		Level: zapcore.InfoLevel, Time: time.Date(2026, 11, 22, 8, 49, 45, 896_000_000, time.UTC), LoggerName: "app.db", Message: msg,
		Caller: zapcore.EntryCaller{Defined: true, File: "/src/app/db/query.go", Line: 42, Function: "example.com/app/db.(*Conn).Query"},
	}
}
