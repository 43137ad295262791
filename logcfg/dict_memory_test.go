package logcfg

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// memoryYAML is a dictConfig whose MemoryHandler sends its records to a
// file handler of the same config; OUT is replaced by the output file.
const memoryYAML = `version: 1
formatters:
  f:
    format: "%(levelname)s %(name)s %(message)s"
handlers:
  file:
    class: logging.FileHandler
    filename: OUT
    formatter: f
  mem:
    class: logging.handlers.MemoryHandler
    capacity: 3
    flushLevel: 40 # a number: Python 3.11's dictConfig passes a name through, then fails on every record
    target: file
root:
  level: DEBUG
  handlers: [mem]
`

// pyDictMemory runs dictConfig on the YAML file argv[1] with OUT replaced
// by argv[2], logs the records on stdin ("logger LEVEL message") and
// shuts logging down, as the Go side closes its tree.
const pyDictMemory = `
import logging, logging.config, sys, yaml
text = open(sys.argv[1]).read().replace("OUT", sys.argv[2])
logging.config.dictConfig(yaml.safe_load(text))
for line in sys.stdin.read().splitlines():
    name, level, msg = line.split(" ", 2)
    logging.getLogger(name).log(logging.getLevelName(level), msg)
logging.shutdown()
`

// A dictConfig MemoryHandler's target names another handler, as
// dictConfig's configure_handler resolves it: the records reach the
// target's file exactly as CPython writes them (capacity, flushLevel,
// flush at close).
func TestDictMemoryHandlerTargetMatchesPython(t *testing.T) {
	records := []string{"root DEBUG d1", "app INFO i1", "app INFO i2", "app INFO i3",
		"root ERROR e1", "app INFO i4", "root INFO tail"}
	goOut := filepath.Join(t.TempDir(), "out.log")
	cfg, err := ParseYAML([]byte(strings.ReplaceAll(memoryYAML, "OUT", goOut)), "mem.yaml")
	require.NoError(t, err)
	var mem *HandlerConfig
	for i := range cfg.Handlers {
		if cfg.Handlers[i].Key == "mem" {
			mem = &cfg.Handlers[i]
		}
	}
	require.NotNil(t, mem)
	assert.Equal(t, "file", mem.Target)
	assert.NotContains(t, mem.Kwargs, "target", "the target is the handler, not a keyword argument")
	tree, err := NewTree(cfg)
	require.NoError(t, err)
	lltest.LogRecords(t, records, tree.Logger, ParseLevel)
	require.NoError(t, tree.Close())
	got, err := os.ReadFile(goOut)
	require.NoError(t, err)

	path := filepath.Join(t.TempDir(), "mem.yaml")
	require.NoError(t, os.WriteFile(path, []byte(memoryYAML), 0o600))
	pyOut := filepath.Join(t.TempDir(), "out.log")
	lltest.RunPythonInput(t, time.Minute, strings.Join(records, "\n")+"\n", pyDictMemory, path, pyOut)
	want, err := os.ReadFile(pyOut)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.Contains(t, string(got), "INFO root tail", "flushed at close")
}

// A target that names no handler, and targets that form a cycle, are
// errors naming the handler's target key, line and column.
func TestDictMemoryHandlerTargetErrors(t *testing.T) {
	_, err := ParseYAML([]byte(strings.ReplaceAll(memoryYAML, "target: file", "target: nosuch")), "mem.yaml")
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUndefined)
	assert.ErrorContains(t, err, `mem.yaml:14:13: [handlers.mem] target`)
	assert.ErrorContains(t, err, `target "nosuch" is not defined under "handlers"`)

	cyclic := `version: 1
handlers:
  a:
    class: logging.handlers.MemoryHandler
    capacity: 3
    target: b
  b:
    class: logging.handlers.MemoryHandler
    capacity: 3
    target: a
root:
  handlers: [a]
`
	_, err = ParseYAML([]byte(cyclic), "cycle.yaml")
	require.Error(t, err)
	assert.ErrorContains(t, err, "target")
	assert.ErrorContains(t, err, "cycle")
}
