package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/logcfg"
)

const appYAML = `# app.yaml: a YAML dictConfig
version: 1
formatters:
  plain: {format: "%(levelname)s %(name)s %(message)s"}
handlers:
  console:
    class: logging.StreamHandler
    formatter: plain
    stream: ext://sys.stderr
loggers:
  app:
    level: DEBUG
  app.db:
    propagate: no
root:
  level: WARNING
  handlers: [console]
`

// TestCheckYAML: `pushcfg check app.yaml` reads a YAML dictConfig, as a
// listener reads the same text pushed; an error names the file, line
// and column.
func TestCheckYAML(t *testing.T) {
	path := writeFile(t, "app.yaml", appYAML)
	code, out, errOut := runCmd(t, "check", path)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, `loggers:
  root        WARNING            → console
    app       DEBUG              → (none)
      app.db  DEBUG (inherited)  → (none)   propagate=0
handlers:
  console  StreamHandler  NOTSET  formatter=plain
formatters:
  plain  "%(levelname)s %(name)s %(message)s"
`, out)

	bad := writeFile(t, "bad.yml", strings.Replace(appYAML, "level: DEBUG", "level: LOUD", 1))
	code, out, errOut = runCmd(t, "check", bad)
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, bad+`:12:12: [loggers.app] level: bad level "LOUD"`)
}

// TestCheckDictFixtures: for every dictConfig fixture, `pushcfg check
// --json` (which reads a file as a listener reads a payload, by its first
// character) gives what logcfg.ParseFile (by the file's extension) gives,
// or the same error.
func TestCheckDictFixtures(t *testing.T) {
	files, err := filepath.Glob("../../logcfg/testdata/dict/*.*")
	require.NoError(t, err)
	files = slices.DeleteFunc(files, func(p string) bool { return strings.HasSuffix(p, ".md") })
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			cfg, perr := logcfg.ParseFile(path)
			code, out, errOut := runCmd(t, "check", "--json", path)
			if perr != nil {
				assert.Equal(t, exitUsage, code)
				assert.Equal(t, perr.Error()+"\n", errOut)
				return
			}
			require.Equal(t, exitOK, code, errOut)
			want, err := json.MarshalIndent(cfg.Resolve(), "", "  ")
			require.NoError(t, err)
			assert.Equal(t, string(want)+"\n", out)
		})
	}
}
