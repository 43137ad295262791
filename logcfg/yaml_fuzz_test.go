package logcfg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/livelog/livelog/internal/ini"
)

// FuzzYAML runs ParseYAML (and ParsePayload on the same bytes) and
// asserts the bounds, not only "no crash": the parse's work (bytes read,
// nodes expanded, items checked) is at most workPerByte per byte plus
// ini.WorkBase, the expanded document never passes MaxYAMLNodes, an error
// is an *Error or wraps a category and its text is at most MaxErrorText,
// and a config comes with no error.
func FuzzYAML(f *testing.F) {
	files, err := filepath.Glob("testdata/dict/*.y*ml")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(yamlConfig))
	f.Add([]byte(billionLaughs(9, 9)))
	f.Add([]byte("version: 1\nhandlers: &h\n  h: *h\n"))
	f.Add([]byte("version: 1\nroot: {<<: [*a]}\n"))
	f.Add([]byte("a: &a {x: 1}\nversion: !!int 0x1\nloggers: {l: {<<: *a, level: 10}}\n"))
	reg := WithRegistry(newTestRegistry().Registry)
	f.Fuzz(func(t *testing.T, data []byte) {
		var work int
		cfg, err := ParseYAML(data, "fuzz.yaml", reg, countWork{&work})
		if work > workPerByte*len(data)+ini.WorkBase {
			t.Fatalf("work %d for %d bytes", work, len(data))
		}
		for _, parse := range []func() (*Config, error){
			func() (*Config, error) { return cfg, err },
			func() (*Config, error) { return ParsePayload(data, "fuzz.payload", reg) },
		} {
			cfg, err := parse()
			if err == nil {
				if cfg == nil {
					t.Fatal("neither a config nor an error")
				}
				continue
			}
			if cfg != nil {
				t.Fatalf("both a config and an error: %v", err)
			}
			if n := len(err.Error()); n > MaxErrorText {
				t.Fatalf("error of %d bytes", n)
			}
			var e *Error
			if !errors.As(err, &e) && !isCategorized(err) {
				t.Fatalf("error without place or category: %v", err)
			}
			if strings.Contains(err.Error(), "refused as an alias bomb") && !errors.Is(err, ErrSyntax) {
				t.Fatalf("alias bomb not a syntax error: %v", err)
			}
		}
	})
}
