package logcfg_test

import (
	"fmt"
	"strings"

	"github.com/livelog/livelog/logcfg"
	"go.uber.org/zap"
)

const exampleINI = `
[loggers]
keys=root,db

[handlers]
keys=console

[formatters]
keys=simple

[logger_root]
level=INFO
handlers=console

[logger_db]
level=WARNING
handlers=
qualname=app.db

[handler_console]
class=StreamHandler
formatter=simple
args=(sys.stdout,)

[formatter_simple]
format=%(levelname)s:%(name)s:%(message)s
`

// A tree from a fileConfig INI: app.db is at WARNING, everything else
// inherits INFO from the root; every record goes to the root's handler.
func ExampleNewTree() {
	cfg, err := logcfg.Parse(strings.NewReader(exampleINI), "example.ini")
	if err != nil {
		panic(err)
	}
	tree, err := logcfg.NewTree(cfg)
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
	cfg, _ := logcfg.Parse(strings.NewReader(exampleINI), "example.ini")
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		panic(err)
	}
	defer tree.Close()
	db := tree.Logger("app.db")

	debug := strings.Replace(exampleINI, "level=WARNING", "level=DEBUG", 1)
	debug = strings.Replace(debug, "handlers=\nqualname", "handlers=console\nqualname", 1)
	next, _ := logcfg.Parse(strings.NewReader(debug), "debug.ini")
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
	root := func(level string) *logcfg.Config {
		cfg, err := logcfg.Parse(strings.NewReader(strings.Replace(exampleINI, "level=INFO", "level="+level, 1)), "example.ini")
		if err != nil {
			panic(err)
		}
		return cfg
	}
	tree, err := logcfg.NewTree(root("INFO"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	http := tree.Logger("app.http") // not configured: inherits the root's level
	http.Debug("headers")
	http.Info("listening")

	res, err := tree.Apply(root("WARNING"), logcfg.LevelsOnly)
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
