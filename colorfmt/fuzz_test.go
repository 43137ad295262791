package colorfmt

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// FuzzCompile: any format, datefmt and style compiles or is rejected with
// a FormatError (or a style error), never a panic; what compiles renders
// one line ending in "\n", and in one-line mode that line unescapes back
// to the multi-line rendering.
func FuzzCompile(f *testing.F) {
	f.Add(issueFormat, "", "%", true)
	f.Add("%(asctime)s %(levelname)-8s %(message)s", "%Y-%m-%d %H:%M:%S", "%", false)
	f.Add("{levelname:^10} {message!r}", "", "{", true)
	f.Add("$levelname ${message} $$", "", "$", true)
	f.Add("%(", "%", "%", false)
	f.Add("%(message)99999s", "%-", "x", true)
	f.Fuzz(func(t *testing.T, format, datefmt, style string, tokens bool) {
		opts := &Options{Datefmt: datefmt, Style: style, Tokens: tokens, Color: tokens}
		checkErr := Check(format, opts)
		enc, err := New(format, opts)
		if err != nil {
			require.Error(t, checkErr, "New refused what Check accepted")
			var fe *FormatError
			if !errors.As(err, &fe) {
				require.Contains(t, err.Error(), "colorfmt: style")
				return
			}
			require.GreaterOrEqual(t, fe.Column, 1)
			require.True(t, strings.HasPrefix(err.Error(), "colorfmt: "))
			return
		}
		require.NoError(t, checkErr, "Check refused what New accepted")
		ent := allocEntryFor("multi\nline \\ message\r")
		ent.Stack = "stack\nframes"
		fields := []zapcore.Field{zap.String("k", "v\nw"), zap.Int("n", 1)}
		buf, err := enc.EncodeEntry(ent, fields)
		require.NoError(t, err)
		plain := buf.String()
		buf.Free()
		require.True(t, strings.HasSuffix(plain, "\n"))

		opts.OneLine = true
		one, err := New(format, opts)
		require.NoError(t, err)
		buf, err = one.EncodeEntry(ent, fields)
		require.NoError(t, err)
		line := buf.String()
		buf.Free()
		require.True(t, strings.HasSuffix(line, "\n"))
		body := strings.TrimSuffix(line, "\n")
		assert.NotContains(t, body, "\n")
		assert.NotContains(t, body, "\r")
		back, err := Unescape(body)
		require.NoError(t, err)
		assert.Equal(t, strings.TrimSuffix(plain, "\n"), back)
	})
}

// FuzzEscape: Unescape(Escape(s)) == s, and the escaped form has no line
// breaks.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a\nb", `\n`, "\\", "\r\n\\\\", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		assert.NotContains(t, e, "\n")
		assert.NotContains(t, e, "\r")
		back, err := Unescape(e)
		require.NoError(t, err)
		assert.Equal(t, s, back)
	})
}
