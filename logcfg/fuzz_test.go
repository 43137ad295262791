package logcfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/livelog/livelog/internal/ini"
	"github.com/livelog/livelog/internal/wire"
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
			if len(cfg.Loggers) > 0 && cfg.Loggers[0].Name == "" {
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

// FuzzPayload runs a whole request frame's payload through the listener's
// parse path (wire.ParseRequest, then ParsePayload with the envelope's
// defaults, then a levels-only Plan against a live tree) and asserts the
// budget, not only "no crash": an INI parse does at most workPerByte
// steps per byte of the config and its defaults plus ini.WorkBase, and no
// error text exceeds MaxErrorText.
func FuzzPayload(f *testing.F) {
	tree, err := NewTree(DefaultConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { tree.Close() })
	f.Add([]byte(fullINI))
	f.Add([]byte(dictConfig))
	f.Add([]byte(`{"livelog": 2, "op": "apply", "config": "[DEFAULT]\na=%(b)s%(b)s\nb=\n[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=%(a)sINFO\nhandlers=\n", "defaults": {"here": "%(a)s"}}`))
	f.Add([]byte("[loggers]\nkeys=root,a,a,b\n[handlers]\nkeys=\n[formatters]\nkeys=\n[logger_root]\nlevel=INFO\nhandlers=x,x\n"))
	f.Fuzz(func(t *testing.T, payload []byte) {
		env, _, err := wire.ParseRequest(payload)
		if err != nil {
			if n := len(err.Error()); n > MaxErrorText {
				t.Fatalf("request error of %d bytes", n)
			}
			return
		}
		var work int
		cfg, err := ParsePayload([]byte(env.Config), "fuzz.payload", WithDefaults(env.Defaults), countWork{&work})
		if err != nil {
			if n := len(err.Error()); n > MaxErrorText {
				t.Fatalf("parse error of %d bytes", n)
			}
		} else if _, err := tree.Plan(cfg, LevelsOnly); err != nil && len(err.Error()) > MaxErrorText {
			t.Fatalf("plan error of %d bytes", len(err.Error()))
		}
		size := len(env.Config)
		for k, v := range env.Defaults {
			size += len(k) + len(v)
		}
		if work > workPerByte*size+ini.WorkBase+2*size {
			t.Fatalf("work %d for %d bytes", work, size)
		}
	})
}
