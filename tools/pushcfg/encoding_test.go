package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/livelog/livelog/internal/lltest"
)

// TestNotUTF8 exits 2 for a Latin-1 config, in check and in a push, naming
// the line and byte offset; the push sends nothing, so the listener's
// levels stay as they were (with --secret-file it was once sent with the
// bad bytes replaced and failed as "bad signature").
func TestNotUTF8(t *testing.T) {
	latin1 := strings.Replace(errorConf, "[logger_root]", "# caf\xe9\n[logger_root]", 1)
	off := strings.IndexByte(latin1, 0xE9)
	line := 1 + strings.Count(latin1[:off], "\n")
	conf := writeFile(t, "latin1.conf", latin1)
	want := "byte 0xE9 at byte offset " + strconv.Itoa(off) + " (line " + strconv.Itoa(line) + ","

	code, out, errOut := runCmd(t, "check", conf)
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, conf+":"+strconv.Itoa(line)+":")
	assert.Contains(t, errOut, want)

	lo, hi := lltest.FreePortRange(t, 3)
	c := startChild(t, lo, hi, childOpts{name: "worker"})
	code, _, errOut = runCmd(t, "--ports", portsFlag(lo, hi), "--timeout", testTimeout, conf)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, want)
	assert.Equal(t, "DEBUG", status(t, c.port).Status.Levels["root"])
}
