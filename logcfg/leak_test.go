package logcfg

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// tree starts none of its own (a stuck write's late close is the one
// exception, and Close waits for it).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
