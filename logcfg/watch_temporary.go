package logcfg

import (
	"slices"

	"go.uber.org/zap/zapcore"
)

// A file apply ([Watch]) keeps the temporary changes in force: the file's
// config is their new base. overlayTempsLocked, before the plan, puts
// each level a temporary change still holds onto the file's config;
// rebaseTempsLocked, after the apply, makes each such level go back to
// the file's value when its change ends. t.mu is held for both.

// overlayTempsLocked returns cfg with the levels the temporary changes in
// force still hold (cfg itself when there are none).
func (t *Tree) overlayTempsLocked(cfg *Config) *Config {
	if len(t.temps) == 0 || cfg.Incremental {
		return cfg
	}
	cur := t.state.Load()
	out := cloneConfig(cfg)
	for _, tc := range t.temps {
		for _, c := range tc.changes {
			if !tc.reverts[changeKey(c.Kind, c.Name)] {
				continue
			}
			switch c.Kind {
			case ChangeLogger:
				if l, ok := cur.levels[c.Name]; !ok || l != c.New {
					continue
				}
				if i := slices.IndexFunc(out.Loggers, func(l LoggerConfig) bool { return l.Name == c.Name }); i >= 0 {
					out.Loggers[i].Level = c.New
				} else {
					out.Loggers = append(out.Loggers, LoggerConfig{Key: c.Name, Name: c.Name, Level: c.New, Propagate: true})
				}
			case ChangeHandler:
				h, ok := cur.handlers[c.Name]
				if !ok || h.level != c.New {
					continue
				}
				if i := slices.IndexFunc(out.Handlers, func(h HandlerConfig) bool { return h.Key == c.Name }); i >= 0 {
					out.Handlers[i].Level = c.New
				}
			}
		}
	}
	return out
}

// rebaseTempsLocked makes file (the config as the file has it, before
// overlayTempsLocked) the base of every temporary change in force: each
// level it holds goes back to the file's value when it ends; a handler the
// file no longer has is dropped from its revert.
func (t *Tree) rebaseTempsLocked(file *Config) {
	own, hlevel := configLevels(file)
	for _, tc := range t.temps {
		tc.base = file
		changes := slices.Clone(tc.changes)
		for i, c := range changes {
			switch c.Kind {
			case ChangeLogger:
				l, ok := own[c.Name]
				if !ok {
					l = NotSet // the file does not name it
				}
				changes[i].Old = l
			case ChangeHandler:
				l, ok := hlevel[c.Name]
				if !ok {
					delete(tc.reverts, changeKey(c.Kind, c.Name))
					continue
				}
				changes[i].Old = l
			}
		}
		tc.changes = changes
	}
}

// configLevels are cfg's loggers' own levels by name and its handlers'
// levels by key.
func configLevels(cfg *Config) (own, hlevel map[string]zapcore.Level) {
	own, hlevel = map[string]zapcore.Level{}, map[string]zapcore.Level{}
	for _, l := range cfg.Loggers {
		own[l.Name] = l.Level
	}
	for _, h := range cfg.Handlers {
		hlevel[h.Key] = h.Level
	}
	return own, hlevel
}
