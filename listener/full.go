package listener

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/livelog/livelog/internal/pylit"
	"github.com/livelog/livelog/logcfg"
)

// Caps on the formats of a config pushed under full reconfiguration: a
// format is rendered for every record.
const (
	MaxPushedFormat       = 4 << 10 // bytes of a format
	MaxPushedFormatFields = 64      // attributes a format names
)

// fileClasses are the handler classes whose first argument (or filename
// keyword) is a file to open.
var fileClasses = map[string]bool{
	"FileHandler": true, "RotatingFileHandler": true, "TimedRotatingFileHandler": true, "WatchedFileHandler": true,
}

// checkFull checks a config pushed under full reconfiguration: every file
// a handler would open lies under a root of WithFileRoots (none: no file
// at all), and every format is within the caps.
func (l *Listener) checkFull(cfg *logcfg.Config) error {
	for _, h := range cfg.Handlers {
		path, ok := handlerPath(h)
		if !ok {
			continue
		}
		if err := l.allowedFile(path); err != nil {
			return fmt.Errorf("listener: handler %q (%s) may not open %q from the network: %w",
				clip(h.Key, 64), clip(h.Class, 64), clip(path, 200), err)
		}
	}
	for _, f := range cfg.Formatters {
		if n := len(f.Format); n > MaxPushedFormat {
			return fmt.Errorf("listener: formatter %q: a format of %d bytes (limit %d for a pushed config)", clip(f.Key, 64), n, MaxPushedFormat)
		}
		if n := formatFields(f.Format, f.Style); n > MaxPushedFormatFields {
			return fmt.Errorf("listener: formatter %q: a format naming %d fields (limit %d for a pushed config)", clip(f.Key, 64), n, MaxPushedFormatFields)
		}
	}
	return nil
}

// handlerPath returns the file a handler would open: the filename keyword
// or the first argument, when it is a string, of a file handler class or
// of any class given one.
func handlerPath(h logcfg.HandlerConfig) (string, bool) {
	if v, ok := h.Kwargs["filename"]; ok && v.Kind == pylit.KindString {
		return v.Str, true
	}
	cls := h.Class[strings.LastIndex(h.Class, ".")+1:]
	if len(h.Args) > 0 && h.Args[0].Kind == pylit.KindString && (fileClasses[cls] || looksLikePath(h.Args[0].Str)) {
		return h.Args[0].Str, true
	}
	if fileClasses[cls] {
		return "", true // no file name: refused as well
	}
	return "", false
}

// looksLikePath tells a file argument of an unknown class: it has a path
// separator or a dot.
func looksLikePath(s string) bool {
	return strings.ContainsAny(s, `/\.`)
}

// errNoRoots is the reason a file is refused when no root is named.
var errNoRoots = errors.New("no file roots are configured (listener.WithFileRoots)")

// allowedFile reports whether path, cleaned and with its parent directory's
// symbolic links resolved, lies under one of the file roots.
func (l *Listener) allowedFile(path string) error {
	if len(l.o.fileRoots) == 0 {
		return errNoRoots
	}
	if path == "" || !filepath.IsAbs(path) {
		return errors.New("the path must be absolute")
	}
	clean := filepath.Clean(path)
	dir, base := filepath.Split(clean)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("its directory: %w", err)
	}
	full := filepath.Join(dir, base)
	for _, root := range l.o.fileRoots {
		if rel, err := filepath.Rel(root, full); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != "." {
			return nil
		}
	}
	return fmt.Errorf("it is not under a file root (%s)", strings.Join(l.o.fileRoots, ", "))
}

// formatFields counts the attributes a format names: "%(" for the "%"
// style, "{" for "{", "$" for "$".
func formatFields(format, style string) int {
	switch style {
	case "{":
		return strings.Count(format, "{")
	case "$":
		return strings.Count(format, "$")
	}
	return strings.Count(format, "%(")
}
