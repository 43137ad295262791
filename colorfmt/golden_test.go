package colorfmt

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

// goldenScript formats each record with Python's own logging.Formatter,
// setting the record fields the Go side derives from the entry.
const goldenScript = `
import json, logging, sys
d = json.load(sys.stdin)
out = []
for c in d["cases"]:
    f = logging.Formatter(c["format"], c["datefmt"] or None, style=c["style"])
    for r in d["records"]:
        rec = logging.LogRecord(r["name"], r["levelno"], r["pathname"], r["lineno"], r["msg"], None, None, func=r["funcName"])
        for k in ("created", "msecs", "relativeCreated"):
            setattr(rec, k, float(r[k]))  # JSON writes 896.0 as 896
        for k in ("process", "processName", "thread", "threadName"):
            setattr(rec, k, r[k])
        out.append(f.format(rec))
json.dump(out, sys.stdout)
`

type goldenCase struct {
	Format  string `json:"format"`
	Datefmt string `json:"datefmt"`
	Style   string `json:"style"`
}

type goldenRecord struct {
	Name            string  `json:"name"`
	Levelno         int64   `json:"levelno"`
	Pathname        string  `json:"pathname"`
	Lineno          int     `json:"lineno"`
	Msg             string  `json:"msg"`
	FuncName        string  `json:"funcName"`
	Created         float64 `json:"created"`
	Msecs           float64 `json:"msecs"`
	RelativeCreated float64 `json:"relativeCreated"`
	Process         int     `json:"process"`
	ProcessName     string  `json:"processName"`
	Thread          int     `json:"thread"`
	ThreadName      string  `json:"threadName"`
}

var goldenCases = []goldenCase{
	{"%(asctime)s %(levelname)s %(name)s %(message)s", "", "%"},
	{"%(asctime)s,%(msecs)03d %(levelname)-5.5s [%(name)s] %(message)s", "%H:%M:%S", "%"},
	{"%(asctime)s %(levelname)-5.5s [%(name)s:%(lineno)s][%(threadName)s] %(message)s", "", "%"},
	{"%(levelname)s:%(name)s:%(message)s", "", "%"},
	{"%(levelname)-8s %(module)s.%(funcName)s:%(lineno)4d %(message)s", "", "%"},
	{"%(created)f %(msecs)d %(msecs)s %(created)s %(relativeCreated)s", "", "%"},
	{"%(created).3f|%(created)14.1f|%(created)e|%(created)g|%(msecs)+08.2f|%(relativeCreated)d|%(msecs)#.0f|%(created).12G", "", "%"},
	{"%(levelno)d|%(levelno)5d|%(levelno)-5d|%(levelno)05d|%(levelno)x|%(levelno)#o|%(levelno)#X|%(levelno).3d|%(levelno)+d|%(levelno) d|%(levelno)05.3d|%(levelno)s|%(levelno)r", "", "%"},
	{"%(process)d %(processName)s %(thread)d %(threadName)s", "", "%"},
	{"%(filename)s %(pathname)s %(module)s %(funcName)s %(lineno)d %(lineno)-6i|", "", "%"},
	{"%(message)r %(name)r %(levelname)a %(message)a", "", "%"},
	{"%(message).5s|%(message)10.3s|%(message)-12s|%(name)20s|%(name).0s|", "", "%"},
	{"%% literal %%(name)s $RED %(message)s 100%%", "", "%"},
	{"%(asctime)-30s|%(asctime).10s|%(asctime)s", "%Y-%m-%d %H:%M:%S", "%"},
	{"%(asctime)s %(message)s", "%d/%b/%Y:%H:%M:%S %z", "%"},
	{"%(asctime)s", "%a %A %b %B %j %p %I %y %Z", "%"},
	{"%(asctime)s", "%c|%x|%X", "%"},
	{"%(asctime)s", "%e %F %T %D %R %r %s", "%"},
	{"%(asctime)s", "%u %w %U %W %V %G %g %C %h", "%"},
	{"%(asctime)s", "%-d %-m %-H %-I %-j %-M %-S %-y", "%"},
	{"%(asctime)s", "%k %l %P %n %t %%", "%"},
	{"{asctime} {levelname:<8} {name} {message}", "", "{"},
	{"{levelno:05d} {msecs:03.0f} {created:.3f} {name!r} {levelname:^10}|{message:*>12.4}|{lineno:+d} {levelno:x} {levelno:#o}", "", "{"},
	{"{levelname:_<9}{name:>12}|{msecs:e}|{created:G}|{levelno:=+6d}|{process}|{relativeCreated}", "", "{"},
	{"$asctime $levelname ${name}: $message $$ $funcName", "%H:%M", "$"},
	// Python 3.10+: a sign on a float with no type, '0' on a str.
	{"{msecs:+}|{name:010}|{msecs:010}|{created:+14}|{levelname:<010}|{name:^010}|{relativeCreated: }|{levelno:<05}|{name:x<010}", "", "{"},
	{"%%(message)s", "", "%"},
	{"", "", "%"},
	{"", "", "{"},
	{"", "", "$"},
}

// goldenEntries are the entries the golden cases render, in loc.
func goldenEntries(loc *time.Location) []zapcore.Entry {
	caller := zapcore.EntryCaller{Defined: true, File: "/src/example.com/app/db/query.go", Line: 42, Function: "example.com/app/db.(*Conn).Query"}
	return []zapcore.Entry{
		{Level: zapcore.WarnLevel, Time: time.Date(2026, 11, 22, 8, 49, 45, 896_123_456, loc), LoggerName: "app.db", Message: "slow query", Caller: caller},
		{Level: zapcore.DebugLevel, Time: time.Date(2026, 1, 5, 23, 7, 3, 4_000_000, loc), Message: "héllo wörld ✓ it's", Caller: zapcore.EntryCaller{Defined: true, File: "main.go", Line: 7, Function: "main.main.func1"}},
		{Level: zapcore.DPanicLevel, Time: time.Date(2024, 2, 29, 12, 0, 0, 0, loc), LoggerName: "x", Message: `say "hi"` + "\tnow"},
		{Level: zapcore.ErrorLevel, Time: time.Date(2026, 12, 31, 0, 0, 59, 999_000_000, loc), LoggerName: "a.b.c", Message: "", Caller: caller},
		{Level: zapcore.InfoLevel, Time: time.Date(2027, 1, 1, 13, 30, 5, 500_000_000, loc), LoggerName: "svc", Message: "done", Caller: caller},
	}
}

func goldenRecordOf(ent zapcore.Entry, tid int) goldenRecord {
	return goldenRecord{
		Name:            strAttr(attrName, &ent),
		Levelno:         levelNumbers[levelIndex(ent.Level)],
		Pathname:        pathname(ent.Caller),
		Lineno:          lineno(ent.Caller),
		Msg:             ent.Message,
		FuncName:        funcName(ent.Caller),
		Created:         created(ent.Time),
		Msecs:           float64(ent.Time.Nanosecond() / 1e6),
		RelativeCreated: float64(ent.Time.Sub(startTime).Nanoseconds()) / 1e6,
		Process:         pid,
		ProcessName:     ProcessName(),
		Thread:          tid,
		ThreadName:      string(appendThreadName(nil, tid)),
	}
}

// TestGoldenPython compares every case with what Python's logging.Formatter
// prints for the same record, in UTC and in a zone with a half-hour offset.
func TestGoldenPython(t *testing.T) {
	python := lltest.Python(t)
	require.GreaterOrEqual(t, len(goldenCases), 25)

	for _, zone := range []string{"UTC", "Asia/Kolkata"} {
		t.Run(strings.ReplaceAll(zone, "/", "_"), func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Skipf("no tzdata for %s: %v", zone, err)
			}
			// %(thread)d is the OS thread of the encoding goroutine: pin it.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tid := threadID()
			ents := goldenEntries(loc)
			records := make([]goldenRecord, len(ents))
			for i, ent := range ents {
				records[i] = goldenRecordOf(ent, tid)
			}
			in, err := json.Marshal(map[string]any{"cases": goldenCases, "records": records})
			require.NoError(t, err)

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, python, "-c", goldenScript)
			cmd.Env = append(os.Environ(), "TZ="+zone)
			cmd.Stdin = strings.NewReader(string(in))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			require.NoError(t, err, stderr.String())
			var want []string
			require.NoError(t, json.Unmarshal(out, &want))
			require.Len(t, want, len(goldenCases)*len(ents))

			n := 0
			for _, c := range goldenCases {
				enc, err := New(c.Format, &Options{Datefmt: c.Datefmt, Style: c.Style})
				require.NoError(t, err, "format %q", c.Format)
				for i, ent := range ents {
					buf, err := enc.EncodeEntry(ent, nil)
					require.NoError(t, err)
					got := strings.TrimSuffix(buf.String(), "\n")
					buf.Free()
					assert.Equal(t, want[n], got, "format %q datefmt %q entry %d", c.Format, c.Datefmt, i)
					n++
				}
			}
		})
	}
}

// pythonRaises formats one record with each format of stdin (a JSON list
// of {"format", "style"}) and prints, per format, the ValueError or
// TypeError Python raises (validating or formatting), or null.
const pythonRaises = `
import json, logging, sys
out = []
for c in json.load(sys.stdin):
    try:
        f = logging.Formatter(c["format"], style=c["style"])
        f.format(logging.LogRecord("app", 20, "/x.py", 7, "msg", None, None))
        out.append(None)
    except (ValueError, TypeError) as e:
        out.append(str(e))
print(json.dumps(out))
`

// The str.format specs Python raises on (when it formats a record) are
// errors when livelog compiles the format, with Python's words; the ones
// Python 3.11 renders compile (TestGoldenPython compares their output).
func TestBraceSpecErrorsMatchPython(t *testing.T) {
	cases := []goldenCase{
		{Format: "{name:-10}", Style: "{"}, {Format: "{name:+}", Style: "{"}, {Format: "{name: }", Style: "{"},
		{Format: "{msecs:d}", Style: "{"}, {Format: "{created:x}", Style: "{"}, {Format: "{lineno:s}", Style: "{"},
		{Format: "{msecs:+}", Style: "{"}, {Format: "{name:010}", Style: "{"}, {Format: "{lineno:d}", Style: "{"},
		{Format: "{levelname!r:s}", Style: "{"}, {Format: "%%(message)s", Style: "%"}, {Format: "%%(message)", Style: "%"},
	}
	in, err := json.Marshal(cases)
	require.NoError(t, err)
	out, _ := lltest.RunPythonInput(t, 30*time.Second, string(in), pythonRaises)
	var py []*string
	require.NoError(t, json.Unmarshal([]byte(out), &py))
	require.Len(t, py, len(cases))
	for i, c := range cases {
		_, err := New(c.Format, &Options{Style: c.Style})
		if py[i] == nil {
			assert.NoError(t, err, "%q: Python formats it", c.Format)
			continue
		}
		if assert.Error(t, err, "%q: Python raises %s", c.Format, *py[i]) && strings.Contains(c.Format, ":") {
			assert.Contains(t, err.Error(), *py[i], "%q: Python's words", c.Format)
		}
	}
}
