package logcfg_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/logcfg"
)

// latin1INI is a valid config except for one Latin-1 byte (é = 0xE9) in a
// format on line 11.
const latin1INI = "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=f\n" +
	"[logger_root]\nlevel=INFO\nhandlers=h\n[formatter_f]\nformat=caf\xe9 %(message)s\n" +
	"[handler_h]\nclass=StreamHandler\nformatter=f\nargs=(sys.stdout,)\n"

// TestNotUTF8Rejected: every way a config is read rejects bytes that are
// not UTF-8 with ErrEncoding, naming the line and the byte offset, and
// never replaces them.
func TestNotUTF8Rejected(t *testing.T) {
	off := strings.IndexByte(latin1INI, 0xE9)
	require.Greater(t, off, 0)
	path := filepath.Join(t.TempDir(), "latin1.conf")
	require.NoError(t, os.WriteFile(path, []byte(latin1INI), 0o644))
	jsonCfg := `{"version": 1, "root": {"level": "INFO"}, "loggers": {"caf` + "\xe9" + `": {"level": "DEBUG"}}}`

	cases := map[string]struct {
		parse func() (*logcfg.Config, error)
		line  int
		off   int
	}{
		"Parse":        {func() (*logcfg.Config, error) { return logcfg.Parse(strings.NewReader(latin1INI), "latin1.conf") }, 11, off},
		"ParseFile":    {func() (*logcfg.Config, error) { return logcfg.ParseFile(path) }, 11, off},
		"ParsePayload": {func() (*logcfg.Config, error) { return logcfg.ParsePayload([]byte(latin1INI), "latin1.conf") }, 11, off},
		"ParseJSON":    {func() (*logcfg.Config, error) { return logcfg.ParseJSON([]byte(jsonCfg), "latin1.conf") }, 1, strings.IndexByte(jsonCfg, 0xE9)},
		"payload JSON": {func() (*logcfg.Config, error) { return logcfg.ParsePayload([]byte(jsonCfg), "latin1.conf") }, 1, strings.IndexByte(jsonCfg, 0xE9)},
		"with BOM": {func() (*logcfg.Config, error) {
			return logcfg.Parse(strings.NewReader("\ufeff"+latin1INI), "latin1.conf")
		}, 11, off + 3},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			cfg, err := c.parse()
			require.Error(t, err)
			assert.Nil(t, cfg)
			assert.True(t, errors.Is(err, logcfg.ErrEncoding), "%v", err)
			var pe *logcfg.Error
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, c.line, pe.Line)
			assert.Contains(t, err.Error(), "byte 0xE9 at byte offset "+strconv.Itoa(c.off))
			assert.Contains(t, err.Error(), "UTF-8 only")
			assert.NotContains(t, err.Error(), "\ufffd")
		})
	}
}

// TestBOMAccepted: a config that starts with a UTF-8 BOM reads as the
// same config without it, INI and JSON alike; non-ASCII UTF-8 is kept.
func TestBOMAccepted(t *testing.T) {
	utf := strings.Replace(latin1INI, "\xe9", "é", 1)
	for name, data := range map[string]string{
		"ini":      utf,
		"ini BOM":  "\ufeff" + utf,
		"json":     `{"version": 1, "root": {"level": "INFO"}}`,
		"json BOM": "\ufeff" + `{"version": 1, "root": {"level": "INFO"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := logcfg.ParsePayload([]byte(data), "bom.conf")
			require.NoError(t, err)
			if strings.Contains(name, "ini") {
				require.Len(t, cfg.Formatters, 1)
				assert.Equal(t, "café %(message)s", cfg.Formatters[0].Format)
			}
		})
	}
}
