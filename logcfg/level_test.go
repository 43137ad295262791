package logcfg

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/livelog/livelog/internal/ini"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

func TestLevelMapping(t *testing.T) {
	for _, tt := range []struct {
		name   string
		level  zapcore.Level
		number int
		canon  string
	}{
		{"NOTSET", NotSet, 0, "NOTSET"},
		{"DEBUG", zapcore.DebugLevel, 10, "DEBUG"},
		{"INFO", zapcore.InfoLevel, 20, "INFO"},
		{"WARNING", zapcore.WarnLevel, 30, "WARNING"},
		{"WARN", zapcore.WarnLevel, 30, "WARNING"},
		{"ERROR", zapcore.ErrorLevel, 40, "ERROR"},
		{"CRITICAL", Critical, 50, "CRITICAL"},
		{"FATAL", Critical, 50, "CRITICAL"},
		{" INFO ", zapcore.InfoLevel, 20, "INFO"},
	} {
		l, err := ParseLevel(tt.name)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.level, l, tt.name)
		assert.Equal(t, tt.canon, LevelName(l), tt.name)
		assert.Equal(t, tt.number, levelNumber(l), tt.name)
		back, err := levelFromNumber(tt.number)
		require.NoError(t, err)
		assert.Equal(t, tt.level, back, tt.number)
	}
	// zap's levels above DPanic are CRITICAL too; CRITICAL is DPanic, never Panic or Fatal.
	assert.Equal(t, "CRITICAL", LevelName(zapcore.FatalLevel))
	assert.Equal(t, zapcore.DPanicLevel, Critical)
}

func TestLevelErrors(t *testing.T) {
	for _, bad := range []string{"debug", "VERBOSE", "", "10"} {
		_, err := ParseLevel(bad)
		require.ErrorIs(t, err, ErrBadLevel, bad)
		assert.Contains(t, err.Error(), "want DEBUG, INFO, WARNING, ERROR, CRITICAL or NOTSET")
	}
	for _, n := range []int{-10, 5, 15, 60} {
		_, err := levelFromNumber(n)
		require.ErrorIs(t, err, ErrBadLevel, n)
	}
	// A hostile value is not echoed whole.
	_, err := ParseLevel(strings.Repeat("é", 1<<19))
	require.ErrorIs(t, err, ErrBadLevel)
	assert.Less(t, len(err.Error()), 200)
	assert.Contains(t, err.Error(), "(1048576 bytes)")
}

func TestTooManySections(t *testing.T) {
	var b strings.Builder
	b.WriteString("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nhandlers=\n")
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString("[s")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(strconv.Itoa(i))
		b.WriteString("]\n")
	}
	_, err := Parse(strings.NewReader(b.String()), "big.ini")
	require.Error(t, err)
	var pe *Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, "big.ini", pe.File)
	assert.Contains(t, err.Error(), "more than 10000 sections")

	// A config just under the cap still loads.
	var ok strings.Builder
	ok.WriteString("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nhandlers=\n")
	for i := 0; i < ini.MaxSections-4; i++ {
		ok.WriteString("[extra" + strconv.Itoa(i) + "]\n")
	}
	cfg, err := Parse(strings.NewReader(ok.String()), "ok.ini")
	require.NoError(t, err)
	assert.Len(t, cfg.Loggers, 1)
}
