package logcfg

import (
	"fmt"
	"strings"
	"testing"
)

// bigDict is a dictConfig with n loggers and handlers, as JSON.
func bigDict(n int) string {
	var b strings.Builder
	b.WriteString(`{"version": 1, "formatters": {"f": {"format": "%(levelname)s %(name)s %(message)s"}}, "handlers": {`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"h%d": {"class": "logging.NullHandler", "level": "INFO", "formatter": "f"}`, i)
	}
	b.WriteString(`}, "loggers": {`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"app.l%d": {"level": "DEBUG", "handlers": ["h%d"], "propagate": false}`, i, i)
	}
	b.WriteString(`}, "root": {"level": "WARNING", "handlers": ["h0"]}}`)
	return b.String()
}

// BenchmarkParseDict parses the same dictConfig (200 loggers and
// handlers) as JSON and as YAML (JSON is YAML's flow style).
func BenchmarkParseDict(b *testing.B) {
	data := []byte(bigDict(200))
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := ParseJSON(data, "b.json"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("yaml", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := ParseYAML(data, "b.yaml"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
