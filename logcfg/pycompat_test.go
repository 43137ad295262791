package logcfg

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// loggersHead is a config of loggers only, with the root at INFO; the
// loggers' sections follow.
func loggersHead(keys string) string {
	return "[loggers]\nkeys=" + keys + "\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=INFO\nhandlers=\n"
}

// compatCases are the config classes where livelog and CPython parted
// (issue 12's fidelity list); each is run through both.
var compatCases = []pythonCase{
	{name: "empty name part links to a placeholder, so to root", ini: loggersHead("root,app,db") + `
[logger_app]
qualname=app
level=ERROR
handlers=
[logger_db]
qualname=app..db
handlers=
`},
	{name: "three dots skip the first part", ini: loggersHead("root,a,b,c") + `
[logger_a]
qualname=a
level=ERROR
handlers=
[logger_b]
qualname=a.
level=DEBUG
handlers=
[logger_c]
qualname=a...b
handlers=
`},
	{name: "a configured a. is the parent of a..b", ini: loggersHead("root,a,b,c") + `
[logger_a]
qualname=a
level=ERROR
handlers=
[logger_b]
qualname=a.
handlers=
[logger_c]
qualname=a..b
handlers=
`},
	{name: "trailing dot has its prefix as parent", ini: loggersHead("root,a,b") + `
[logger_a]
qualname=a
level=ERROR
handlers=
[logger_b]
qualname=a.
handlers=
`},
	{name: "leading dot links to root", ini: loggersHead("root,a,b") + `
[logger_a]
qualname=a
level=ERROR
handlers=
[logger_b]
qualname=.a
handlers=
`},
	{name: "root listed twice", ini: loggersHead("root,root"), errIs: ErrDuplicate, line: 2},
	{name: "other loggers listed twice", ini: loggersHead("root,a,a") + `
[logger_a]
qualname=a
level=DEBUG
handlers=
`},
	{name: "level on a continuation line", ini: loggersHead("root,a") + `
[logger_a]
qualname=a
level =
    ERROR
handlers=
`, errIs: ErrBadLevel, line: 13},
	{name: "caller default with spaces around a level", defaults: map[string]string{"lvl": " INFO "}, ini: loggersHead("root,a") + `
[logger_a]
qualname=a
level=%(lvl)s
handlers=
`, errIs: ErrBadLevel, line: 13},
	{name: "caller default level without spaces", defaults: map[string]string{"lvl": "DEBUG"}, ini: loggersHead("root,a") + `
[logger_a]
qualname=a
level=%(lvl)s
handlers=
`},
	{name: "class on a continuation line that eval resolves", ini: pyHead + `
[handler_h]
class=
    StreamHandler
formatter=f
[formatter_f]
`},
	{name: "caller defaults that differ in case", defaults: map[string]string{"here": "/a", "HERE": "/b"}, ini: loggersHead("root"),
		errIs: ErrDuplicate},
	{name: "\\x1c to \\x1f are whitespace to str.strip", ini: "[loggers]\nkeys=root,\x1ca\x1f\n[handlers]\nkeys=\n[formatters]\nkeys=\n" +
		"[logger_root]\nlevel=INFO\x1d\nhandlers=\n[logger_a]\nqualname=\x1eapp\x1f\nlevel=\x1cDEBUG\nhandlers=\x1f\n"},
	{name: "Unicode digits are integers to int()", ini: loggersHead("root,a,b") + `
[logger_a]
qualname=a
handlers=
propagate=١
[logger_b]
qualname=b
handlers=
propagate=٠
`},
	{name: "%% before a field is valid", ini: pyHead + `
[handler_h]
class=StreamHandler
formatter=f
[formatter_f]
format=%%(message)s
`},
	{name: "qualname=root configures the root", ini: loggersHead("root,a") + `
[logger_a]
qualname=root
level=DEBUG
handlers=
`},
	{name: "the same qualname twice: last wins", ini: loggersHead("root,a,b") + `
[logger_a]
qualname=app
level=DEBUG
handlers=
propagate=0
[logger_b]
qualname=app
handlers=
`},
	{name: "NullHandler takes a level", ini: strings.Replace(pyHead, "keys=h", "keys=h,i", 1) + `
[handler_h]
class=NullHandler
args=(DEBUG,)
formatter=f
[handler_i]
class=NullHandler
args=('ERROR',)
[formatter_f]
`},
	{name: "RotatingFileHandler arguments Python's constructor takes", ini: pyHead + `
[handler_h]
class=handlers.RotatingFileHandler
args=('app.log', 'a', -1, '3')
kwargs={'delay': 'yes'}
formatter=f
[formatter_f]
`},
	// The shapes of real configs the issue names (written here, not
	// copied): OpenStack Keystone's syslog handler, MoinMoin's 'at' file
	// handler, a rotating file in 'utf8' with a DEFAULT-built path.
	{name: "Keystone's syslog args", ini: `[loggers]
keys = root, cache
[handlers]
keys = production, devel
[formatters]
keys = normal
[logger_root]
level = NOTSET
handlers = production, devel
[logger_cache]
level = INFO
handlers = devel
qualname = keystone.cache
propagate = 0
[handler_production]
class = handlers.SysLogHandler
level = ERROR
formatter = normal
args = (('localhost', handlers.SYSLOG_UDP_PORT), handlers.SysLogHandler.LOG_LOCAL0)
[handler_devel]
class = StreamHandler
level = NOTSET
formatter = normal
args = (sys.stdout,)
[formatter_normal]
format = %(asctime)s %(levelname)s %(name)s %(message)s
`},
	{name: "MoinMoin's append-text file", ini: strings.Replace(pyHead, "level=INFO", "level=WARNING", 1) + `
[handler_h]
class=FileHandler
formatter=f
args=('moin.log', 'at')
[formatter_f]
format=%(asctime)s %(name)s %(levelname)s %(message)s
`},
	{name: "rotating utf8 file under a DEFAULT dir", ini: "[DEFAULT]\nlogdir = /var/log/app\n" + pyHead + `
[handler_h]
class=handlers.RotatingFileHandler
formatter=f
args=('%(logdir)s/app.log', 'a', 100000, 3, 'utf8')
[formatter_f]
format=%(asctime)s %(filename)s[%(lineno)d][%(levelname)s]: %(message)s
`},
}

func TestCompatMatchesPython(t *testing.T) { matchPython(t, compatCases) }

// Records logged through names with empty parts reach the handlers
// CPython's placeholders link them to: app..db and a...b reach the root's
// handler, never app's; app...x reaches app's (Python's walk skips only
// the dot next to the last one); app. reaches app's. Both write the same
// files. app. is logged last: once a program has asked for app., CPython
// links app..db through it to app, while livelog links names through
// configured loggers only (a difference the README lists).
func TestEmptyNamePartsRouteAsPython(t *testing.T) {
	ini := lltest.NewINI().
		Logger("root", "DEBUG", "root", true).
		Logger("app", "ERROR", "app", true).
		Handler("root", "FileHandler", "", "f", lltest.FileArgs("%(dir)s/root.log")).
		Handler("app", "FileHandler", "", "f", lltest.FileArgs("%(dir)s/app.log")).
		Formatter("f", "%(levelname)s %(name)s %(message)s").String()
	var records []string
	for _, name := range []string{"app", "app.x", "app..db", "app...x", ".app", "app.x..y", "app."} {
		for _, level := range []string{"DEBUG", "ERROR"} {
			records = append(records, name+" "+level+" "+name+"/"+level)
		}
	}
	goDir := t.TempDir()
	cfg, err := Parse(strings.NewReader(ini), "dots.ini", WithDefaults(map[string]string{"dir": goDir}))
	require.NoError(t, err)
	tree, err := NewTree(cfg)
	require.NoError(t, err)
	lltest.LogRecords(t, records, tree.Logger, ParseLevel)
	require.NoError(t, tree.Close())
	got := lltest.DirLines(t, goDir)
	assert.Contains(t, got["root.log"], "DEBUG app..db app..db/DEBUG", "app..db inherits the root's DEBUG")
	assert.NotContains(t, got["app.log"], "ERROR app..db app..db/ERROR")

	pyDir := t.TempDir()
	lltest.PythonLogs(t, ini, pyDir, records)
	assert.Equal(t, lltest.DirLines(t, pyDir), got)
}
