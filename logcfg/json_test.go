package logcfg

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap/zapcore"
)

const dictConfig = `{
  "version": 1,
  "disable_existing_loggers": false,
  "formatters": {
    "brief": {"format": "%(levelname)s %(message)s", "datefmt": "%H:%M", "color": "never"},
    "unused": {"format": "%(message)s"}
  },
  "handlers": {
    "console": {"class": "logging.StreamHandler", "level": "INFO", "formatter": "brief", "stream": "ext://sys.stdout"},
    "audit": {"class": "test.Recorder", "filename": "audit.log", "maxBytes": 1048576, "backupCount": 3,
              "ratio": 0.5, "delay": true, "extra": null, "tags": ["a", 1], "opts": {"k": "v"}}
  },
  "loggers": {
    "app.db": {"level": 10, "handlers": ["audit"], "propagate": false},
    "app": {"level": "ERROR"}
  },
  "root": {"level": "WARNING", "handlers": ["console"]}
}`

func TestParseJSON(t *testing.T) {
	cfg, err := ParseJSON([]byte(dictConfig), "push.json", WithRegistry(newTestRegistry().Registry))
	require.NoError(t, err)
	assert.False(t, cfg.Incremental)

	require.Len(t, cfg.Loggers, 3)
	assert.Equal(t, LoggerConfig{Key: "root", Name: "root", Level: zapcore.WarnLevel, Handlers: []string{"console"}, Propagate: true,
		Pos: Pos{File: "push.json", Line: 17, Column: 11, Section: "root"}}, cfg.Loggers[0])
	assert.Equal(t, LoggerConfig{Key: "app", Name: "app", Level: zapcore.ErrorLevel, Handlers: []string{}, Propagate: true,
		Pos: Pos{File: "push.json", Line: 15, Column: 12, Section: "loggers.app"}}, cfg.Loggers[1])
	assert.Equal(t, LoggerConfig{Key: "app.db", Name: "app.db", Level: zapcore.DebugLevel, Handlers: []string{"audit"}, Propagate: false,
		Pos: Pos{File: "push.json", Line: 14, Column: 15, Section: "loggers.app.db"}}, cfg.Loggers[2])

	require.Len(t, cfg.Handlers, 2)
	assert.Equal(t, HandlerConfig{Key: "audit", Class: "test.Recorder", Level: NotSet, Args: []Value{}, Kwargs: map[string]Value{
		"filename": str("audit.log"), "maxBytes": num(1048576), "backupCount": num(3), "ratio": {Kind: KindFloat, Float: 0.5},
		"delay": {Kind: KindBool, Bool: true}, "extra": {Kind: KindNone}, "tags": tup(str("a"), num(1)),
		"opts": {Kind: KindDict, Dict: map[string]Value{"k": str("v")}},
	}, Pos: Pos{File: "push.json", Line: 10, Column: 14, Section: "handlers.audit"}}, cfg.Handlers[0])
	assert.Equal(t, map[string]Value{"stream": stdout}, cfg.Handlers[1].Kwargs)
	assert.Equal(t, "brief", cfg.Handlers[1].Formatter)

	require.Len(t, cfg.Formatters, 2)
	assert.Equal(t, FormatterConfig{Key: "brief", Format: "%(levelname)s %(message)s", Datefmt: "%H:%M", HasDatefmt: true, Style: "%",
		Extra: map[string]string{"color": "never"}, Pos: Pos{File: "push.json", Line: 5, Column: 14, Section: "formatters.brief"}}, cfg.Formatters[0])

	assert.Empty(t, cfg.Warnings, "disable_existing_loggers: false is what livelog does")
	r := cfg.Resolve()
	assert.Equal(t, "ERROR", r.Loggers["app"].Effective)
	assert.Equal(t, "DEBUG", r.Loggers["app.db"].Effective)
	assert.Equal(t, ResolvedHandler{Class: "StreamHandler", Level: "INFO", Formatter: "brief"}, r.Handlers["console"])
	assert.NotContains(t, r.Formatters, "unused")

	cfg, err = ParseJSON([]byte(`{"version": 1, "disable_existing_loggers": true}`), "push.json")
	require.NoError(t, err)
	require.Len(t, cfg.Warnings, 1)
	assert.Equal(t, "logcfg: push.json:1:44: disable_existing_loggers: livelog never disables loggers a config does not mention; "+
		"they go back to NOTSET and keep inheriting from their ancestors", cfg.Warnings[0].String())
	assert.Equal(t, []LoggerConfig{{Key: "root", Name: "root", Level: zapcore.WarnLevel, Handlers: []string{}, Propagate: true,
		Pos: Pos{File: "push.json", Line: 1, Column: 1, Section: "root"}}}, cfg.Loggers, "no root: Python's fresh root, WARNING without handlers")

}

func TestParseJSONIncremental(t *testing.T) {
	cfg, err := ParseJSON([]byte(`{"version": 1, "incremental": true,
		"formatters": {"f": {"format": "%(message)s"}},
		"handlers": {"console": {"level": "ERROR"}, "other": {"class": "Whatever"}},
		"loggers": {"app": {"level": "DEBUG", "handlers": ["x"]}, "quiet": {"propagate": false}}}`), "inc.json")
	require.NoError(t, err)
	assert.True(t, cfg.Incremental)
	assert.Empty(t, cfg.Formatters)
	assert.Equal(t, []HandlerConfig{{Key: "console", Level: zapcore.ErrorLevel, Args: []Value{}, Kwargs: map[string]Value{},
		Pos: Pos{File: "inc.json", Line: 3, Column: 27, Section: "handlers.console"}}}, cfg.Handlers, "only handlers with a level; class not needed")
	require.Len(t, cfg.Loggers, 1, "no root needed; loggers without a level are left out")
	assert.Equal(t, "app", cfg.Loggers[0].Name)
	assert.Equal(t, zapcore.DebugLevel, cfg.Loggers[0].Level)
	var msgs []string
	for _, w := range cfg.Warnings {
		msgs = append(msgs, w.String())
	}
	assert.Equal(t, []string{
		"logcfg: inc.json:2:17: [formatters] formatters are ignored in incremental mode",
		"logcfg: inc.json:3:56: [handlers.other] no level: nothing to change in incremental mode",
		"logcfg: inc.json:4:22: [loggers.app] only the level is applied in incremental mode",
		"logcfg: inc.json:4:70: [loggers.quiet] no level: nothing to change in incremental mode",
	}, msgs)
}

func TestParseJSONRejects(t *testing.T) {
	root := `"root": {"handlers": []}`
	tests := []struct {
		name, json string
		is         error
		section    string
		key        string
		msg        string
	}{
		{"no version", `{` + root + `}`, ErrMissingKey, "", "version", `"version": 1 is required`},
		{"version 2", `{"version": 2, ` + root + `}`, ErrSyntax, "", "version", "unsupported version 2"},
		{"version string", `{"version": "1", ` + root + `}`, ErrSyntax, "", "version", "must be the number 1, not a string"},
		{"factory", `{"version": 1, "formatters": {"f": {"()": "my.factory"}}, ` + root + `}`,
			ErrUnknownClass, "formatters.f", "()", `"()" factories are not supported: livelog calls no code`},
		{"undefined filter", `{"version": 1, "handlers": {"h": {"class": "StreamHandler", "filters": ["x"]}}, ` + root + `}`,
			ErrUndefined, "handlers.h", "filters", `filter "x" is not defined under "filters"`},
		{"filter factory", `{"version": 1, "filters": {"x": {"()": "my.Filter"}}, ` + root + `}`, ErrUnknownClass, "filters.x", "()", `"()" factories are not supported`},
		{"filters not a list", `{"version": 1, "filters": {"x": {}}, "root": {"filters": "x"}}`, ErrSyntax, "root", "filters", "filters must be a list of names, not a string"},
		{"ext reference", `{"version": 1, "formatters": {"f": {"format": "ext://os.environ"}}, ` + root + `}`,
			ErrBadLiteral, "formatters.f", "format", `"ext://os.environ": only ext://sys.stdout and ext://sys.stderr`},
		{"ext module in a handler", `{"version": 1, "handlers": {"h": {"class": "StreamHandler", "stream": "ext://os.devnull"}}, ` + root + `}`,
			ErrBadLiteral, "handlers.h", "stream", "only ext://sys.stdout and ext://sys.stderr are supported"},
		{"nested cfg reference", `{"version": 1, "handlers": {"h": {"class": "StreamHandler", "x": ["cfg://handlers.h"]}}, ` + root + `}`,
			ErrBadLiteral, "handlers.h", "x", `"cfg://handlers.h"`},
		{"kwarg not an identifier", `{"version": 1, "handlers": {"h": {"class": "StreamHandler", "max-bytes": 1}}, ` + root + `}`,
			ErrBadArgs, "handlers.h", "max-bytes", "is not a Python identifier"},
		{"duplicate key", `{"version": 1, "root": {}, "root": {}}`, ErrDuplicate, "", "", `key "root" is given twice`},
		{"defaults not a mapping", `{"version": 1, "formatters": {"f": {"defaults": "x"}}, ` + root + `}`,
			ErrBadFormat, "formatters.f", "defaults", "defaults must be an object"},
		{"properties", `{"version": 1, "handlers": {"h": {"class": "StreamHandler", ".": {"a": 1}}}, ` + root + `}`,
			ErrBadArgs, "handlers.h", ".", `"." properties are not supported`},
		{"bad level", `{"version": 1, "loggers": {"a": {"level": "LOUD"}}, ` + root + `}`, ErrBadLevel, "loggers.a", "level", `bad level "LOUD"`},
		{"odd level number", `{"version": 1, "loggers": {"a": {"level": 15}}, ` + root + `}`, ErrBadLevel, "loggers.a", "level", "bad level 15"},
		{"undefined handler", `{"version": 1, "root": {"handlers": ["h"]}}`, ErrUndefined, "root", "handlers", `handler "h" is not defined under "handlers"`},
		{"undefined formatter", `{"version": 1, "handlers": {"h": {"class": "StreamHandler", "formatter": "f"}}, ` + root + `}`,
			ErrUndefined, "handlers.h", "formatter", `formatter "f" is not defined under "formatters"`},
		{"no class", `{"version": 1, "handlers": {"h": {"level": "INFO"}}, ` + root + `}`, ErrMissingKey, "handlers.h", "class", "a handler needs a class"},
		{"unknown class", `{"version": 1, "handlers": {"h": {"class": "Nope"}}, ` + root + `}`, ErrUnknownClass, "handlers.h", "class", `unknown class "Nope"`},
		{"cfg reference", `{"version": 1, "handlers": {"h": {"class": "StreamHandler", "stream": "cfg://x"}}, ` + root + `}`,
			ErrBadLiteral, "handlers.h", "stream", "only ext://sys.stdout and ext://sys.stderr are supported"},
		{"handlers not a list", `{"version": 1, "root": {"handlers": "h"}}`, ErrSyntax, "root", "handlers", "must be a list of names, not a string"},
		{"propagate string", `{"version": 1, "loggers": {"a": {"propagate": "no"}}, ` + root + `}`, ErrSyntax, "loggers.a", "propagate", "must be true or false"},
		{"handlers not an object", `{"version": 1, "handlers": [], ` + root + `}`, ErrSyntax, "handlers", "", "handlers must be an object, not a list"},
		{"bad style", `{"version": 1, "formatters": {"f": {"style": "%%"}}, ` + root + `}`, ErrBadFormat, "formatters.f", "style", `style "%%"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJSON([]byte(tt.json), "push.json")
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.is)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "push.json", e.File)
			assert.Equal(t, tt.section, e.Section)
			assert.Equal(t, tt.key, e.Key)
			assert.Contains(t, e.Error(), tt.msg)
		})
	}
}

func TestParseJSONSyntax(t *testing.T) {
	tests := []struct {
		json      string
		line, col int
		msg       string
	}{
		{"{\"version\": 1,\n  \"root\": {,}}", 2, 12, "invalid character ','"},
		{"{\"version\": 1,\n  \"é\": {\"a\" 1}}", 2, 13, "after object key"},
		{`{"version": 1,`, 1, 15, "unexpected end of JSON input"},
		{`{"version": 1} {}`, 1, 16, "data after the JSON object at offset 15"},
		{`[1]`, 1, 1, "the JSON config must be an object, not a list"},
		{strings.Repeat("[", 100) + strings.Repeat("]", 100), 1, 65, "nested deeper than 64 levels"},
	}
	for _, tt := range tests {
		_, err := ParseJSON([]byte(tt.json), "push.json")
		var e *Error
		require.ErrorAs(t, err, &e, tt.json)
		assert.ErrorIs(t, err, ErrSyntax)
		assert.Equal(t, [2]int{tt.line, tt.col}, [2]int{e.Line, e.Column}, "%s: %v", tt.json, err)
		assert.Contains(t, err.Error(), tt.msg)
		assert.Contains(t, err.Error(), fmt.Sprintf("push.json:%d:%d: ", tt.line, tt.col))
	}
}

func TestParsePayload(t *testing.T) {
	cfg, err := ParsePayload([]byte("\n "+dictConfigMinimal), "payload")
	require.NoError(t, err)
	assert.Equal(t, zapcore.ErrorLevel, cfg.Loggers[0].Level, "a JSON object is a dictConfig")

	cfg, err = ParsePayload([]byte("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=%(l)s\nhandlers=\n"),
		"payload", WithDefaults(map[string]string{"l": "DEBUG"}))
	require.NoError(t, err)
	assert.Equal(t, zapcore.DebugLevel, cfg.Loggers[0].Level, "anything else is INI, read with the options")

	_, err = ParsePayload([]byte(`{"version": 1, "root": {"level": "LOUD"}}`), "payload")
	assert.ErrorIs(t, err, ErrBadLevel, "a JSON config's error is reported as such, not retried as INI")
	assert.NotContains(t, err.Error(), "section")

	_, err = ParsePayload([]byte(`{"version": 1,`), "payload")
	assert.ErrorContains(t, err, "not a JSON object", "a broken JSON object is reported as JSON")

	_, err = ParsePayload([]byte("# a comment\n\nlevel=INFO\n"), "payload")
	assert.ErrorContains(t, err, "the YAML config must be a mapping, not a string", "neither { nor [ first: YAML")
	assert.True(t, strings.HasPrefix(err.Error(), "logcfg: payload:3:1: "), err.Error())

	for payload, want := range map[string]string{
		"{}": "json", " \n\t{": "json", "# c\n; c\n  {": "json", "\ufeff{": "json",
		"[loggers]": "ini", "# c\n[x]": "ini", "": "ini", "\n\n# only comments\n": "ini",
		"version: 1": "yaml", "# c\nversion: 1": "yaml", "---\nversion: 1": "yaml", "%YAML 1.1\n---\n{}": "yaml",
	} {
		assert.Equal(t, want, payloadFormat([]byte(payload)), "%q", payload)
	}
}

const dictConfigMinimal = `{"version": 1, "root": {"level": 40, "handlers": []}}`
