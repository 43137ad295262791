package logcfg

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"
)

// SetLevel sets the own level of the logger name ("" or "root" is the
// root) from code, and nothing else: it is an incremental, levels-only
// apply of that one level (like a dictConfig with "incremental": true),
// recorded in [Tree.History] as coming from "code". [NotSet] gives the
// logger back to inheritance from its ancestors (for the root, NOTSET
// lets every record through, as in Python). The logger need not be named
// by the running config or asked for yet. As a permanent change of one
// level it takes that level out of the revert of any temporary change in
// force (see [Tree.ApplyFor]). Like a push, the change is audited on
// [AuditLogger] once applied, and so is a SetLevelFor's revert.
//
// The level must be NotSet, DEBUG, INFO, WARNING, ERROR or CRITICAL; a
// name must not be blank or hold spaces or control characters.
func (t *Tree) SetLevel(name string, level zapcore.Level) (ApplyResult, error) {
	return t.setLevel("SetLevel", name, level)
}

// SetLevelFor is [Tree.SetLevel] for d only: after d the level goes back
// to what it was, on the tree's shared temporary-change mechanism (the
// rules for overlapping changes are [Tree.ApplyFor]'s). d must be
// positive. ApplyResult.Expires says when it reverts.
func (t *Tree) SetLevelFor(name string, level zapcore.Level, d time.Duration) (ApplyResult, error) {
	if d <= 0 {
		return ApplyResult{}, fmt.Errorf("logcfg: SetLevelFor(%q): duration %s: want a positive duration (SetLevel makes a permanent change)", clip(name), d)
	}
	return t.setLevel("SetLevelFor", name, level, For(d))
}

func (t *Tree) setLevel(fn, name string, level zapcore.Level, opts ...ApplyOption) (ApplyResult, error) {
	if err := checkLoggerName(name); err != nil {
		return ApplyResult{}, fmt.Errorf("logcfg: %s: %w", fn, err)
	}
	switch level {
	case NotSet, zapcore.DebugLevel, zapcore.InfoLevel, zapcore.WarnLevel, zapcore.ErrorLevel, Critical:
	default:
		return ApplyResult{}, fmt.Errorf("logcfg: %s(%q): %w %d (want NotSet, DEBUG, INFO, WARNING, ERROR or CRITICAL)", fn, clip(name), ErrBadLevel, int(level))
	}
	name = canonicalName(name)
	cfg := &Config{Incremental: true, Loggers: []LoggerConfig{{Key: name, Name: name, Level: level, Propagate: true}}}
	// Audited like a push: the change, and its revert (the hooks go with
	// a temporary change), each on livelog.audit after the apply.
	audit := WithHooks(ApplyHooks{After: func(r *ApplyResult) { t.Audit(r.Generation) }})
	res, err := t.Apply(cfg, LevelsOnly, append(opts, WithSource("code", ""), WithOrigin(SourceCode, ""), audit)...)
	if err != nil {
		return ApplyResult{}, err
	}
	return *res, nil
}

// checkLoggerName refuses names no logger could sensibly have.
func checkLoggerName(name string) error {
	switch {
	case name != "" && strings.TrimSpace(name) == "":
		return errors.New("blank logger name (the root is \"\" or \"root\")")
	case strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return fmt.Errorf("logger name %q holds a space or control character", clip(name))
	}
	return nil
}
