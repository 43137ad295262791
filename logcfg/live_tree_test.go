package logcfg

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// iniBuilder writes fileConfig INI text, so that each test states only
// its loggers, handlers and formatters. Logger keys are their names with
// dots made underscores.
type iniBuilder struct {
	loggers, handlers, formatters []string
	sections                      strings.Builder
}

func newINI() *iniBuilder { return &iniBuilder{} }

// logger adds a logger; level "" leaves level= out (NOTSET, or WARNING for
// the root); handlers is a comma list.
func (b *iniBuilder) logger(name, level, handlers string, propagate bool) *iniBuilder {
	key := strings.ReplaceAll(name, ".", "_")
	b.loggers = append(b.loggers, key)
	fmt.Fprintf(&b.sections, "[logger_%s]\nhandlers=%s\n", key, handlers)
	if level != "" {
		fmt.Fprintf(&b.sections, "level=%s\n", level)
	}
	if name != "root" {
		fmt.Fprintf(&b.sections, "qualname=%s\npropagate=%d\n", name, map[bool]int{false: 0, true: 1}[propagate])
	}
	return b
}

// handler adds a handler; level and formatter may be "".
func (b *iniBuilder) handler(key, class, level, formatter, args string) *iniBuilder {
	b.handlers = append(b.handlers, key)
	fmt.Fprintf(&b.sections, "[handler_%s]\nclass=%s\nargs=%s\n", key, class, args)
	if level != "" {
		fmt.Fprintf(&b.sections, "level=%s\n", level)
	}
	if formatter != "" {
		fmt.Fprintf(&b.sections, "formatter=%s\n", formatter)
	}
	return b
}

// formatter adds a formatter; extra lines (e.g. "color=never") follow.
func (b *iniBuilder) formatter(key, format string, extra ...string) *iniBuilder {
	b.formatters = append(b.formatters, key)
	fmt.Fprintf(&b.sections, "[formatter_%s]\nformat=%s\n", key, format)
	for _, e := range extra {
		b.sections.WriteString(e + "\n")
	}
	return b
}

func (b *iniBuilder) String() string {
	return fmt.Sprintf("[loggers]\nkeys=%s\n[handlers]\nkeys=%s\n[formatters]\nkeys=%s\n%s",
		strings.Join(b.loggers, ","), strings.Join(b.handlers, ","), strings.Join(b.formatters, ","), b.sections.String())
}

// config parses the INI text, with interpolation defaults if any.
func (b *iniBuilder) config(t testing.TB, defaults ...map[string]string) *Config {
	t.Helper()
	var opts []ParseOption
	for _, d := range defaults {
		opts = append(opts, WithDefaults(d))
	}
	cfg, err := Parse(strings.NewReader(b.String()), "live.ini", opts...)
	require.NoError(t, err, "%s", b)
	return cfg
}

// tree starts a tree running the config; it is closed when the test ends.
func (b *iniBuilder) tree(t testing.TB, opts ...TreeOption) *Tree {
	t.Helper()
	tr, err := NewTree(b.config(t), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, tr.Close()) })
	return tr
}

// fileArg is a handler args= tuple naming path (and maybe more arguments).
func fileArg(path string, more ...string) string {
	return "(" + strings.Join(append([]string{fmt.Sprintf("%q", path)}, more...), ", ") + ",)"
}

// linesOf reads a log file as its lines; a missing file has none.
func linesOf(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")[:strings.Count(string(b), "\n")]
}

// needPython skips a comparison with CPython where python3 is missing.
func needPython(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not on PATH: cannot compare with CPython")
	}
	return py
}

// pythonLogs runs CPython's fileConfig on ini (with defaults dir=dir) and
// sends it records "name LEVEL message", one per line; the handlers write
// into dir.
const pythonLogs = `
import logging, logging.config, sys
logging.config.fileConfig(sys.argv[1], defaults={"dir": sys.argv[2]}, disable_existing_loggers=False)
for line in sys.stdin.read().splitlines():
    name, level, msg = line.split()
    logging.getLogger(None if name == "root" else name).log(logging.getLevelName(level), msg)
logging.shutdown()
`

// dirFiles reads every file in dir: base name → lines.
func dirFiles(t *testing.T, dir string) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string][]string{}
	for _, e := range entries {
		out[e.Name()] = linesOf(t, filepath.Join(dir, e.Name()))
	}
	return out
}

// propagationINI has the cases people get wrong: a logger at DEBUG under
// a WARNING root whose records still reach the root's handler, a handler
// stricter than its logger, propagate=0, a configured NOTSET logger, and a
// logger stricter than its handler, a logger that reaches no handler
// (Python's last resort) and one whose handler is also its parent's.
func propagationINI(rootLevel string) *iniBuilder {
	file := func(name string) string { return "('%(dir)s/" + name + ".log',)" }
	return newINI().
		logger("root", rootLevel, "rootH", true).
		logger("app", "INFO", "appH", true).
		logger("app.db", "DEBUG", "dbH", false).
		logger("app.web", "", "webH", true).
		logger("lone", "DEBUG", "", true).
		logger("quiet", "CRITICAL", "quietH", true).
		logger("mute", "", "", false).
		logger("twice", "INFO", "rootH", true).
		handler("rootH", "FileHandler", "", "f", file("root")).
		handler("appH", "FileHandler", "WARNING", "f", file("app")).
		handler("dbH", "FileHandler", "", "f", file("db")).
		handler("webH", "logging.FileHandler", "ERROR", "f", file("web")).
		handler("quietH", "FileHandler", "DEBUG", "f", file("quiet")).
		formatter("f", "%(levelname)s %(name)s %(message)s")
}

// TestLivePropagationMatchesPython logs the same records through CPython's
// fileConfig and through a Tree from the same INI file, and compares what
// every handler's file got.
func TestLivePropagationMatchesPython(t *testing.T) {
	py := needPython(t)
	names := []string{"root", "app", "app.web", "app.web.x", "app.db", "app.db.pool", "lone", "lone.y", "quiet.child", "mute.z", "twice", "other"}
	levels := []zapcore.Level{zapcore.DebugLevel, zapcore.InfoLevel, zapcore.WarnLevel, zapcore.ErrorLevel, zapcore.DPanicLevel}
	var script strings.Builder
	for _, n := range names {
		for _, l := range levels {
			fmt.Fprintf(&script, "%s %s %s/%s\n", n, LevelName(l), n, LevelName(l))
		}
	}
	for _, rootLevel := range []string{"WARNING", "NOTSET", ""} {
		t.Run("root="+rootLevel, func(t *testing.T) {
			ini := filepath.Join(t.TempDir(), "prop.ini")
			require.NoError(t, os.WriteFile(ini, []byte(propagationINI(rootLevel).String()), 0o600))
			pyDir, goDir := t.TempDir(), t.TempDir()

			cmd := exec.Command(py, "-c", pythonLogs, ini, pyDir)
			cmd.Stdin = strings.NewReader(script.String())
			var pyStderr bytes.Buffer
			cmd.Stderr = &pyStderr
			require.NoError(t, cmd.Run(), "python3: %s", &pyStderr)

			cfg, err := ParseFile(ini, WithDefaults(map[string]string{"dir": goDir}))
			require.NoError(t, err)
			tree, err := NewTree(cfg)
			require.NoError(t, err)
			var lastResort bytes.Buffer
			tree.lastResort = &lastResort
			for _, line := range strings.Split(strings.TrimSpace(script.String()), "\n") {
				f := strings.Fields(line)
				l, err := ParseLevel(f[1])
				require.NoError(t, err)
				tree.Logger(f[0]).Log(l, f[2])
			}
			require.NoError(t, tree.Close())

			want := dirFiles(t, pyDir)
			require.Len(t, want, 5, "python made one file per handler")
			assert.Equal(t, want, dirFiles(t, goDir))
			assert.Equal(t, pyStderr.String(), lastResort.String(), "what reached no handler")
			assert.Contains(t, lastResort.String(), "mute.z/WARNING\n")
			// The tricky case is really exercised: lone's DEBUG record
			// reaches the root's handler whatever the root's level.
			assert.Contains(t, want["root.log"], "DEBUG lone lone/DEBUG")
		})
	}
}

func TestLiveLevelsFollowConfigs(t *testing.T) {
	dir := t.TempDir()
	rootLog := filepath.Join(dir, "root.log")
	base := func() *iniBuilder {
		return newINI().handler("h", "FileHandler", "", "f", fileArg(rootLog)).formatter("f", "%(levelname)s %(name)s %(message)s")
	}
	tree := base().logger("root", "WARNING", "h", true).logger("app", "ERROR", "", true).tree(t)

	// Asked for before any config names "svc": it inherits the root's
	// WARNING now and follows later configs.
	early := tree.Logger("svc.worker")
	appDB := tree.Logger("app.db")
	assert.False(t, early.Core().Enabled(zapcore.InfoLevel))
	assert.False(t, appDB.Core().Enabled(zapcore.WarnLevel), "inherits app's ERROR")
	assert.True(t, appDB.Core().Enabled(zapcore.ErrorLevel))

	_, err := tree.Apply(base().logger("root", "WARNING", "h", true).logger("svc", "DEBUG", "", true).config(t), Full)
	require.NoError(t, err)
	assert.True(t, early.Core().Enabled(zapcore.DebugLevel), "picked up svc's DEBUG")
	// app is not in this config: app.db inherits the root's WARNING, as a
	// logger Python would have disabled.
	assert.True(t, appDB.Core().Enabled(zapcore.WarnLevel))
	assert.False(t, appDB.Core().Enabled(zapcore.InfoLevel))
	appDB.Warn("still here")
	early.Debug("svc debug")

	// Root NOTSET lets everything through.
	_, err = tree.Apply(base().logger("root", "NOTSET", "h", true).config(t), Full)
	require.NoError(t, err)
	assert.True(t, early.Core().Enabled(zapcore.DebugLevel))
	tree.Logger("brand.new").Debug("everything")
	assert.Equal(t, "NOTSET", tree.Resolved().Loggers["svc.worker"].Effective)

	require.NoError(t, tree.Sync())
	assert.Equal(t, []string{"WARNING app.db still here", "DEBUG svc.worker svc debug", "DEBUG brand.new everything"}, linesOf(t, rootLog))
}

// TestLiveCaller: a format that shows the caller names the function and
// line that logged, whichever way the call was made.
func TestLiveCaller(t *testing.T) {
	path := filepath.Join(t.TempDir(), "caller.log")
	tree := newINI().logger("root", "DEBUG", "h", true).
		handler("h", "FileHandler", "", "f", fileArg(path)).
		formatter("f", "%(module)s %(funcName)s %(lineno)d %(filename)s %(message)s").tree(t)
	log := tree.Logger("app")
	_, _, line, _ := runtime.Caller(0)
	log.Info("info")
	log.Sugar().Infow("infow", "k", 1)
	if ce := log.Check(zapcore.WarnLevel, "check"); ce != nil {
		ce.Write()
	}
	log.With(zap.String("w", "x")).Error("with")
	require.NoError(t, tree.Sync())
	// The calls are on lines +1, +2, +4 (ce.Write) and +6 from line.
	want := []string{"1 info", "2 infow k=1", "4 check", "6 with w=x"}
	got := linesOf(t, path)
	require.Len(t, got, len(want))
	for i, w := range want {
		off, msg, _ := strings.Cut(w, " ")
		n, err := strconv.Atoi(off)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("live_tree_test TestLiveCaller %d live_tree_test.go %s", line+n, msg), got[i])
	}
}

// TestLiveFaultyHandler: a handler whose writes fail is counted and
// reported, and the other handlers get every line.
func TestLiveFaultyHandler(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	good := filepath.Join(t.TempDir(), "good.log")
	var errOut bytes.Buffer
	tree := newINI().logger("root", "INFO", "disk,good", true).
		handler("disk", "FileHandler", "", "", fileArg("/dev/full")).
		handler("good", "FileHandler", "", "", fileArg(good)).
		tree(t, WithErrorOutput(zapcore.AddSync(&errOut)))
	const n = 9
	for i := range n {
		tree.Logger("app").Info(fmt.Sprintf("line %d", i))
	}
	got := linesOf(t, good)
	require.Len(t, got, n)
	assert.Equal(t, "line 8", got[n-1])
	errs := tree.HandlerErrors()
	require.Len(t, errs, 1)
	assert.Equal(t, "disk", errs[0].Handler)
	assert.Equal(t, int64(n), errs[0].Count)
	assert.Contains(t, errs[0].Last, "no space left on device")
	// Reported at failures 1, 2, 4 and 8, not nine times.
	reports := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	assert.Len(t, reports, 4, errOut.String())
	assert.Contains(t, reports[0], `handler "disk"`)
	assert.Contains(t, reports[3], "(8 so far)")
}
