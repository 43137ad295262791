package colorfmt

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func render(t *testing.T, enc zapcore.Encoder, ent zapcore.Entry, fields ...zapcore.Field) string {
	t.Helper()
	buf, err := enc.EncodeEntry(ent, fields)
	require.NoError(t, err)
	defer buf.Free()
	return buf.String()
}

type point struct{ X, Y int }

func (p point) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddInt("x", p.X)
	enc.AddInt("y", p.Y)
	enc.OpenNamespace("meta")
	enc.AddString("label", "a b")
	return nil
}

type badObject struct{}

func (badObject) MarshalLogObject(zapcore.ObjectEncoder) error { return errors.New("cannot") }

func TestFieldForms(t *testing.T) {
	enc := MustNew("%(message)s", nil)
	ent := allocEntryFor("m")
	tm := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	for _, tc := range []struct {
		field zapcore.Field
		want  string
	}{
		{zap.String("s", "plain"), ` s=plain`},
		{zap.String("s", "two words"), ` s="two words"`},
		{zap.String("s", ""), ` s=""`},
		{zap.String("s", `a"b`), ` s="a\"b"`},
		{zap.String("s", "k=v"), ` s="k=v"`},
		{zap.String("s", `back\slash`), ` s="back\\slash"`},
		{zap.String("s", "line\nbreak\ttab\x01"), ` s="line\nbreak\ttab\u0001"`},
		{zap.String("s", "héllo✓"), ` s=héllo✓`},
		{zap.String("s", "bad\xffutf8"), ` s="bad\ufffdutf8"`},
		{zap.String("s", "nbsp\u00a0"), ` s="nbsp\u00a0"`},
		{zap.String("two words", "v"), ` "two words"=v`},
		{zap.Int("i", -42), ` i=-42`},
		{zap.Int8("i8", -8), ` i8=-8`},
		{zap.Uint64("u", math.MaxUint64), ` u=18446744073709551615`},
		{zap.Uint8("u8", 255), ` u8=255`},
		{zap.Uintptr("p", 0x10), ` p=16`},
		{zap.Bool("b", true), ` b=true`},
		{zap.Float64("f", 1.5), ` f=1.5`},
		{zap.Float64("f", 3), ` f=3`},
		{zap.Float64("f", 1e-9), ` f=1e-09`},
		{zap.Float64("f", math.Inf(1)), ` f=+Inf`},
		{zap.Float32("f32", 0.1), ` f32=0.1`},
		{zap.Complex128("c", complex(1, -2)), ` c=1-2i`},
		{zap.Complex64("c", complex(1, 2)), ` c=1+2i`},
		{zap.Duration("d", 1500*time.Millisecond), ` d=1.5s`},
		{zap.Duration("d", 0), ` d=0s`},
		{zap.Time("t", tm), ` t=2026-01-02T03:04:05.000000006Z`},
		{zap.Error(errors.New("boom here")), ` error="boom here"`},
		{zap.NamedError("cause", errors.New("eof")), ` cause=eof`},
		{zap.Binary("bin", []byte("abc")), ` bin=YWJj`},
		{zap.ByteString("bs", []byte("x y")), ` bs="x y"`},
		{zap.Stringer("st", time.Second), ` st=1s`},
		{zap.Ints("xs", []int{1, 2}), ` xs=[1,2]`},
		{zap.Strings("ss", []string{"a", "b c"}), ` ss=["a","b c"]`},
		{zap.Durations("ds", []time.Duration{time.Second}), ` ds=["1s"]`},
		{zap.Object("pt", point{1, 2}), ` pt={"x":1,"y":2,"meta":{"label":"a b"}}`},
		{zap.Objects("pts", []point{{1, 2}}), ` pts=[{"x":1,"y":2,"meta":{"label":"a b"}}]`},
		{zap.Any("m", map[string]any{"k": []int{1}, "h": "<b>"}), ` m={"h":"<b>","k":[1]}`},
		{zap.Any("pt", struct{ A int }{7}), ` pt={"A":7}`},
		{zap.Reflect("ch", make(chan int)), ` ch="<unencodable>" chError="json: unsupported type: chan int"`},
		{zap.Object("bad", badObject{}), ` bad={} badError=cannot`},
		{zap.Inline(point{3, 4}), ` x=3 y=4 meta.label="a b"`},
		{zap.Skip(), ``},
	} {
		assert.Equal(t, "m"+tc.want+"\n", render(t, enc, ent, tc.field), "%s", tc.field.Key)
	}
}

func TestNamespacesAndWith(t *testing.T) {
	enc := MustNew("%(levelname)s %(message)s [%(name)s]", nil)
	ent := allocEntryFor("m")
	with := enc.Clone()
	zap.String("req", "r1").AddTo(with)
	zap.Namespace("http").AddTo(with)
	zap.Int("status", 200).AddTo(with)
	assert.Equal(t, "INFO m req=r1 http.status=200 http.n=1 [app.db]\n", render(t, with, ent, zap.Int("n", 1)), "a With namespace holds the call's fields too, as in zap's JSON")
	assert.Equal(t, "INFO m req=r1 http.status=200 http.inner.n=1 [app.db]\n", render(t, with, ent, zap.Namespace("inner"), zap.Int("n", 1)))
	// The original is unchanged, and a clone of the clone copies its fields.
	assert.Equal(t, "INFO m [app.db]\n", render(t, enc, ent))
	again := with.Clone()
	zap.Bool("more", true).AddTo(again)
	assert.Equal(t, "INFO m req=r1 http.status=200 http.more=true [app.db]\n", render(t, again, ent))
	assert.Equal(t, "INFO m req=r1 http.status=200 [app.db]\n", render(t, with, ent))
}

func TestFieldsWithoutMessageEndTheLine(t *testing.T) {
	enc := MustNew("%(levelname)s|%(name)s", nil)
	assert.Equal(t, "INFO|app.db k=v\n", render(t, enc, allocEntryFor("m"), zap.String("k", "v")))
	// Only the first message gets the fields.
	enc = MustNew("%(message)s|%(message)s", nil)
	assert.Equal(t, "m k=v|m\n", render(t, enc, allocEntryFor("m"), zap.String("k", "v")))
}

func TestStackTrace(t *testing.T) {
	ent := allocEntryFor("failed")
	ent.Stack = "main.main()\n\t/src/main.go:10"
	enc := MustNew("%(levelname)s %(message)s", nil)
	assert.Equal(t, "INFO failed k=v\nmain.main()\n\t/src/main.go:10\n", render(t, enc, ent, zap.String("k", "v")))
	one := MustNew("%(levelname)s %(message)s", &Options{OneLine: true})
	got := render(t, one, ent, zap.String("k", "a\\b\nc"))
	assert.Equal(t, `INFO failed k="a\\\\b\\nc"\nmain.main()\n`+"\t"+`/src/main.go:10`+"\n", got)
	back, err := Unescape(strings.TrimSuffix(got, "\n"))
	require.NoError(t, err)
	assert.Equal(t, "INFO failed k=\"a\\\\b\\nc\"\nmain.main()\n\t/src/main.go:10", back)
}

func TestUnescapeRejects(t *testing.T) {
	for _, s := range []string{`a\`, `\t`, `\x41`} {
		_, err := Unescape(s)
		assert.Error(t, err, s)
	}
	got, err := Unescape("no escapes")
	require.NoError(t, err)
	assert.Equal(t, "no escapes", got)
}

func TestCallerAttributes(t *testing.T) {
	enc := MustNew("%(pathname)s|%(filename)s|%(module)s|%(funcName)s|%(lineno)d", nil)
	for _, tc := range []struct {
		caller zapcore.EntryCaller
		want   string
	}{
		{zapcore.EntryCaller{Defined: true, File: "/a/b/query.go", Line: 7, Function: "example.com/a/b.(*Conn).Query"}, "/a/b/query.go|query.go|query|Query|7"},
		{zapcore.EntryCaller{Defined: true, File: "main.go", Line: 1, Function: "main.main.func1"}, "main.go|main.go|main|func1|1"},
		{zapcore.EntryCaller{Defined: true, File: "/x/gen.go", Line: 2, Function: "example.com/x.Map[...]"}, "/x/gen.go|gen.go|gen|Map|2"},
		{zapcore.EntryCaller{Defined: true, File: "/x/gen.go", Line: 3, Function: "example.com/x.(*List[...]).Push"}, "/x/gen.go|gen.go|gen|Push|3"},
		{zapcore.EntryCaller{Defined: true, File: "/x.y/z/.hidden", Line: 4, Function: "f"}, "/x.y/z/.hidden|.hidden|.hidden|f|4"},
		{zapcore.EntryCaller{Defined: true, File: "/x/a.go", Line: 5}, "/x/a.go|a.go|a|(unknown function)|5"},
		{zapcore.EntryCaller{}, "(unknown file)|(unknown file)|(unknown file)|(unknown function)|0"},
	} {
		ent := allocEntryFor("m")
		ent.Caller = tc.caller
		assert.Equal(t, tc.want+" \n"[1:], render(t, enc, ent), "%+v", tc.caller)
	}
}

func TestLevels(t *testing.T) {
	enc := MustNew("%(levelname)s=%(levelno)d", nil)
	colored := MustNew("$COLOR%(levelname)s", &Options{Tokens: true, Color: true})
	seen := map[string]bool{}
	for _, tc := range []struct {
		l    zapcore.Level
		want string
	}{
		{-3, "NOTSET=0"}, {-2, "NOTSET=0"}, {zapcore.DebugLevel, "DEBUG=10"}, {zapcore.InfoLevel, "INFO=20"},
		{zapcore.WarnLevel, "WARNING=30"}, {zapcore.ErrorLevel, "ERROR=40"}, {zapcore.DPanicLevel, "CRITICAL=50"},
		{zapcore.PanicLevel, "CRITICAL=50"}, {zapcore.FatalLevel, "CRITICAL=50"}, {9, "CRITICAL=50"},
	} {
		ent := allocEntryFor("m")
		ent.Level = tc.l
		assert.Equal(t, tc.want+"\n", render(t, enc, ent), "level %d", tc.l)
		if tc.l >= zapcore.DebugLevel && tc.l <= zapcore.DPanicLevel {
			c := render(t, colored, ent)
			assert.True(t, strings.HasPrefix(c, "\x1b["), c)
			seen[c[:strings.IndexByte(c, 'm')+1]] = true
		}
	}
	assert.Len(t, seen, 5, "DEBUG, INFO, WARNING, ERROR and CRITICAL have distinct colours")
}

func TestTokens(t *testing.T) {
	ent := allocEntryFor("m")
	on := MustNew("$BOLD$RED$BG_BLUE%(message)s$RESET $REDDISH $UNKNOWN $ $$ $COLOR", &Options{Tokens: true, Color: true})
	assert.Equal(t, "\x1b[1m\x1b[31m\x1b[44mm\x1b[0m \x1b[31mDISH $UNKNOWN $ $$ \x1b[32m\n", render(t, on, ent))
	off := MustNew("$BOLD$RED$BG_BLUE%(message)s$RESET $REDDISH $UNKNOWN $ $$ $COLOR", &Options{Tokens: true})
	assert.Equal(t, "m DISH $UNKNOWN $ $$ \n", render(t, off, ent))
	literal := MustNew("$BOLD%(message)s$RESET", &Options{Color: true})
	assert.Equal(t, "$BOLDm$RESET\n", render(t, literal, ent))
	dollar := MustNew("${RED}$levelname$RESET $message", &Options{Style: "$", Tokens: true, Color: true})
	assert.Equal(t, "\x1b[31mINFO\x1b[0m m\n", render(t, dollar, ent))
	brace := MustNew("$GREEN{levelname}$RESET {message}", &Options{Style: "{", Tokens: true, Color: true})
	assert.Equal(t, "\x1b[32mINFO\x1b[0m m\n", render(t, brace, ent))
}

func TestDefaults(t *testing.T) {
	enc := MustNew("%(message)s ++ %(customfield)s|%(service)-6s|", &Options{Defaults: map[string]string{"customfield": "defaultvalue", "service": "api"}})
	assert.Equal(t, "m ++ defaultvalue|api   |\n", render(t, enc, allocEntryFor("m")))
}

// TestProcessAndThread: %(thread)d is the id of the OS thread that
// encodes (pinned here), and %(threadName)s tells the first thread from
// the others.
func TestProcessAndThread(t *testing.T) {
	defer SetProcessName(ProcessName())
	SetProcessName("Worker #2")
	enc := MustNew("%(process)d %(processName)s %(thread)d %(threadName)s", nil)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	got := strings.Fields(render(t, enc, allocEntryFor("m")))
	require.Len(t, got, 5)
	assert.Equal(t, strconv.Itoa(pid), got[0])
	assert.Equal(t, "Worker", got[1])
	assert.Equal(t, "#2", got[2])
	tid := threadID()
	assert.Equal(t, strconv.Itoa(tid), got[3])
	if tid == mainThread {
		assert.Equal(t, "MainThread", got[4])
	} else {
		assert.Equal(t, "Thread-"+got[3], got[4])
	}

	// A goroutine pinned while this one is runs on another thread.
	other := make(chan int)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		other <- threadID()
	}()
	otherTID := <-other
	switch runtime.GOOS {
	case "linux", "android", "freebsd", "windows":
		assert.Positive(t, tid)
		assert.NotEqual(t, tid, otherTID, "two pinned goroutines, two threads")
	default:
		assert.Zero(t, tid, "no thread ids on %s (see the package doc)", runtime.GOOS)
		assert.Zero(t, otherTID)
	}
	if runtime.GOOS == "linux" {
		assert.Equal(t, pid, mainThread, "the first thread's id is the pid")
	}
}

func TestCheckErrors(t *testing.T) {
	for _, tc := range []struct {
		format string
		opts   Options
		col    int
		msg    string
	}{
		{"%(foo)s", Options{}, 1, `unknown attribute "foo"`},
		{"ab %(args)s", Options{}, 4, `attribute "args" is not supported`},
		{"%(message)", Options{}, 1, "no conversion type"},
		{"%(message", Options{}, 1, "missing ')'"},
		{"x %s", Options{}, 3, "format requires a mapping"},
		{"%(message)s 100%", Options{}, 16, "lone '%'"},
		{"%(message)q", Options{}, 11, "unsupported format character 'q'"},
		{"%(message)c", Options{}, 11, "unsupported format character 'c'"},
		{"%(message)d", Options{}, 1, "a real number is required, not str"},
		{"%(msecs)x", Options{}, 1, "an integer is required, not float"},
		{"%(message).*s", Options{}, 12, "'*' precision"},
		{"%(message)5000s", Options{}, 11, "too large"},
		{"plain text", Options{}, 1, "no %(name)s field"},
		{"é%(nope)s", Options{}, 2, `unknown attribute "nope"`},
		{"{message", Options{Style: "{"}, 1, "unterminated"},
		{"{message}}x}", Options{Style: "{"}, 10, "single '}'"},
		{"{}", Options{Style: "{"}, 1, "positional"},
		{"{message.x}", Options{Style: "{"}, 1, "lookups"},
		{"{message!x}", Options{Style: "{"}, 9, "conversion"},
		{"{message:+}", Options{Style: "{"}, 10, "Sign not allowed in string format specifier"},
		{"{levelno:.2d}", Options{Style: "{"}, 1, "precision not allowed"},
		{"{msecs:.2}", Options{Style: "{"}, 8, "precision without a type"},
		{"{message:=5}", Options{Style: "{"}, 10, "'=' alignment"},
		{"{message:,}", Options{Style: "{"}, 10, "invalid or unsupported format specifier"},
		{"{nope}", Options{Style: "{"}, 1, `unknown attribute "nope"`},
		{"$message $", Options{Style: "$"}, 10, "invalid placeholder"},
		{"${message", Options{Style: "$"}, 1, "missing '}'"},
		{"${1x}", Options{Style: "$"}, 3, "want an identifier"},
		{"$nope", Options{Style: "$"}, 1, `unknown attribute "nope"`},
		{"%(asctime)s", Options{Datefmt: "%Y-%Q"}, 4, `unsupported directive "%Q"`},
		{"%(asctime)s", Options{Datefmt: "%H %"}, 4, "lone '%'"},
		{"%(asctime)s", Options{Datefmt: "%-a"}, 1, "numeric directives only"},
	} {
		err := Check(tc.format, &tc.opts)
		require.Error(t, err, tc.format)
		var fe *FormatError
		require.ErrorAs(t, err, &fe, tc.format)
		assert.Equal(t, tc.col, fe.Column, "%q: %v", tc.format, err)
		assert.Contains(t, err.Error(), tc.msg, tc.format)
		_, err = New(tc.format, &tc.opts)
		assert.Error(t, err, tc.format)
	}
	err := Check("%(message)s", &Options{Style: "#"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `colorfmt: style "#"`)
}

// TestAsctimeAcrossSeconds: the cached date text follows the entry time,
// also when encoders and clones race across second boundaries (-race).
func TestAsctimeAcrossSeconds(t *testing.T) {
	enc := MustNew("%(asctime)s", nil)
	base := time.Date(2026, 11, 22, 8, 49, 45, 0, time.UTC)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := zapcore.Encoder(enc)
			if g%2 == 1 {
				e = enc.Clone()
			}
			for i := range 500 {
				ts := base.Add(time.Duration(i*g+i) * 37 * time.Millisecond)
				ent := zapcore.Entry{Time: ts}
				if i%7 == 0 {
					ent.Time = ts.In(time.FixedZone("X", 3600))
				}
				buf, err := e.EncodeEntry(ent, nil)
				if !assert.NoError(t, err) {
					return
				}
				want := ent.Time.Format("2006-01-02 15:04:05") + fmt.Sprintf(",%03d\n", ent.Time.Nanosecond()/1e6)
				if !assert.Equal(t, want, buf.String()) {
					buf.Free()
					return
				}
				buf.Free()
			}
		}()
	}
	wg.Wait()
}
