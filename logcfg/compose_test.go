package logcfg

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// recorders is a registry whose class "rec.Observer" records what each
// handler (named by its one argument) receives, and counts its Syncs.
type recorders struct {
	mu    sync.Mutex
	logs  map[string]*observer.ObservedLogs
	syncs map[string]int
	reg   *Registry
}

func newRecorders() *recorders {
	r := &recorders{logs: map[string]*observer.ObservedLogs{}, syncs: map[string]int{}, reg: NewRegistry()}
	r.reg.RegisterHandlerClass("rec.Observer", HandlerClass{
		Check: func(h *HandlerConfig) error { return nil },
		Open: func(h *HandlerConfig, _ EncoderFunc) (Output, error) {
			name := h.Args[0].Str
			core, logs := observer.New(zapcore.Level(-128))
			r.mu.Lock()
			r.logs[name] = logs
			r.mu.Unlock()
			return Output{Core: &syncCounter{Core: core, sync: func() { r.mu.Lock(); r.syncs[name]++; r.mu.Unlock() }}}, nil
		},
	})
	return r
}

type syncCounter struct {
	zapcore.Core
	sync func()
}

func (c *syncCounter) With(fs []zapcore.Field) zapcore.Core {
	return &syncCounter{Core: c.Core.With(fs), sync: c.sync}
}
func (c *syncCounter) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(e, c)
}
func (c *syncCounter) Sync() error { c.sync(); return nil }

// take returns (and empties) what handler name received, as "level logger
// message field=value..." lines.
func (r *recorders) take(t *testing.T, name string) []string {
	t.Helper()
	r.mu.Lock()
	logs := r.logs[name]
	r.mu.Unlock()
	require.NotNil(t, logs, "handler %q was never opened", name)
	var out []string
	for _, e := range logs.TakeAll() {
		s := LevelName(e.Level) + " " + e.LoggerName + " " + e.Message
		for k, v := range e.ContextMap() {
			s += " " + k + "=" + v.(string)
		}
		out = append(out, s)
	}
	return out
}

func (r *recorders) tree(t *testing.T, ini string) *Tree {
	t.Helper()
	cfg, err := Parse(strings.NewReader(strings.ReplaceAll(ini, "test.Observer", "rec.Observer")), "test.ini", WithRegistry(r.reg))
	require.NoError(t, err)
	tree, err := NewTree(cfg, WithRegistry(r.reg))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, tree.Close()) })
	return tree
}

// zap's Named composes with the tree: Logger("app").Named("db") is the
// logger app.db (its level, its handlers), with or without With fields,
// also for names made before a config named them.
func TestNamedIsTheNamedLogger(t *testing.T) {
	r := newRecorders()
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
	_, err := tree.Apply(mustParseWith(t, r, hierarchyINI+`
[logger_cache]
level=DEBUG
handlers=db
qualname=app.cache
propagate=0
`, "root,app,db,cache"), Full)
	require.NoError(t, err)
	cache.Debug("now at DEBUG")
	assert.Equal(t, []string{"DEBUG app.cache now at DEBUG"}, r.take(t, "db"))

	// The root's Named children are top-level names.
	tree.Logger("").Named("app").Named("db").Info("from the root")
	assert.Equal(t, []string{"INFO root.app.db from the root"}, r.take(t, "db"), "routed as app.db")
}

// mustParseWith parses ini (test.Observer renamed for r) with the
// [loggers] keys replaced.
func mustParseWith(t *testing.T, r *recorders, ini, keys string) *Config {
	t.Helper()
	ini = strings.Replace(ini, "keys=root,app,db\n[handlers]", "keys="+keys+"\n[handlers]", 1)
	cfg, err := Parse(strings.NewReader(strings.ReplaceAll(ini, "test.Observer", "rec.Observer")), "test.ini", WithRegistry(r.reg))
	require.NoError(t, err)
	return cfg
}

// Sync on a logger syncs the handlers it reaches, and only those.
func TestLoggerSyncSyncsWhatItReaches(t *testing.T) {
	r := newRecorders()
	tree := r.tree(t, hierarchyINI)
	require.NoError(t, tree.Logger("app.db").Sync())
	require.NoError(t, tree.Logger("app.web").Sync())
	r.mu.Lock()
	defer r.mu.Unlock()
	assert.Equal(t, map[string]int{"db": 1, "app": 1, "root": 1}, r.syncs,
		"app.db reaches db only (propagate=0); app.web reaches app and root")
}

// A registry is a value: a class registered in one registry is unknown to
// a parse that uses another, or the default one.
func TestParseDoesNotSeeClassesRegisteredElsewhere(t *testing.T) {
	r := newRecorders()
	ini := strings.ReplaceAll(hierarchyINI, "test.Observer", "rec.Observer")
	_, err := Parse(strings.NewReader(ini), "test.ini", WithRegistry(r.reg))
	require.NoError(t, err)
	for name, opts := range map[string][]ParseOption{
		"default registry": nil,
		"a new registry":   {WithRegistry(NewRegistry())},
	} {
		_, err := Parse(strings.NewReader(ini), "test.ini", opts...)
		assert.ErrorIs(t, err, ErrUnknownClass, name)
		assert.ErrorContains(t, err, `"rec.Observer"`, name)
		assert.ErrorContains(t, err, "RegisterHandlerClass", name)
	}
	cfg, err := Parse(strings.NewReader(ini), "test.ini", WithRegistry(r.reg))
	require.NoError(t, err)
	_, err = NewTree(cfg) // the default registry cannot open it
	assert.ErrorIs(t, err, ErrUnknownClass)
}

// Close returns while a write is stuck in a handler (a pipe nobody reads):
// it reports the handler and leaves its closing to when the write returns;
// it does not hold the tree's lock meanwhile, so Logger and Apply answer.
func TestCloseReturnsWhileAWriteIsStuck(t *testing.T) {
	blocking.entered, blocking.release, blocking.closed = make(chan struct{}), make(chan struct{}), make(chan struct{})
	var errOut bytes.Buffer
	var errMu sync.Mutex
	tree := newTestTree(t, "[loggers]\nkeys=root\n[handlers]\nkeys=b\n[formatters]\nkeys=\n"+
		"[logger_root]\nlevel=INFO\nhandlers=b\n[handler_b]\nclass=test.Blocking\nargs=()\n",
		WithErrorOutput(zapcore.AddSync(lockedWriter{&errMu, &errOut})))
	tree.drainLimit = 50 * time.Millisecond
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		tree.Logger("app").Info("stuck")
	}()
	<-blocking.entered

	closed := make(chan error, 1)
	go func() { closed <- tree.Close() }()
	select {
	case err := <-closed:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("Close is blocked behind a stuck write")
	}
	errMu.Lock()
	assert.Contains(t, errOut.String(), `handler "b": a write has not returned after 50ms`)
	errMu.Unlock()
	select {
	case <-blocking.closed:
		t.Fatal("closed under a write in progress")
	default:
	}
	assert.NotNil(t, tree.Logger("new.name"), "Logger answers after Close")
	_, err := tree.Apply(mustParse(t, hierarchyINI), Full)
	assert.ErrorContains(t, err, "tree is closed")

	close(blocking.release)
	<-wrote
	select {
	case <-blocking.closed:
	case <-time.After(30 * time.Second):
		t.Fatal("the handler was never closed")
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
