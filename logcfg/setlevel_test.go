package logcfg_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
)

func TestSetLevel(t *testing.T) {
	f := newFrontTree(t)
	app := f.tree.Slog("app")
	app.Debug("before: dropped")

	res, err := f.tree.SetLevel("app", zapcore.DebugLevel)
	require.NoError(t, err)
	assert.Equal(t, []logcfg.Change{{Kind: logcfg.ChangeLogger, Name: "app", Old: logcfg.NotSet, New: zapcore.DebugLevel}}, res.Changes)
	assert.Equal(t, uint64(2), res.Generation)
	assert.Empty(t, res.Ignored)
	app.Debug("after")
	f.tree.Logger("app.x").Debug("child inherits")
	f.tree.Slog("app.quiet").Info("own level ERROR: dropped")
	assert.Equal(t, []string{"DEBUG app TestSetLevel: after", "DEBUG app.x TestSetLevel: child inherits"}, f.lines(t))

	h := f.tree.History()[0]
	assert.Equal(t, "code", h.From)
	assert.Equal(t, "", h.File)

	// NotSet: back to inheritance. app.db (DEBUG) first inherits nothing
	// new; then app goes back to the root's WARNING.
	_, err = f.tree.SetLevel("app.db", logcfg.NotSet)
	require.NoError(t, err)
	db := f.tree.Logger("app.db")
	assert.Equal(t, zapcore.DebugLevel, db.Level(), "inherits app's DEBUG")
	_, err = f.tree.SetLevel("app", logcfg.NotSet)
	require.NoError(t, err)
	assert.Equal(t, zapcore.WarnLevel, db.Level())
	assert.Equal(t, "WARNING", f.tree.Resolved().Loggers["app"].Effective)

	// The root, by "" or "root".
	_, err = f.tree.SetLevel("", zapcore.ErrorLevel)
	require.NoError(t, err)
	assert.Equal(t, "ERROR", f.tree.Resolved().Loggers["root"].Level)
	// The handlers and formatters are untouched.
	assert.Equal(t, 2, len(f.tree.Config().Handlers))
}

func TestSetLevelRefuses(t *testing.T) {
	f := newFrontTree(t)
	gen := f.tree.Generation()
	for _, tc := range []struct {
		name  string
		level zapcore.Level
		want  string
	}{
		{"app", zapcore.PanicLevel, "logcfg: SetLevel(\"app\"): bad level 4 (want NotSet, DEBUG, INFO, WARNING, ERROR or CRITICAL)"},
		{"app", zapcore.Level(-5), "bad level -5"},
		{"  ", zapcore.InfoLevel, "logcfg: SetLevel: blank logger name"},
		{"a b", zapcore.InfoLevel, `logger name "a b" holds a space`},
	} {
		_, err := f.tree.SetLevel(tc.name, tc.level)
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err := f.tree.SetLevelFor("app", zapcore.DebugLevel, 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "want a positive duration")
	assert.Equal(t, gen, f.tree.Generation(), "nothing changed")
}

func TestSetLevelForReverts(t *testing.T) {
	clock := lltest.NewFakeClock()
	f := newFrontTree(t, logcfg.WithClock(clock))
	res, err := f.tree.SetLevelFor("app.quiet", zapcore.DebugLevel, 10*time.Minute)
	require.NoError(t, err)
	assert.Equal(t, clock.Now().Add(10*time.Minute), res.Expires)
	require.Len(t, f.tree.Temporary(), 1)
	assert.Equal(t, "code", f.tree.Temporary()[0].From)
	quiet := f.tree.Slog("app.quiet")
	quiet.Debug("during")

	clock.Add(10*time.Minute - time.Second)
	quiet.Debug("still")
	clock.Add(time.Second)
	quiet.Debug("reverted: dropped")
	quiet.Error("ERROR again")
	assert.Equal(t, "ERROR", f.tree.Resolved().Loggers["app.quiet"].Level)
	assert.Empty(t, f.tree.Temporary())
	assert.Equal(t, []string{
		"DEBUG app.quiet TestSetLevelForReverts: during",
		"DEBUG app.quiet TestSetLevelForReverts: still",
		"ERROR app.quiet TestSetLevelForReverts: ERROR again",
	}, f.lines(t))

	// A permanent SetLevel of the same logger during a temporary one takes
	// it out of the revert.
	_, err = f.tree.SetLevelFor("app.quiet", zapcore.DebugLevel, time.Minute)
	require.NoError(t, err)
	_, err = f.tree.SetLevel("app.quiet", zapcore.InfoLevel)
	require.NoError(t, err)
	clock.Add(time.Minute)
	assert.Equal(t, "INFO", f.tree.Resolved().Loggers["app.quiet"].Level)
}

func TestLoggers(t *testing.T) {
	f := newFrontTree(t)
	f.tree.Logger("app.db.pool")
	f.tree.Slog("svc")
	_, err := f.tree.SetLevel("svc.cache", zapcore.InfoLevel)
	require.NoError(t, err)
	assert.Equal(t, []logcfg.LoggerLevel{
		{Name: "root", Level: zapcore.WarnLevel, Effective: zapcore.WarnLevel, Configured: true},
		{Name: "app.db", Level: zapcore.DebugLevel, Effective: zapcore.DebugLevel, Configured: true},
		{Name: "app.db.pool", Level: logcfg.NotSet, Effective: zapcore.DebugLevel},
		{Name: "app.quiet", Level: zapcore.ErrorLevel, Effective: zapcore.ErrorLevel, Configured: true},
		{Name: "livelog.audit", Level: logcfg.NotSet, Effective: zapcore.WarnLevel}, // SetLevel's audit asked for it
		{Name: "svc", Level: logcfg.NotSet, Effective: zapcore.WarnLevel},
		{Name: "svc.cache", Level: zapcore.InfoLevel, Effective: zapcore.InfoLevel, Configured: true},
	}, f.tree.Loggers())
}

// The same setLevel steps in CPython and through SetLevel give the same
// effective levels (Python's logging is the oracle for NOTSET's
// inheritance).
func TestSetLevelMatchesPython(t *testing.T) {
	steps := []struct {
		name, level string
	}{
		{"app", "DEBUG"}, {"app.db", "ERROR"}, {"app.db", "NOTSET"}, {"app", "NOTSET"},
		{"root", "INFO"}, {"app.db.pool", "WARNING"}, {"app", "CRITICAL"}, {"root", "NOTSET"},
	}
	names := []string{"root", "app", "app.db", "app.db.pool", "other"}
	script := `
import logging, sys
args = sys.argv[1:]
names = args[0].split(",")
root = logging.getLogger()
root.setLevel(logging.WARNING)
for step in args[1:]:
    name, level = step.split("=")
    (root if name == "root" else logging.getLogger(name)).setLevel(level)
    print(" ".join(logging.getLevelName((root if n == "root" else logging.getLogger(n)).getEffectiveLevel()) for n in names))
`
	args := []string{strings.Join(names, ",")}
	for _, s := range steps {
		args = append(args, s.name+"="+s.level)
	}
	want := strings.Split(strings.TrimSpace(lltest.RunPython(t, 30*time.Second, script, args...)), "\n")

	tree, err := logcfg.NewTree(nil) // the root at WARNING, as Python's
	require.NoError(t, err)
	defer tree.Close()
	var got []string
	for _, s := range steps {
		l, err := logcfg.ParseLevel(s.level)
		require.NoError(t, err)
		_, err = tree.SetLevel(s.name, l)
		require.NoError(t, err)
		var line []string
		for _, n := range names {
			line = append(line, logcfg.LevelName(tree.Logger(n).Level()))
		}
		got = append(got, strings.Join(line, " "))
	}
	assert.Equal(t, want, got)
}

// Changes from code are audited on livelog.audit as a push is, and so is
// the revert of a SetLevelFor (before, neither was).
func TestSetLevelIsAudited(t *testing.T) {
	clock := lltest.NewFakeClock()
	f := newFrontTree(t, logcfg.WithClock(clock))
	_, err := f.tree.SetLevel(logcfg.AuditLogger, zapcore.InfoLevel)
	require.NoError(t, err)
	_, err = f.tree.SetLevelFor("app.quiet", zapcore.DebugLevel, time.Minute)
	require.NoError(t, err)
	clock.Add(time.Minute)
	lltest.WaitFor(t, 10*time.Second, func() bool { return len(f.tree.Temporary()) == 0 })
	var audit []string
	for _, l := range f.lines(t) {
		if strings.Contains(l, "livelog.audit") {
			audit = append(audit, l)
		}
	}
	require.Len(t, audit, 3, "the audit logger's own change, the SetLevelFor and its revert:\n%s", strings.Join(audit, "\n"))
	assert.Contains(t, audit[0], "applied generation 2: code: 1 change: logger livelog.audit NOTSET→INFO")
	assert.Contains(t, audit[1], "applied generation 3: code: 1 change: logger app.quiet ERROR→DEBUG")
	assert.Contains(t, audit[1], "source=code")
	assert.Contains(t, audit[2], "applied generation 4: revert")
	assert.Contains(t, audit[2], "logger app.quiet DEBUG→ERROR")
}
