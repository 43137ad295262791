package logcfg

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

func TestResolveEffectiveLevels(t *testing.T) {
	cfg := &Config{Loggers: []LoggerConfig{
		{Name: "root", Level: zapcore.ErrorLevel, Propagate: true},
		{Name: "a", Level: NotSet, Propagate: true},
		{Name: "a.b", Level: zapcore.DebugLevel, Propagate: false},
		{Name: "a.b.c.d", Level: NotSet, Propagate: true},
		{Name: "a.bc", Level: NotSet, Propagate: true},
		{Name: "x.y", Level: Critical, Propagate: true},
	}}
	r := cfg.Resolve()
	eff := map[string]string{}
	for name, l := range r.Loggers {
		eff[name] = l.Effective
	}
	assert.Equal(t, map[string]string{
		"root": "ERROR", "a": "ERROR", "a.b": "DEBUG", "a.b.c.d": "DEBUG", "a.bc": "ERROR", "x.y": "CRITICAL",
	}, eff, "NOTSET inherits from the nearest dotted ancestor with a level, then root")
	assert.Equal(t, "NOTSET", r.Loggers["a"].Level)
	assert.False(t, r.Loggers["a.b"].Propagate)

	noRoot := &Config{Loggers: []LoggerConfig{{Name: "a", Level: NotSet}}}
	assert.Equal(t, "WARNING", noRoot.Resolve().Loggers["a"].Effective, "without a root (incremental JSON), Python's default")

	notSetRoot := &Config{Loggers: []LoggerConfig{{Name: "root", Level: NotSet}, {Name: "a", Level: NotSet}}}
	assert.Equal(t, "NOTSET", notSetRoot.Resolve().Loggers["a"].Effective, "as Python: a NOTSET root lets everything through")
}

func TestResolveJSONShape(t *testing.T) {
	cfg := &Config{
		Loggers: []LoggerConfig{
			{Name: "root", Level: zapcore.WarnLevel, Propagate: true, Handlers: []string{"console"}},
			{Name: "app.db", Level: NotSet, Propagate: false},
		},
		Handlers: []HandlerConfig{
			{Key: "console", Class: "logging.StreamHandler", Level: NotSet, Formatter: "default"},
			{Key: "file", Class: "logging.handlers.RotatingFileHandler", Level: zapcore.InfoLevel, Formatter: "dated"},
			{Key: "null", Class: "NullHandler", Level: NotSet},
		},
		Formatters: []FormatterConfig{
			{Key: "default", Format: "%(message)s"},
			{Key: "dated", Format: "%(asctime)s %(message)s", Datefmt: "", HasDatefmt: true},
			{Key: "unused", Format: "x"},
		},
	}
	b, err := json.Marshal(cfg.Resolve())
	require.NoError(t, err)
	assert.JSONEq(t, `{
	 "loggers": {"root": {"level": "WARNING", "effective": "WARNING", "propagate": true, "handlers": ["console"]},
	             "app.db": {"level": "NOTSET", "effective": "WARNING", "propagate": false, "handlers": []}},
	 "handlers": {"console": {"class": "StreamHandler", "level": "NOTSET", "formatter": "default"},
	              "file": {"class": "RotatingFileHandler", "level": "INFO", "formatter": "dated"},
	              "null": {"class": "NullHandler", "level": "NOTSET", "formatter": ""}},
	 "formatters": {"default": {"format": "%(message)s", "datefmt": null},
	                "dated": {"format": "%(asctime)s %(message)s", "datefmt": ""}}}`, string(b))

	r := cfg.Resolve()
	r.Loggers["root"].Handlers[0] = "changed"
	assert.Equal(t, "console", cfg.Loggers[0].Handlers[0], "the view does not share the config's slices")
}

func TestResolveEmptyConfig(t *testing.T) {
	b, err := json.Marshal((&Config{}).Resolve())
	require.NoError(t, err)
	assert.JSONEq(t, `{"loggers": {}, "handlers": {}, "formatters": {}}`, string(b))
}
