package logcfg_test

import (
	"fmt"
	"strings"

	"github.com/livelog/livelog/logcfg"
)

const liveExampleINI = `
[loggers]
keys=root

[handlers]
keys=stdout

[formatters]
keys=plain

[logger_root]
level=%s
handlers=stdout

[handler_stdout]
class=StreamHandler
formatter=plain
args=(sys.stdout,)

[formatter_plain]
format=%%(levelname)s:%%(name)s:%%(message)s
`

// A logger handed out once follows every later config: raising the root's
// level from DEBUG to WARNING silences app.db's debug and info lines
// without touching the logger.
func ExampleTree_Logger() {
	parse := func(level string) *logcfg.Config {
		cfg, err := logcfg.Parse(strings.NewReader(fmt.Sprintf(liveExampleINI, level)), "live.ini")
		if err != nil {
			panic(err)
		}
		return cfg
	}
	tree, err := logcfg.NewTree(parse("DEBUG"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	db := tree.Logger("app.db")
	db.Debug("pool ready")
	db.Info("connected")

	res, err := tree.Apply(parse("WARNING"), logcfg.LevelsOnly)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Changes[0])

	db.Debug("pool ready")
	db.Info("connected")
	db.Warn("slow query")
	// Output:
	// DEBUG:app.db:pool ready
	// INFO:app.db:connected
	// logger root: DEBUG -> WARNING
	// WARNING:app.db:slow query
}
