package logcfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// sentinels are the categories every parse error must fall into.
var sentinels = []error{ErrSyntax, ErrBadLevel, ErrUnknownClass, ErrBadLiteral, ErrBadArgs, ErrMissingSection,
	ErrMissingKey, ErrUndefined, ErrDuplicate, ErrBadFormat, ErrInterpolation, ErrOpen, ErrEncoding}

// FuzzParse checks that Parse and ParsePayload never panic, and that Parse
// either returns a config whose resolved view marshals, or an error that
// says where (an *Error) or at least what (one of the Err* categories).
// The literal reader has its own FuzzParse, in internal/pylit.
func FuzzParse(f *testing.F) {
	reg := WithRegistry(newTestRegistry().Registry)
	files, err := filepath.Glob("testdata/fixtures/*.ini")
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
	f.Add([]byte(fullINI))
	f.Add([]byte(dictConfig))
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(what string, cfg *Config, err error) {
			if err != nil {
				var e *Error
				if !errors.As(err, &e) && !isCategorized(err) {
					t.Fatalf("%s: error without place or category: %v", what, err)
				}
				if cfg != nil {
					t.Fatalf("%s: both a config and an error", what)
				}
				return
			}
			if _, err := json.Marshal(cfg.Resolve()); err != nil {
				t.Fatalf("%s: resolved view does not marshal: %v", what, err)
			}
			if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")) && cfg.Loggers[0].Name == "" {
				t.Fatalf("%s: a logger without a name", what)
			}
		}
		cfg, err := Parse(bytes.NewReader(data), "fuzz.conf", WithDefaults(map[string]string{"here": "%(here)s"}), reg)
		check("Parse", cfg, err)
		cfg, err = ParsePayload(data, "fuzz.payload", reg)
		check("ParsePayload", cfg, err)
	})
}

func isCategorized(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
