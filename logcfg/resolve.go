package logcfg

import (
	"go.uber.org/zap/zapcore"
)

// Resolved is the JSON picture of a config or of a running tree: what
// Python's fileConfig would make of it, in Python's terms.
//
//	{"loggers": {"root": {"level": "WARNING", "effective": "WARNING", "propagate": true, "handlers": ["console"]},
//	             "app.db": {"level": "NOTSET", "effective": "WARNING", "propagate": false, "handlers": []}},
//	 "handlers": {"console": {"class": "StreamHandler", "level": "NOTSET", "formatter": "default"}},
//	 "formatters": {"default": {"format": "%(message)s", "datefmt": null}}}
type Resolved struct {
	// Loggers are keyed by qualname; the root logger is "root".
	Loggers map[string]ResolvedLogger `json:"loggers"`
	// Handlers are keyed by their key in [handlers] keys=.
	Handlers map[string]ResolvedHandler `json:"handlers"`
	// Formatters lists only the formatters some handler uses, as Python's
	// view of a running config can only show those.
	Formatters map[string]ResolvedFormatter `json:"formatters"`
	// Warnings are the config's warnings, as text.
	Warnings []string `json:"warnings,omitempty"`
}

// ResolvedLogger is one logger in a [Resolved] view.
type ResolvedLogger struct {
	// Level is the logger's own level name ("NOTSET" inherits).
	Level string `json:"level"`
	// Effective is the level that applies: the logger's own, or the
	// nearest ancestor's that is not NOTSET, or the root's.
	Effective string `json:"effective"`
	// Propagate sends records on to the ancestors' handlers.
	Propagate bool `json:"propagate"`
	// Handlers are the keys of the logger's own handlers (never null).
	Handlers []string `json:"handlers"`
}

// ResolvedHandler is one handler in a [Resolved] view.
type ResolvedHandler struct {
	// Class is the last dotted component of the class ("StreamHandler").
	Class string `json:"class"`
	// Level is the handler's level name.
	Level string `json:"level"`
	// Formatter is the key of the handler's formatter, "" for none.
	Formatter string `json:"formatter"`
}

// ResolvedFormatter is one formatter in a [Resolved] view.
type ResolvedFormatter struct {
	// Format is the format string, Python's default where none was given.
	Format string `json:"format"`
	// Datefmt is nil (JSON null) where the config gives none.
	Datefmt *string `json:"datefmt"`
}

// Resolve gives the JSON picture of c. Effective levels follow the dotted
// hierarchy among c's own loggers, then the root (WARNING when c has no
// root, as in a fresh Python process).
func (c *Config) Resolve() Resolved {
	r := Resolved{
		Loggers:    make(map[string]ResolvedLogger, len(c.Loggers)),
		Handlers:   make(map[string]ResolvedHandler, len(c.Handlers)),
		Formatters: map[string]ResolvedFormatter{},
	}
	own := make(map[string]zapcore.Level, len(c.Loggers))
	for _, l := range c.Loggers {
		own[l.Name] = l.Level
	}
	for _, l := range c.Loggers {
		hs := make([]string, len(l.Handlers))
		copy(hs, l.Handlers)
		r.Loggers[l.Name] = ResolvedLogger{
			Level:     LevelName(l.Level),
			Effective: LevelName(effectiveLevel(l.Name, own)),
			Propagate: l.Propagate,
			Handlers:  hs,
		}
	}
	formatters := make(map[string]*FormatterConfig, len(c.Formatters))
	for i := range c.Formatters {
		formatters[c.Formatters[i].Key] = &c.Formatters[i]
	}
	for _, h := range c.Handlers {
		r.Handlers[h.Key] = ResolvedHandler{Class: className(h.Class), Level: LevelName(h.Level), Formatter: h.Formatter}
		if f := formatters[h.Formatter]; f != nil {
			rf := ResolvedFormatter{Format: f.Format}
			if f.HasDatefmt {
				d := f.Datefmt
				rf.Datefmt = &d
			}
			r.Formatters[h.Formatter] = rf
		}
	}
	for _, w := range c.Warnings {
		r.Warnings = append(r.Warnings, w.String())
	}
	return r
}
