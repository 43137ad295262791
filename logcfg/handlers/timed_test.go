package handlers_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/logcfg/handlers"
)

// timedTZ is the zone both Go and CPython compute local times in: it has
// DST, so that the DST corrections are exercised.
const timedTZ = "America/New_York"

func timedLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(timedTZ)
	if err != nil {
		t.Skipf("no zone %s: %v", timedTZ, err)
	}
	return loc
}

// pythonTZ makes the python3 children of this test run in timedTZ.
func pythonTZ(t *testing.T) { t.Setenv("TZ", timedTZ) }

// rolloverCase is one computeRollover call: the handler's keyword
// arguments as Python source, and the instant.
type rolloverCase struct {
	Kwargs string `json:"kwargs"`
	Now    int64  `json:"now"`
}

// pyRollovers prints CPython's computeRollover for each case of the JSON
// list on stdin (the handler is built with delay=True, so no file is
// opened).
const pyRollovers = `
import datetime, json, logging.handlers, os, sys
path = os.path.join(sys.argv[1], "x.log")
for c in json.load(sys.stdin):
    kw = eval("dict(%s)" % c["kwargs"], {"datetime": datetime})
    h = logging.handlers.TimedRotatingFileHandler(path, delay=True, **kw)
    print(h.computeRollover(c["now"]))
`

// The first rollover instant matches CPython 3.11's computeRollover for a
// table of instants (around both DST changes of 2026 in New York, on each
// weekday, just before, at and after atTime), for every kind of when, with
// and without utc, with several intervals and atTimes.
func TestTimedRolloverMatchesPython(t *testing.T) {
	loc := timedLoc(t)
	pythonTZ(t)
	var instants []int64
	for _, day := range []string{"2026-03-07", "2026-03-08", "2026-03-09", "2026-10-31", "2026-11-01", "2026-11-02",
		"2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08"} {
		for _, hms := range []string{"00:00:00", "00:59:59", "01:30:00", "02:30:00", "03:00:00", "13:44:59", "13:45:00", "13:45:01", "23:59:59"} {
			at, err := time.ParseInLocation("2006-01-02 15:04:05", day+" "+hms, loc)
			require.NoError(t, err)
			instants = append(instants, at.Unix())
		}
	}
	whens := []string{"when='S'", "when='s', interval=90", "when='M', interval=7", "when='H'", "when='h', interval=5",
		"when='D'", "when='d', interval=3", "when='midnight'", "when='MIDNIGHT', interval=2"}
	for d := range 7 {
		whens = append(whens, fmt.Sprintf("when='W%d'", d), fmt.Sprintf("when='w%d', interval=2", d))
	}
	atTimes := []string{"", ", atTime=datetime.time(0, 0)", ", atTime=datetime.time(1, 30)", ", atTime=datetime.time(2, 30)",
		", atTime=datetime.time(13, 45)", ", atTime=datetime.time(23, 59, 59)"}
	var cases []rolloverCase
	for i, now := range instants {
		for j, w := range whens {
			for k, u := range []string{"", ", utc=True"} {
				at := atTimes[(i+j+k)%len(atTimes)] // every atTime meets every when
				cases = append(cases, rolloverCase{Kwargs: w + u + at, Now: now})
			}
		}
	}
	in, err := json.Marshal(cases)
	require.NoError(t, err)
	out, _ := lltest.RunPythonInput(t, time.Minute, string(in), pyRollovers, t.TempDir())
	want := strings.Fields(out)
	require.Len(t, want, len(cases))
	for i, c := range cases {
		a := classArgs(t, "TimedRotatingFileHandler", "", "{'filename': 'x.log', "+pyKwargsToDict(c.Kwargs)+"}")
		got, err := handlers.TimedRollover(a, loc, c.Now)
		require.NoError(t, err, c.Kwargs)
		assert.Equal(t, want[i], strconv.FormatInt(got, 10), "%s at %s", c.Kwargs, time.Unix(c.Now, 0).In(loc))
	}
}

// pyKwargsToDict turns "when='S', interval=90" into the entries of a dict
// literal, "'when': 'S', 'interval': 90".
func pyKwargsToDict(kw string) string {
	var parts []string
	depth, start := 0, 0
	for i, c := range kw + "," {
		switch {
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			k, v, _ := strings.Cut(strings.TrimSpace(kw[start:i]), "=")
			parts = append(parts, fmt.Sprintf("'%s': %s", k, v))
			start = i + 1
		}
	}
	return strings.Join(parts, ", ")
}

// timedEvent is a record logged when the clock reads At.
type timedEvent struct {
	At  int64  `json:"at"`
	Msg string `json:"msg"`
}

// pyTimedRun runs CPython's TimedRotatingFileHandler on sys.argv[1] with
// the keyword arguments of sys.argv[2], made when the clock reads
// sys.argv[3], logging each event of the JSON
// list on stdin with time.time() patched to read the event's instant.
const pyTimedRun = `
import datetime, json, logging, logging.handlers, sys, time
events = json.load(sys.stdin)
clock = [int(sys.argv[3])]
time.time = lambda: clock[0]
kw = eval("dict(%s)" % sys.argv[2], {"datetime": datetime})
h = logging.handlers.TimedRotatingFileHandler(sys.argv[1], **kw)
log = logging.getLogger("timed")
log.propagate = False
log.addHandler(h)
log.setLevel(logging.INFO)
for e in events:
    clock[0] = e["at"]
    log.info(e["msg"])
h.close()
`

// messageEncoder renders a record as its message and a newline, as
// Python's default Formatter does.
func messageEncoder(*os.File) (zapcore.Encoder, error) {
	return zapcore.NewConsoleEncoder(zapcore.EncoderConfig{MessageKey: "msg"}), nil
}

// timedSetup is a directory's state before a run: files (name → mtime;
// contents are the name) and the log file's mtime (0: no log file).
type timedSetup struct {
	files map[string]int64
	mtime int64
	start int64 // when the handler is made (0: at the first event)
}

func (s timedSetup) make(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "app.log")
	write := func(name string, mtime int64) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(name+"\n"), 0o600))
		require.NoError(t, os.Chtimes(p, time.Unix(mtime, 0), time.Unix(mtime, 0)))
	}
	for name, mtime := range s.files {
		write(name, mtime)
	}
	if s.mtime != 0 {
		write("app.log", s.mtime)
	}
	return path
}

// runTimedBoth logs events through livelog's and CPython's handler with
// the same arguments (Python keyword syntax), each in a directory set up
// alike, and returns both directories' files and lines.
func runTimedBoth(t *testing.T, kwargs string, setup timedSetup, events []timedEvent) (got, want map[string][]string) {
	t.Helper()
	loc := timedLoc(t)
	pythonTZ(t)
	goDir, pyDir := t.TempDir(), t.TempDir()

	path := setup.make(t, goDir)
	start := setup.start
	if start == 0 {
		start = events[0].At
	}
	clock := start
	a := classArgs(t, "TimedRotatingFileHandler", "", fmt.Sprintf("{'filename': %q, %s}", path, pyKwargsToDict(kwargs)))
	require.NoError(t, builtin(t, "TimedRotatingFileHandler").Check(a))
	out, err := handlers.OpenTimedAt(a, messageEncoder, loc, func() int64 { return clock })
	require.NoError(t, err)
	errs := &lltest.Buffer{}
	log := zap.New(out.Core, zap.ErrorOutput(errs))
	for _, e := range events {
		clock = e.At
		log.Info(e.Msg)
	}
	require.NoError(t, out.Close())
	assert.Empty(t, errs.String())

	in, err := json.Marshal(events)
	require.NoError(t, err)
	lltest.RunPythonInput(t, time.Minute, string(in), pyTimedRun, setup.make(t, pyDir), kwargs, strconv.FormatInt(start, 10))
	return lltest.DirLines(t, goDir), lltest.DirLines(t, pyDir)
}

// at is an instant in timedTZ.
func at(t *testing.T, s string) int64 {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04:05", s, timedLoc(t))
	require.NoError(t, err)
	return tm.Unix()
}

// events logs one record per step from start, named after its instant.
func events(t *testing.T, start string, step time.Duration, n int) []timedEvent {
	t.Helper()
	t0 := at(t, start)
	out := make([]timedEvent, n)
	for i := range out {
		ts := t0 + int64(step/time.Second)*int64(i)
		out[i] = timedEvent{At: ts, Msg: fmt.Sprintf("rec-%03d-%s", i, time.Unix(ts, 0).In(timedLoc(t)).Format("01-02T15:04:05"))}
	}
	return out
}

// Rollovers make the same backups, named by the same suffixes, with the
// same records in each, as CPython's, and delete the same old ones:
// every when, DST changes, an existing file whose mtime starts the first
// interval, pre-existing backups (some of them not this handler's).
func TestTimedRotatingFileHandlerMatchesPython(t *testing.T) {
	old := at(t, "2026-02-20 10:00:00")
	foreign := map[string]int64{
		"app.log.2026-01-01":          old, // a daily backup: deleted first when backupCount is reached
		"app.log.2026-01-02.gz":       old, // the suffix is one dot-separated part of many
		"app.log.bak":                 old, // not a suffix
		"app.logx.2026-01-03":         old, // starts with the file's name: Python takes it too
		"app.2026-01-04.log":          old, // does not start with the file's name
		"app.log.2026-01-05_10":       old, // an hourly suffix
		"app.log.2026-01-05_10-11-12": old, // a per-second suffix
	}
	cases := []struct {
		name   string
		kwargs string
		setup  timedSetup
		events []timedEvent
	}{
		{"seconds", "when='S', interval=7, backupCount=3, delay=True", timedSetup{files: foreign}, nil},
		{"minutes from an old file", "when='M', interval=2, backupCount=2", timedSetup{files: foreign, mtime: old}, nil},
		{"hours", "when='H', backupCount=4, delay=True", timedSetup{files: foreign}, nil},
		{"days", "when='D', backupCount=2", timedSetup{files: foreign, mtime: old}, nil},
		{"midnight across spring DST", "when='midnight', backupCount=3, delay=True", timedSetup{}, nil},
		{"midnight atTime across autumn DST", "when='MIDNIGHT', atTime=datetime.time(1, 30), backupCount=5", timedSetup{files: foreign, mtime: at(t, "2026-10-29 19:00:00")}, nil},
		{"midnight utc", "when='midnight', utc=True, backupCount=2, delay=1", timedSetup{}, nil},
		{"weekly across DST", "when='W6', backupCount=2, delay=True", timedSetup{files: foreign}, nil},
		{"weekly atTime", "when='w2', interval=2, atTime=datetime.time(13, 45)", timedSetup{mtime: at(t, "2026-11-20 07:00:00")}, nil},
		{"no backups kept", "when='H', interval=3, delay=True", timedSetup{files: foreign}, nil},
		{"delayed file, first record after the first rollover", "when='M', delay=True",
			timedSetup{files: foreign, start: at(t, "2026-03-07 19:00:00")}, nil},
	}
	steps := map[string][]timedEvent{
		"seconds":                           events(t, "2026-03-01 12:00:00", 3*time.Second, 40),
		"minutes from an old file":          events(t, "2026-03-01 12:00:00", 50*time.Second, 30),
		"hours":                             events(t, "2026-03-07 20:00:00", 37*time.Minute, 30),
		"days":                              events(t, "2026-03-06 20:00:00", 7*time.Hour, 20),
		"midnight across spring DST":        events(t, "2026-03-06 20:00:00", 5*time.Hour, 24),
		"midnight atTime across autumn DST": events(t, "2026-10-29 20:00:00", 3*time.Hour, 50),
		"midnight utc":                      events(t, "2026-10-30 18:00:00", 4*time.Hour, 30),
		"weekly across DST":                 events(t, "2026-10-20 08:00:00", 29*time.Hour, 30),
		"weekly atTime":                     events(t, "2026-11-20 08:00:00", 31*time.Hour, 40),
		"no backups kept":                   events(t, "2026-03-07 20:00:00", 50*time.Minute, 20),
		"delayed file, first record after the first rollover": events(t, "2026-03-07 20:00:00", 25*time.Second, 12),
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, want := runTimedBoth(t, c.kwargs, c.setup, steps[c.name])
			assert.Equal(t, want, got)
			assert.Greater(t, len(got), 2, "the run rotated")
		})
	}
}

// pyWhens prints, for each when of the JSON list on stdin, "ok" if
// CPython's TimedRotatingFileHandler takes it, else the exception's name.
const pyWhens = `
import json, logging.handlers, os, sys
for w in json.load(sys.stdin):
    try:
        logging.handlers.TimedRotatingFileHandler(os.path.join(sys.argv[1], "w.log"), when=w, delay=True)
        print("ok")
    except Exception as e:
        print(type(e).__name__)
`

// Check takes exactly the whens CPython takes, in any case (Python's
// str.upper included), and names the problem of the others.
func TestTimedWhenMatchesPython(t *testing.T) {
	whens := []string{"s", "S", "m", "h", "H", "d", "D", "midnight", "Midnight", "MIDNIGHT", "mıdnight", "ſ",
		"w0", "W6", "W7", "w", "W", "W01", "W-1", "W٣", "x", "", " h", "h ", "hh", "SS", "ß", "ｍ"}
	in, err := json.Marshal(whens)
	require.NoError(t, err)
	out, _ := lltest.RunPythonInput(t, time.Minute, string(in), pyWhens, t.TempDir())
	want := strings.Fields(out)
	require.Len(t, want, len(whens))
	for i, w := range whens {
		a := classArgs(t, "TimedRotatingFileHandler", fmt.Sprintf("('x.log', %q)", w), "")
		err := builtin(t, "TimedRotatingFileHandler").Check(a)
		if want[i] == "ok" {
			assert.NoError(t, err, "when %q", w)
			continue
		}
		if assert.Error(t, err, "when %q: Python raises %s", w, want[i]) {
			assert.Contains(t, err.Error(), "TimedRotatingFileHandler when", w)
		}
	}
}

// Arguments CPython would take but livelog refuses, or that CPython
// refuses too, fail Check with a message naming the argument.
func TestTimedBadArgs(t *testing.T) {
	for args, want := range map[string]string{
		"()":                                  "needs filename",
		"('a.log', 'h', 0)":                   "interval must be a whole number >= 1",
		"('a.log', 'h', -2)":                  "interval must be a whole number >= 1",
		"('a.log', 'h', 2199023255553)":       "at most 2**40",
		"('a.log', 'h', 1.5)":                 "(how many units between rollovers), not the number 1.5",
		"('a.log', 3)":                        "when must be a string",
		"('a.log', 'h', 1, 0, 'latin-1')":     "encoding must be 'utf-8'",
		"('a.log', 'h', 1, 0, None, 0, 'x')":  "utc must be True or False",
		"('a.log', 'h', 1, 0, None, 0, 0, 5)": "atTime must be None or a time of day",
		"('a.log', 'midnight', 1, 0, None, 0, 0, None, 'strict', 1)": "at most 9 arguments",
	} {
		a := classArgs(t, "TimedRotatingFileHandler", args, "")
		err := builtin(t, "TimedRotatingFileHandler").Check(a)
		if assert.Error(t, err, args) {
			assert.Contains(t, err.Error(), want, args)
		}
	}
	// Taken as CPython takes them (the file handlers' shared rules): a
	// negative backupCount keeps every backup, delay is a truth value.
	for _, args := range []string{"('a.log', 'h', 1, -1)", "('a.log', 'h', 1, 0, None, 'x')"} {
		assert.NoError(t, builtin(t, "TimedRotatingFileHandler").Check(classArgs(t, "TimedRotatingFileHandler", args, "")), args)
	}
	a := classArgs(t, "TimedRotatingFileHandler", "('a.log',)", "{'atTime': datetime.time(4, 30), 'when': 'W0', 'utc': True, 'errors': 'strict'}")
	assert.NoError(t, builtin(t, "TimedRotatingFileHandler").Check(a))
}

// A fileConfig section of the class, as real configs write it, runs
// through logcfg: the file gets the records, and nothing rotates before
// the first midnight.
func TestTimedRotatingFileHandlerFromConfig(t *testing.T) {
	ini := lltest.NewINI().Logger("root", "INFO", "t", true).
		Handler("t", "handlers.TimedRotatingFileHandler", "", "f", "('%(dir)s/app.log', 'midnight', 1, 7)").
		Formatter("f", "%(levelname)s %(message)s").String()
	dir := t.TempDir()
	tree := configTree(t, ini, dir)
	tree.Logger("app").Info("one")
	tree.Logger("app").Warn("two")
	require.NoError(t, tree.Sync())
	assert.Equal(t, map[string][]string{"app.log": {"INFO one", "WARNING two"}}, lltest.DirLines(t, dir))
}

// As in CPython (bpo-45401), a handler on something that is not a regular
// file (a link to /dev/null) never renames it, however many rollover
// times pass.
func TestTimedRotatingFileHandlerOnlyRotatesRegularFiles(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "null.log")
	require.NoError(t, os.Symlink(os.DevNull, link))
	clock := at(t, "2026-03-01 12:00:00")
	a := classArgs(t, "TimedRotatingFileHandler", fmt.Sprintf("(%q, 'S', 1, 2)", link), "")
	out, err := handlers.OpenTimedAt(a, messageEncoder, timedLoc(t), func() int64 { return clock })
	require.NoError(t, err)
	log := zap.New(out.Core)
	for range 10 {
		clock += 5
		log.Info("to the void")
	}
	require.NoError(t, out.Close())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no backups")
	target, err := os.Readlink(link)
	require.NoError(t, err, "still the link")
	assert.Equal(t, os.DevNull, target)
}

// Applying the same config keeps a running TimedRotatingFileHandler;
// changing only its atTime reopens it.
func TestTimedRotatingFileHandlerAcrossApply(t *testing.T) {
	dir := t.TempDir()
	config := func(atTime string) *logcfg.Config {
		ini := lltest.NewINI().Logger("root", "INFO", "t", true).
			Handler("t", "handlers.TimedRotatingFileHandler", "", "", "('%(dir)s/app.log', 'midnight', 1, 3, None, False, False, "+atTime+")").String()
		cfg, err := logcfg.Parse(strings.NewReader(ini), "t.ini", logcfg.WithDefaults(map[string]string{"dir": dir}), logcfg.WithRegistry(logcfg.NewRegistry()))
		require.NoError(t, err)
		return cfg
	}
	tree, err := logcfg.NewTree(config("datetime.time(1, 0)"), logcfg.WithRegistry(logcfg.NewRegistry()))
	require.NoError(t, err)
	defer tree.Close()
	res, err := tree.Apply(config("datetime.time(1, 0)"), logcfg.Full)
	require.NoError(t, err)
	assert.Equal(t, []string{"t"}, res.Kept)
	res, err = tree.Apply(config("datetime.time(1, 0, 1)"), logcfg.Full)
	require.NoError(t, err)
	assert.Equal(t, []string{"t"}, res.Opened)
}
