//go:build !race

package robust_test

// raceEnabled: see race_test.go.
const raceEnabled = false
