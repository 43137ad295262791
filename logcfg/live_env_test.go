package logcfg

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLiveFromEnvPicksTheFile: each ENV value loads its file, seen by
// where the tree then writes and at which level.
func TestLiveFromEnvPicksTheFile(t *testing.T) {
	dir := t.TempDir()
	for file, level := range map[string]string{"info.conf": "INFO", "error.conf": "ERROR", "debug.conf": "DEBUG"} {
		ini := newINI().logger("root", level, "h", true).
			handler("h", "FileHandler", "", "f", fileArg(filepath.Join(dir, file+".log"))).
			formatter("f", "%(levelname)s %(message)s").String()
		require.NoError(t, os.WriteFile(filepath.Join(dir, file), []byte(ini), 0o600))
	}
	cases := []struct{ env, file string }{
		{"dev", "info.conf"}, {"test", "info.conf"}, {"prod", "error.conf"},
		{"", "debug.conf"}, {"staging", "debug.conf"}, {"Prod", "debug.conf"},
	}
	for _, c := range cases {
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
	assert.Equal(t, []string{"INFO i-dev", "ERROR e-dev", "INFO i-test", "ERROR e-test"}, linesOf(t, filepath.Join(dir, "info.conf.log")))
	assert.Equal(t, []string{"ERROR e-prod"}, linesOf(t, filepath.Join(dir, "error.conf.log")))
	assert.Equal(t, []string{"DEBUG d-", "INFO i-", "ERROR e-", "DEBUG d-staging", "INFO i-staging", "ERROR e-staging",
		"DEBUG d-Prod", "INFO i-Prod", "ERROR e-Prod"}, linesOf(t, filepath.Join(dir, "debug.conf.log")))
}

func TestLiveFromEnvErrors(t *testing.T) {
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

// TestLiveDefaultConfig: with no directory the tree logs everything to
// stderr with a timestamped format.
func TestLiveDefaultConfig(t *testing.T) {
	view := DefaultConfig().Resolve()
	assert.Equal(t, ResolvedLogger{Level: "DEBUG", Effective: "DEBUG", Propagate: true, Handlers: []string{"stderr"}}, view.Loggers["root"])
	assert.Equal(t, "StreamHandler", view.Handlers["stderr"].Class)
	assert.Equal(t, "%(asctime)s %(levelname)s %(name)s: %(message)s", view.Formatters["default"].Format)
	tree, err := FromEnv("")
	require.NoError(t, err)
	assert.Equal(t, uint64(1), tree.Generation())
	assert.Equal(t, view, tree.Resolved())
	require.NoError(t, tree.Close())
}
