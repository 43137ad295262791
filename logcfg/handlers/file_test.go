package handlers_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
)

// FileHandler appends by default (also with the Python-only kwargs
// encoding='utf-8' and delay=True); mode 'w' truncates when it opens.
func TestFileHandlerModes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.log")
	require.NoError(t, os.WriteFile(path, []byte("old\n"), 0o600))
	h := openClass(t, "FileHandler", lltest.FileArgs(path), "{'encoding': 'utf-8', 'delay': True}")
	assert.Equal(t, []*os.File{nil}, h.outs, "the encoder is built for no file: colour stays off")
	h.log.Info("appended")
	h.close(t)
	assert.Equal(t, []string{"old", "INFO appended"}, lltest.Lines(t, path))

	h = openClass(t, "FileHandler", lltest.FileArgs(path, "'w'"), "")
	h.log.Info("fresh")
	assert.Equal(t, []string{"INFO fresh"}, lltest.Lines(t, path), "mode 'w' truncates")
	assert.Empty(t, h.errs.String())
}

// RotatingFileHandler(maxBytes=200, backupCount=2) makes exactly the
// files, with exactly the contents, that CPython's makes from the same
// records, a record longer than maxBytes included: it gets a file of its
// own.
func TestRotatingFileHandlerMatchesPython(t *testing.T) {
	ini := lltest.NewINI().Logger("root", "DEBUG", "rot", true).
		Handler("rot", "handlers.RotatingFileHandler", "", "f", "('%(dir)s/app.log', 'a', 200, 2)").
		Formatter("f", "%(message)s").String()
	var records []string
	for i := range 40 {
		records = append(records, fmt.Sprintf("app INFO line-%02d-%s", i, strings.Repeat("x", 5+i*7%43)))
	}
	long := strings.Repeat("L", 300)
	records = append(records, "app INFO "+long, "app INFO after-the-long-one")

	goDir := t.TempDir()
	tree := configTree(t, ini, goDir)
	lltest.LogRecords(t, records, tree.Logger, logcfg.ParseLevel)
	require.NoError(t, tree.Sync())
	got := lltest.DirLines(t, goDir)
	assert.Equal(t, []string{"app.log", "app.log.1", "app.log.2"}, slices.Sorted(maps.Keys(got)), "backupCount=2 keeps two backups")
	assert.Equal(t, []string{"after-the-long-one"}, got["app.log"])
	assert.Equal(t, []string{long}, got["app.log.1"])
	assert.Equal(t, "line-39-"+strings.Repeat("x", 5+39*7%43), got["app.log.2"][len(got["app.log.2"])-1])
	st, err := os.Stat(filepath.Join(goDir, "app.log.2"))
	require.NoError(t, err)
	assert.Less(t, st.Size(), int64(200), "rotated before a record that would bring it to maxBytes")

	pyDir := t.TempDir()
	lltest.PythonLogs(t, ini, pyDir, records)
	assert.Equal(t, lltest.DirLines(t, pyDir), got)
}

// With backupCount 0 (or maxBytes 0) a RotatingFileHandler never rotates,
// as in Python.
func TestRotatingFileHandlerWithoutBackupsNeverRotates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.log")
	h := openClass(t, "RotatingFileHandler", lltest.FileArgs(path), "{'maxBytes': 20}")
	for range 5 {
		h.log.Info("0123456789")
	}
	assert.Len(t, lltest.Lines(t, path), 5)
	assert.NoFileExists(t, path+".1")
}

// Like CPython (bpo-45401), a RotatingFileHandler on something that is
// not a regular file (here a link to /dev/null) never renames it, however
// much is written.
func TestRotatingFileHandlerOnlyRotatesRegularFiles(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "null.log")
	require.NoError(t, os.Symlink(os.DevNull, link))
	h := openClass(t, "RotatingFileHandler", lltest.FileArgs(link, "'a'", "50", "2"), "")
	for i := range 20 {
		h.log.Info(fmt.Sprintf("line %02d to the void", i))
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no backups")
	target, err := os.Readlink(link)
	require.NoError(t, err, "still the link")
	assert.Equal(t, os.DevNull, target)
	assert.Empty(t, h.errs.String())
}

// maxBytes counts bytes, not characters: "INFO ééééé\n" is 11 characters
// but 16 bytes, so with maxBytes 25 each record gets a file of its own.
func TestRotatingFileHandlerCountsBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "utf8.log")
	h := openClass(t, "RotatingFileHandler", lltest.FileArgs(path, "'a'", "25", "3"), "")
	for range 3 {
		h.log.Info("ééééé")
	}
	for _, name := range []string{path, path + ".1", path + ".2"} {
		st, err := os.Stat(name)
		require.NoError(t, err)
		assert.Equal(t, int64(16), st.Size(), name)
	}
	assert.NoFileExists(t, path+".3")
}

// WatchedFileHandler reopens its path when the file is moved (what
// logrotate does) or removed, and holds only the new file open; a plain
// FileHandler keeps writing to the moved file, as in Python.
func TestWatchedFileHandlerReopens(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.log")
	h := openClass(t, "WatchedFileHandler", lltest.FileArgs(path), "")
	h.log.Info("a")
	h.log.Info("b")
	require.NoError(t, os.Rename(path, path+".1"))
	h.log.Info("c")
	h.log.Info("d")
	require.NoError(t, os.Remove(path))
	h.log.Info("e")
	assert.Equal(t, []string{"INFO a", "INFO b"}, lltest.Lines(t, path+".1"))
	assert.Equal(t, []string{"INFO e"}, lltest.Lines(t, path))
	assert.Len(t, lltest.FDsOn(t, path), 1, "the new file is the one held open")
	assert.Empty(t, lltest.FDsOn(t, path+".1"))
	assert.Empty(t, h.errs.String())

	plain := filepath.Join(dir, "p.log")
	p := openClass(t, "FileHandler", lltest.FileArgs(plain), "")
	require.NoError(t, os.Rename(plain, plain+".1"))
	p.log.Info("into the moved file")
	assert.Equal(t, []string{"INFO into the moved file"}, lltest.Lines(t, plain+".1"))
	assert.NoFileExists(t, plain)
}
