package logcfg

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
)

// zap's Named composes with the tree: Logger("app").Named("db") is the
// logger app.db (its level, its handlers), with or without With fields,
// also for names made before a config named them.
func TestNamedIsTheNamedLogger(t *testing.T) {
	r := newTestRegistry()
	tree := r.tree(t, hierarchyINI) // app INFO → "app"; app.db DEBUG, propagate=0 → "db"
	app := tree.Logger("app")

	app.Named("db").Debug("through Named")
	assert.Equal(t, []string{"DEBUG app.db through Named"}, r.take(t, "db"), "app.db's level and handler")
	assert.Empty(t, r.take(t, "app"), "not app's handler: app.db does not propagate")

	app.With(zap.String("req", "7")).Named("db").Debug("with fields")
	assert.Equal(t, []string{"DEBUG app.db with fields req=7"}, r.take(t, "db"))

	app.Debug("app itself stays at INFO")
	app.Named("web").Debug("app.web inherits INFO")
	assert.Empty(t, r.take(t, "app"))
	assert.Empty(t, r.take(t, "db"))
	assert.Nil(t, app.Check(zapcore.DebugLevel, "x"), "Check says exactly what app logs")
	assert.Equal(t, zapcore.InfoLevel, app.Level())

	// Named before any config names the logger: a later config routes it.
	cache := app.Named("cache")
	cache.Debug("dropped: app.cache inherits INFO")
	withCache := strings.Replace(hierarchyINI, "keys=root,app,db\n[handlers]", "keys=root,app,db,cache\n[handlers]", 1) + `
[logger_cache]
level=DEBUG
handlers=db
qualname=app.cache
propagate=0
`
	_, err := tree.Apply(r.parse(t, withCache), Full)
	require.NoError(t, err)
	cache.Debug("now at DEBUG")
	assert.Equal(t, []string{"DEBUG app.cache now at DEBUG"}, r.take(t, "db"))

	// The root's Named children are top-level names.
	tree.Logger("").Named("app").Named("db").Info("from the root")
	assert.Equal(t, []string{"INFO root.app.db from the root"}, r.take(t, "db"), "routed as app.db")
}

// Sync on a logger syncs the handlers it reaches, and only those.
func TestLoggerSyncSyncsWhatItReaches(t *testing.T) {
	r := newTestRegistry()
	tree := r.tree(t, hierarchyINI)
	require.NoError(t, tree.Logger("app.db").Sync())
	require.NoError(t, tree.Logger("app.web").Sync())
	r.mu.Lock()
	defer r.mu.Unlock()
	assert.Equal(t, map[string]int{"db": 1, "app": 1, "root": 1}, r.syncs,
		"app.db reaches db only (propagate=0); app.web reaches app and root")
}

// TestWithSurvivesApply: fields added with With (once or chained) are on
// the lines of a handler a Full apply put in place, whether or not the
// With logger wrote before the apply, and through a levels-only apply and
// Named.
func TestWithSurvivesApply(t *testing.T) {
	r := newTestRegistry()
	dir := t.TempDir()
	cfg := func(n int, level string) string {
		return lltest.NewINI().Logger("root", level, "h", true).
			Handler("h", "FileHandler", "", "f", lltest.FileArgs(filepath.Join(dir, strconv.Itoa(n)+".log"))).
			Formatter("f", "%(name)s %(message)s").String()
	}
	tree := r.tree(t, cfg(1, "INFO"))
	used := tree.Logger("app").With(zap.String("req", "r1"))
	fresh := tree.Logger("app").With(zap.Int("user", 7)).With(zap.Bool("admin", true))
	used.Info("first")

	_, err := tree.Apply(r.parse(t, cfg(2, "INFO")), Full)
	require.NoError(t, err)
	used.Info("second")
	fresh.Info("fresh")
	_, err = tree.Apply(r.parse(t, cfg(2, "DEBUG")), LevelsOnly)
	require.NoError(t, err)
	used.Debug("third")
	_, err = tree.Apply(r.parse(t, cfg(3, "DEBUG")), Full)
	require.NoError(t, err)
	used.Named("sub").Debug("fourth")
	require.NoError(t, tree.Sync())

	assert.Equal(t, []string{"app first req=r1"}, lltest.Lines(t, filepath.Join(dir, "1.log")))
	assert.Equal(t, []string{"app second req=r1", "app fresh user=7 admin=true", "app third req=r1"}, lltest.Lines(t, filepath.Join(dir, "2.log")))
	assert.Equal(t, []string{"app.sub fourth req=r1"}, lltest.Lines(t, filepath.Join(dir, "3.log")))
}
