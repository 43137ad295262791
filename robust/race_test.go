//go:build race

package robust_test

// raceEnabled: the test binary, and so the listener child re-executed from
// it, runs under the race detector, whose shadow memory multiplies the
// resident size of everything the child allocates.
const raceEnabled = true
