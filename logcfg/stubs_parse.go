package logcfg

// Signatures promised while the work is split; each declaration moves to its
// real file when implemented, and this file is deleted.

import (
	"errors"
	"io"
)

var errTODO = errors.New("logcfg: not implemented yet")

// ---- parse.go (owner: parse) ----

// ParseOption configures Parse, ParseFile and ParsePayload.
type ParseOption interface{ applyParseOption(*parseOptions) }

type parseOptions struct {
	defaults map[string]string
}

// WithDefaults supplies interpolation defaults, like the defaults argument
// of Python's fileConfig (e.g. {"here": "/srv/app"} for %(here)s).
func WithDefaults(d map[string]string) ParseOption { panic(errTODO) }

// Parse reads a fileConfig INI config. name is used in error messages.
func Parse(r io.Reader, name string, opts ...ParseOption) (*Config, error) { return nil, errTODO }

// ParseFile reads a fileConfig INI file.
func ParseFile(path string, opts ...ParseOption) (*Config, error) { return nil, errTODO }

// ParseJSON reads a dictConfig-style JSON object (version 1), including
// "incremental": true.
func ParseJSON(data []byte, name string) (*Config, error) { return nil, errTODO }

// ParsePayload reads a config as Python's logging.config.listen does: a
// payload that is a JSON object is a dictConfig (and an error in it is
// reported as such, never retried as INI); anything else is INI.
func ParsePayload(data []byte, name string, opts ...ParseOption) (*Config, error) {
	return nil, errTODO
}

// ---- resolve.go (owner: parse) ----

// Resolved is the JSON picture of a config or of a running tree.
type Resolved struct {
	Loggers    map[string]ResolvedLogger    `json:"loggers"`
	Handlers   map[string]ResolvedHandler   `json:"handlers"`
	Formatters map[string]ResolvedFormatter `json:"formatters"`
	Warnings   []string                     `json:"warnings,omitempty"`
}

// ResolvedLogger is one logger in a [Resolved] view.
type ResolvedLogger struct {
	Level     string   `json:"level"`
	Effective string   `json:"effective"`
	Propagate bool     `json:"propagate"`
	Handlers  []string `json:"handlers"`
}

// ResolvedHandler is one handler in a [Resolved] view.
type ResolvedHandler struct {
	Class     string `json:"class"`
	Level     string `json:"level"`
	Formatter string `json:"formatter"`
}

// ResolvedFormatter is one formatter in a [Resolved] view.
type ResolvedFormatter struct {
	Format  string  `json:"format"`
	Datefmt *string `json:"datefmt"`
}

// Resolve gives the JSON picture of c.
func (c *Config) Resolve() Resolved { panic(errTODO) }
