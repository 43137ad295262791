package handlers_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/livelog/livelog/logcfg"
)

// infoCall is the call the guards and benchmarks make: Info with three
// fields.
func infoCall(log *zap.Logger) {
	log.Info("request served", zap.Int("status", 200), zap.String("user", "alice"), zap.Duration("elapsed", 1500*time.Millisecond))
}

// handlerTree runs the root at INFO through one handler "h" of class
// with args, and, when target is a path, a FileHandler "file" on it as
// h's target, with a colorfmt format that shows the time and the caller,
// as a program would. %(dir)s in args is dir.
func handlerTree(tb testing.TB, dir, class, args, target string) *zap.Logger {
	tb.Helper()
	keys, more := "h", ""
	if target != "" {
		keys, more = "h,file", fmt.Sprintf("target=file\n[handler_file]\nclass=FileHandler\nformatter=c\nargs=(%q,)\n", target)
	}
	ini := fmt.Sprintf(`[loggers]
keys=root
[handlers]
keys=%s
[formatters]
keys=c
[logger_root]
level=INFO
handlers=h
[handler_h]
class=%s
formatter=c
args=%s
%s
[formatter_c]
class=ColorFormatter
format=%%(asctime)s %%(levelname)s %%(name)s %%(module)s.%%(funcName)s: %%(message)s
`, keys, class, args, more)
	r := logcfg.NewRegistry()
	cfg, err := logcfg.Parse(strings.NewReader(ini), "alloc.ini", logcfg.WithRegistry(r), logcfg.WithDefaults(map[string]string{"dir": dir}))
	require.NoError(tb, err)
	tree, err := logcfg.NewTree(cfg, logcfg.WithRegistry(r))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = tree.Close() })
	return tree.Logger("app")
}

// BenchmarkInfo is one enabled Info call with three fields through a tree
// whose root writes with a colorfmt format (time, caller) to a file, by
// the file handler classes side by side, on a real file and on
// /dev/null (where only the handler's own work differs).
func BenchmarkInfo(b *testing.B) {
	for _, target := range []struct{ name, path string }{{"file", ""}, {"devnull", os.DevNull}} {
		path := func(dir, name string) string {
			if target.path != "" {
				return target.path
			}
			return dir + "/" + name
		}
		for _, c := range []struct{ name, class, args string }{
			{"FileHandler", "FileHandler", "('%s',)"},
			{"TimedRotatingFileHandler", "handlers.TimedRotatingFileHandler", "('%s', 'midnight', 1, 7)"},
			{"MemoryHandler", "handlers.MemoryHandler", "(100,)"},
		} {
			b.Run(target.name+"/"+c.name, func(b *testing.B) {
				dir := b.TempDir()
				target := ""
				if c.class == "handlers.MemoryHandler" {
					target = path(dir, "target.log")
				}
				log := handlerTree(b, dir, c.class, strings.Replace(c.args, "%s", path(dir, c.name+".log"), 1), target)
				b.ReportAllocs()
				for b.Loop() {
					infoCall(log)
				}
			})
		}
	}
}
