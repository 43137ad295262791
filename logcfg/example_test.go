package logcfg_test

import (
	"fmt"
	"strings"

	"github.com/livelog/livelog/logcfg"
	"go.uber.org/zap"
)

// exampleINI is the examples' config, with the levels of the root and
// app.db to fill in: both log to stdout through the root's handler.
const exampleINI = `
[loggers]
keys=root,db
[handlers]
keys=console
[formatters]
keys=simple
[logger_root]
level=%s
handlers=console
[logger_db]
level=%s
handlers=
qualname=app.db
[handler_console]
class=StreamHandler
formatter=simple
args=(sys.stdout,)
[formatter_simple]
format=%%(levelname)s:%%(name)s:%%(message)s
`

// exampleConfig is exampleINI with the root and app.db at the levels given.
func exampleConfig(root, db string) *logcfg.Config {
	cfg, err := logcfg.Parse(strings.NewReader(fmt.Sprintf(exampleINI, root, db)), "app.conf")
	if err != nil {
		panic(err)
	}
	return cfg
}

// A tree from a fileConfig INI: app.db is at WARNING, everything else
// inherits INFO from the root; every record goes to the root's handler.
func ExampleNewTree() {
	tree, err := logcfg.NewTree(exampleConfig("INFO", "WARNING"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	tree.Logger("app").Info("started", zap.Int("port", 8080))
	tree.Logger("app.db").Info("connected") // below app.db's WARNING
	tree.Logger("app.db").Warn("slow query")
	tree.Logger("").DPanic("CRITICAL logs and returns")
	// Output:
	// INFO:app:started port=8080
	// WARNING:app.db:slow query
	// CRITICAL:root:CRITICAL logs and returns
}

// Apply changes the running tree: under LevelsOnly only levels change and
// every other difference is reported back.
func ExampleTree_Apply() {
	tree, err := logcfg.NewTree(exampleConfig("INFO", "WARNING"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()
	db := tree.Logger("app.db")

	// app.db at DEBUG, and with a handler of its own, which LevelsOnly
	// does not attach.
	debug := strings.Replace(fmt.Sprintf(exampleINI, "INFO", "DEBUG"), "handlers=\nqualname", "handlers=console\nqualname", 1)
	next, err := logcfg.Parse(strings.NewReader(debug), "debug.ini")
	if err != nil {
		panic(err)
	}
	res, err := tree.Apply(next, logcfg.LevelsOnly)
	if err != nil {
		panic(err)
	}
	fmt.Println("generation", res.Generation)
	for _, c := range res.Changes {
		fmt.Println("changed:", c)
	}
	for _, s := range res.Ignored {
		fmt.Println("ignored:", s)
	}
	db.Debug("now visible")
	// Output:
	// generation 2
	// changed: logger app.db: WARNING -> DEBUG
	// ignored: logger "app.db": handlers [] kept, not [console] (levels-only)
	// DEBUG:app.db:now visible
}

// A logger handed out once follows every later config: raising the
// root's level from INFO to WARNING silences app.http's info lines
// without touching the logger.
func ExampleTree_Logger() {
	tree, err := logcfg.NewTree(exampleConfig("INFO", "WARNING"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	http := tree.Logger("app.http") // not configured: inherits the root's level
	http.Debug("headers")
	http.Info("listening")

	res, err := tree.Apply(exampleConfig("WARNING", "WARNING"), logcfg.LevelsOnly)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Changes[0])

	http.Info("listening")
	http.Warn("slow client")
	// Output:
	// INFO:app.http:listening
	// logger root: INFO -> WARNING
	// WARNING:app.http:slow client
}
