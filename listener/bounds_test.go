package listener_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
)

// replySize is the length of rep as the listener encoded it (re-encoded:
// the same fields).
func replySize(t *testing.T, rep *wire.Reply) int {
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	return len(b)
}

// Point 3: a push that changes and ignores thousands of long-named
// loggers gets a reply under 64 KiB, with the lists capped and counted,
// and no log record of it is longer.
func TestReplyAndLogBounded(t *testing.T) {
	p := newProc(t)
	l := start(t, p)
	var loggers []string
	var b strings.Builder
	for i := range 2000 {
		name := fmt.Sprintf("app.%04d.%s", i, strings.Repeat("x", 300))
		p.tree.Logger(name)
		loggers = append(loggers, fmt.Sprintf("%q: {\"level\": \"DEBUG\"}", name))
	}
	fmt.Fprintf(&b, `{"version": 1, "handlers": {"h%s": {"class": "logging.StreamHandler"}}, "root": {"level": "DEBUG"}, "loggers": {%s}}`,
		strings.Repeat("y", 300), strings.Join(loggers, ", "))
	rep := push(t, l, wire.Envelope{Config: b.String(), Full: true})
	require.True(t, rep.OK, rep.Error)
	assert.LessOrEqual(t, replySize(t, rep), 64<<10)
	assert.Len(t, rep.Changes, wire.MaxListed)
	assert.Positive(t, rep.ChangesOmitted)
	for _, c := range rep.Changes {
		assert.LessOrEqual(t, len(c.Name), wire.MaxText+len("… (9999 bytes)"))
	}
	for _, s := range rep.Ignored {
		assert.LessOrEqual(t, len(s), wire.MaxText+len("… (9999 bytes)"))
	}
	for line := range strings.Lines(p.log(t)) {
		assert.LessOrEqual(t, len(line), 64<<10, "a log record of %d bytes", len(line))
	}

	// A rejection quoting a long input is clipped too.
	rep = push(t, l, wire.Envelope{Config: "[loggers]\nkeys=" + strings.Repeat("k", 500<<10) + "\n"})
	require.False(t, rep.OK)
	assert.LessOrEqual(t, len(rep.Error), wire.MaxError+len("… (9999999 bytes)"))
}

// Point 3: status lists at most wire.MaxStatusLevels loggers, root first,
// and counts the others.
func TestStatusBounded(t *testing.T) {
	p := newProc(t)
	l := start(t, p)
	for i := range 5000 {
		p.tree.Logger(fmt.Sprintf("svc.%05d.%s", i, strings.Repeat("z", 250)))
	}
	rep, err := dial(t, l).Status()
	require.NoError(t, err)
	require.True(t, rep.OK, rep.Error)
	st := rep.Status
	assert.Len(t, st.Levels, wire.MaxStatusLevels)
	assert.Contains(t, st.Levels, "root") // root, app.db, livelog.listener, livelog.audit
	assert.Equal(t, 5000+4-wire.MaxStatusLevels, st.LevelsOmitted)
	assert.Len(t, st.Loggers, wire.MaxStatusLevels, "loggers lists the same as levels")
	assert.LessOrEqual(t, replySize(t, rep), wire.MaxReply)
}

// Point 7: full reconfiguration needs authentication.
func TestFullNeedsAuthentication(t *testing.T) {
	p := newProc(t)
	_, err := listener.Start(p.tree, listener.WithFull(true))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithFull(true) needs authentication")
	assert.Contains(t, err.Error(), "WithSecretFile or WithVerify")
}

// fileINI is p's config with its file handler writing to path and the
// format given.
func fileINI(p *proc, path, format string) string {
	s := p.ini("INFO", "WARNING")
	s = strings.Replace(s, fmt.Sprintf("args=(%q,)", p.logPath), fmt.Sprintf("args=(%q,)", path), 1)
	return strings.Replace(s, "format=%(levelname)s %(name)s %(message)s", "format="+format, 1)
}

// Point 7: under full reconfiguration a pushed file handler writes only
// under the file roots, and a pushed format is bounded.
func TestFileRootsAndFormatCaps(t *testing.T) {
	p := newProc(t)
	root := t.TempDir()
	outside := t.TempDir()
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "link")))

	noRoots := start(t, p, listener.WithFull(true), trustingVerify)
	rep := push(t, noRoots, wire.Envelope{Config: fileINI(p, filepath.Join(root, "a.log"), "%(message)s"), Full: true})
	require.False(t, rep.OK)
	assert.Contains(t, rep.Error, `handler "file"`)
	assert.Contains(t, rep.Error, "no file roots are configured")

	l := start(t, p, listener.WithFull(true), trustingVerify, listener.WithFileRoots(root))
	gen := p.tree.Generation()
	for name, path := range map[string]string{
		"outside":  filepath.Join(outside, "a.log"),
		"dotdot":   filepath.Join(root, "..", filepath.Base(outside), "a.log"),
		"raw ..":   root + "/../" + filepath.Base(outside) + "/a.log",
		"symlink":  filepath.Join(root, "link", "a.log"),
		"relative": "a.log",
	} {
		rep := push(t, l, wire.Envelope{Config: fileINI(p, path, "%(message)s"), Full: true})
		require.False(t, rep.OK, name)
		assert.Contains(t, rep.Error, `handler "file"`, name)
	}
	for name, format := range map[string]string{
		"long":        strings.Repeat("x", listener.MaxPushedFormat+1),
		"many fields": strings.Repeat("%(name)s", listener.MaxPushedFormatFields+1),
	} {
		rep := push(t, l, wire.Envelope{Config: fileINI(p, filepath.Join(root, "a.log"), format), Full: true})
		require.False(t, rep.OK, name)
		assert.Contains(t, rep.Error, `formatter "plain"`, name)
	}
	assert.Equal(t, gen, p.tree.Generation(), "nothing applied")

	rep = push(t, l, wire.Envelope{Config: fileINI(p, filepath.Join(root, "a.log"), "%(levelname)s %(message)s"), Full: true})
	require.True(t, rep.OK, rep.Error)
	p.tree.Logger("app").Error("hello")
	require.NoError(t, p.tree.Sync())
	b, err := os.ReadFile(filepath.Join(root, "a.log"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "ERROR hello")
}
