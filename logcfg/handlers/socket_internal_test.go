package handlers

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// The backoff schedules connection attempts as CPython's
// SocketHandler.createSocket does: for a sequence of (time, does the
// connect succeed) steps, CPython (with time.time and makeSocket
// replaced) and the backoff agree at each step on whether an attempt is
// made and on retryTime after it.
func TestBackoffMatchesPython(t *testing.T) {
	type step struct {
		now float64
		ok  bool
	}
	steps := []step{
		{100, false}, {100.5, false}, {101, false}, {102.9, true}, {103, false}, {103, false},
		{104, false}, {106, false}, {110, false}, {118, false}, {134, false}, {150, false},
		{166, false}, {195, false}, {196, false}, {226, false}, {256.5, true}, {257, false}, {258, true},
	}
	var in strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&in, "%v %v\n", s.now, s.ok)
	}
	const script = `
import logging.handlers, sys, time
class H(logging.handlers.SocketHandler):
    def makeSocket(self, timeout=1):
        if not ok:
            raise OSError("refused")
        return None
h = H("127.0.0.1", 1)
for line in sys.stdin.read().split("\n")[:-1]:
    now, ok = line.split()
    now, ok = float(now), ok == "true"
    before = h.retryTime
    time.time = lambda: now
    attempted = [False]
    real = h.makeSocket
    def counting(timeout=1, real=real):
        attempted[0] = True
        return real(timeout)
    h.makeSocket = counting
    h.createSocket()
    print(attempted[0], h.retryTime)
`
	out, _ := lltest.RunPythonInput(t, time.Minute, in.String(), script)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, len(steps))
	b := backoff{start: retryStart, max: retryMax, factor: retryFactor}
	for i, s := range steps {
		attempt := b.wait(s.now) == 0
		if attempt {
			if s.ok {
				b.succeeded()
			} else {
				b.failed(s.now)
			}
		}
		retry := "None"
		if b.waiting {
			retry = fmt.Sprint(b.retryAt)
			if !strings.Contains(retry, ".") {
				retry += ".0"
			}
		}
		assert.Equal(t, lines[i], fmt.Sprintf("%s %s", pyBool(attempt), retry), "step %d at %v", i, s.now)
	}
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
