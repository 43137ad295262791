package colorfmt

import (
	"fmt"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

// ColorMode says when an encoder colours its output.
type ColorMode int

const (
	// ColorAuto colours when the output is a terminal and the environment
	// does not say otherwise (see [ShouldColor]). It is the zero value.
	ColorAuto ColorMode = iota
	// ColorAlways always colours, whatever the output and environment.
	ColorAlways
	// ColorNever never colours.
	ColorNever
)

// String returns "auto", "always" or "never".
func (m ColorMode) String() string {
	switch m {
	case ColorAlways:
		return "always"
	case ColorNever:
		return "never"
	case ColorAuto:
		return "auto"
	}
	return fmt.Sprintf("ColorMode(%d)", int(m))
}

// ParseColorMode reads "auto", "always" or "never", in any case; "" is
// auto.
func ParseColorMode(s string) (ColorMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return ColorAuto, nil
	case "always":
		return ColorAlways, nil
	case "never":
		return ColorNever, nil
	}
	return ColorAuto, fmt.Errorf("colorfmt: colour mode %q: want auto, always or never", s)
}

// ShouldColor decides whether output to f gets colour. ColorAlways and
// ColorNever win over everything. In ColorAuto, in this order:
//   - NO_COLOR set to anything but "" turns colour off (https://no-color.org);
//   - FORCE_COLOR set to anything but "" turns it on;
//   - TERM=dumb turns it off;
//   - otherwise colour is on when f is a terminal, asked with the
//     terminal ioctl (go-isatty), so that /dev/null, a character device
//     but no terminal, gets none. A nil f gets none.
//
// Asking does not change f (unlike f.Fd, it leaves non-blocking files
// non-blocking).
func ShouldColor(mode ColorMode, f *os.File) bool {
	switch mode {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	if os.Getenv("FORCE_COLOR") != "" {
		return true
	}
	if os.Getenv("TERM") == "dumb" || f == nil {
		return false
	}
	return isTerminal(f)
}

func isTerminal(f *os.File) bool {
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	tty := false
	if err := rc.Control(func(fd uintptr) { tty = isatty.IsTerminal(fd) }); err != nil {
		return false
	}
	return tty
}
