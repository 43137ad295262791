package logcfg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func fmtEntry() zapcore.Entry {
	return zapcore.Entry{
		Level:      zapcore.WarnLevel,
		Time:       time.Date(2026, 11, 22, 8, 49, 45, 896_000_000, time.UTC),
		LoggerName: "app.db",
		Message:    "slow query",
		Caller:     zapcore.EntryCaller{Defined: true, File: "/src/app/db/query.go", Line: 42, Function: "example.com/app/db.(*Conn).Query"},
	}
}

func encode(t *testing.T, class string, f *FormatterConfig, out *os.File) string {
	t.Helper()
	fc, err := NewRegistry().FormatterClass(class)
	require.NoError(t, err)
	require.NoError(t, fc.Check(f))
	enc, err := fc.New(f, out)
	require.NoError(t, err)
	buf, err := enc.EncodeEntry(fmtEntry(), []zapcore.Field{zap.Int("rows", 3)})
	require.NoError(t, err)
	defer buf.Free()
	return buf.String()
}

func TestFormatterClassesFound(t *testing.T) {
	for _, name := range []string{"", "Formatter", "logging.Formatter", "ColorFormatter", "logging.ColorFormatter",
		"livelog.ColorFormatter", "JSONFormatter", "livelog.JSONFormatter"} {
		_, err := NewRegistry().FormatterClass(name)
		assert.NoError(t, err, name)
	}
	_, err := NewRegistry().FormatterClass("livelog.NoSuchFormatter")
	assert.ErrorIs(t, err, ErrUnknownClass)
}

func TestPlainFormatterKeepsDollarText(t *testing.T) {
	f := &FormatterConfig{Key: "plain", Format: "$RED%(levelname)-8s %(name)s: %(message)s", Style: "%", Extra: map[string]string{"color": "always"}}
	got := encode(t, "logging.Formatter", f, nil)
	assert.Equal(t, "$REDWARNING  app.db: slow query rows=3\n", got)
}

func TestColorFormatterColourModes(t *testing.T) {
	format := "$COLOR%(levelname)s$RESET %(message)s"
	for _, tc := range []struct {
		color string
		want  string
	}{
		{"always", "\x1b[33mWARNING\x1b[0m slow query rows=3\n"},
		{"never", "WARNING slow query rows=3\n"},
		{"", "WARNING slow query rows=3\n"}, // auto, and the output is not a terminal
		{"AUTO", "WARNING slow query rows=3\n"},
	} {
		f := &FormatterConfig{Key: "c", Format: format, Extra: map[string]string{"color": tc.color}}
		assert.Equal(t, tc.want, encode(t, "ColorFormatter", f, nil), "color=%q", tc.color)
	}
}

func TestColorFormatterAutoOnFile(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	t.Setenv("FORCE_COLOR", "")
	file, err := os.Create(filepath.Join(t.TempDir(), "log"))
	require.NoError(t, err)
	defer file.Close()
	f := &FormatterConfig{Key: "c", Format: "$COLOR%(levelname)s$RESET %(message)s", Extra: map[string]string{}}
	assert.Equal(t, "WARNING slow query rows=3\n", encode(t, "livelog.ColorFormatter", f, file))
	t.Setenv("FORCE_COLOR", "1")
	assert.Equal(t, "\x1b[33mWARNING\x1b[0m slow query rows=3\n", encode(t, "livelog.ColorFormatter", f, file))
}

func TestFormatterOneLine(t *testing.T) {
	for _, v := range []string{"true", "1", "yes", "On"} {
		f := &FormatterConfig{Key: "o", Format: "%(message)s|%(module)s", Extra: map[string]string{"oneline": v}}
		fc, err := NewRegistry().FormatterClass("Formatter")
		require.NoError(t, err)
		enc, err := fc.New(f, nil)
		require.NoError(t, err)
		ent := fmtEntry()
		ent.Message = "line1\nline2"
		buf, err := enc.EncodeEntry(ent, nil)
		require.NoError(t, err)
		assert.Equal(t, `line1\nline2|query`+"\n", buf.String(), "oneline=%q", v)
		buf.Free()
	}
}

func TestFormatterBadExtra(t *testing.T) {
	for _, tc := range []struct{ key, value string }{{"color", "sometimes"}, {"oneline", "maybe"}} {
		for _, class := range []string{"Formatter", "ColorFormatter", "JSONFormatter"} {
			f := &FormatterConfig{Key: "bad", Format: "%(message)s", Extra: map[string]string{tc.key: tc.value}}
			fc, err := NewRegistry().FormatterClass(class)
			require.NoError(t, err)
			err = fc.Check(f)
			require.Error(t, err, "%s %s=%s", class, tc.key, tc.value)
			assert.ErrorIs(t, err, ErrBadFormat)
			assert.Contains(t, err.Error(), tc.value)
			var e *Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, tc.key, e.Key)
			_, err = fc.New(f, nil)
			assert.ErrorIs(t, err, ErrBadFormat)
		}
	}
}

func TestFormatterBadFormatNamesColumn(t *testing.T) {
	fc, err := NewRegistry().FormatterClass("ColorFormatter")
	require.NoError(t, err)
	f := &FormatterConfig{Key: "form1", Format: "%(asctime)s %(levelnam)s", Extra: map[string]string{}}
	err = fc.Check(f)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrBadFormat)
	assert.Contains(t, err.Error(), `formatter "form1"`)
	assert.Contains(t, err.Error(), "column 13")
	assert.Contains(t, err.Error(), `unknown attribute "levelnam"`)
	var e *Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "format", e.Key)

	f = &FormatterConfig{Key: "form2", Format: "%(asctime)s", Datefmt: "%H:%M:%Q", HasDatefmt: true, Extra: map[string]string{}}
	err = fc.Check(f)
	require.ErrorIs(t, err, ErrBadFormat)
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "datefmt", e.Key)
	assert.Contains(t, err.Error(), "column 7")
}

func TestFormatterStylesAndDefaults(t *testing.T) {
	f := &FormatterConfig{Key: "b", Format: "{levelname:<8}|{message}", Style: "{", Extra: map[string]string{}}
	assert.Equal(t, "WARNING |slow query rows=3\n", encode(t, "Formatter", f, nil))
	f = &FormatterConfig{Key: "d", Format: "$levelname $message", Style: "$", Extra: map[string]string{}}
	assert.Equal(t, "WARNING slow query rows=3\n", encode(t, "Formatter", f, nil))
	f = &FormatterConfig{Key: "e", Style: "$", Extra: map[string]string{}}
	assert.Equal(t, "slow query rows=3\n", encode(t, "Formatter", f, nil))
	f = &FormatterConfig{Key: "t", Format: "%(asctime)s %(message)s", Datefmt: "%d/%b/%Y %H:%M", HasDatefmt: true, Extra: map[string]string{}}
	assert.Equal(t, "22/Nov/2026 08:49 slow query rows=3\n", encode(t, "Formatter", f, nil))
}

func TestJSONFormatter(t *testing.T) {
	f := &FormatterConfig{Key: "j", Format: "%(message)s", Extra: map[string]string{}}
	got := encode(t, "livelog.JSONFormatter", f, nil)
	assert.True(t, strings.HasSuffix(got, "\n"))
	assert.JSONEq(t, `{"time":"2026-11-22T08:49:45.896Z","levelname":"WARNING","name":"app.db","message":"slow query",
		"caller":"db/query.go:42","funcName":"example.com/app/db.(*Conn).Query","rows":3}`, got)
}

func TestFormatterDefaultsKey(t *testing.T) {
	f := &FormatterConfig{Key: "f", Format: "%(message)s ++ %(customfield)s ++ %(n)s", Style: "%",
		Extra: map[string]string{"defaults": `{"customfield": "defaultvalue", "n": 3}`}}
	assert.Equal(t, "slow query rows=3 ++ defaultvalue ++ 3\n", encode(t, "Formatter", f, nil))

	// Without defaults the unknown attribute is a load-time error naming it.
	f.Extra = map[string]string{}
	fc, err := NewRegistry().FormatterClass("Formatter")
	require.NoError(t, err)
	err = fc.Check(f)
	require.ErrorIs(t, err, ErrBadFormat)
	assert.Contains(t, err.Error(), "customfield")

	for _, bad := range []string{`["customfield"]`, `{"x": (1, 2)}`, `{"x": open()}`} {
		f.Extra = map[string]string{"defaults": bad}
		err := fc.Check(f)
		require.ErrorIs(t, err, ErrBadFormat, bad)
		assert.Contains(t, err.Error(), "defaults", bad)
	}
}
