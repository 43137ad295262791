package logcfg_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/livelog/livelog/logcfg"
	"go.uber.org/zap/zapcore"
)

// registerStdout registers an application's own handler class, as any
// class a config names must be registered (livelog's built-in ones are).
func registerStdout() {
	logcfg.RegisterHandlerClass("myapp.StdoutHandler", logcfg.HandlerClass{
		Check: func(h *logcfg.HandlerConfig) error {
			if len(h.Args) > 0 || len(h.Kwargs) > 0 {
				return fmt.Errorf("%w: myapp.StdoutHandler takes no arguments", logcfg.ErrBadArgs)
			}
			return nil
		},
		Open: func(h *logcfg.HandlerConfig, newEncoder logcfg.EncoderFunc) (logcfg.Output, error) {
			enc, err := newEncoder(os.Stdout)
			if err != nil {
				return logcfg.Output{}, err
			}
			return logcfg.Output{Core: zapcore.NewCore(enc, zapcore.Lock(os.Stdout), zapcore.DebugLevel)}, nil
		},
	})
}

func ExampleParse() {
	registerStdout()
	const ini = `
[loggers]
keys = root, db

[handlers]
keys = out

[formatters]
keys = plain

[logger_root]
level = %(root_level)s
handlers = out

[logger_db]
qualname = app.db
handlers =
propagate = 0

[handler_out]
class = myapp.StdoutHandler
formatter = plain

[formatter_plain]
format = %(levelname)s %(name)s: %(message)s
`
	cfg, err := logcfg.Parse(strings.NewReader(ini), "app.conf",
		logcfg.WithDefaults(map[string]string{"root_level": "INFO"}))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := json.MarshalIndent(cfg.Resolve(), "", "  ")
	fmt.Println(string(out))
	// Output:
	// {
	//   "loggers": {
	//     "app.db": {
	//       "level": "NOTSET",
	//       "effective": "INFO",
	//       "propagate": false,
	//       "handlers": []
	//     },
	//     "root": {
	//       "level": "INFO",
	//       "effective": "INFO",
	//       "propagate": true,
	//       "handlers": [
	//         "out"
	//       ]
	//     }
	//   },
	//   "handlers": {
	//     "out": {
	//       "class": "StdoutHandler",
	//       "level": "NOTSET",
	//       "formatter": "plain"
	//     }
	//   },
	//   "formatters": {
	//     "plain": {
	//       "format": "%(levelname)s %(name)s: %(message)s",
	//       "datefmt": null
	//     }
	//   }
	// }
}

// Errors name the file, line, section and key; several problems come
// together, in file order.
func ExampleParse_errors() {
	registerStdout()
	const ini = `[loggers]
keys = root, db
[handlers]
keys = out
[formatters]
keys =
[logger_root]
level = LOUD
handlers = out, missing
[logger_db]
handlers =
[handler_out]
class = myapp.StdoutHandler
args = (open('/etc/passwd'),)
`
	_, err := logcfg.Parse(strings.NewReader(ini), "app.conf")
	fmt.Println(err)
	// Output:
	// logcfg: app.conf:8: [logger_root] level: bad level "LOUD" (want DEBUG, INFO, WARNING, ERROR, CRITICAL or NOTSET)
	// logcfg: app.conf:9: [logger_root] handlers: undefined reference: handler "missing" is not listed in [handlers] keys=
	// logcfg: app.conf:10: [logger_db] qualname: missing key: [logger_db] needs qualname= (the dotted logger name; every listed logger but root needs one)
	// logcfg: app.conf:14: [handler_out] args: bad literal at column 9: call open(...) is not allowed: livelog evaluates nothing (only tuple(), list() and dict() with no arguments)
}

func ExampleParseFile() {
	registerStdout()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("livelog-example-%d.conf", os.Getpid()))
	defer os.Remove(path)
	err := os.WriteFile(path, []byte(`[loggers]
keys = root, http
[handlers]
keys =
[formatters]
keys =
[logger_root]
level = ERROR
handlers =
[logger_http]
qualname = app.http
level = DEBUG
handlers =
verbose = yes
`), 0o600)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := logcfg.ParseFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range cfg.Loggers {
		fmt.Println(l.Name, logcfg.LevelName(l.Level))
	}
	for _, w := range cfg.Warnings {
		fmt.Println("warning:", w.Msg)
	}
	// Output:
	// root ERROR
	// app.http DEBUG
	// warning: a logger section does not read key "verbose"; Python ignores it
}

// A payload as Python's logging.config.listen receives it: a JSON object
// is a dictConfig. In incremental mode only levels change.
func ExampleParsePayload() {
	payload := []byte(`{"version": 1, "incremental": true,
	  "loggers": {"app.db": {"level": "DEBUG"}},
	  "root": {"level": 40}}`)
	cfg, err := logcfg.ParsePayload(payload, "tcp:127.0.0.1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("incremental:", cfg.Incremental)
	for _, l := range cfg.Loggers {
		fmt.Println(l.Name, logcfg.LevelName(l.Level))
	}
	// Output:
	// incremental: true
	// root ERROR
	// app.db DEBUG
}
