package logcfg

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

func TestEnvFile(t *testing.T) {
	for env, want := range map[string]string{
		"dev": "info.conf", "test": "info.conf", "prod": "error.conf",
		"": "debug.conf", "staging": "debug.conf", "PROD": "debug.conf",
	} {
		t.Setenv("ENV", env)
		assert.Equal(t, filepath.Join("/etc/app", want), EnvFile("/etc/app"), "ENV=%q", env)
	}
	require.NoError(t, os.Unsetenv("ENV"))
	assert.Equal(t, filepath.Join("cfg", "debug.conf"), EnvFile("cfg"), "ENV unset")
}

func TestFromEnvLoadsTheFile(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "app.log")
	for name, level := range map[string]string{"info.conf": "INFO", "error.conf": "ERROR", "debug.conf": "DEBUG"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(fileINI(logPath, level)), 0o600))
	}
	for env, want := range map[string]zapcore.Level{"test": zapcore.InfoLevel, "prod": zapcore.ErrorLevel, "": zapcore.DebugLevel} {
		t.Setenv("ENV", env)
		tree, err := FromEnv(dir)
		require.NoError(t, err)
		assert.Equal(t, LevelName(want), tree.Resolved().Loggers["root"].Level, "ENV=%q", env)
		require.NoError(t, tree.Close())
	}
}

func TestFromEnvMissingFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ENV", "prod")
	_, err := FromEnv(dir)
	require.Error(t, err)
	assert.True(t, errors.Is(err, os.ErrNotExist), "%v", err)
	assert.Contains(t, err.Error(), `ENV="prod"`)
	assert.Contains(t, err.Error(), filepath.Join(dir, "error.conf"))
}

func TestFromEnvDefault(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	saved := os.Stderr
	os.Stderr = w
	tree, err := FromEnv("")
	os.Stderr = saved
	require.NoError(t, err)
	tree.Logger("app").Debug("debug shows")
	require.NoError(t, tree.Close())
	require.NoError(t, w.Close())
	buf := make([]byte, 512)
	n, _ := r.Read(buf)
	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} DEBUG app: debug shows\n$`, string(buf[:n]))
	assert.Equal(t, DefaultConfig().Resolve(), func() Resolved {
		tr, err := NewTree(DefaultConfig())
		require.NoError(t, err)
		defer tr.Close()
		return tr.Resolved()
	}(), "the default is an ordinary config")
}
