package handlers_test

import (
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/logcfg/handlers"
)

// StreamHandler writes to the stream it names (stderr by default), taken
// when it opens; on a pipe a CRITICAL record is written, with no sync
// that could fail (fsync on a pipe is EINVAL).
func TestStreamHandler(t *testing.T) {
	pipes := map[string][2]*os.File{}
	for _, name := range []string{"stdout", "stderr"} {
		r, w, err := os.Pipe()
		require.NoError(t, err)
		t.Cleanup(func() { r.Close(); w.Close() })
		pipes[name] = [2]*os.File{r, w}
	}
	restore := handlers.SetStdStream(func(name string) *os.File { return pipes[name][1] })
	out := openClass(t, "StreamHandler", "(sys.stdout,)", "")
	def := openClass(t, "StreamHandler", "()", "")
	restore()
	assert.Equal(t, []*os.File{pipes["stdout"][1]}, out.outs, "the encoder is built for the stream (colour in auto mode)")
	assert.Equal(t, []*os.File{pipes["stderr"][1]}, def.outs)

	out.log.DPanic("critical, no panic, no sync error")
	def.log.Warn("to stderr")
	assert.NoError(t, out.Core.Sync())
	assert.Empty(t, out.errs.String())
	assert.Empty(t, def.errs.String())
	for name, want := range map[string]string{"stdout": "CRITICAL critical, no panic, no sync error\n", "stderr": "WARNING to stderr\n"} {
		require.NoError(t, pipes[name][1].Close())
		got, err := io.ReadAll(pipes[name][0])
		require.NoError(t, err)
		assert.Equal(t, want, string(got), name)
	}
}
