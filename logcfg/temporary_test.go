package logcfg

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// levelsINI: root, app and app.db at the levels given; one handler "h"
// (test.Observer), at the level given, on the root.
func levelsINI(root, app, db, h string) string {
	return lltest.NewINI().Logger("root", root, "h", true).Logger("app", app, "", true).Logger("app.db", db, "", true).
		Handler("h", "test.Observer", h, "", "('h',)").String()
}

type tempFixture struct {
	tree  *Tree
	clock *lltest.FakeClock
	r     *testRegistry
}

func newTempFixture(t *testing.T) *tempFixture {
	r := newTestRegistry()
	clock := lltest.NewFakeClock()
	cfg, err := Parse(strings.NewReader(levelsINI("WARNING", "INFO", "WARNING", "NOTSET")), "base.conf", WithRegistry(r.Registry))
	require.NoError(t, err)
	tree, err := NewTree(cfg, WithRegistry(r.Registry), WithClock(clock))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, tree.Close()) })
	return &tempFixture{tree: tree, clock: clock, r: r}
}

func (f *tempFixture) cfg(t *testing.T, root, app, db, h string) *Config {
	t.Helper()
	cfg, err := Parse(strings.NewReader(levelsINI(root, app, db, h)), "push.conf", WithRegistry(f.r.Registry))
	require.NoError(t, err)
	return cfg
}

func (f *tempFixture) levels() [4]string {
	r := f.tree.Resolved()
	return [4]string{r.Loggers["root"].Level, r.Loggers["app"].Level, r.Loggers["app.db"].Level, r.Handlers["h"].Level}
}

func TestTemporaryChangeReverts(t *testing.T) {
	f := newTempFixture(t)
	res, err := f.tree.ApplyFor(f.cfg(t, "DEBUG", "INFO", "WARNING", "DEBUG"), LevelsOnly, 10*time.Minute)
	require.NoError(t, err)
	assert.Equal(t, f.clock.Now().Add(10*time.Minute), res.Expires)
	assert.Equal(t, [4]string{"DEBUG", "INFO", "WARNING", "DEBUG"}, f.levels())
	require.Len(t, f.tree.Temporary(), 1)

	f.clock.Add(10*time.Minute - time.Second)
	assert.Equal(t, "DEBUG", f.levels()[0], "not yet")
	f.clock.Add(time.Second)
	assert.Equal(t, [4]string{"WARNING", "INFO", "WARNING", "NOTSET"}, f.levels(), "restored exactly")
	assert.Empty(t, f.tree.Temporary())
	h := f.tree.History()
	require.Len(t, h, 3)
	assert.Equal(t, "revert", h[0].From)
	assert.Equal(t, "base.conf", h[0].File, "the revert applied the config from before")
	assert.Equal(t, "revert to generation 1 (start): 2 changes: logger root DEBUG→WARNING, handler h DEBUG→NOTSET", h[0].Summary)
	assert.Equal(t, "application", h[1].From)
	assert.Equal(t, res.Expires, h[1].Expires)
}

// Two temporary changes are two layers: each ends on its own time and
// restores only what it set.
func TestTemporaryChangesAreLayers(t *testing.T) {
	f := newTempFixture(t)
	_, err := f.tree.ApplyFor(f.cfg(t, "WARNING", "DEBUG", "WARNING", "NOTSET"), LevelsOnly, 10*time.Minute)
	require.NoError(t, err)
	_, err = f.tree.ApplyFor(f.cfg(t, "WARNING", "DEBUG", "DEBUG", "NOTSET"), LevelsOnly, 5*time.Minute)
	require.NoError(t, err)
	f.clock.Add(5 * time.Minute)
	assert.Equal(t, [4]string{"WARNING", "DEBUG", "WARNING", "NOTSET"}, f.levels(), "the second layer ended: app.db back, app still DEBUG")
	f.clock.Add(5 * time.Minute)
	assert.Equal(t, [4]string{"WARNING", "INFO", "WARNING", "NOTSET"}, f.levels())

	// In the other order: the first layer ends first, and only its level goes back.
	_, err = f.tree.ApplyFor(f.cfg(t, "WARNING", "DEBUG", "WARNING", "NOTSET"), LevelsOnly, 5*time.Minute)
	require.NoError(t, err)
	_, err = f.tree.ApplyFor(f.cfg(t, "WARNING", "DEBUG", "DEBUG", "NOTSET"), LevelsOnly, 10*time.Minute)
	require.NoError(t, err)
	f.clock.Add(5 * time.Minute)
	assert.Equal(t, [4]string{"WARNING", "INFO", "DEBUG", "NOTSET"}, f.levels(),
		"app goes back with the first layer: the second found app at DEBUG and did not change it")
	f.clock.Add(5 * time.Minute)
	assert.Equal(t, [4]string{"WARNING", "INFO", "WARNING", "NOTSET"}, f.levels(),
		"the second layer restores what it changed; no temporary level stays behind")
}

// A permanent full config describes the whole level state: it ends every
// temporary change, and nothing comes back by itself.
func TestPermanentConfigEndsTemporaryChanges(t *testing.T) {
	f := newTempFixture(t)
	_, err := f.tree.ApplyFor(f.cfg(t, "DEBUG", "INFO", "WARNING", "NOTSET"), LevelsOnly, time.Minute)
	require.NoError(t, err)
	_, err = f.tree.Apply(f.cfg(t, "ERROR", "INFO", "WARNING", "NOTSET"), LevelsOnly)
	require.NoError(t, err)
	assert.Empty(t, f.tree.Temporary())
	assert.Zero(t, f.clock.Pending(), "the revert is cancelled")
	f.clock.Add(time.Hour)
	assert.Equal(t, "ERROR", f.levels()[0])
}

// A later permanent change of one level takes that level out of the
// revert; the temporary change's other levels still go back.
func TestIncrementalChangeKeepsItsLevel(t *testing.T) {
	f := newTempFixture(t)
	_, err := f.tree.ApplyFor(f.cfg(t, "DEBUG", "DEBUG", "WARNING", "NOTSET"), LevelsOnly, time.Minute)
	require.NoError(t, err)
	_, err = f.tree.Apply(mustIncremental(t, "app", "ERROR"), LevelsOnly)
	require.NoError(t, err)
	_, err = f.tree.Apply(mustIncremental(t, "app", "DEBUG"), LevelsOnly) // back to what the temporary change set, for good
	require.NoError(t, err)
	f.clock.Add(time.Minute)
	assert.Equal(t, [4]string{"WARNING", "DEBUG", "WARNING", "NOTSET"}, f.levels(), "root reverts; app, set for good since, stays")
}

func mustIncremental(t *testing.T, name, level string) *Config {
	t.Helper()
	cfg, err := ParseJSON([]byte(`{"version": 1, "incremental": true, "loggers": {"`+name+`": {"level": "`+level+`"}}}`), "inc.json")
	require.NoError(t, err)
	return cfg
}

// Close cancels pending reverts.
func TestCloseCancelsReverts(t *testing.T) {
	f := newTempFixture(t)
	_, err := f.tree.ApplyFor(f.cfg(t, "DEBUG", "INFO", "WARNING", "NOTSET"), LevelsOnly, time.Minute)
	require.NoError(t, err)
	require.NoError(t, f.tree.Close())
	assert.Zero(t, f.clock.Pending())
	assert.Equal(t, zapcore.DebugLevel, f.tree.Logger("root").Level(), "the temporary change stays applied")
}

// The logger names a push brings do not outlive the config that named
// them: after twenty levels-only pushes of fresh names, the tree holds the
// names of the last one only (and those of the base config that carry
// handlers); incremental pushes that set names back to NOTSET drop them.
func TestPushedNamesDoNotAccumulate(t *testing.T) {
	f := newTempFixture(t)
	base := len(f.tree.Config().Loggers)
	const names = 500
	for push := range 20 {
		b := lltest.NewINI().Logger("root", "WARNING", "", true)
		for i := range names {
			b.Logger(fmt.Sprintf("push%d.name%d", push, i), "DEBUG", "", true)
		}
		_, err := f.tree.Apply(f.r.parse(t, b.String()), LevelsOnly)
		require.NoError(t, err)
	}
	r := f.tree.Resolved()
	assert.Len(t, r.Loggers, names+1, "root and the last push's names")
	assert.Contains(t, r.Loggers, "push19.name0")
	assert.NotContains(t, r.Loggers, "push18.name0")
	assert.LessOrEqual(t, len(f.tree.Config().Loggers), names+base)

	for i := range 3 {
		_, err := f.tree.Apply(mustIncremental(t, fmt.Sprintf("inc.%d", i), "DEBUG"), LevelsOnly)
		require.NoError(t, err)
	}
	for i := range 3 {
		_, err := f.tree.Apply(mustIncremental(t, fmt.Sprintf("inc.%d", i), "NOTSET"), LevelsOnly)
		require.NoError(t, err)
	}
	assert.NotContains(t, f.tree.Resolved().Loggers, "inc.0", "set back to NOTSET: dropped")
	f.tree.Logger("asked.for")
	assert.Contains(t, f.tree.Resolved().Loggers, "asked.for", "names the program asks for stay listed")
}

// A revert says what it went back to: the generation and the apply that
// made it, with that apply's file, not the file the tree started with.
func TestRevertNamesWhatItWentBackTo(t *testing.T) {
	f := newTempFixture(t)
	_, err := f.tree.Apply(f.cfg(t, "INFO", "INFO", "INFO", "NOTSET"), LevelsOnly, WithSource("127.0.0.1:5000", "/srv/info.conf"))
	require.NoError(t, err)
	_, err = f.tree.Apply(f.cfg(t, "DEBUG", "INFO", "INFO", "NOTSET"), LevelsOnly, For(time.Minute),
		WithSource("127.0.0.1:5001", "/srv/debug.conf"), WithOrigin(SourceSet, "k1"))
	require.NoError(t, err)
	f.clock.Add(time.Minute)

	h := f.tree.History()
	require.Len(t, h, 4)
	assert.Equal(t, SourceRevert, h[0].Kind)
	assert.Equal(t, "revert to generation 2 (push from 127.0.0.1)", h[0].Origin)
	assert.Equal(t, "/srv/info.conf", h[0].File)
	assert.Equal(t, "revert to generation 2 (push from 127.0.0.1): 1 change: logger root DEBUG→INFO", h[0].Summary)
	assert.Equal(t, "set from 127.0.0.1 with key k1", h[1].Origin)
	assert.Equal(t, "k1", h[1].KeyID)
	assert.Equal(t, SourcePush, h[2].Kind)
	assert.Equal(t, SourceStart, h[3].Kind)
	assert.Equal(t, "base.conf", h[3].File, "the start names the config's file")

	// Audit writes one INFO line on livelog.audit; the test handler is
	// on the root, at INFO now.
	f.r.take(t, "h")
	f.tree.Audit(h[0].Generation)
	lines := f.r.take(t, "h")
	require.Len(t, lines, 1)
	assert.True(t, strings.HasPrefix(lines[0], "INFO livelog.audit applied generation 4: revert to generation 2 (push from 127.0.0.1), /srv/info.conf: 1 change: logger root DEBUG→INFO "), lines[0])
	for _, field := range []string{" source=revert", " generation=4", " changes=1 change: logger root DEBUG→INFO", " file=/srv/info.conf"} {
		assert.Contains(t, lines[0], field)
	}
}

// A partial revert (something else was applied meanwhile) says so.
func TestPartialRevertSaysSo(t *testing.T) {
	f := newTempFixture(t)
	_, err := f.tree.ApplyFor(f.cfg(t, "DEBUG", "INFO", "WARNING", "NOTSET"), LevelsOnly, time.Minute)
	require.NoError(t, err)
	inc, err := ParseJSON([]byte(`{"version":1,"incremental":true,"loggers":{"app":{"level":"ERROR"}}}`), "set", WithRegistry(f.r.Registry))
	require.NoError(t, err)
	_, err = f.tree.Apply(inc, LevelsOnly, WithSource("127.0.0.1:5002", "set app=ERROR"), WithOrigin(SourceSet, ""))
	require.NoError(t, err)
	f.clock.Add(time.Minute)
	h := f.tree.History()
	require.Len(t, h, 4)
	assert.Equal(t, "revert of generation 2's remaining levels to those of generation 1 (start)", h[0].Origin)
	assert.Equal(t, [4]string{"WARNING", "ERROR", "WARNING", "NOTSET"}, f.levels())
}
