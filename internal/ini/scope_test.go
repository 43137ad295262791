package ini

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInterpolation(t *testing.T) {
	tests := []struct {
		name, defaults, level string
		want                  string
		err                   string
	}{
		{"nested", "a=%(b)s\nb=%(c)s\nc=DEBUG", "%(a)s", "DEBUG", ""},
		{"escaped percent stays", "", "INFO%%", "INFO%", ""},
		{"reference from DEFAULT to section", "x=%(y)s", "%(x)s", "", "which is not a key of [logger_root]"},
		{"cycle", "a=%(b)s\nb=%(a)s", "%(a)s", "", "still holds %(...)s references after 10 substitutions"},
		{"empty name", "", "%()s", "", `bad reference "%()s"`},
		{"no s", "", "%(a)d", "", `bad reference "%(a)d"`},
		{"lone percent", "", "50%", "", `'%' must be followed by '%' or '(' in "50%", found "%"`},
		{"in DEFAULT", "level=%(nope)s", "", "", "(value from [DEFAULT])"},
		{"growth is bounded", "a=" + strings.Repeat("%(b)s", 10) + "\nb=" + strings.Repeat("%(c)s", 10) +
			"\nc=" + strings.Repeat("%(d)s", 10) + "\nd=" + strings.Repeat("%(e)s", 10) + "\ne=" + strings.Repeat("%(f)s", 10) +
			"\nf=" + strings.Repeat("x", 100), "%(a)s", "", "needs more than 30592 steps for a 414-byte config"},
		{"growth is bounded in a large file", "a=" + strings.Repeat("%(b)s", 20) + "\nb=" + strings.Repeat("x", 60000),
			"%(a)s", "", "the value grows beyond 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "[DEFAULT]\n" + tt.defaults + "\n[logger_root]\nhandlers=\n"
			if tt.level != "" {
				text += "level=" + tt.level + "\n"
			}
			doc, err := Read([]byte(text), "app.conf")
			require.NoError(t, err)
			v, ok, err := NewScope(doc, nil).Get(doc.Section("logger_root"), "level")
			require.True(t, ok)
			if tt.err == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, v.Text)
				return
			}
			assert.ErrorIs(t, err, ErrInterpolation)
			assert.ErrorContains(t, err, tt.err)
			var e *Error
			require.ErrorAs(t, err, &e)
			line := 1 + strings.Count(text[:strings.LastIndex(text, "level=")], "\n")
			assert.Equal(t, Error{File: "app.conf", Line: line, Section: "logger_root", Key: "level", Err: e.Err}, *e,
				"the error points at the line where the value is written")
		})
	}
}

func TestInterpolationTotalIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("[DEFAULT]\nbig=%(a)s%(a)s%(a)s%(a)s%(a)s%(a)s%(a)s%(a)s%(a)s%(a)s\na=" + strings.Repeat("x", 100000) + "\n")
	// A file large enough that the work budget (64 steps a byte) allows
	// more than 8 MiB.
	b.WriteString("pad=" + strings.Repeat("p", 100000) + "\n")
	for i := range 20 {
		fmt.Fprintf(&b, "[handler_h%d]\nclass=%%(big)s\n", i)
	}
	doc, err := Read([]byte(b.String()), "app.conf")
	require.NoError(t, err)
	sc := NewScope(doc, nil)
	for i, s := range doc.Sections {
		v, _, err := sc.Get(s, "class")
		if err != nil {
			assert.ErrorContains(t, err, "the file's values grow beyond 8388608 bytes in total")
			assert.Equal(t, 8, i, "eight values of 1,000,000 bytes fit in 8 MiB, not nine")
			return
		}
		assert.Len(t, v.Text, 1000000)
	}
	t.Fatal("twenty values of 1,000,000 bytes each passed the total bound")
}

func TestScopeLookupOrder(t *testing.T) {
	doc, err := Read([]byte(`[DEFAULT]
here = /from/file
pct = 100%
[s]
own = %(here)s/%(name)s
here = /from/section
bad = %(fmt)s
`), "app.conf")
	require.NoError(t, err)
	sc := NewScope(doc, map[string]string{"here": "/from/caller", "name": "app", "fmt": "%(asctime"})
	s := doc.Section("s")

	v, ok, err := sc.Get(s, "own")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, Value{Text: "/from/section/app", Key: s.Key("own")}, v, "the section, then [DEFAULT], then the caller")

	v, ok = sc.Raw(s, "pct")
	assert.True(t, ok)
	assert.Equal(t, Value{Text: "100%", Key: doc.Defaults.Key("pct"), From: "[DEFAULT]"}, v, "raw: no interpolation")
	v, ok = sc.Raw(s, "name")
	assert.True(t, ok)
	assert.Equal(t, Value{Text: "app", From: "the caller's defaults"}, v)
	_, ok, err = sc.Get(s, "nope")
	assert.False(t, ok)
	assert.NoError(t, err)

	_, _, err = sc.Get(s, "fmt")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 4, e.Line, "a caller default has no line: the error points at the section")
	assert.ErrorContains(t, err, `bad reference "%(asctime" in "%(asctime" (write %(name)s, or %% for a literal %) (value from the caller's defaults)`)
	_, _, err = sc.Get(s, "bad")
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 7, e.Line, "a value that refers to a bad one: its own line")
	assert.NotContains(t, err.Error(), "value from")
}
