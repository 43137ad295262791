package logcfg

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// TestFromEnvPicksTheFile: each ENV value names its file (EnvFile) and
// FromEnv loads it, seen by where the tree then writes and at which
// level. Values are matched exactly: "PROD" is not "prod".
func TestFromEnvPicksTheFile(t *testing.T) {
	dir := t.TempDir()
	for file, level := range map[string]string{"info.conf": "INFO", "error.conf": "ERROR", "debug.conf": "DEBUG"} {
		ini := lltest.NewINI().Logger("root", level, "h", true).
			Handler("h", "FileHandler", "", "f", lltest.FileArgs(filepath.Join(dir, file+".log"))).
			Formatter("f", "%(levelname)s %(message)s").String()
		require.NoError(t, os.WriteFile(filepath.Join(dir, file), []byte(ini), 0o600))
	}
	for _, c := range []struct{ env, file string }{
		{"dev", "info.conf"}, {"test", "info.conf"}, {"prod", "error.conf"},
		{"", "debug.conf"}, {"staging", "debug.conf"}, {"Prod", "debug.conf"}, {"PROD", "debug.conf"},
	} {
		t.Run("ENV="+c.env, func(t *testing.T) {
			t.Setenv("ENV", c.env)
			assert.Equal(t, filepath.Join(dir, c.file), EnvFile(dir))
			tree, err := FromEnv(dir)
			require.NoError(t, err)
			tree.Logger("app").Debug("d-" + c.env)
			tree.Logger("app").Info("i-" + c.env)
			tree.Logger("app").Error("e-" + c.env)
			require.NoError(t, tree.Close())
		})
	}
	t.Run("ENV unset", func(t *testing.T) {
		t.Setenv("ENV", "") // restored when the test ends
		require.NoError(t, os.Unsetenv("ENV"))
		assert.Equal(t, filepath.Join(dir, "debug.conf"), EnvFile(dir))
		assert.Equal(t, filepath.Join("cfg", "debug.conf"), EnvFile("cfg"))
	})
	assert.Equal(t, []string{"INFO i-dev", "ERROR e-dev", "INFO i-test", "ERROR e-test"}, lltest.Lines(t, filepath.Join(dir, "info.conf.log")))
	assert.Equal(t, []string{"ERROR e-prod"}, lltest.Lines(t, filepath.Join(dir, "error.conf.log")))
	warn := func(v string) string {
		return `WARNING ENV="` + v + `" is not dev, test or prod: using ` + filepath.Join(dir, "debug.conf") +
			" (ENV=dev or test: info.conf; prod: error.conf; unset or anything else: debug.conf)"
	}
	assert.Equal(t, []string{"DEBUG d-", "INFO i-", "ERROR e-", warn("staging"), "DEBUG d-staging", "INFO i-staging", "ERROR e-staging",
		warn("Prod"), "DEBUG d-Prod", "INFO i-Prod", "ERROR e-Prod", warn("PROD"), "DEBUG d-PROD", "INFO i-PROD", "ERROR e-PROD"},
		lltest.Lines(t, filepath.Join(dir, "debug.conf.log")))
}

func TestFromEnvErrors(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ENV", "dev")
	_, err := FromEnv(dir)
	require.Error(t, err)
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), `ENV="dev"`)
	assert.Contains(t, err.Error(), filepath.Join(dir, "info.conf"))

	// A file that exists but is wrong is reported as what it is.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "info.conf"), []byte("[loggers]\nkeys=root\n"), 0o600))
	_, err = FromEnv(dir)
	require.Error(t, err)
	assert.NotErrorIs(t, err, os.ErrNotExist)
	assert.ErrorIs(t, err, ErrMissingSection)
	assert.Contains(t, err.Error(), "info.conf")
}

// TestFromEnvDefault: with no directory the tree runs DefaultConfig, an
// ordinary config: everything to stderr with a timestamped format.
func TestFromEnvDefault(t *testing.T) {
	view := DefaultConfig().Resolve()
	assert.Equal(t, ResolvedLogger{Level: "DEBUG", Effective: "DEBUG", Propagate: true, Handlers: []string{"stderr"}}, view.Loggers["root"])
	assert.Equal(t, "StreamHandler", view.Handlers["stderr"].Class)
	assert.Equal(t, "%(asctime)s %(levelname)s %(name)s: %(message)s", view.Formatters["default"].Format)

	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	saved := os.Stderr
	os.Stderr = w // the handler takes os.Stderr when it opens
	tree, err := FromEnv("")
	os.Stderr = saved
	require.NoError(t, err)
	assert.Equal(t, uint64(1), tree.Generation())
	assert.Equal(t, view, tree.Resolved())
	tree.Logger("app").Debug("debug shows")
	require.NoError(t, tree.Close())
	require.NoError(t, w.Close())
	buf := make([]byte, 512)
	n, _ := r.Read(buf)
	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} DEBUG app: debug shows\n$`, string(buf[:n]))
}
