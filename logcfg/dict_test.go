package logcfg

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// pythonDictDriver runs python_dict_resolve.py's main once per line of
// stdin (a JSON list [CONFIG, OUT]), each in a child forked from one
// interpreter that has imported logging and yaml already, writing the
// verdict to OUT.
const pythonDictDriver = `
import json, os, sys
sys.path.insert(0, "testdata")
import python_dict_resolve
for line in sys.stdin:
    config, out = json.loads(line)
    pid = os.fork()
    if pid == 0:
        with open(out, "w") as f:
            sys.stdout = f
            python_dict_resolve.main([config])
            f.flush()
        os._exit(0)
    os.waitpid(pid, 0)
`

// pythonDictVerdicts gives what CPython's dictConfig makes of each file.
func pythonDictVerdicts(t *testing.T, paths []string) []map[string]any {
	dir := t.TempDir()
	var stdin strings.Builder
	outs := make([]string, len(paths))
	for i, p := range paths {
		outs[i] = filepath.Join(dir, filepath.Base(p)+".json")
		b, err := json.Marshal([]string{p, outs[i]})
		require.NoError(t, err)
		stdin.Write(append(b, '\n'))
	}
	_, stderr := lltest.RunPythonInput(t, 2*time.Minute, stdin.String(), pythonDictDriver)
	verdicts := make([]map[string]any, len(paths))
	for i := range paths {
		b, err := os.ReadFile(outs[i])
		require.NoError(t, err, "no verdict for %s: %s", paths[i], stderr)
		require.NoError(t, json.Unmarshal(b, &verdicts[i]), "%s", b)
	}
	return verdicts
}

// probeLevels are the levels python_dict_resolve.py logs each probe at.
var probeLevels = []string{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}

// TestDictFixtures runs every dictConfig of testdata/dict through
// ParseFile and a live tree, and through CPython's dictConfig (YAML read
// with PyYAML's safe_load): the same configs are refused; of the others,
// the running tree's loggers (level, effective level, propagate,
// handlers), handlers (class, level, formatter) and formatters (format,
// datefmt) are Python's, and a record of each probed logger and level
// reaches the same handlers, filters included, or Python's last resort.
func TestDictFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/dict/*.*")
	require.NoError(t, err)
	files = slices.DeleteFunc(files, func(p string) bool { return strings.HasSuffix(p, ".md") })
	require.GreaterOrEqual(t, len(files), 13)
	verdicts := pythonDictVerdicts(t, files)
	for i, path := range files {
		py := verdicts[i]
		t.Run(filepath.Base(path), func(t *testing.T) {
			reg := newTestRegistry()
			cfg, err := ParseFile(path, WithRegistry(reg.Registry))
			if pyErr, rejected := py["error"]; rejected {
				require.Error(t, err, "Python rejects it: %v", pyErr)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, path, e.File)
				assert.Positive(t, e.Line, "%v", err)
				assert.Positive(t, e.Column, "%v", err)
				t.Logf("both refuse it; Python: %v; livelog: %v", pyErr, err)
				return
			}
			require.NoError(t, err, "Python accepts it")

			// The running tree's view, with the handlers really opened
			// (their files in a temporary directory).
			tree, err := NewTree(inDir(t, cfg), WithRegistry(reg.Registry))
			require.NoError(t, err)
			defer func() { assert.NoError(t, tree.Close()) }()
			b, err := json.Marshal(tree.Resolved())
			require.NoError(t, err)
			var got map[string]any
			require.NoError(t, json.Unmarshal(b, &got))
			assertSameView(t, py, got)

			// Where records go: the same config with every handler an
			// observer named after its key.
			obs, err := NewTree(observed(cfg), WithRegistry(reg.Registry))
			require.NoError(t, err)
			defer func() { assert.NoError(t, obs.Close()) }()
			var lastResort strings.Builder
			obs.lastResort = &lastResort
			routes := map[string]any{}
			for name := range py["routes"].(map[string]any) {
				route := map[string]any{}
				for _, level := range probeLevels {
					lvl, err := ParseLevel(level)
					require.NoError(t, err)
					obs.Logger(name).Log(lvl, "probe")
					reached := []any{}
					for _, h := range cfg.Handlers {
						for range reg.take(t, h.Key) { // a handler two loggers share takes a record twice
							reached = append(reached, h.Key)
						}
					}
					if lastResort.Len() > 0 {
						reached = append(reached, "(last resort)")
						lastResort.Reset()
					}
					slices.SortFunc(reached, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
					route[level] = reached
				}
				routes[name] = route
			}
			assert.Equal(t, py["routes"], routes, "where records go")
		})
	}
}

// inDir is cfg with every relative or absolute filename keyword moved
// into a test directory (its subdirectories made), so that opening the
// handlers writes nowhere else.
func inDir(t *testing.T, cfg *Config) *Config {
	dir := t.TempDir()
	out := cloneConfig(cfg)
	for i := range out.Handlers {
		h := &out.Handlers[i]
		if f, ok := h.Kwargs["filename"]; ok && f.Kind == KindString {
			p := filepath.Join(dir, strings.TrimPrefix(filepath.Clean(f.Str), string(filepath.Separator)))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o700))
			h.Kwargs["filename"] = Value{Kind: KindString, Str: p}
		}
	}
	return out
}

// observed is cfg with every handler a test.Observer named after its
// key, keeping its level and filters.
func observed(cfg *Config) *Config {
	out := cloneConfig(cfg)
	for i := range out.Handlers {
		h := &out.Handlers[i]
		h.Class, h.Args, h.Kwargs = "test.Observer", []Value{{Kind: KindString, Str: h.Key}}, map[string]Value{}
	}
	return out
}
