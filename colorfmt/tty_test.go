package colorfmt

import (
	"errors"
	"os"
	"runtime"
	"testing"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clearColorEnv leaves the colour variables empty for the test.
func clearColorEnv(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	t.Setenv("FORCE_COLOR", "")
	t.Setenv("TERM", "xterm-256color")
}

// openPTY opens a pseudo-terminal pair, closed at the end of the test, or
// skips the test where there are none (Windows).
func openPTY(t *testing.T) (ptmx, tty *os.File) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if errors.Is(err, pty.ErrUnsupported) {
		t.Skipf("no pseudo-terminals on %s", runtime.GOOS)
	}
	require.NoError(t, err)
	t.Cleanup(func() {
		ptmx.Close()
		tty.Close()
	})
	return ptmx, tty
}

func TestShouldColorTerminalAndPipe(t *testing.T) {
	clearColorEnv(t)
	_, tty := openPTY(t)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer devnull.Close()

	assert.True(t, ShouldColor(ColorAuto, tty), "pty")
	assert.False(t, ShouldColor(ColorAuto, w), "pipe")
	assert.False(t, ShouldColor(ColorAuto, devnull), "/dev/null is a character device, not a terminal")
	assert.False(t, ShouldColor(ColorAuto, nil), "nil file")

	assert.True(t, ShouldColor(ColorAlways, w), "always wins over a pipe")
	assert.True(t, ShouldColor(ColorAlways, nil))
	assert.False(t, ShouldColor(ColorNever, tty), "never wins over a terminal")

	t.Setenv("NO_COLOR", "1")
	assert.False(t, ShouldColor(ColorAuto, tty), "NO_COLOR on a terminal")
	assert.True(t, ShouldColor(ColorAlways, tty), "always wins over NO_COLOR")

	t.Setenv("NO_COLOR", "")
	t.Setenv("FORCE_COLOR", "1")
	assert.True(t, ShouldColor(ColorAuto, w), "FORCE_COLOR on a pipe")
	assert.True(t, ShouldColor(ColorAuto, nil), "FORCE_COLOR without a file")
	assert.False(t, ShouldColor(ColorNever, w), "never wins over FORCE_COLOR")

	t.Setenv("NO_COLOR", "1")
	assert.False(t, ShouldColor(ColorAuto, tty), "NO_COLOR wins over FORCE_COLOR, as in Python 3.13")

	t.Setenv("NO_COLOR", "")
	t.Setenv("FORCE_COLOR", "")
	t.Setenv("TERM", "dumb")
	assert.False(t, ShouldColor(ColorAuto, tty), "TERM=dumb")
}

// TestShouldColorClosedFile: a closed file is no terminal and asking does
// not panic.
func TestShouldColorClosedFile(t *testing.T) {
	clearColorEnv(t)
	_, tty := openPTY(t)
	require.NoError(t, tty.Close())
	assert.False(t, ShouldColor(ColorAuto, tty))
}

// TestColorOnTerminalEndToEnd writes a coloured record through a real
// pseudo-terminal and reads the escape sequences back on the other side.
func TestColorOnTerminalEndToEnd(t *testing.T) {
	clearColorEnv(t)
	ptmx, tty := openPTY(t)
	enc := MustNew("$COLOR%(levelname)s$RESET %(message)s", &Options{Tokens: true, Color: ShouldColor(ColorAuto, tty)})
	ent := allocEntryFor("hello")
	buf, err := enc.EncodeEntry(ent, nil)
	require.NoError(t, err)
	_, err = tty.Write(buf.Bytes())
	buf.Free()
	require.NoError(t, err)
	got := make([]byte, 0, 64)
	want := "\x1b[32mINFO\x1b[0m hello"
	for len(got) < len(want) {
		p := make([]byte, 64)
		n, err := ptmx.Read(p)
		require.NoError(t, err)
		got = append(got, p[:n]...)
	}
	assert.Equal(t, want, string(got[:len(want)]))
}

func TestParseColorMode(t *testing.T) {
	for in, want := range map[string]ColorMode{"": ColorAuto, "auto": ColorAuto, "ALWAYS": ColorAlways, " Never ": ColorNever} {
		got, err := ParseColorMode(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		if in != "" {
			round, err := ParseColorMode(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, round)
		}
	}
	_, err := ParseColorMode("sometimes")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `colorfmt: colour mode "sometimes"`)
	assert.Equal(t, "ColorMode(7)", ColorMode(7).String())
}
