package handlers_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// pyServer is a python3 server script, run by startPyServer: it prints
// the port it bound on its first line, then one JSON value per line for
// what it receives, which arrive on values.
type pyServer[T any] struct {
	port   int
	values chan T
	cmd    *exec.Cmd
	done   chan struct{}
}

// startPyServer runs script with args until stop or the end of the test.
func startPyServer[T any](t *testing.T, script string, args ...string) *pyServer[T] {
	t.Helper()
	cmd := exec.Command(lltest.Python(t), append([]string{"-c", script}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	s := &pyServer[T]{values: make(chan T, 100000), cmd: cmd, done: make(chan struct{})}
	t.Cleanup(s.stop)
	lines := bufio.NewScanner(stdout)
	lines.Buffer(nil, 1<<20)
	require.True(t, lines.Scan(), "the python3 server did not start")
	_, err = fmt.Sscan(lines.Text(), &s.port)
	require.NoError(t, err)
	go func() {
		defer close(s.done)
		for lines.Scan() {
			var v T
			if json.Unmarshal(lines.Bytes(), &v) == nil {
				s.values <- v
			}
		}
	}()
	return s
}

// stop kills the server (once).
func (s *pyServer[T]) stop() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
		<-s.done
	}
}

// next is the next value received, within a deadline.
func (s *pyServer[T]) next(t *testing.T) T {
	t.Helper()
	select {
	case v := <-s.values:
		return v
	case <-time.After(10 * time.Second):
		var zero T
		t.Fatal("nothing arrived within 10s")
		return zero
	}
}
