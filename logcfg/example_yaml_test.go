package logcfg_test

import (
	"fmt"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg"
)

// A YAML dictConfig, as a Python program loads one with
// logging.config.dictConfig(yaml.safe_load(f)): a name filter keeps the
// database handler to app.db and the loggers under it.
func ExampleParseYAML() {
	const doc = `
version: 1
formatters:
  brief: {format: "%(levelname)s %(name)s: %(message)s"}
filters:
  db_only: {name: app.db}
handlers:
  db:
    class: logging.StreamHandler
    stream: ext://sys.stdout
    formatter: brief
    filters: [db_only]
loggers:
  app: {level: DEBUG, handlers: [db]}
root: {level: WARNING}
`
	cfg, err := logcfg.ParseYAML([]byte(doc), "app.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	tree, err := logcfg.NewTree(cfg, logcfg.WithErrorOutput(zapcore.AddSync(os.Stderr)))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tree.Close()
	tree.Logger("app.db.pool").Info("connected", zap.Int("conns", 4))
	tree.Logger("app.web").Info("filtered out: not under app.db")

	_, err = logcfg.ParseYAML([]byte("version: 1\nroot:\n  level: LOUD\n"), "bad.yaml")
	fmt.Println(err)
	// Output:
	// INFO app.db.pool: connected conns=4
	// logcfg: bad.yaml:3:10: [root] level: bad level "LOUD" (want DEBUG, INFO, WARNING, ERROR, CRITICAL or NOTSET)
}
