package logcfg

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/ini"
)

// countWork is a ParseOption that receives an INI parse's work: bytes
// read, interpolation steps and items the checks visited.
type countWork struct{ n *int }

func (c countWork) applyParseOption(o *parseOptions) { o.work = c.n }

// workPerByte bounds a parse's work per input byte: the interpolation's
// own budget (ini.WorkPerByte), one for reading, and the list checks'
// items (at most one per byte of the list's text, counted twice: once
// when split, once when checked).
const workPerByte = ini.WorkPerByte + 4

// parseWork parses data and returns its work and error.
func parseWork(t *testing.T, data string) (int, error) {
	t.Helper()
	var n int
	_, err := Parse(strings.NewReader(data), "bounds.conf", countWork{&n})
	require.Greater(t, n, 0, "the parse reported no work")
	if err != nil {
		assert.LessOrEqual(t, len(err.Error()), MaxErrorText, "error text")
	}
	return n, err
}

// assertLinear checks that work stays within workPerByte per byte plus
// the interpolation's base.
func assertLinear(t *testing.T, work, size int) {
	t.Helper()
	assert.LessOrEqual(t, work, workPerByte*size+ini.WorkBase, "work %d for %d bytes (%.1f per byte)", work, size, float64(work)/float64(size))
}

// bomb is ten [DEFAULT] keys that each reference the next one k times,
// the last one empty: k⁹ lookups that produce nothing, read by the root
// logger's level.
func bomb(k int) string {
	var b strings.Builder
	b.WriteString("[DEFAULT]\n")
	for i := 0; i < 9; i++ {
		fmt.Fprintf(&b, "k%d = %s\n", i, strings.Repeat(fmt.Sprintf("%%(k%d)s", i+1), k))
	}
	b.WriteString("k9 =\n")
	b.WriteString("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=%(k0)sINFO\nhandlers=\n")
	return b.String()
}

// TestBoundsInterpolationBomb: the bomb of the hardening issue (k = 2 ...
// 6, depth 10) costs at most the budget; the small ones that fit it parse
// as Python reads them, the others fail naming the budget.
func TestBoundsInterpolationBomb(t *testing.T) {
	for k := 2; k <= 6; k++ {
		t.Run(fmt.Sprint("k=", k), func(t *testing.T) {
			data := bomb(k)
			work, err := parseWork(t, data)
			assertLinear(t, work, len(data))
			t.Logf("%d bytes: %d steps (budget %d)", len(data), work, ini.WorkPerByte*len(data)+ini.WorkBase)
			if k == 2 {
				// 2⁹ = 512 lookups fit the budget: read as Python does.
				assert.NoError(t, err)
				return
			}
			// 3⁹ = 19,683 lookups and more do not (Python would take
			// them; livelog is stricter, see ini.WorkPerByte).
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInterpolation)
			assert.Contains(t, err.Error(), "steps for a")
		})
	}
}

// TestBoundsLists: keys=, handlers= and sections by the thousand cost
// work linear in the input, duplicates and unknown names included; the
// warnings they cause are capped.
func TestBoundsLists(t *testing.T) {
	head := "[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=INFO\nhandlers=\n"
	cases := map[string]func(n int) string{
		// every name twice, each with its section: n duplicate warnings.
		"keys twice": func(n int) string {
			var b strings.Builder
			b.WriteString("[loggers]\nkeys=root")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, ",l%d,l%d", i, i)
			}
			b.WriteString("\n" + head)
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "[logger_l%d]\nhandlers=\nqualname=app.l%d\n", i, i)
			}
			return b.String()
		},
		// names without sections: n errors, ten listed.
		"keys without sections": func(n int) string {
			var b strings.Builder
			b.WriteString("[loggers]\nkeys=root")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, ",l%d", i)
			}
			return b.String() + "\n" + head
		},
		// a handlers= list naming n handlers that are not listed.
		"handlers unknown": func(n int) string {
			var b strings.Builder
			b.WriteString("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=INFO\nhandlers=")
			for i := 0; i < n; i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "h%d", i)
			}
			return b.String() + "\n"
		},
		// n sections no keys= lists: n warnings.
		"unlisted sections": func(n int) string {
			var b strings.Builder
			b.WriteString("[loggers]\nkeys=root\n" + head)
			for i := 0; i < n; i++ {
				fmt.Fprintf(&b, "[extra%d]\nx=1\n", i)
			}
			return b.String()
		},
	}
	for name, gen := range cases {
		t.Run(name, func(t *testing.T) {
			var perByte []float64
			sizes := []int{1000, 10000, 100000}
			if name == "keys twice" || name == "unlisted sections" {
				// One section per item: under the reader's cap of 10,000
				// sections (a file over it is refused before indexing).
				sizes = []int{1000, 3000, 9000}
			}
			for _, n := range sizes {
				data := gen(n)
				var work int
				cfg, err := Parse(strings.NewReader(data), "bounds.conf", countWork{&work})
				require.Greater(t, work, 0, "the parse reported no work")
				assertLinear(t, work, len(data))
				perByte = append(perByte, float64(work)/float64(len(data)))
				if err != nil {
					assert.LessOrEqual(t, len(err.Error()), MaxErrorText)
					assert.LessOrEqual(t, bytes.Count([]byte(err.Error()), []byte("\n")), 11, "problems listed")
					continue
				}
				assert.LessOrEqual(t, len(cfg.Warnings), maxWarnings+1)
				if len(cfg.Warnings) > maxWarnings {
					assert.Contains(t, cfg.Warnings[maxWarnings].Msg, "more warnings")
				}
			}
			t.Logf("work per byte at %v items: %.2f", sizes, perByte)
			// The work per byte does not grow with the size.
			assert.LessOrEqual(t, perByte[2], perByte[0]*1.25+0.5, "work per byte at %v items: %v", sizes, perByte)
		})
	}
}

// TestCappedError: an error whose text passes MaxErrorText is cut there,
// says how long it was, and keeps its chain for errors.Is and errors.As.
func TestCappedError(t *testing.T) {
	big := &Error{File: "big.conf", Line: 3, Err: fmt.Errorf("%w: %s", ErrBadLevel, strings.Repeat("é", MaxErrorText))}
	err := joinErrors([]error{big})
	assert.LessOrEqual(t, len(err.Error()), MaxErrorText)
	assert.Contains(t, err.Error(), fmt.Sprintf("(%d bytes in all, cut at %d)", len(big.Error()), MaxErrorText))
	assert.ErrorIs(t, err, ErrBadLevel)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 3, e.Line)
	assert.True(t, strings.HasPrefix(err.Error(), "logcfg: big.conf:3: "))

	small := &Error{File: "small.conf", Err: ErrBadLevel}
	assert.Same(t, small, joinErrors([]error{small}), "a short error is returned as it is")
}
