package logcfg

import (
	"slices"

	"go.uber.org/zap/zapcore"
)

// LoggerLevel is one logger in [Tree.Loggers].
type LoggerLevel struct {
	// Name is the logger's dotted name; "root" for the root.
	Name string
	// Level is the logger's own level: the running config's, or NotSet
	// when the config does not name it.
	Level zapcore.Level
	// Effective is the level it logs at: its own, or inherited from the
	// nearest ancestor with a level.
	Effective zapcore.Level
	// Configured says whether the running config names the logger.
	Configured bool
}

// Loggers lists every logger the running config names and every logger
// the program asked for (Logger, Slog, Logr, ...), configured or not,
// each once, with its own and effective level: the root first, then by
// name.
func (t *Tree) Loggers() []LoggerLevel {
	s := t.state.Load()
	var out []LoggerLevel
	seen := map[string]bool{}
	for _, l := range s.cfg.Loggers {
		if !seen[l.Name] {
			seen[l.Name] = true
			out = append(out, LoggerLevel{Name: l.Name, Level: l.Level, Effective: s.effective(l.Name), Configured: true})
		}
	}
	t.nodes.Range(func(k, _ any) bool {
		if name := k.(string); !seen[name] {
			seen[name] = true
			out = append(out, LoggerLevel{Name: name, Level: NotSet, Effective: s.effective(name)})
		}
		return true
	})
	if !seen["root"] {
		out = append(out, LoggerLevel{Name: "root", Level: s.levels["root"], Effective: s.effective("root"), Configured: false})
	}
	slices.SortFunc(out, func(a, b LoggerLevel) int {
		switch {
		case a.Name == b.Name:
			return 0
		case a.Name == "root":
			return -1
		case b.Name == "root":
			return 1
		case a.Name < b.Name:
			return -1
		}
		return 1
	})
	return out
}
