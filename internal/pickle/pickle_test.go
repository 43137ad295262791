package pickle_test

import (
	"encoding/hex"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/pickle"
)

// pickleCases are values appended in Go, with the Python expression
// for the same value.
var pickleCases = []struct {
	python string
	build  func([]byte) []byte
}{
	{"None", pickle.AppendNone},
	{"True", func(b []byte) []byte { return pickle.AppendBool(b, true) }},
	{"False", func(b []byte) []byte { return pickle.AppendBool(b, false) }},
	{"0", func(b []byte) []byte { return pickle.AppendInt(b, 0) }},
	{"255", func(b []byte) []byte { return pickle.AppendInt(b, 255) }},
	{"256", func(b []byte) []byte { return pickle.AppendInt(b, 256) }},
	{"65535", func(b []byte) []byte { return pickle.AppendInt(b, 65535) }},
	{"65536", func(b []byte) []byte { return pickle.AppendInt(b, 65536) }},
	{"-1", func(b []byte) []byte { return pickle.AppendInt(b, -1) }},
	{"2**31-1", func(b []byte) []byte { return pickle.AppendInt(b, math.MaxInt32) }},
	{"-2**31", func(b []byte) []byte { return pickle.AppendInt(b, math.MinInt32) }},
	{"2**31", func(b []byte) []byte { return pickle.AppendInt(b, math.MaxInt32+1) }},
	{"-2**31-1", func(b []byte) []byte { return pickle.AppendInt(b, math.MinInt32-1) }},
	{"-2**63", func(b []byte) []byte { return pickle.AppendInt(b, math.MinInt64) }},
	{"2**64-1", func(b []byte) []byte { return pickle.AppendUint(b, math.MaxUint64) }},
	{"7", func(b []byte) []byte { return pickle.AppendUint(b, 7) }},
	{"1.5", func(b []byte) []byte { return pickle.AppendFloat(b, 1.5) }},
	{"-0.0", func(b []byte) []byte { return pickle.AppendFloat(b, math.Copysign(0, -1)) }},
	{"1e300", func(b []byte) []byte { return pickle.AppendFloat(b, 1e300) }},
	{"float('inf')", func(b []byte) []byte { return pickle.AppendFloat(b, math.Inf(1)) }},
	{"float('nan')", func(b []byte) []byte { return pickle.AppendFloat(b, math.NaN()) }},
	{"''", func(b []byte) []byte { return pickle.AppendString(b, "") }},
	{"'héllo \\u2603 \\U0001f600'", func(b []byte) []byte { return pickle.AppendString(b, "héllo ☃ 😀") }},
	{"'a\\x00b\\n'", func(b []byte) []byte { return pickle.AppendString(b, "a\x00b\n") }},
	{"'a\\ufffdb\\ufffdc'", func(b []byte) []byte { return pickle.AppendString(b, "a\xff\xfeb\xc3c") }},
	{"'x'*100000", func(b []byte) []byte { return pickle.AppendString(b, strings.Repeat("x", 100000)) }},
	{"{}", func(b []byte) []byte { return pickle.AppendDictEnd(pickle.AppendDictStart(b)) }},
	{"[]", func(b []byte) []byte { return pickle.AppendListEnd(pickle.AppendListStart(b)) }},
	{"{'a': 1, 'b': [1, 2.5, None, True, {'c': 'd'}], 'e': {}}", func(b []byte) []byte {
		b = pickle.AppendDictStart(b)
		b = pickle.AppendInt(pickle.AppendString(b, "a"), 1)
		b = pickle.AppendListStart(pickle.AppendString(b, "b"))
		b = pickle.AppendNone(pickle.AppendFloat(pickle.AppendInt(b, 1), 2.5))
		b = pickle.AppendDictStart(pickle.AppendBool(b, true))
		b = pickle.AppendDictEnd(pickle.AppendString(pickle.AppendString(b, "c"), "d"))
		b = pickle.AppendListEnd(b)
		b = pickle.AppendDictEnd(pickle.AppendDictStart(pickle.AppendString(b, "e")))
		return pickle.AppendDictEnd(b)
	}},
	{"{'k': 2}", func(b []byte) []byte { // a key given twice keeps its last value
		b = pickle.AppendDictStart(b)
		b = pickle.AppendInt(pickle.AppendString(b, "k"), 1)
		b = pickle.AppendInt(pickle.AppendString(b, "k"), 2)
		return pickle.AppendDictEnd(b)
	}},
}

// CPython's pickle.loads reads every value back as the Python expression
// says (same repr, so same type: True is not 1), and pickletools finds
// no opcode beyond protocol 1 in it.
func TestPickleLoadsInPython(t *testing.T) {
	var in strings.Builder
	for _, c := range pickleCases {
		in.WriteString(c.python + "\t" + hex.EncodeToString(pickle.AppendStop(c.build(nil))) + "\n")
	}
	const script = `
import pickle, pickletools, sys, io
for line in sys.stdin.read().splitlines():
    expr, data = line.split("\t")
    data = bytes.fromhex(data)
    got, want = pickle.loads(data), eval(expr)
    out = io.StringIO()
    pickletools.dis(data, out=out)
    proto = int(out.getvalue().splitlines()[-1].rsplit(" ", 1)[1])
    print(repr(got) == repr(want), proto <= 1)
`
	out, _ := lltest.RunPythonInput(t, time.Minute, in.String(), script)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, len(pickleCases))
	for i, c := range pickleCases {
		assert.Equal(t, "True True", lines[i], c.python)
	}
}

// The forms CPython's pickler chooses for ints, byte for byte (from
// pickle.dumps(v, 1) without its memo opcodes).
func TestPickleIntForms(t *testing.T) {
	for v, want := range map[int64]string{
		5:        "K\x05",
		300:      "M\x2c\x01",
		-5:       "J\xfb\xff\xff\xff",
		1 << 40:  "L1099511627776L\n",
		-1 << 40: "L-1099511627776L\n",
	} {
		assert.Equal(t, want, string(pickle.AppendInt(nil, v)), v)
	}
}
