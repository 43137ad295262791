// Package logcfg reads Python logging.config.fileConfig INI files into a
// [Config] and runs it as a live [Tree] of named zap loggers. [Tree.Apply]
// swaps in a new Config atomically while the program logs, so levels and
// outputs change without a restart.
//
//	cfg, err := logcfg.ParseFile("logging.conf") // Parse → Config: plain data, validated
//	if err != nil { ... }
//	tree, err := logcfg.NewTree(cfg)            // NewTree: handlers opened, loggers live
//	if err != nil { ... }
//	defer tree.Close()
//	log := tree.Logger("app.db")                // a *zap.Logger named "app.db"
//	log.Info("connected", zap.String("dsn", dsn))
//	...
//	res, err := tree.Apply(next, logcfg.LevelsOnly) // later: all or nothing
//
// # Model
//
// [Parse] and [ParseFile] read the INI grammar of fileConfig (and
// [ParseJSON] a dictConfig-style object) into a [Config]: loggers,
// handlers and formatters as plain data, with every class and argument
// checked. [NewTree] opens the handlers and returns a [Tree]; its
// [Tree.Logger] hands out zap loggers by dotted name. [Tree.Apply] builds
// the whole new state (files opened, formats compiled) before publishing it
// with one atomic pointer swap; on any error nothing changes. Handlers
// whose class, arguments and formatter did not change are carried over,
// not reopened; replaced ones are closed once no write can reach them, so
// no line is lost or torn. [Tree.Config] and [Tree.Resolved] show what
// runs now.
//
// Python's rules hold: a logger at NOTSET takes its effective level from
// the nearest configured ancestor (the root defaults to WARNING; a root at
// NOTSET lets everything through); a record goes to its logger's handlers
// and then to its ancestors' until a logger with propagate=0; each handler
// filters by its own level, never by an ancestor logger's. A record at
// WARNING or above that reaches no handler at all (a NullHandler counts
// as one) is written to stderr as its bare message, as Python's
// logging.lastResort does. Loggers asked for before any config names them
// work at once and follow every later config.
//
// # Policies
//
// [Full] replaces handlers and formatters too. [LevelsOnly] changes only
// logger and handler levels, like dictConfig's incremental mode; every
// other difference is listed in [ApplyResult.Ignored] (e.g. `handler
// "file": new FileHandler not started (levels-only)`), and [Tree.Config]
// then returns the running handlers with the new levels, so a listener can
// restore it later. A config with Incremental set changes only the levels
// it names, whatever the policy. [ApplyResult.Changes] lists every logger
// and handler whose own level changed.
//
// # Differences from Python
//
//   - Loggers that a new config does not mention go back to NOTSET and
//     keep inheriting from their ancestors. Python's fileConfig, with its
//     default disable_existing_loggers=True, would silently disable them;
//     livelog never disables a logger.
//   - CRITICAL is zap's DPanic level. Tree loggers never carry
//     zap.Development, so logger.DPanic logs at CRITICAL and returns: it
//     never panics or exits. [NewTree] refuses zap options that would make
//     it panic. (logger.Panic and logger.Fatal keep zap's meaning.)
//   - Nothing in args= and kwargs= is evaluated: they are Python literals,
//     plus sys.stdout and sys.stderr. kwargs names are case-sensitive, as
//     in Python.
//   - FileHandler's delay=True is accepted, but files are opened when the
//     config is applied, so that a bad path fails the apply, not a later
//     write. Files are always written as UTF-8.
//   - RotatingFileHandler rotates byte-accurately with Python's backup
//     names (app.log.1, app.log.2, ...), before a record that would bring
//     the file to maxBytes; unlike Python, a single record larger than
//     maxBytes does not rotate an empty file.
//   - TimedRotatingFileHandler, SMTPHandler, MemoryHandler, HTTPHandler,
//     SocketHandler, DatagramHandler and QueueHandler are rejected when the
//     config is parsed, with "not supported by livelog".
//   - Callers: formats showing %(funcName)s, %(lineno)d, %(module)s,
//     %(filename)s or %(pathname)s (and JSON or application formatter
//     classes, which may show them) get the first frame outside zap,
//     found with runtime.Callers and cached per program counter: no
//     zap.AddCaller is needed, and a cached call site allocates nothing.
//     A caller given by zap.AddCaller (through [WithZapOptions]) is kept.
//
// # Handler classes
//
// Built in (with or without the logging. / handlers. prefix):
// StreamHandler, FileHandler, RotatingFileHandler, WatchedFileHandler,
// NullHandler, SysLogHandler, and livelog's SystemdHandler and
// JournalHandler. Formatter classes: Formatter, ColorFormatter and
// JSONFormatter (see package colorfmt for the format language).
// Applications add their own with [RegisterHandlerClass] and
// [RegisterFormatterClass].
//
// A handler that fails to write (a full disk, a closed pipe) never stops
// the program or the other handlers: the failure is counted
// ([Tree.HandlerErrors]) and reported through the error output
// ([WithErrorOutput], stderr by default) the first time and then at every
// power of two.
//
// # ENV defaults
//
// [FromEnv] picks a file in a directory by the ENV environment variable:
//
//	ENV          file
//	dev, test    <dir>/info.conf
//	prod         <dir>/error.conf
//	other/unset  <dir>/debug.conf
//
// A missing file is an error naming the file and ENV. FromEnv("") needs no
// file: the root at DEBUG, one StreamHandler to stderr with the format
// "%(asctime)s %(levelname)s %(name)s: %(message)s" ([DefaultConfig]).
//
// # Cost
//
// A call below a logger's level costs one atomic load. An enabled call
// takes no lock but the output's own, walks no hierarchy (each logger's
// route to its handlers is computed once per config) and allocates
// nothing beyond what zap itself does; alloc_test.go checks this against
// plain zap with the same encoder.
package logcfg
