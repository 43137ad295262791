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
	maxBytes int64
	backups  int
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
		switch {
		case v.Kind == pylit.KindString && v.Str == "a":
		case v.Kind == pylit.KindString && v.Str == "w":
			truncate = true
		default:
			return fa, fmt.Errorf("%w: %s mode must be 'a' or 'w', not %s", ErrBadArgs, sig.class, pylit.Describe(v))
		}
	}
	if v, ok := got["encoding"]; ok && v.Kind != pylit.KindNone {
		if v.Kind != pylit.KindString || !isUTF8Name(v.Str) {
			return fa, fmt.Errorf("%w: %s encoding must be 'utf-8' (livelog writes UTF-8), not %s", ErrBadArgs, sig.class, pylit.Describe(v))
		}
	}
	if v, ok := got["delay"]; ok && v.Kind != pylit.KindBool && v.Kind != pylit.KindInt {
		return fa, fmt.Errorf("%w: %s delay must be True or False, not %s", ErrBadArgs, sig.class, pylit.Describe(v))
	}
	if v, ok := got["errors"]; ok && v.Kind != pylit.KindNone && v.Kind != pylit.KindString {
		return fa, fmt.Errorf("%w: %s errors must be a string, not %s", ErrBadArgs, sig.class, pylit.Describe(v))
	}
	for _, n := range []string{"maxBytes", "backupCount"} {
		v, ok := got[n]
		if !ok {
			continue
		}
		if v.Kind != pylit.KindInt || v.Int < 0 {
			return fa, fmt.Errorf("%w: %s %s must be a whole number >= 0, not %s", ErrBadArgs, sig.class, n, pylit.Describe(v))
		}
		if n == "maxBytes" {
			fa.maxBytes = v.Int
		} else {
			fa.backups = int(min(v.Int, 1<<20))
		}
	}
	// As in Python, a rotating file is always appended to.
	fa.appendTo = !truncate || fa.maxBytes > 0
	return fa, nil
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
	if err := fw.open(fa.appendTo); err != nil {
		return nil, err
	}
	return fw, nil
}

// open opens the file (created with mode 0666 less the umask, as Python
// does) and records its size and identity.
func (fw *fileWriter) open(appendTo bool) error {
	flags := os.O_CREATE | os.O_WRONLY
	if appendTo {
		flags |= os.O_APPEND
	} else {
		flags |= os.O_TRUNC
	}
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
		if err := fw.open(true); err != nil {
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
	if err := fw.open(true); err != nil {
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
	if err := fw.open(true); err != nil {
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
