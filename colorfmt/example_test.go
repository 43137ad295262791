package colorfmt_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/livelog/livelog/colorfmt"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// A zap logger writing a Python logging format. To keep the example
// deterministic, the entry is encoded directly, at a fixed time.
func Example() {
	enc, err := colorfmt.New("%(asctime)s %(levelname)-8s %(name)s %(module)s.%(funcName)s:%(lineno)d %(message)s",
		&colorfmt.Options{Datefmt: "%Y-%m-%d %H:%M:%S"})
	if err != nil {
		fmt.Println(err)
		return
	}
	ent := zapcore.Entry{
		Level:      zapcore.WarnLevel,
		Time:       time.Date(2026, 11, 22, 8, 49, 45, 896_000_000, time.UTC),
		LoggerName: "app.db",
		Message:    "slow query",
		Caller:     zapcore.EntryCaller{Defined: true, File: "/src/app/db/query.go", Line: 42, Function: "example.com/app/db.(*Conn).Query"},
	}
	buf, _ := enc.EncodeEntry(ent, []zapcore.Field{
		zap.Int("rows", 3), zap.String("table", "user list"), zap.Duration("took", 1500*time.Millisecond), zap.Error(errors.New("timeout")),
	})
	fmt.Print(buf.String())
	buf.Free()
	// Output:
	// 2026-11-22 08:49:45 WARNING  app.db query.Query:42 slow query rows=3 table="user list" took=1.5s error=timeout
}

// Colour tokens render as ANSI sequences only when Color is set;
// ShouldColor decides it for an output.
func ExampleNew_colorTokens() {
	format := "$COLOR%(levelname)s$RESET %(message)s"
	ent := zapcore.Entry{Level: zapcore.ErrorLevel, Message: "disk full"}
	for _, color := range []bool{false, true} {
		enc := colorfmt.MustNew(format, &colorfmt.Options{Tokens: true, Color: color})
		buf, _ := enc.EncodeEntry(ent, nil)
		fmt.Printf("%q\n", buf.String())
		buf.Free()
	}
	// Output:
	// "ERROR disk full\n"
	// "\x1b[31mERROR\x1b[0m disk full\n"
}

// Check validates a format as a config parser does; errors name the column.
func ExampleCheck() {
	fmt.Println(colorfmt.Check("%(asctime)s %(levelnam)s", nil))
	fmt.Println(colorfmt.Check("%(levelname)d", nil))
	fmt.Println(colorfmt.Check("%(asctime)s", &colorfmt.Options{Datefmt: "%H:%M:%f"}))
	// Output:
	// colorfmt: format "%(asctime)s %(levelnam)s": column 13: unknown attribute "levelnam"
	// colorfmt: format "%(levelname)d": column 1: %d format: a real number is required, not str (attribute "levelname")
	// colorfmt: datefmt "%H:%M:%f": column 7: unsupported directive "%f"
}

// In one-line mode a multi-line message stays on one line; Unescape gives
// it back.
func ExampleUnescape() {
	enc := colorfmt.MustNew("%(levelname)s %(message)s", &colorfmt.Options{OneLine: true})
	buf, _ := enc.EncodeEntry(zapcore.Entry{Level: zapcore.InfoLevel, Message: "first\nsecond"}, nil)
	line := buf.String()
	buf.Free()
	fmt.Print(line)
	back, _ := colorfmt.Unescape(line[:len(line)-1])
	fmt.Println(back)
	// Output:
	// INFO first\nsecond
	// INFO first
	// second
}

// ShouldColor: a file that is not a terminal gets no colour in auto mode.
func ExampleShouldColor() {
	os.Setenv("NO_COLOR", "")
	os.Setenv("FORCE_COLOR", "")
	devnull, _ := os.Open(os.DevNull)
	defer devnull.Close()
	fmt.Println(colorfmt.ShouldColor(colorfmt.ColorAuto, devnull), colorfmt.ShouldColor(colorfmt.ColorAlways, devnull))
	// Output: false true
}

// SetProcessName names the process in %(processName)s.
func ExampleSetProcessName() {
	defer colorfmt.SetProcessName(colorfmt.ProcessName())
	colorfmt.SetProcessName("Worker #2")
	enc := colorfmt.MustNew("%(processName)s: %(message)s", nil)
	buf, _ := enc.EncodeEntry(zapcore.Entry{Message: "started"}, nil)
	fmt.Print(buf.String())
	buf.Free()
	// Output: Worker #2: started
}
