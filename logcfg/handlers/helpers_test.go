package handlers_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/pylit"
	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/logcfg/handlers"
)

// The classes are tested here directly (Builtins, Check, Open), and where
// CPython is the oracle through a logcfg config, which CPython's
// fileConfig reads too. What a tree does with its handlers is tested in
// package logcfg.

// consoleEncoder is a plain console encoder ("LEVEL logger message
// fields"), recording the file it was built for.
func consoleEncoder(gotOut *[]*os.File) logcfg.EncoderFunc {
	return func(out *os.File) (zapcore.Encoder, error) {
		*gotOut = append(*gotOut, out)
		return zapcore.NewConsoleEncoder(zapcore.EncoderConfig{
			LevelKey:         "level",
			NameKey:          "logger",
			MessageKey:       "msg",
			StacktraceKey:    "stack",
			ConsoleSeparator: " ",
			EncodeLevel:      func(l zapcore.Level, enc zapcore.PrimitiveArrayEncoder) { enc.AppendString(logcfg.LevelName(l)) },
		}), nil
	}
}

// classArgs reads args= and kwargs= text ("" for none) as a config
// section gives them to a class.
func classArgs(t *testing.T, class, args, kwargs string) handlers.Args {
	t.Helper()
	a := handlers.Args{Class: class}
	if args != "" {
		v, err := pylit.Parse(args, nil)
		require.NoError(t, err, args)
		require.Equal(t, pylit.KindTuple, v.Kind, "args=%s is not a tuple", args)
		a.Args = v.Items
	}
	if kwargs != "" {
		v, err := pylit.Parse(kwargs, nil)
		require.NoError(t, err, kwargs)
		require.Equal(t, pylit.KindDict, v.Kind, "kwargs=%s is not a dict", kwargs)
		a.Kwargs = v.Dict
	}
	return a
}

// builtin is the built-in class of that name.
func builtin(t *testing.T, class string) handlers.Class {
	t.Helper()
	c, ok := handlers.Builtins()[class]
	require.True(t, ok, "no built-in class %q", class)
	return c
}

// opened is a class opened with consoleEncoder: log writes through it,
// what zap reports of its failed writes goes to errs, and outs are the
// files its encoders were built for.
type opened struct {
	handlers.Output
	log  *zap.Logger
	errs *lltest.Buffer
	outs []*os.File
}

// openClass checks and opens the built-in class with args and kwargs as
// a config writes them; it is closed when the test ends.
func openClass(t *testing.T, class, args, kwargs string) *opened {
	t.Helper()
	c, a := builtin(t, class), classArgs(t, class, args, kwargs)
	require.NoError(t, c.Check(a))
	o := &opened{errs: &lltest.Buffer{}}
	out, err := c.Open(a, consoleEncoder(&o.outs))
	require.NoError(t, err)
	o.Output = out
	o.log = zap.New(out.Core, zap.ErrorOutput(o.errs))
	t.Cleanup(func() { o.close(t) })
	return o
}

// close closes the handler (once).
func (o *opened) close(t *testing.T) {
	if c := o.Close; c != nil {
		o.Close = nil
		assert.NoError(t, c())
	}
}

// configTree runs ini through logcfg as a program does, with %(dir)s set
// to dir; the tree is closed when the test ends.
func configTree(t *testing.T, ini, dir string) *logcfg.Tree {
	t.Helper()
	cfg, err := logcfg.Parse(strings.NewReader(ini), "handlers.ini",
		logcfg.WithDefaults(map[string]string{"dir": dir}), logcfg.WithRegistry(logcfg.NewRegistry()))
	require.NoError(t, err)
	tree, err := logcfg.NewTree(cfg, logcfg.WithRegistry(logcfg.NewRegistry()))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, tree.Close()) })
	return tree
}
