// Package bench holds livelog's benchmarks against plain zap (and the
// Python reference), side by side in the same run: each Benchmark function
// has a livelog (or colorfmt) sub-benchmark and a zap one doing the same
// work, with b.ReportAllocs. Run them with
//
//	go test ./bench -run '^$' -bench . -benchmem
//
// Rules, as in log/slog's internal/benchmarks: both sides carry the same
// information and write to the same place; no result is hard-coded.
package bench
