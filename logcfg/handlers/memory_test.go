package handlers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/logcfg"
)

// pyMemoryLogs is lltest's PythonLogs, but it closes the MemoryHandlers
// (as handler.close() does, honouring flushOnClose) before
// logging.shutdown, which would flush them whatever flushOnClose says.
const pyMemoryLogs = `
import logging, logging.config, logging.handlers, sys
logging.config.fileConfig(sys.argv[1], defaults={"dir": sys.argv[2]}, disable_existing_loggers=False)
for line in sys.stdin.read().splitlines():
    name, level, msg = line.split()
    logging.getLogger(None if name == "root" else name).log(logging.getLevelName(level), msg)
for ref in logging._handlerList[:]:
    h = ref()
    if isinstance(h, logging.handlers.MemoryHandler):
        h.close()
logging.shutdown()
`

// memoryINI has a MemoryHandler of each kind: flushing at capacity and at
// ERROR into a file whose own level (ERROR) does not filter what it is
// flushed; one that flushes only at CRITICAL and not on close; one that
// flushes into another MemoryHandler (listed before it).
const memoryINI = `[loggers]
keys=root,chain
[handlers]
keys=chained,mem,file,quiet,file2
[formatters]
keys=f
[logger_root]
level=DEBUG
handlers=mem,quiet
[logger_chain]
level=DEBUG
handlers=chained
qualname=chain
propagate=0
[handler_chained]
class=handlers.MemoryHandler
args=(2,)
target=mem
[handler_mem]
class=handlers.MemoryHandler
level=INFO
args=(4, ERROR)
target=file
[handler_file]
class=FileHandler
level=ERROR
formatter=f
args=('%(dir)s/out.log',)
[handler_quiet]
class=logging.handlers.MemoryHandler
args=(100,)
kwargs={'flushOnClose': False, 'flushLevel': CRITICAL}
target=file2
[handler_file2]
class=FileHandler
formatter=f
args=('%(dir)s/quiet.log', 'w')
[formatter_f]
format=%(levelname)s %(name)s %(message)s
`

// MemoryHandlers buffer and flush exactly as CPython's do: same records
// in, same files out, for records that fill the buffer, records at the
// flush level, a chain of two MemoryHandlers, and closing with and
// without flushOnClose.
func TestMemoryHandlerMatchesPython(t *testing.T) {
	records := []string{
		"root DEBUG d1", "root INFO i1", "app WARNING w1", "chain INFO c1", "root INFO i2",
		"root INFO i3", "app ERROR e1", "chain DEBUG c2", "chain DEBUG c3", "root INFO i4",
		"root CRITICAL x1", "root INFO i5", "chain WARNING c4", "root WARNING w2", "root INFO tail",
	}
	goDir := t.TempDir()
	tree := configTree(t, memoryINI, goDir)
	lltest.LogRecords(t, records, tree.Logger, logcfg.ParseLevel)
	require.NoError(t, tree.Close())
	got := lltest.DirLines(t, goDir)

	pyDir := t.TempDir()
	path := filepath.Join(t.TempDir(), "memory.ini")
	require.NoError(t, os.WriteFile(path, []byte(memoryINI), 0o600))
	lltest.RunPythonInput(t, time.Minute, strings.Join(records, "\n")+"\n", pyMemoryLogs, path, pyDir)
	want := lltest.DirLines(t, pyDir)
	assert.Equal(t, want, got)
	assert.Contains(t, got["out.log"], "INFO root tail", "flushed on close")
	assert.NotContains(t, got["quiet.log"], "INFO root tail", "not flushed on close")
}

// Every flush happens when CPython's would: nothing reaches the file
// before the buffer is full or a record is at flushLevel.
func TestMemoryHandlerFlushesAtCapacityAndLevel(t *testing.T) {
	dir := t.TempDir()
	ini := lltest.NewINI().Logger("root", "DEBUG", "mem", true).
		Handler("mem", "MemoryHandler", "", "", "(3, WARNING)", "target=file").
		Handler("file", "FileHandler", "", "f", "('%(dir)s/out.log',)").
		Formatter("f", "%(levelname)s %(message)s").String()
	tree := configTree(t, ini, dir)
	log := tree.Logger("app")
	out := filepath.Join(dir, "out.log")
	lines := func() []string { require.NoError(t, tree.Sync()); return lltest.Lines(t, out) }
	log.Debug("a")
	log.Info("b")
	assert.Empty(t, lines(), "held: 2 of 3")
	log.Info("c")
	assert.Equal(t, []string{"DEBUG a", "INFO b", "INFO c"}, lines(), "full")
	log.Info("d")
	assert.Len(t, lines(), 3)
	log.Warn("e")
	assert.Equal(t, []string{"DEBUG a", "INFO b", "INFO c", "INFO d", "WARNING e"}, lines(), "at flushLevel")
	log.With(zap.String("req", "r1")).Info("f", zap.Int("n", 1))
	assert.Len(t, lines(), 5)
	require.NoError(t, tree.Close())
	assert.Equal(t, `INFO f req=r1 n=1`, lltest.Lines(t, out)[5], "With fields and fields kept until the flush on close")
}

// A target that is not a handler of the config, and targets that form a
// cycle, are errors naming the section and key, at parse time; target=
// on another class is ignored with a warning, as Python ignores it.
func TestMemoryHandlerTargetErrors(t *testing.T) {
	parse := func(ini string) (*logcfg.Config, error) {
		return logcfg.Parse(strings.NewReader(ini), "mem.ini", logcfg.WithRegistry(logcfg.NewRegistry()))
	}
	mem := func(b *lltest.INI, key, target string) *lltest.INI {
		return b.Handler(key, "MemoryHandler", "", "", "(10,)", "target="+target)
	}
	_, err := parse(mem(lltest.NewINI().Logger("root", "", "a", true), "a", "nowhere").String())
	require.Error(t, err)
	assert.ErrorIs(t, err, logcfg.ErrUndefined)
	assert.Contains(t, err.Error(), `[handler_a] target: undefined reference: target "nowhere" is not listed in [handlers] keys=`)

	_, err = parse(mem(lltest.NewINI().Logger("root", "", "a", true), "a", "a").String())
	require.Error(t, err)
	assert.ErrorIs(t, err, logcfg.ErrBadArgs)
	assert.Contains(t, err.Error(), "[handler_a] target: bad handler arguments: MemoryHandler targets form a cycle (a → a)")

	b := lltest.NewINI().Logger("root", "", "a", true)
	mem(mem(mem(b, "a", "b"), "b", "c"), "c", "a")
	_, err = parse(b.String())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "[handler_a] target: bad handler arguments: MemoryHandler targets form a cycle (a → b → c → a)")

	cfg, err := parse(lltest.NewINI().Logger("root", "", "s", true).
		Handler("s", "StreamHandler", "", "", "()", "target=s").String())
	require.NoError(t, err)
	assert.Empty(t, cfg.Handlers[0].Target)
	require.Len(t, cfg.Warnings, 1)
	assert.Contains(t, cfg.Warnings[0].String(), "only MemoryHandler reads target=; Python ignores it for StreamHandler")

	for args, want := range map[string]string{
		"()":                      "MemoryHandler needs capacity",
		"('10',)":                 "capacity must be a whole number",
		"(10, 'ERROR')":           "flushLevel must be a level number",
		"(10, ERROR, 'file')":     "target must be None",
		"(10, ERROR, None, 'no')": "flushOnClose must be True or False",
	} {
		_, err := parse(lltest.NewINI().Logger("root", "", "m", true).Handler("m", "MemoryHandler", "", "", args).String())
		if assert.Error(t, err, args) {
			assert.Contains(t, err.Error(), want, args)
		}
	}
}

// A hand-built config (not from Parse) with a cycle of targets is refused
// by Apply, and nothing opens.
func TestMemoryHandlerCycleRefusedByApply(t *testing.T) {
	cfg := &logcfg.Config{
		Loggers: []logcfg.LoggerConfig{{Key: "root", Name: "root", Handlers: []string{"a"}, Propagate: true}},
		Handlers: []logcfg.HandlerConfig{
			{Key: "a", Class: "MemoryHandler", Level: logcfg.NotSet, Args: []logcfg.Value{{Kind: logcfg.KindInt, Int: 5}}, Target: "b"},
			{Key: "b", Class: "MemoryHandler", Level: logcfg.NotSet, Args: []logcfg.Value{{Kind: logcfg.KindInt, Int: 5}}, Target: "a"},
		},
	}
	tree, err := logcfg.NewTree(nil, logcfg.WithRegistry(logcfg.NewRegistry()))
	require.NoError(t, err)
	defer tree.Close()
	_, err = tree.Apply(cfg, logcfg.Full)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MemoryHandler targets form a cycle (a → b → a)")
	cfg.Handlers[1].Target = "zz"
	_, err = tree.Apply(cfg, logcfg.Full)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `target "zz" is not defined`)
}

// When a config is replaced, a MemoryHandler whose target changes is
// reopened with the new target (and flushes into the old one as it
// closes), and a MemoryHandler that did not change keeps its records.
func TestMemoryHandlerAcrossApply(t *testing.T) {
	dir := t.TempDir()
	config := func(file string) string {
		return lltest.NewINI().Logger("root", "DEBUG", "mem", true).
			Handler("mem", "MemoryHandler", "", "", "(100,)", "target=file").
			Handler("file", "FileHandler", "", "f", fmt.Sprintf("('%%(dir)s/%s',)", file)).
			Formatter("f", "%(message)s").String()
	}
	r := logcfg.NewRegistry()
	parse := func(ini string) *logcfg.Config {
		cfg, err := logcfg.Parse(strings.NewReader(ini), "m.ini", logcfg.WithDefaults(map[string]string{"dir": dir}), logcfg.WithRegistry(r))
		require.NoError(t, err)
		return cfg
	}
	tree, err := logcfg.NewTree(parse(config("one.log")), logcfg.WithRegistry(r))
	require.NoError(t, err)
	log := tree.Logger("app")
	log.Info("a")
	res, err := tree.Apply(parse(config("one.log")), logcfg.Full)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"mem", "file"}, res.Kept)
	log.Info("b")
	res, err = tree.Apply(parse(config("two.log")), logcfg.Full)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"mem", "file"}, res.Opened, "a new target reopens its MemoryHandler")
	assert.Equal(t, []string{"a", "b"}, lltest.Lines(t, filepath.Join(dir, "one.log")), "flushed into the old target as it closed")
	log.Info("c")
	require.NoError(t, tree.Close())
	assert.Equal(t, []string{"c"}, lltest.Lines(t, filepath.Join(dir, "two.log")))
}

// Concurrent writers through a MemoryHandler (With loggers among them)
// lose no record and tear none, whoever's record fills the buffer.
func TestMemoryHandlerConcurrent(t *testing.T) {
	dir := t.TempDir()
	ini := lltest.NewINI().Logger("root", "DEBUG", "mem", true).
		Handler("mem", "handlers.MemoryHandler", "", "", "(7,)", "target=file").
		Handler("file", "FileHandler", "", "f", "('%(dir)s/out.log',)").
		Formatter("f", "%(message)s").String()
	tree := configTree(t, ini, dir)
	const writers, each = 8, 200
	done := make(chan struct{})
	for w := range writers {
		go func() {
			defer func() { done <- struct{}{} }()
			log := tree.Logger("app").With(zap.Int("w", w))
			for i := range each {
				log.Info(fmt.Sprintf("w%d-%d", w, i))
			}
		}()
	}
	for range writers {
		<-done
	}
	require.NoError(t, tree.Close())
	lines := lltest.Lines(t, filepath.Join(dir, "out.log"))
	require.Len(t, lines, writers*each)
	seen := map[string]bool{}
	for _, l := range lines {
		seen[l] = true
	}
	assert.Len(t, seen, writers*each)
	assert.True(t, seen[fmt.Sprintf("w3-%d w=3", each-1)])
}

// A record that waits in a MemoryHandler shows its caller when the
// target's format does, though the MemoryHandler itself formats nothing.
func TestMemoryHandlerKeepsCaller(t *testing.T) {
	dir := t.TempDir()
	ini := lltest.NewINI().Logger("root", "DEBUG", "mem", true).
		Handler("mem", "handlers.MemoryHandler", "", "", "(10,)", "target=file").
		Handler("file", "FileHandler", "", "f", "('%(dir)s/out.log',)").
		Formatter("f", "%(funcName)s:%(message)s").String()
	tree := configTree(t, ini, dir)
	tree.Logger("app").Info("held")
	require.NoError(t, tree.Close())
	assert.Equal(t, []string{"TestMemoryHandlerKeepsCaller:held"}, lltest.Lines(t, filepath.Join(dir, "out.log")))
}
