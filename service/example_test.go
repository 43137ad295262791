package service_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/service"
)

// Run serves a tree: SIGHUP re-reads the config file, SIGTERM stops.
// Here the signals come from a channel, as systemd would send them on
// `systemctl reload` and `systemctl stop`.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "livelog-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	// Forward slashes, which Windows takes too, need no escaping in the
	// config's Python literals.
	dir = filepath.ToSlash(dir)
	conf, logFile := dir+"/logging.conf", dir+"/app.log"
	writeConfig := func(level string) {
		text := "[loggers]\nkeys=root\n[handlers]\nkeys=file\n[formatters]\nkeys=plain\n" +
			"[logger_root]\nlevel=" + level + "\nhandlers=file\n" +
			"[handler_file]\nclass=FileHandler\nargs=('" + logFile + "',)\nformatter=plain\n" +
			"[formatter_plain]\nformat=%(levelname)s %(name)s: %(message)s\n"
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			panic(err)
		}
	}

	writeConfig("INFO")
	cfg, err := logcfg.ParseFile(conf)
	if err != nil {
		panic(err)
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		panic(err)
	}
	app := tree.Logger("app")
	app.Debug("not written: the level is INFO")

	writeConfig("DEBUG") // an operator edits the file, then: systemctl reload app
	signals := make(chan os.Signal, 2)
	signals <- syscall.SIGHUP
	signals <- syscall.SIGTERM // systemctl stop app
	if err := service.Run(context.Background(), tree,
		service.WithConfigFile(conf), service.WithSignals(signals)); err != nil {
		panic(err)
	}
	app.Debug("written: the reload set DEBUG")
	tree.Close()

	text, _ := os.ReadFile(logFile)
	fmt.Print(strings.ReplaceAll(string(text), dir, "$DIR"))
	// Output:
	// INFO livelog.audit: applied generation 2: SIGHUP reload, $DIR/logging.conf: 1 change: logger root INFO→DEBUG source="SIGHUP reload" generation=2 changes="1 change: logger root INFO→DEBUG" file=$DIR/logging.conf
	// INFO livelog.service: reloaded "$DIR/logging.conf": generation 2, 1 level changes
	// INFO livelog.service: stopping on SIGTERM
	// DEBUG app: written: the reload set DEBUG
}
