package logcfg_test

import (
	"fmt"
	"strings"

	"github.com/livelog/livelog/logcfg"
)

// A config livelog loads may still be one CPython cannot: WithPythonCheck
// lists why, so that a file shared with Python programs stays loadable by
// both.
func ExampleWithPythonCheck() {
	ini := `[loggers]
keys=root
[handlers]
keys=file
[formatters]
keys=
[logger_root]
handlers=file
[handler_file]
class=RotatingFileHandler
args=('app.log', 'a', 1048576, 3)
`
	var diffs []logcfg.Warning
	_, err := logcfg.Parse(strings.NewReader(ini), "app.conf", logcfg.WithPythonCheck(&diffs))
	fmt.Println("livelog:", err)
	for _, d := range diffs {
		fmt.Println(d)
	}
	// Output:
	// livelog: <nil>
	// logcfg: app.conf:10: [handler_file] class: CPython's fileConfig cannot load class "RotatingFileHandler": eval(class, vars(logging)) does not find it and Python looks for a module named RotatingFileHandler (no module holds it); write handlers.RotatingFileHandler (or logging.handlers.RotatingFileHandler)
}
