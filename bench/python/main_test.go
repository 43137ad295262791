package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets the test binary act as the livelog child, as the command
// does.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(child(os.Args[1:], os.Stderr))
	}
	os.Exit(m.Run())
}

var asctime = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}`)

// TestSameLines runs both sides on three lines each and checks that they
// print the same bytes, timestamps aside: the comparison is between equal
// work.
func TestSameLines(t *testing.T) {
	lltest.Python(t)
	sides, err := setup(t.TempDir())
	require.NoError(t, err)
	out := map[string]string{}
	for _, s := range sides {
		var buf bytes.Buffer
		_, err := s.measure(3, sinkDevNull, &buf)
		require.NoError(t, err, s.name)
		out[s.name] = buf.String()
	}
	py, ll := out["python"], out["livelog"]
	require.Len(t, strings.Split(strings.TrimSuffix(py, "\n"), "\n"), 3, "python output %q", py)
	assert.Len(t, asctime.FindAllString(ll, -1), 3, "livelog shows Python's default asctime: %q", ll)
	want := "\x1b[33mT \x1b[0m- \x1b[35mmain.emit \x1b[0m- \x1b[32mMainProcess \x1b[0m- \x1b[32mINFO \x1b[0m- request served status=200 user=alice elapsed=1.5s\n"
	assert.Equal(t, strings.Repeat(want, 3), asctime.ReplaceAllString(py, "T"), "python")
	assert.Equal(t, strings.Repeat(want, 3), asctime.ReplaceAllString(ll, "T"), "livelog")
}

// TestRun runs the whole comparison on a few lines and checks the report.
func TestRun(t *testing.T) {
	lltest.Python(t)
	var stdout, stderr bytes.Buffer
	code := run([]string{"-n", "500", "-runs", "1"}, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	out := stdout.String()
	for _, want := range []string{"lines per side: 500", sinkText[sinkDevNull], sinkText[sinkDiscard]} {
		assert.Contains(t, out, want)
	}
	for _, re := range []string{`python3 logging: +\d+ lines/s`, `livelog: +\d+ lines/s`, `ratio livelog/python: \d+\.\dx \(goal >= 20x: (met|MISSED)\)`} {
		assert.Len(t, regexp.MustCompile(re).FindAllString(out, -1), 2, "%s twice (one per sink) in %q", re, out)
	}
}

func TestParseSeconds(t *testing.T) {
	d, err := parseSeconds("noise\nseconds=0.250000\n")
	require.NoError(t, err)
	assert.Equal(t, 250e6, float64(d))
	for _, bad := range []string{"", "seconds=x", "seconds=0", "seconds=-1"} {
		_, err := parseSeconds(bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestRunFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"-n", "0"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "-n and -runs must be at least 1")
	assert.Equal(t, 2, run([]string{"-bogus"}, &stdout, &stderr))
}
