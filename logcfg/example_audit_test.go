package logcfg_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/livelog/livelog/logcfg"
)

// The history says what made each change (WithOrigin, or what
// WithSource's from implies), and Audit writes an entry on livelog.audit.
func ExampleTree_Audit() {
	cfg, err := logcfg.Parse(strings.NewReader(`[loggers]
keys=root
[handlers]
keys=out
[formatters]
keys=plain
[logger_root]
level=INFO
handlers=out
[handler_out]
class=StreamHandler
args=(sys.stdout,)
formatter=plain
[formatter_plain]
format=%(levelname)s %(name)s: %(message)s
`), "/srv/app/logging.conf")
	if err != nil {
		panic(err)
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		panic(err)
	}
	defer tree.Close()
	set, err := logcfg.ParseJSON([]byte(`{"version": 1, "incremental": true, "loggers": {"app.db": {"level": "DEBUG"}}}`), "set app.db=DEBUG")
	if err != nil {
		panic(err)
	}
	res, err := tree.Apply(set, logcfg.LevelsOnly, logcfg.WithSource("127.0.0.1:51234", "set app.db=DEBUG"), logcfg.WithOrigin(logcfg.SourceSet, ""))
	if err != nil {
		panic(err)
	}
	for _, h := range tree.History() {
		fmt.Printf("%d %s: %s (%s)\n", h.Generation, h.Kind, h.Origin, h.File)
	}
	tree.Audit(res.Generation)
	// Output:
	// 2 set: set from 127.0.0.1 (set app.db=DEBUG)
	// 1 start: start (/srv/app/logging.conf)
	// INFO livelog.audit: applied generation 2: set from 127.0.0.1, set app.db=DEBUG: 1 change: logger app.db NOTSET→DEBUG source=set generation=2 changes="1 change: logger app.db NOTSET→DEBUG" peer=127.0.0.1:51234 file="set app.db=DEBUG"
}

// An ENV value FromEnv does not know is a warning naming the file chosen.
func ExampleEnvWarning() {
	os.Setenv("ENV", "production")
	defer os.Unsetenv("ENV")
	fmt.Println(filepath.ToSlash(logcfg.EnvWarning("/srv/app/conf")))
	// Output:
	// ENV="production" is not dev, test or prod: using /srv/app/conf/debug.conf (ENV=dev or test: info.conf; prod: error.conf; unset or anything else: debug.conf)
}
