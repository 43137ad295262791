package logcfg

// This file holds the signatures the package promises while the work is
// split between developers. Each declaration moves to its own file
// (parse.go, resolve.go, tree.go, policy.go, env.go) when implemented, and
// this file is deleted.

import (
	"errors"
	"io"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
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

// ---- policy.go (owner: tree) ----

// Policy says what Apply may change.
type Policy int

const (
	// LevelsOnly changes logger and handler levels only; every other
	// difference is reported in ApplyResult.Ignored.
	LevelsOnly Policy = iota
	// Full replaces handlers and formatters too.
	Full
)

// ApplyResult reports what an Apply changed.
type ApplyResult struct {
	Generation uint64   // the tree's generation after the apply
	Changes    []Change // levels that changed
	Ignored    []string // differences the policy did not let through
}

// Change is one level that changed.
type Change struct {
	Kind     string // "logger" or "handler"
	Name     string // logger name ("root") or handler key
	Old, New zapcore.Level
}

// ---- tree.go (owner: tree) ----

// Tree is a live tree of named zap loggers.
type Tree struct{}

// TreeOption configures NewTree.
type TreeOption interface{ applyTreeOption(*Tree) }

// NewTree builds a tree running cfg (with Policy Full).
func NewTree(cfg *Config, opts ...TreeOption) (*Tree, error) { return nil, errTODO }

// Logger returns the zap logger named name ("" or "root" is the root).
func (t *Tree) Logger(name string) *zap.Logger { panic(errTODO) }

// Apply applies cfg atomically under policy p.
func (t *Tree) Apply(cfg *Config, p Policy) (*ApplyResult, error) { return nil, errTODO }

// Config returns the configuration the tree runs now.
func (t *Tree) Config() *Config { panic(errTODO) }

// Generation counts applies; it starts at 1 for NewTree.
func (t *Tree) Generation() uint64 { panic(errTODO) }

// Resolved gives the JSON picture of the running tree.
func (t *Tree) Resolved() Resolved { panic(errTODO) }

// Sync flushes every handler.
func (t *Tree) Sync() error { return errTODO }

// Close flushes and closes every handler.
func (t *Tree) Close() error { return errTODO }

// ---- env.go (owner: tree) ----

// EnvFile names the config file for the ENV variable: dir/info.conf for
// ENV=dev or test, dir/error.conf for ENV=prod, dir/debug.conf otherwise.
func EnvFile(dir string) string { panic(errTODO) }

// FromEnv builds a tree from EnvFile(dir); dir == "" gives the built-in
// default (DEBUG and up to stderr).
func FromEnv(dir string, opts ...TreeOption) (*Tree, error) { return nil, errTODO }
