package logcfg

import (
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
)

// Config is one parsed and validated configuration: plain data, no open
// files. [Parse] and [ParseFile] make one from fileConfig INI; [ParseJSON]
// from a dictConfig-style JSON object. [Tree.Apply] turns it into running
// loggers.
type Config struct {
	// File is the name the config was read from, used in error messages.
	File string
	// Loggers in the order of the [loggers] keys= list. The root logger is
	// present, with Name "root", in every config except an incremental
	// one, which lists only the loggers whose levels it sets.
	Loggers []LoggerConfig
	// Handlers in the order of the [handlers] keys= list.
	Handlers []HandlerConfig
	// Formatters in the order of the [formatters] keys= list.
	Formatters []FormatterConfig
	// Filters are a dictConfig's "filters" (fileConfig has none), sorted
	// by key.
	Filters []FilterConfig
	// Incremental is set by a dictConfig with "incremental": true: only the
	// levels of the loggers and handlers it names change, as in Python.
	Incremental bool
	// Warnings lists what Python would silently ignore (unknown keys,
	// sections not listed in keys=, ...). They never make a config invalid.
	// At most 100 are kept; a last one then says how many more there were.
	Warnings []Warning
}

// LoggerConfig is one [logger_X] section.
type LoggerConfig struct {
	// Key is the section suffix: "root" for [logger_root], "parser" for
	// [logger_parser].
	Key string
	// Name is the logger's dotted name (qualname); "root" for the root.
	Name string
	// Level is the logger's own level; NotSet inherits from the nearest
	// ancestor that has one. The root defaults to WARNING, as in Python.
	Level zapcore.Level
	// Handlers are the keys of the handlers attached to this logger.
	Handlers []string
	// Propagate sends records on to the ancestors' handlers (default true).
	Propagate bool
	// Filters are the keys of the logger's filters (dictConfig only): a
	// record logged through this logger itself is dropped unless every
	// one passes it. Records of loggers under it that propagate here are
	// not filtered by them, as in Python.
	Filters []string
	// Pos is where the section starts.
	Pos Pos
}

// HandlerConfig is one [handler_X] section.
type HandlerConfig struct {
	// Key is the section suffix and the handler's name.
	Key string
	// Class is the class as written, e.g. "logging.handlers.RotatingFileHandler".
	Class string
	// Level filters records reaching this handler; NotSet lets all through.
	Level zapcore.Level
	// Formatter is the key of the formatter, "" for Python's default
	// ("%(message)s").
	Formatter string
	// Args and Kwargs are the parsed Python literals of args= and kwargs=.
	// Nothing in them was ever evaluated.
	Args   []Value
	Kwargs map[string]Value
	// Target is the key of the handler a MemoryHandler sends its records
	// to (fileConfig's target= key, read for MemoryHandler only), "" for
	// none. It must name a handler of the config, and targets never form
	// a cycle.
	Target string
	// Filters are the keys of the handler's filters (dictConfig only):
	// the handler writes a record only if every one passes it.
	Filters []string
	// Pos is where the section starts.
	Pos Pos
}

// FormatterConfig is one [formatter_X] section.
type FormatterConfig struct {
	// Key is the section suffix and the formatter's name.
	Key string
	// Class is the class as written; "" for logging.Formatter.
	Class string
	// Format is the raw format string (never interpolated), "%(message)s"
	// when the section gives none.
	Format string
	// Datefmt is the raw date format; HasDatefmt tells "" from absent.
	Datefmt    string
	HasDatefmt bool
	// Style is "%" (default), "{" or "$".
	Style string
	// Extra holds livelog's own keys (color, oneline, ...) and any other
	// key of the section, lower-cased, for formatter classes to read.
	Extra map[string]string
	// Pos is where the section starts.
	Pos Pos
}

// FilterConfig is one entry of a dictConfig's "filters": Python's
// logging.Filter(name), which passes the records of the logger Name and
// of the loggers under it (app.db passes app.db and app.db.pool, not
// app.dbx); an empty Name passes every record.
type FilterConfig struct {
	// Key is the filter's name in "filters".
	Key string
	// Name is the logger name it passes.
	Name string
	// Pos is where the filter is defined.
	Pos Pos
}

// Pos is a place in a config file.
type Pos struct {
	File    string
	Line    int
	Column  int // dictConfig JSON and YAML only; 0 if unknown
	Section string
}

// Warning is something the config says that Python would ignore.
type Warning struct {
	Pos Pos
	Key string
	Msg string
}

func (w Warning) String() string {
	e := &Error{File: w.Pos.File, Line: w.Pos.Line, Column: w.Pos.Column, Section: w.Pos.Section, Key: w.Key, Err: warnText(w.Msg)}
	return e.Error()
}

type warnText string

func (w warnText) Error() string { return string(w) }

// Kind is the type of a parsed Python literal (see [Value]).
type Kind = pylit.Kind

// Kinds of [Value].
const (
	KindNone   = pylit.KindNone
	KindBool   = pylit.KindBool
	KindInt    = pylit.KindInt
	KindFloat  = pylit.KindFloat
	KindString = pylit.KindString
	KindTuple  = pylit.KindTuple // also lists
	KindDict   = pylit.KindDict
	KindStream = pylit.KindStream // sys.stdout / sys.stderr (also "ext://sys.stdout")
	KindTime   = pylit.KindTime   // datetime.time(...) (atTime): Int is the microseconds after midnight
)

// Value is a Python literal from args= or kwargs=: None, a bool, an int, a
// float, a string, a tuple or list, a dict with string keys, or one of the
// streams sys.stdout and sys.stderr. It is data: nothing is evaluated.
//
//	type Value struct {
//		Kind  Kind
//		Bool  bool
//		Int   int64
//		Float float64
//		Str   string           // a string, or the stream name ("stdout", "stderr")
//		Items []Value          // tuple or list items
//		Dict  map[string]Value // dict entries
//	}
type Value = pylit.Value
