package bench_test

import (
	"io"
	"sync"
	"testing"
	"time"

	"github.com/livelog/livelog/logcfg"
	"go.uber.org/zap"
)

// BenchmarkInfo is one enabled Info call with three fields, encoded and
// written to io.Discard.
func BenchmarkInfo(b *testing.B) {
	f1, f2, f3 := fields()
	sideBySide(b, func(log *zap.Logger) { log.Info(message, f1, f2, f3) })
}

// BenchmarkDisabled is the same call below the logger's level.
func BenchmarkDisabled(b *testing.B) {
	f1, f2, f3 := fields()
	sideBySide(b, func(log *zap.Logger) { log.Debug(message, f1, f2, f3) })
}

// sideBySide runs call in a loop on the livelog logger and on the zap
// logger, as two sub-benchmarks.
func sideBySide(b *testing.B, call func(*zap.Logger)) {
	b.Run("livelog", func(b *testing.B) {
		_, log := livelogLogger(b)
		b.ReportAllocs()
		for b.Loop() {
			call(log)
		}
	})
	b.Run("zap", func(b *testing.B) {
		log := zapLogger(io.Discard)
		b.ReportAllocs()
		for b.Loop() {
			call(log)
		}
	})
}

// BenchmarkInfoParallel is BenchmarkInfo from GOMAXPROCS goroutines.
func BenchmarkInfoParallel(b *testing.B) {
	b.Run("livelog", func(b *testing.B) {
		_, log := livelogLogger(b)
		runParallel(b, log)
	})
	b.Run("zap", func(b *testing.B) {
		runParallel(b, zapLogger(io.Discard))
	})
}

func runParallel(b *testing.B, log *zap.Logger) {
	f1, f2, f3 := fields()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			log.Info(message, f1, f2, f3)
		}
	})
}

// appliesPerSecond is the apply rate of BenchmarkInfoDuringApply.
const appliesPerSecond = 1000

// BenchmarkInfoDuringApply is BenchmarkInfoParallel on livelog while
// another goroutine applies a new config (Full policy: the handler is
// rebuilt) 1,000 times a second; baseline is the same without applies.
//
// The applier wakes on a 1 ms ticker and makes every apply due since the
// start (elapsed seconds × 1,000): with every P busy logging, the Go
// scheduler runs it only every few milliseconds, and a plain
// one-apply-per-tick loop would apply far less often than asked. The
// "applies/s" metric is the rate achieved.
func BenchmarkInfoDuringApply(b *testing.B) {
	b.Run("baseline", func(b *testing.B) {
		_, log := livelogLogger(b)
		runParallel(b, log)
	})
	b.Run("livelog", func(b *testing.B) {
		tree, log := livelogLogger(b)
		configs := [2]*logcfg.Config{
			parse(b, benchINI("DEBUG", "DEBUG")),
			parse(b, benchINI("WARNING", "NOTSET")),
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var applies int
		var applyErr error
		start := time.Now()
		wg.Go(func() {
			tick := time.NewTicker(time.Second / appliesPerSecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					due := int(time.Since(start) * appliesPerSecond / time.Second)
					for ; applies < due; applies++ {
						if _, err := tree.Apply(configs[applies%2], logcfg.Full); err != nil {
							applyErr = err
							return
						}
					}
				}
			}
		})
		runParallel(b, log)
		b.StopTimer()
		close(stop)
		wg.Wait()
		if applyErr != nil {
			b.Fatalf("apply: %v", applyErr)
		}
		b.ReportMetric(float64(applies)/time.Since(start).Seconds(), "applies/s")
	})
}

// applyINI is a 20-logger, 5-handler config; level alternates between the
// two configs BenchmarkApply applies.
func applyINI(dir, level, suffix string) string {
	var loggers, sections string
	for i := range 19 {
		name := "l" + itoa(i)
		loggers += "," + name
		sections += "\n[logger_" + name + "]\nlevel=" + level + "\nhandlers=h" + itoa(i%5) +
			"\nqualname=app.part" + itoa(i/5) + ".mod" + itoa(i) + "\npropagate=" + itoa(i%2) + "\n"
	}
	return `[loggers]
keys=root` + loggers + `

[handlers]
keys=h0,h1,h2,h3,h4

[formatters]
keys=color,plain

[logger_root]
level=WARNING
handlers=h0
` + sections + `
[handler_h0]
class=bench.DiscardHandler
level=NOTSET
formatter=color
args=()

[handler_h1]
class=FileHandler
level=` + level + `
formatter=plain
args=('` + dir + `/one` + suffix + `.log', 'a')

[handler_h2]
class=handlers.RotatingFileHandler
level=INFO
formatter=plain
args=('` + dir + `/two` + suffix + `.log', 'a', 1048576, 3)

[handler_h3]
class=NullHandler
args=()

[handler_h4]
class=FileHandler
level=ERROR
formatter=color
args=('` + dir + `/three` + suffix + `.log',)

[formatter_color]
class=ColorFormatter
format=` + colorFormat + `
color=never

[formatter_plain]
format=%(asctime)s %(levelname)-8s %(name)s %(message)s
datefmt=%Y-%m-%d %H:%M:%S
`
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// BenchmarkApply applies a 20-logger, 5-handler config to a live tree,
// alternating two configs: levels applies two configs that differ in
// levels with LevelsOnly; full applies the same two with Full (unchanged
// handlers are carried over); full-newfiles applies, with Full, two
// configs whose three file handlers write to other files, so every apply
// opens three files and closes three. Parsing is not included: the configs
// are parsed once before the loop.
func BenchmarkApply(b *testing.B) {
	for _, bc := range []struct {
		name     string
		policy   logcfg.Policy
		suffixes [2]string
	}{
		{"levels", logcfg.LevelsOnly, [2]string{"", ""}},
		{"full", logcfg.Full, [2]string{"", ""}},
		{"full-newfiles", logcfg.Full, [2]string{"-a", "-b"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dir := b.TempDir()
			configs := [2]*logcfg.Config{
				parse(b, applyINI(dir, "DEBUG", bc.suffixes[0])),
				parse(b, applyINI(dir, "INFO", bc.suffixes[1])),
			}
			tree := newTree(b, applyINI(dir, "INFO", bc.suffixes[1]))
			for i := range 20 {
				tree.Logger("app.part" + itoa(i/5) + ".mod" + itoa(i))
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := tree.Apply(configs[i%2], bc.policy); err != nil {
					b.Fatalf("apply: %v", err)
				}
				i++
			}
		})
	}
}
