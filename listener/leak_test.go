package listener_test

import (
	"testing"

	"go.uber.org/goleak"
)

// No goroutine of a listener outlives its Close: every test closes its
// listeners, and goleak checks after the whole run.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
