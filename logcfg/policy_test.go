package logcfg

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

// changedINI differs from hierarchyINI in levels (root DEBUG, app.db
// ERROR, handler app NOTSET) and in everything else: a new handler
// "extra", app's handlers, app.db's propagate, the root handler's class
// arguments, and a logger "gone" that hierarchyINI has not.
const changedINI = `
[loggers]
keys=root,app,db,fresh
[handlers]
keys=root,app,db,extra
[formatters]
keys=f
[logger_root]
level=DEBUG
handlers=root
[logger_app]
level=INFO
handlers=app,extra
qualname=app
[logger_db]
level=ERROR
handlers=db
qualname=app.db
propagate=1
[logger_fresh]
level=ERROR
handlers=extra
qualname=fresh
[handler_root]
class=test.Observer
args=('root2',)
[handler_app]
class=test.Observer
level=NOTSET
formatter=f
args=('app',)
[handler_db]
class=test.Observer
args=('db',)
[handler_extra]
class=test.Observer
args=('extra',)
[formatter_f]
format=%(message)s!
`

func TestLevelsOnlyChangesLevelsAndListsTheRest(t *testing.T) {
	tree := newTestTree(t, hierarchyINI)
	before := tree.Resolved()
	res, err := tree.Apply(mustParse(t, changedINI), LevelsOnly)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), res.Generation)
	assert.Equal(t, []Change{
		{Kind: "logger", Name: "root", Old: zapcore.WarnLevel, New: zapcore.DebugLevel},
		{Kind: "logger", Name: "app.db", Old: zapcore.DebugLevel, New: zapcore.ErrorLevel},
		{Kind: "logger", Name: "fresh", Old: NotSet, New: zapcore.ErrorLevel},
		{Kind: "handler", Name: "app", Old: zapcore.WarnLevel, New: NotSet},
	}, res.Changes)
	assert.ElementsMatch(t, []string{
		`logger "app": handlers [app] kept, not [app extra] (levels-only)`,
		`logger "app.db": propagate false kept (levels-only)`,
		`logger "fresh": handlers [extra] not attached (levels-only)`,
		`handler "root": new args/kwargs not applied (levels-only)`,
		`handler "app": formatter changes not applied (levels-only)`,
		`handler "extra": new Observer not started (levels-only)`,
	}, res.Ignored)

	after := tree.Resolved()
	assert.Equal(t, before.Handlers["root"], after.Handlers["root"])
	assert.NotContains(t, after.Handlers, "extra")
	assert.Equal(t, "NOTSET", after.Handlers["app"].Level)
	assert.Equal(t, "", after.Handlers["app"].Formatter, "the running formatter stays")
	assert.Equal(t, []string{"app"}, after.Loggers["app"].Handlers)
	assert.Equal(t, ResolvedLogger{Level: "ERROR", Effective: "ERROR", Propagate: true, Handlers: []string{}}, after.Loggers["fresh"])

	// Records follow the new levels through the old handlers.
	tree.Logger("app.x").Info("hello")
	assert.Equal(t, []string{"INFO app.x hello"}, obs(t, "app"), "handler app now lets INFO through")
	assert.Equal(t, []string{"INFO app.x hello"}, obs(t, "root"), "the old root handler is still the one running")

	// Config() is the running config: applied with Full it changes nothing.
	res, err = tree.Apply(tree.Config(), Full)
	require.NoError(t, err)
	assert.Empty(t, res.Changes)
	assert.Empty(t, res.Ignored)
	after.Loggers["app.x"] = ResolvedLogger{Level: "NOTSET", Effective: "INFO", Propagate: true, Handlers: []string{}}
	assert.Equal(t, after, tree.Resolved(), "plus the logger asked for since")
}

func TestLevelsOnlyUnmentionedLoggerKeepsHandlers(t *testing.T) {
	tree := newTestTree(t, hierarchyINI)
	ini := strings.Replace(hierarchyINI, "keys=root,app,db\n[handlers]", "keys=root,app\n[handlers]", 1)
	res, err := tree.Apply(mustParse(t, ini), LevelsOnly)
	require.NoError(t, err)
	assert.Equal(t, []Change{{Kind: "logger", Name: "app.db", Old: zapcore.DebugLevel, New: NotSet}}, res.Changes)
	assert.Equal(t, []string{
		`logger "app.db": not in the new config; its handlers [db] and propagate false kept (levels-only)`,
	}, res.Ignored)
	tree.Logger("app.db").Info("inherits INFO from app, still to db only")
	assert.Equal(t, []string{"INFO app.db inherits INFO from app, still to db only"}, obs(t, "db"))
	assert.Empty(t, obs(t, "root"))
}

func TestFullAppliesEverything(t *testing.T) {
	tree := newTestTree(t, hierarchyINI)
	res, err := tree.Apply(mustParse(t, changedINI), Full)
	require.NoError(t, err)
	assert.Empty(t, res.Ignored)
	r := tree.Resolved()
	assert.Equal(t, []string{"app", "extra"}, r.Loggers["app"].Handlers)
	assert.Equal(t, "f", r.Handlers["app"].Formatter)
	assert.Equal(t, ResolvedFormatter{Format: "%(message)s!"}, r.Formatters["f"])
	tree.Logger("fresh").Error("x")
	assert.Equal(t, []string{"ERROR fresh x"}, obs(t, "extra"))
	assert.Equal(t, []string{"ERROR fresh x"}, obs(t, "root2"))
}

func TestPolicyAndChangeStrings(t *testing.T) {
	assert.Equal(t, "full", Full.String())
	assert.Equal(t, "levels-only", LevelsOnly.String())
	assert.Equal(t, "logger app: INFO -> DEBUG", Change{Kind: "logger", Name: "app", Old: zapcore.InfoLevel, New: zapcore.DebugLevel}.String())
}
