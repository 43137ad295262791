// Package robust holds livelog's end-to-end robustness tests: they try to
// break a running tree and a real listener process, and check that nothing
// is lost, nothing leaks and nothing changes that should not.
//
//	go test ./robust                  # the quick variants (well under a minute)
//	scripts/robust-long.sh            # long variants: LIVELOG_ROBUST_LONG=1
//
// The tests, all in _test.go files (the package exports nothing):
//
//   - TestNoLoss: goroutines log sequence-numbered lines to a FileHandler
//     while the tree is re-applied thousands of times (levels-only flips
//     and Full swaps to new files); every enabled line appears exactly
//     once, whole.
//   - TestHostileWire: a listener child process (the test binary
//     re-executed) gets a 0xFFFFFFFF length, HTTP, truncated frames, a
//     one-byte-a-second sender, 1,000 concurrent connections, non-UTF-8
//     bytes, a 100,000-section INI and a 1 MiB line; after each it is
//     alive, its RSS grew by less than a few MiB, its config is unchanged
//     and a valid push still applies.
//   - TestFaultDevFull, TestFaultPipeClosed, TestFaultStdoutClosed: a
//     handler that cannot write (/dev/full, a FIFO or stdout whose reader
//     went away) stops neither the application nor the other handlers,
//     and the failure is reported through the tree's error output.
package robust
