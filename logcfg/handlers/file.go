package handlers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
)

// fileArgs are a file handler's checked arguments.
type fileArgs struct {
	name     string
	appendTo bool
	// exclusive: mode 'x', the file must not exist yet (O_EXCL).
	exclusive bool
	maxBytes  int64
	backups   int
}

func fileArgsOf(sig signature, a Args) (fileArgs, error) {
	got, err := sig.bind(a)
	if err != nil {
		return fileArgs{}, err
	}
	fa := fileArgs{appendTo: true}
	truncate := false
	if v := got["filename"]; v.Kind != pylit.KindString || v.Str == "" {
		return fa, fmt.Errorf("%w: %s filename must be a non-empty string, not %s", ErrBadArgs, sig.class, pylit.Describe(v))
	} else {
		fa.name = v.Str
	}
	if v, ok := got["mode"]; ok {
		if v.Kind != pylit.KindString {
			return fa, fmt.Errorf("%w: %s mode must be a string such as 'a' or 'w', not %s", ErrBadArgs, sig.class, pylit.Describe(v))
		}
		m, err := textMode(v.Str)
		if err != nil {
			return fa, fmt.Errorf("%w: %s mode %q: %s", ErrBadArgs, sig.class, clip(v.Str), err)
		}
		truncate, fa.exclusive = m == 'w', m == 'x'
	}
	if v, ok := got["encoding"]; ok && v.Kind != pylit.KindNone {
		if v.Kind != pylit.KindString || !isUTF8Name(v.Str) {
			return fa, fmt.Errorf("%w: %s encoding must be 'utf-8' (livelog writes UTF-8), not %s", ErrBadArgs, sig.class, pylit.Describe(v))
		}
	}
	// delay is read for its truth, as Python's "if delay:" does: any
	// value is taken (livelog opens files when the config is applied).
	if v, ok := got["errors"]; ok && v.Kind != pylit.KindNone && v.Kind != pylit.KindString {
		return fa, fmt.Errorf("%w: %s errors must be a string, not %s", ErrBadArgs, sig.class, pylit.Describe(v))
	}
	if v, ok := got["maxBytes"]; ok {
		// Python rotates only when maxBytes > 0: 0 and below never rotate.
		if v.Kind != pylit.KindInt && v.Kind != pylit.KindBool {
			return fa, fmt.Errorf("%w: %s maxBytes must be a whole number, not %s", ErrBadArgs, sig.class, pylit.Describe(v))
		}
		fa.maxBytes = max(v.Int, 0)
	}
	if v, ok := got["backupCount"]; ok {
		switch {
		case v.Kind == pylit.KindInt || v.Kind == pylit.KindBool:
			fa.backups = int(min(max(v.Int, 0), 1<<20))
		case fa.maxBytes > 0:
			// Python's constructor keeps it, then fails at the first
			// rollover ('>' between str and int) and on every record after.
			return fa, fmt.Errorf("%w: %s backupCount must be a whole number, not %s "+
				"(Python takes it, then fails at its first rollover)", ErrBadArgs, sig.class, pylit.Describe(v))
		}
		// Any other backupCount of a file that never rotates is never read,
		// in Python as here.
	}
	// As in Python, a rotating file is always appended to (its mode is
	// then 'a', whatever the config says).
	fa.appendTo = !truncate || fa.maxBytes > 0
	fa.exclusive = fa.exclusive && fa.maxBytes <= 0
	return fa, nil
}

// textMode reads a mode as Python's open() takes it for a text file that
// is written: one of 'a' (append), 'w' (truncate) or 'x' (create; the file
// must not exist), optionally with 't' (text, the default) and '+' (also
// read, which a handler never does), each at most once, in any order, as
// open() parses modes. It returns 'a', 'w' or 'x'. A binary mode ('b') is
// refused: a handler writes text. 'r' is refused: Python opens the file
// for reading and then fails on every record; so is 'r+', with which Python
// overwrites an existing file from its start.
func textMode(mode string) (byte, error) {
	var kind byte
	seen := map[rune]bool{}
	for _, c := range mode {
		if seen[c] {
			return 0, fmt.Errorf("%q appears twice (Python's open() raises ValueError)", c)
		}
		seen[c] = true
		switch c {
		case 'a', 'w', 'x':
			if kind != 0 {
				return 0, fmt.Errorf("at most one of a, w and x (Python's open() raises ValueError)")
			}
			kind = byte(c)
		case 't', '+':
		case 'b':
			return 0, fmt.Errorf("binary modes are not supported, text modes only (a, w, x, with t or +)")
		case 'r':
			return 0, fmt.Errorf("'r' opens the file for reading, or with '+' writes over it from its start; a handler appends (a), truncates (w) or creates (x)")
		default:
			return 0, fmt.Errorf("%q is not a mode character (Python's open() raises ValueError; use a, w or x, with t or +)", c)
		}
	}
	if kind == 0 {
		return 0, fmt.Errorf("one of a, w and x is needed (Python's open() raises ValueError)")
	}
	return kind, nil
}

// isUTF8Name says whether Python's codecs.lookup finds UTF-8 under name:
// the name is lower-cased and normalised as encodings.normalize_encoding
// does (every run of characters other than letters, digits and '.' becomes
// one '_', none at either end), and is then "utf_8" or one of its aliases
// (also with '.' read as '_'), as encodings.search_function resolves it.
func isUTF8Name(name string) bool {
	var b strings.Builder
	punct := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' {
			if punct && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			punct = false
			continue
		}
		punct = true
	}
	n := b.String()
	return n == "utf_8" || utf8Aliases[n] || utf8Aliases[strings.ReplaceAll(n, ".", "_")]
}

// utf8Aliases are the names encodings.aliases maps to utf_8 (the module
// name itself matches only as is).
var utf8Aliases = map[string]bool{"utf8": true, "u8": true, "utf": true, "utf8_ucs2": true, "utf8_ucs4": true, "cp65001": true}

func checkFile(sig signature) func(Args) error {
	return func(a Args) error { _, err := fileArgsOf(sig, a); return err }
}

func openFile(sig signature, watched bool) func(Args, EncoderFunc) (Output, error) {
	return func(a Args, newEnc EncoderFunc) (Output, error) {
		fa, err := fileArgsOf(sig, a)
		if err != nil {
			return Output{}, err
		}
		fw, err := openFileWriter(fa, watched)
		if err != nil {
			return Output{}, err
		}
		return writerOutput(fw, newEnc)
	}
}

// writerOutput is the output of a file handler over fw, which it closes
// if the encoder cannot be made.
func writerOutput(fw *fileWriter, newEnc EncoderFunc) (Output, error) {
	enc, err := newEnc(nil)
	if err != nil {
		_ = fw.Close()
		return Output{}, err
	}
	return Output{Core: NewCore(enc, fw), Close: fw.Close}, nil
}

// fileWriter is a file handler's sink: one write call per record, under a
// mutex, with rotation and watching as configured.
type fileWriter struct {
	mu      sync.Mutex
	fa      fileArgs
	watched bool
	f       *os.File // nil after Close, or when reopening failed
	closed  bool
	size    int64
	info    os.FileInfo // of the open file, for os.SameFile
	regular bool        // only a regular file is rotated
	// torn: the last record was cut short (a full disk, a file size
	// limit), so the file ends in a fragment without its newline; the
	// next record starts on a line of its own.
	torn bool
	// timed, when set, rotates by time instead of size
	// (TimedRotatingFileHandler).
	timed *timedRoller
}

func openFileWriter(fa fileArgs, watched bool) (*fileWriter, error) {
	fw := &fileWriter{fa: fa, watched: watched}
	flags := os.O_TRUNC
	switch {
	case fa.exclusive:
		flags = os.O_EXCL
	case fa.appendTo:
		flags = os.O_APPEND
	}
	if err := fw.openFlags(flags); err != nil {
		return nil, err
	}
	return fw, nil
}

// reopen opens the file again after a rotation, a move or a failure: it
// always appends, whatever the mode, so the file the handler writes to is
// never emptied or refused after the first open.
func (fw *fileWriter) reopen() error { return fw.openFlags(os.O_APPEND) }

// openFlags opens the file write-only, created if missing (with mode 0666
// less the umask, as Python does), with extra flags: os.O_APPEND,
// os.O_TRUNC or os.O_EXCL (mode 'x': the file must not exist; it is then
// written from its start, as Python's 'x' does), and records its size and
// identity.
func (fw *fileWriter) openFlags(extra int) error {
	flags := os.O_CREATE | os.O_WRONLY | extra
	f, err := os.OpenFile(fw.fa.name, flags, 0o666)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return err
	}
	fw.f, fw.size, fw.regular, fw.info = f, st.Size(), st.Mode().IsRegular(), st
	return nil
}

func (fw *fileWriter) WriteRecord(_ zapcore.Entry, p []byte) error {
	_, err := fw.Write(p)
	return err
}

// Write writes p as one record. A record the file takes only in part
// (disk full) leaves a fragment: the next record is then written after a
// newline, so it is whole and on its own line, never glued to the
// fragment. Lost and torn records are errors, which the tree counts.
func (fw *fileWriter) Write(p []byte) (int, error) {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.closed {
		return 0, fmt.Errorf("logcfg: write to %s after its handler was closed", fw.fa.name)
	}
	if fw.f == nil {
		// A reopen failed before (directory gone, disk full): try again.
		if err := fw.reopen(); err != nil {
			return 0, err
		}
	}
	if fw.watched {
		fw.reopenIfMoved()
	}
	var rotateErr error
	if fw.shouldRotate(len(p)) {
		if rotateErr = fw.rotate(); fw.f == nil {
			return 0, rotateErr
		}
	}
	if fw.torn {
		n, err := fw.f.Write([]byte{'\n'})
		fw.size += int64(n)
		if err != nil {
			return 0, fmt.Errorf("logcfg: %s: record lost: %w", filepath.Base(fw.fa.name), err)
		}
		fw.torn = false
	}
	n, err := fw.f.Write(p)
	fw.size += int64(n)
	switch {
	case err != nil && n > 0:
		fw.torn = true
		return n, fmt.Errorf("logcfg: %s: record torn after %d of %d bytes: %w", filepath.Base(fw.fa.name), n, len(p), err)
	case err != nil:
		return 0, fmt.Errorf("logcfg: %s: record lost: %w", filepath.Base(fw.fa.name), err)
	}
	return n, rotateErr
}

// shouldRotate is Python's RotatingFileHandler.shouldRollover: the record
// would bring the file to maxBytes or beyond. As in Python (bpo-45401),
// only a regular file is rotated: a handler on /dev/null, a FIFO or a
// terminal must never rename it. Unlike Python, a record larger than
// maxBytes on its own does not rotate an empty file (Python would make an
// empty backup for it every time).
func (fw *fileWriter) shouldRotate(n int) bool {
	if fw.timed != nil {
		return fw.timed.due()
	}
	return fw.regular && fw.fa.maxBytes > 0 && fw.fa.backups > 0 && fw.size > 0 && fw.size+int64(n) >= fw.fa.maxBytes
}

// reopenIfMoved reopens the file when its path no longer names the file we
// hold (moved or removed by logrotate), as Python's WatchedFileHandler
// does before every record. The stat costs a system call and one small
// allocation per record.
func (fw *fileWriter) reopenIfMoved() {
	if st, err := os.Stat(fw.fa.name); err == nil && os.SameFile(st, fw.info) {
		return
	}
	old := fw.f
	if err := fw.reopen(); err != nil {
		return // keep writing to the old file rather than lose lines
	}
	_ = old.Close()
}

// rotate renames name.(i) to name.(i+1) down to name → name.1, as Python's
// RotatingFileHandler.doRollover, then opens a fresh file. If a rename
// fails the file is reopened all the same, so logging goes on.
func (fw *fileWriter) rotate() error {
	if fw.timed != nil {
		return fw.timed.rotate(fw)
	}
	if err := fw.f.Close(); err != nil {
		fw.f = nil
		return err
	}
	fw.f = nil
	name := fw.fa.name
	for i := fw.fa.backups - 1; i > 0; i-- {
		src := fmt.Sprintf("%s.%d", name, i)
		if _, err := os.Stat(src); err == nil {
			_ = os.Rename(src, fmt.Sprintf("%s.%d", name, i+1))
		}
	}
	renameErr := os.Rename(name, name+".1")
	if errors.Is(renameErr, os.ErrNotExist) {
		renameErr = nil
	}
	if err := fw.reopen(); err != nil {
		return err
	}
	if renameErr != nil {
		return fmt.Errorf("logcfg: rotating %s: %w", filepath.Base(name), renameErr)
	}
	return nil
}

// Sync flushes the file to disk.
func (fw *fileWriter) Sync() error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	if fw.f == nil {
		return nil
	}
	return fw.f.Sync()
}

// Close closes the file; later writes fail.
func (fw *fileWriter) Close() error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	fw.closed = true
	if fw.f == nil {
		return nil
	}
	err := fw.f.Close()
	fw.f = nil
	return err
}
