// Package bench measures livelog against plain zap in the same run: each
// benchmark has a livelog and a zap sub-benchmark doing the same work, and
// the figures go to BENCHMARKS.md at the repository root.
//
//	go test ./bench -run '^$' -bench . -benchmem -count 10 | tee new.txt
//	go run golang.org/x/perf/cmd/benchstat@latest new.txt
//
// The package holds only tests and benchmarks; it exports nothing. Its rules
// follow log/slog's internal/benchmarks and zap's scenario benchmarks:
//
//   - Measure a complete log event, from the user's call to its return,
//     including caller lookup, time, encoding and the write.
//   - Both sides carry the same information. The livelog side renders the
//     colour format with %(asctime)s, %(module)s.%(funcName)s and
//     %(processName)s, so the zap side gets AddCaller, a function key, ISO
//     8601 time, a colour level and the process name as a field.
//   - Both sides write to io.Discard, after encoding. livelog's NullHandler
//     drops records before they are encoded, so the livelog side uses a
//     test handler class, "bench.DiscardHandler", that encodes with the
//     configured formatter and writes through zapcore.NewCore, exactly as
//     zap's side does. TestSameInformation checks that both render the same
//     facts.
//   - Competitors run side by side in one Benchmark function
//     (b.Run("livelog"), b.Run("zap")), with b.ReportAllocs, and the
//     concurrent variants use b.RunParallel.
//
// bench/fanout times one push to 30 listener processes; bench/python runs
// Python's logging and livelog on the same lines and prints the ratio.
package bench
