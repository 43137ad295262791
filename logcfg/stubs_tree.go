package logcfg

// Signatures promised while the work is split; each declaration moves to its
// real file when implemented, and this file is deleted.

import (
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

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
