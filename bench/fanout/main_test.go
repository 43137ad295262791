package main

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary act as a listener child, as the command
// does.
func TestMain(m *testing.M) {
	if r := os.Getenv(childEnv); r != "" {
		os.Exit(child(r, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestRun starts three listener processes and pushes to them for real; run
// fails unless every push was applied by all three.
func TestRun(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 5)
	var stdout, stderr bytes.Buffer
	code := run([]string{"-n", "3", "-pushes", "3", "-ports", portsFlag(lo, hi)}, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	assert.Contains(t, stdout.String(), "fanout: 3 listener processes on ports")
	assert.Regexp(t, `median \d+\.\d\dms over 3 pushes .*goal <= 50ms: (met|MISSED)`, stdout.String())
	assert.Empty(t, stderr.String(), "every child exited cleanly")
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-n", "0"}, {"-pushes", "0"}, {"-ports", "10-5"}, {"-ports", "abc"}, {"-n", "5", "-ports", "20000-20001"}, {"-bogus"},
	} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(args, &stdout, &stderr), "%q", args)
		assert.NotEmpty(t, stderr.String(), "%q", args)
	}
}

func portsFlag(lo, hi int) string {
	return fmt.Sprintf("%d-%d", lo, hi)
}
