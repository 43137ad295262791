package logcfg

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clipBound is the most an error about one bad value may say: the value
// clipped to 200 bytes (4 bytes each when every byte is escaped by %q),
// plus the message's own words and position.
const clipBound = 2 << 10

// Every error that quotes a value from the config quotes at most 200
// bytes of it, wherever the value sits, so that a 100 KB value never
// becomes a 400 KB error (before: propagate quoted its value whole).
func TestErrorsClipQuotedValues(t *testing.T) {
	huge := strings.Repeat("\x01", 100<<10)
	word := strings.Repeat("x", 100<<10)
	base := func() map[string]string {
		return map[string]string{
			"lkeys": "root,app", "hkeys": "h", "fkeys": "f",
			"rootlevel": "INFO", "roothandlers": "h",
			"applevel": "DEBUG", "apphandlers": "", "qualname": "app", "propagate": "1",
			"class": "StreamHandler", "hlevel": "NOTSET", "hformatter": "f", "args": "(sys.stderr,)",
			"format": "%(message)s", "style": "%", "fclass": "", "datefmt": "",
		}
	}
	ini := func(v map[string]string) string {
		var b strings.Builder
		b.WriteString("[loggers]\nkeys=" + v["lkeys"] + "\n[handlers]\nkeys=" + v["hkeys"] + "\n[formatters]\nkeys=" + v["fkeys"] + "\n")
		b.WriteString("[logger_root]\nlevel=" + v["rootlevel"] + "\nhandlers=" + v["roothandlers"] + "\n")
		b.WriteString("[logger_app]\nlevel=" + v["applevel"] + "\nhandlers=" + v["apphandlers"] + "\nqualname=" + v["qualname"] + "\npropagate=" + v["propagate"] + "\n")
		b.WriteString("[handler_h]\nclass=" + v["class"] + "\nlevel=" + v["hlevel"] + "\nformatter=" + v["hformatter"] + "\nargs=" + v["args"] + "\n")
		b.WriteString("[formatter_f]\nformat=" + v["format"] + "\nstyle=" + v["style"] + "\n")
		if v["fclass"] != "" {
			b.WriteString("class=" + v["fclass"] + "\n")
		}
		if v["datefmt"] != "" {
			b.WriteString("datefmt=" + v["datefmt"] + "\n")
		}
		return b.String()
	}
	{
		_, err := Parse(strings.NewReader(ini(base())), "ok.ini", WithRegistry(NewRegistry()))
		require.NoError(t, err, "the base config parses")
	}
	for _, key := range []string{"rootlevel", "roothandlers", "applevel", "apphandlers", "propagate",
		"class", "hlevel", "hformatter", "args", "format", "style", "fclass", "lkeys", "hkeys", "fkeys"} {
		for _, val := range []string{huge, word} {
			v := base()
			v[key] = val
			_, err := Parse(strings.NewReader(ini(v)), "big.ini", WithRegistry(NewRegistry()))
			if !assert.Error(t, err, key) {
				continue
			}
			assert.LessOrEqual(t, len(err.Error()), clipBound, "%s: %d bytes: %.300q", key, len(err.Error()), err.Error())
		}
	}
}

// The same bound holds for interpolation errors and for dictConfig.
func TestErrorsClipQuotedValuesInterpolationAndDict(t *testing.T) {
	word := strings.Repeat("x", 100<<10)
	inis := map[string]string{
		"bad reference":   "[DEFAULT]\nv=" + word + "%(\n[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=%(v)s\nhandlers=\n",
		"undefined name":  "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=" + word + "%(" + word + ")s\nhandlers=\n",
		"lone percent":    "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=" + word + "%x\nhandlers=\n",
		"bad args":        "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n[logger_root]\nhandlers=h\n[handler_h]\nclass=StreamHandler\nargs=(" + word + ",)\n",
		"bad args string": "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n[logger_root]\nhandlers=h\n[handler_h]\nclass=FileHandler\nargs=('a.log', '" + word + "')\n",
	}
	for name, text := range inis {
		_, err := Parse(strings.NewReader(text), "big.ini", WithRegistry(NewRegistry()))
		if assert.Error(t, err, name) {
			assert.LessOrEqual(t, len(err.Error()), clipBound, "%s: %.300q", name, err.Error())
		}
	}
	dicts := map[string]string{
		"propagate": "version: 1\nloggers:\n  app:\n    propagate: " + word + "\n",
		"level":     "version: 1\nroot:\n  level: " + word + "\n",
		"class":     "version: 1\nhandlers:\n  h:\n    class: " + word + "\n",
		"style":     "version: 1\nformatters:\n  f:\n    format: x\n    style: " + word + "\n",
		"format":    "version: 1\nformatters:\n  f:\n    format: '%(" + word + ")s'\n",
		"key":       "version: 1\nhandlers:\n  h:\n    class: logging.StreamHandler\n    " + word + "-x: 1\n",
		"formatter": "version: 1\nhandlers:\n  h:\n    class: logging.StreamHandler\n    formatter: " + word + "\n",
		"handlers":  "version: 1\nroot:\n  handlers: [" + word + "]\n",
	}
	for name, text := range dicts {
		_, err := ParseYAML([]byte(text), "big.yaml", WithRegistry(NewRegistry()))
		if assert.Error(t, err, name) {
			assert.LessOrEqual(t, len(err.Error()), clipBound, "%s: %.300q", name, err.Error())
		}
	}
}
