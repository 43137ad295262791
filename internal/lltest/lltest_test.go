package lltest

import (
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFreePortRange(t *testing.T) {
	lo, hi := FreePortRange(t, 5)
	assert.Equal(t, lo+4, hi)
	assert.False(t, lo <= ReservedHi && hi >= ReservedLo, "range %d-%d overlaps the default range", lo, hi)
	for p := lo; p <= hi; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		require.NoError(t, err, "port %d", p)
		l.Close()
	}
}

func TestWaitFor(t *testing.T) {
	var n atomic.Int32
	go func() {
		for range 3 {
			n.Add(1)
		}
	}()
	WaitFor(t, 5*time.Second, func() bool { return n.Load() == 3 })
	assert.Equal(t, int32(3), n.Load())
}

func TestRunPython(t *testing.T) {
	out := RunPython(t, 10*time.Second, "import sys; print(sys.argv[1] * 2)", "ab")
	assert.Equal(t, "abab", strings.TrimSpace(out))
}
