package lltest

import (
	"fmt"
	"io"
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

// TestRecorder: the recorder greets as told, records what each client
// sends, and counts the connections.
func TestRecorder(t *testing.T) {
	lo, _ := FreePortRange(t, 1)
	r := StartRecorder(t, lo, []byte("hi"))
	for _, msg := range []string{"one", "two"} {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", lo))
		require.NoError(t, err)
		greeting := make([]byte, 2)
		_, err = io.ReadFull(c, greeting)
		require.NoError(t, err)
		assert.Equal(t, "hi", string(greeting))
		_, err = c.Write([]byte(msg))
		require.NoError(t, err)
		require.NoError(t, c.Close())
	}
	assert.Equal(t, 2, r.Conns())
	got := string(r.Bytes())
	assert.Len(t, got, 6)
	assert.Contains(t, got, "one")
	assert.Contains(t, got, "two")
}
