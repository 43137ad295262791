package logcfg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.uber.org/zap/zapcore"
)

// EnvFile names the config file for the ENV environment variable:
//
//	ENV=dev or ENV=test  → dir/info.conf
//	ENV=prod             → dir/error.conf
//	unset or other       → dir/debug.conf
//
// so a developer's machine, where ENV is usually unset, gets debug output.
func EnvFile(dir string) string {
	switch os.Getenv("ENV") {
	case "dev", "test":
		return filepath.Join(dir, "info.conf")
	case "prod":
		return filepath.Join(dir, "error.conf")
	}
	return filepath.Join(dir, "debug.conf")
}

// FromEnv builds a tree from [EnvFile](dir). A missing file is an error
// that names the file and ENV. With dir == "" it builds the built-in
// default: the root at DEBUG, one StreamHandler to stderr with the format
// "%(asctime)s %(levelname)s %(name)s: %(message)s".
func FromEnv(dir string, opts ...TreeOption) (*Tree, error) {
	if dir == "" {
		return NewTree(DefaultConfig(), opts...)
	}
	path := EnvFile(dir)
	cfg, err := ParseFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("logcfg: ENV=%q selects %s, which does not exist: %w", os.Getenv("ENV"), path, err)
		}
		return nil, err
	}
	return NewTree(cfg, opts...)
}

// DefaultConfig is the built-in config [FromEnv] uses without a directory.
func DefaultConfig() *Config {
	return &Config{
		File:       "(built-in default)",
		Loggers:    []LoggerConfig{{Key: "root", Name: "root", Level: zapcore.DebugLevel, Handlers: []string{"stderr"}, Propagate: true}},
		Handlers:   []HandlerConfig{{Key: "stderr", Class: "StreamHandler", Level: NotSet, Formatter: "default", Args: []Value{{Kind: KindStream, Str: "stderr"}}}},
		Formatters: []FormatterConfig{{Key: "default", Format: "%(asctime)s %(levelname)s %(name)s: %(message)s", Style: "%"}},
	}
}
