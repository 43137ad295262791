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

// EnvWarning says, when ENV is set to a value EnvFile does not know (not
// dev, test or prod), which file it chose instead and what the values are:
//
//	ENV="production" is not dev, test or prod: using /srv/app/debug.conf (ENV=dev or test: info.conf; prod: error.conf; unset or anything else: debug.conf)
//
// It is "" when ENV is unset, empty or one of the three.
func EnvWarning(dir string) string {
	switch v, set := os.LookupEnv("ENV"); {
	case !set, v == "", v == "dev", v == "test", v == "prod":
		return ""
	default:
		if len(v) > 64 {
			v = v[:64] + "…"
		}
		return fmt.Sprintf("ENV=%q is not dev, test or prod: using %s (ENV=dev or test: info.conf; prod: error.conf; unset or anything else: debug.conf)",
			v, EnvFile(dir))
	}
}

// FromEnv builds a tree from [EnvFile](dir). A missing file is an error
// that names the file and ENV. With dir == "" it builds the built-in
// default: the root at DEBUG, one StreamHandler to stderr with the format
// "%(asctime)s %(levelname)s %(name)s: %(message)s". An ENV value it does
// not know is logged as a WARNING on the logger "livelog.env" of the new
// tree ([EnvWarning]): a typo such as ENV=production would otherwise
// silently give debug output in production.
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
	tree, err := NewTree(cfg, opts...)
	if err != nil {
		return nil, err
	}
	if w := EnvWarning(dir); w != "" {
		tree.Logger("livelog.env").Warn(w)
	}
	return tree, nil
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
