package logcfg

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg/handlers"
)

// testRegistry is a registry made for one test: the built-in classes plus
// the tests' own, which record into this value only. No test registers a
// class globally, so no test sees what another registered and every test
// runs any number of times, in any order.
//
//	test.Observer  args=('name',): keeps what it receives (take) and counts Syncs, by name
//	test.Blocking  args=(): a write announces itself on entered and waits for release; Close closes closed
//	test.Discard   args=(): encodes each record with its formatter and drops it (the alloc tests)
//	test.Recorder  Check keeps the HandlerConfig it is given (checked) and refuses args ('refuse', ...)
//	               with an *Error naming the key, ('plain', ...) with a plain error; it never opens
//
// and the formatter class test.test_logging.ExceptionFormatter, which
// CPython's fixture 02 names.
type testRegistry struct {
	*Registry

	mu      sync.Mutex
	logs    map[string]*observer.ObservedLogs
	syncs   map[string]int
	checked HandlerConfig

	entered, release, closed chan struct{} // test.Blocking
	wrote                    chan struct{} // closed when stuckTree's write returns
}

func newTestRegistry() *testRegistry {
	r := &testRegistry{Registry: NewRegistry(), logs: map[string]*observer.ObservedLogs{}, syncs: map[string]int{},
		entered: make(chan struct{}), release: make(chan struct{}), closed: make(chan struct{})}
	r.RegisterHandlerClass("test.Observer", HandlerClass{
		Check: func(h *HandlerConfig) error {
			if len(h.Args) != 1 || h.Args[0].Kind != KindString {
				return fmt.Errorf("%w: test.Observer takes one name", ErrBadArgs)
			}
			return nil
		},
		Open: func(h *HandlerConfig, _ EncoderFunc) (Output, error) {
			name := h.Args[0].Str
			core, logs := observer.New(zapcore.Level(-128))
			r.mu.Lock()
			r.logs[name] = logs
			r.mu.Unlock()
			return Output{Core: &syncCounter{Core: core, sync: func() { r.mu.Lock(); r.syncs[name]++; r.mu.Unlock() }}}, nil
		},
	})
	r.RegisterHandlerClass("test.Blocking", HandlerClass{
		Check: func(*HandlerConfig) error { return nil },
		Open: func(*HandlerConfig, EncoderFunc) (Output, error) {
			return Output{Core: &blockingCore{r}, Close: func() error { close(r.closed); return nil }}, nil
		},
	})
	r.RegisterHandlerClass("test.Discard", HandlerClass{
		Check: func(h *HandlerConfig) error {
			if len(h.Args)+len(h.Kwargs) > 0 {
				return fmt.Errorf("%w: test.Discard takes no arguments", ErrBadArgs)
			}
			return nil
		},
		Open: func(_ *HandlerConfig, newEnc EncoderFunc) (Output, error) {
			enc, err := newEnc(nil)
			if err != nil {
				return Output{}, err
			}
			return Output{Core: handlers.NewCore(enc, discardSink{})}, nil
		},
	})
	r.RegisterHandlerClass("test.Recorder", HandlerClass{
		Check: func(h *HandlerConfig) error {
			r.mu.Lock()
			r.checked = *h
			r.mu.Unlock()
			if len(h.Args) > 0 {
				switch h.Args[0].Str {
				case "refuse":
					return &Error{Key: "args", Err: fmt.Errorf("%w: refused", ErrBadArgs)}
				case "plain":
					return fmt.Errorf("%w: plainly refused", ErrBadArgs)
				}
			}
			return nil
		},
		Open: func(*HandlerConfig, EncoderFunc) (Output, error) {
			return Output{}, errors.New("test.Recorder is never opened")
		},
	})
	r.RegisterFormatterClass("test.test_logging.ExceptionFormatter", FormatterClass{
		Check: func(*FormatterConfig) error { return nil },
		New: func(*FormatterConfig, *os.File) (zapcore.Encoder, error) {
			return zapcore.NewConsoleEncoder(zap.NewProductionEncoderConfig()), nil
		},
	})
	return r
}

// parse parses ini, as the file "test.ini", with r's classes.
func (r *testRegistry) parse(t testing.TB, ini string, opts ...ParseOption) *Config {
	t.Helper()
	cfg, err := Parse(strings.NewReader(ini), "test.ini", append(opts, WithRegistry(r.Registry))...)
	require.NoError(t, err, "%s", ini)
	return cfg
}

// parseJSON parses a dictConfig, as the file "test.json", with r's classes.
func (r *testRegistry) parseJSON(t testing.TB, js string) *Config {
	t.Helper()
	cfg, err := ParseJSON([]byte(js), "test.json", WithRegistry(r.Registry))
	require.NoError(t, err)
	return cfg
}

// tree starts a tree with r's classes running ini; it is closed when the
// test ends.
func (r *testRegistry) tree(t testing.TB, ini string, opts ...TreeOption) *Tree {
	t.Helper()
	tree, err := NewTree(r.parse(t, ini), append(opts, WithRegistry(r.Registry))...)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, tree.Close()) })
	return tree
}

// take returns (and empties) what the test.Observer handler name
// received, as "LEVEL logger message field=value..." lines.
func (r *testRegistry) take(t *testing.T, name string) []string {
	t.Helper()
	r.mu.Lock()
	logs := r.logs[name]
	r.mu.Unlock()
	require.NotNil(t, logs, "handler %q was never opened", name)
	var out []string
	for _, e := range logs.TakeAll() {
		s := LevelName(e.Level) + " " + e.LoggerName + " " + e.Message
		for k, v := range e.ContextMap() {
			s += fmt.Sprintf(" %s=%v", k, v)
		}
		out = append(out, s)
	}
	return out
}

// stuckTree starts a tree whose root (INFO) writes to one test.Blocking
// handler, reporting to errOut and waiting drainLimit for a replaced
// handler's writers, and returns once a write is stuck in the handler (as
// in a pipe nobody reads). [testRegistry.unstick] lets it go.
func (r *testRegistry) stuckTree(t *testing.T, drainLimit time.Duration) (tree *Tree, errOut *lltest.Buffer) {
	t.Helper()
	errOut = &lltest.Buffer{}
	tree = r.tree(t, lltest.NewINI().Logger("root", "INFO", "b", true).Handler("b", "test.Blocking", "", "", "()").String(),
		WithErrorOutput(errOut))
	tree.drainLimit = drainLimit
	r.wrote = make(chan struct{})
	go func() {
		defer close(r.wrote)
		tree.Logger("app").Info("stuck")
	}()
	<-r.entered
	return tree, errOut
}

// unstick checks that the test.Blocking handler was not closed under its
// stuck write, lets the write return, and checks that the handler is
// closed then.
func (r *testRegistry) unstick(t *testing.T) {
	t.Helper()
	select {
	case <-r.closed:
		t.Fatal("closed under a write in progress")
	default:
	}
	close(r.release)
	<-r.wrote
	select {
	case <-r.closed:
	case <-time.After(30 * time.Second):
		t.Fatal("the handler was never closed")
	}
}

// levelsOf says for each name which level its logger lets through.
func levelsOf(tree *Tree, names ...string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		out[n] = LevelName(tree.Logger(n).Level())
	}
	return out
}

// syncCounter is an observer core that counts its Syncs.
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

// blockingCore is test.Blocking's core: a write stuck until released, as
// a write to a pipe nobody reads.
type blockingCore struct{ r *testRegistry }

func (*blockingCore) Enabled(zapcore.Level) bool          { return true }
func (c *blockingCore) With([]zapcore.Field) zapcore.Core { return c }
func (c *blockingCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return ce.AddCore(e, c)
}
func (c *blockingCore) Write(zapcore.Entry, []zapcore.Field) error {
	c.r.entered <- struct{}{}
	<-c.r.release
	return nil
}
func (*blockingCore) Sync() error { return nil }

// discardSink is test.Discard's sink.
type discardSink struct{}

func (discardSink) WriteRecord(_ zapcore.Entry, text []byte) error {
	_, err := io.Discard.Write(text)
	return err
}
func (discardSink) Sync() error { return nil }

// hierarchyINI: root (WARNING) → observer "root" (NOTSET); app (INFO) →
// observer "app" (level WARNING); app.db (DEBUG, propagate=0) → observer
// "db".
const hierarchyINI = `
[loggers]
keys=root,app,db
[handlers]
keys=root,app,db
[formatters]
keys=
[logger_root]
level=WARNING
handlers=root
[logger_app]
level=INFO
handlers=app
qualname=app
[logger_db]
level=DEBUG
handlers=db
qualname=app.db
propagate=0
[handler_root]
class=test.Observer
args=('root',)
[handler_app]
class=test.Observer
level=WARNING
args=('app',)
[handler_db]
class=test.Observer
args=('db',)
`
