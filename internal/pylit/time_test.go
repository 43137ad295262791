package pylit

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// pyTimes prints, for each line of stdin, repr(eval(line)) with datetime
// in scope, or "ValueError"/"TypeError"/"SyntaxError" when Python
// refuses it.
const pyTimes = `
import datetime, sys
for line in sys.stdin.read().splitlines():
    try:
        print(repr(eval(line, {"datetime": datetime})))
    except (ValueError, TypeError, SyntaxError) as e:
        print(type(e).__name__)
`

// datetime.time(...) reads as Python's datetime.time makes it (positional
// and keyword arguments, bounds), and Describe names it as Python's repr
// does; what Python refuses, Parse refuses.
func TestParseTimeMatchesPython(t *testing.T) {
	srcs := []string{
		"datetime.time()", "datetime.time(4)", "datetime.time(4, 30)", "datetime.time(13, 45, 7)",
		"datetime.time(1, 2, 3, 4)", "datetime.time(hour=23, minute=59, second=59)", "datetime.time(2, second=5)",
		"datetime.time( 0 , 0x1e , )", "datetime.time(microsecond=999999)", "datetime.time(+1, 0_0)",
		"datetime.time(24)", "datetime.time(0, 60)", "datetime.time(0, 0, 60)", "datetime.time(-1)",
		"datetime.time(0, 0, 0, 1000000)", "datetime.time(hour=1, hour=2)", "datetime.time(hour=1, 2)",
	}
	out, _ := lltest.RunPythonInput(t, time.Minute, strings.Join(srcs, "\n")+"\n", pyTimes)
	want := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, want, len(srcs))
	for i, src := range srcs {
		v, err := Parse(src, nil)
		if strings.HasSuffix(want[i], "Error") {
			assert.Error(t, err, "%s: Python raises %s", src, want[i])
			continue
		}
		require.NoError(t, err, src)
		assert.Equal(t, KindTime, v.Kind, src)
		assert.Equal(t, want[i], Describe(v), src)
	}
}

// Errors name what is wrong and where.
func TestParseTimeErrors(t *testing.T) {
	for src, want := range map[string]string{
		"(datetime.time(25, 0),)":           "hour must be in 0..23, not 25",
		"datetime.time(1, 2, 3, 4, None)":   "at most 4 arguments",
		"datetime.time(tzinfo=None)":        `no argument "tzinfo"`,
		"datetime.time('12:00')":            "whole numbers",
		"datetime.time(1.5)":                "whole numbers, not the number 1.5",
		"datetime.time(1, 2":                "expected ')'",
		"datetime.time(datetime.time(1))":   "whole numbers",
		"datetime.datetime(2026, 1, 1)":     "call datetime.datetime(...) is not allowed",
		"{'atTime': datetime.time(1, 2, )}": "",
	} {
		_, err := Parse(src, nil)
		if want == "" {
			assert.NoError(t, err, src)
			continue
		}
		require.Error(t, err, src)
		assert.Contains(t, err.Error(), want, src)
	}
	_, err := Parse("(1, datetime.time(7, 99))", nil)
	require.Error(t, err)
	assert.Equal(t, 22, err.(*Error).Column, "the column of the bad argument")
}
