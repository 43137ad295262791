// Package logcfg parses Python logging.config.fileConfig INI files into a
// [Config], which [NewTree] runs as a live [Tree] of named zap loggers.
// [Tree.Apply] swaps in a new Config atomically while the program logs, so
// levels and outputs change without a restart.
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
// [Tree.Logger] hands out zap loggers by dotted name; a logger follows
// every later Apply, so the application keeps its loggers for its whole
// life. [Tree.Config] and [Tree.Resolved] show what runs now.
//
// Python's rules hold: a logger at NOTSET takes its effective level from
// the nearest configured ancestor (the root defaults to WARNING; a root at
// NOTSET lets everything through); a record goes to its logger's handlers
// and then to its ancestors' until a logger with propagate=0; each handler
// filters by its own level, never by an ancestor logger's (a logger at
// DEBUG under a WARNING root still gets its DEBUG records into the root's
// handlers). Loggers asked for before any config names them work at once
// and pick up their levels when a later config names them. zap's Named
// composes: tree.Logger("app").Named("db") is the logger app.db, with
// app.db's level and handlers, as tree.Logger("app.db") is.
//
// # Layout
//
// This package is the config model (Parse, levels, [Error]), the live
// [Tree], Apply as a [Plan] and its execution, temporary changes, Resolve
// and ENV. The INI reader (configparser's rules, with positions) is
// internal/ini, the Python literal reader internal/pylit, and the handler
// classes live in package [github.com/livelog/livelog/logcfg/handlers],
// each an encoder core over a small sink.
//
// # Config files
//
// [Parse] and [ParseFile] read the whole fileConfig grammar as Python's
// configparser does: [loggers], [handlers] and [formatters] with keys=;
// [logger_root] (required) and [logger_X] with level, handlers (a comma
// list, may be empty), qualname (required) and propagate; [handler_X]
// with class, level, formatter, args and kwargs; [formatter_X] with
// format, datefmt, style and class. Both "key = value" and "key: value",
// comments with # and ;, multi-line values, %% escapes, and %(name)s
// interpolation from [DEFAULT] and from the caller's defaults
// ([WithDefaults], like fileConfig's defaults argument, e.g. %(here)s) in
// every value but format, datefmt and style, which stay raw as in Python.
// A config Python would reject is rejected whole, with an [*Error] naming
// the file, line, section and key; what Python silently ignores (unknown
// keys, sections no keys= lists) is accepted and listed in
// Config.Warnings.
//
// # dictConfig files (JSON and YAML)
//
// [ParseJSON] and [ParseYAML] read Python's dictConfig schema, all of it
// but user factories, into the same Config: version (must be 1),
// formatters (format, datefmt, style, class, validate, defaults), filters
// (Python's name filter, name: app.db, which passes app.db and the
// loggers under it), handlers (class, level, formatter, filters, and
// every other key a keyword argument of the class, in
// HandlerConfig.Kwargs as kwargs= gives them), loggers (level, handlers,
// propagate, filters), root, incremental and disable_existing_loggers.
// [ParseFile] picks the reader by extension (.json, .yaml, .yml; anything
// else is INI) and [ParsePayload] by the first character, as the listener
// does (see its doc). YAML scalars mean what PyYAML's safe_load makes of
// them. Errors name the file, line and column ([Error.Column]).
//
// How livelog treats what Python does differently:
//
//   - disable_existing_loggers is read and never acted on: livelog never
//     disables a logger; loggers a config omits go back to NOTSET and
//     inherit (true is reported as a warning).
//   - A config without root leaves the root at WARNING with no handlers;
//     loggers "" and "root" configure the root, before root does.
//   - incremental: true changes only the levels it names (handlers must
//     be running), whatever the apply's policy.
//   - "()" factories and "." properties, ext:// references other than
//     ext://sys.stdout and ext://sys.stderr as handler arguments, and
//     cfg:// references are errors naming the key: livelog calls no code
//     and resolves no reference.
//   - Stricter than Python: duplicate keys, non-string keys, more than
//     one YAML document, tags other than YAML's own, aliases expanding
//     the document past [MaxYAMLNodes], a version other than the integer
//     1. validate: false is accepted, but formats are still checked.
//   - A logger's filters drop the records logged through that logger
//     itself, not those of loggers under it that propagate to it; a
//     handler's filters see every record that reaches it; a record
//     dropped by a filter never goes to the last resort: all as in
//     Python. Under [LevelsOnly], filter changes are listed as ignored.
//
// args= and kwargs= are Python literals, read and never evaluated: tuples,
// lists, dicts, strings, numbers, True, False, None, sys.stdout and
// sys.stderr (also "ext://sys.stdout"), and the plain-number constants of
// fileConfig's eval namespace (DEBUG, handlers.SysLogHandler.LOG_LOCAL0,
// ...). Anything else, a function call or a name, is a parse error.
//
// Formatter classes: Formatter (the default; "$X" is literal text),
// ColorFormatter (colour tokens $COLOR, $RESET, $RED, ...) and
// JSONFormatter (one JSON object per line); see package colorfmt for the
// format language, % { and $ styles and datefmt. Text formatters read
// three livelog keys from their section, which Python ignores:
//
//	color    = auto | always | never   (default auto: colour only on a terminal)
//	oneline  = true | false            (escape newlines so that a record stays one line)
//	defaults = {"key": "value"}        (Python 3.12's formatter defaults, a dict literal)
//
// # Levels
//
//	Python          zap                        note
//	NOTSET          logcfg.NotSet (Debug - 1)  logger: inherit; handler: let everything through
//	DEBUG           zapcore.DebugLevel
//	INFO            zapcore.InfoLevel
//	WARNING, WARN   zapcore.WarnLevel          the root's level when the config gives none
//	ERROR           zapcore.ErrorLevel
//	CRITICAL, FATAL zapcore.DPanicLevel        logcfg.Critical: logs and returns
//
// CRITICAL is zap's DPanic level. Tree loggers never carry zap.Development,
// so logger.DPanic logs at CRITICAL and returns: it never panics or exits,
// and [NewTree] refuses [WithZapOptions] that would make it panic.
// (logger.Panic and logger.Fatal keep zap's meaning, and render as
// CRITICAL.) Level names are case-sensitive, as in Python. [ParseLevel]
// and [LevelName] convert.
//
// # Front ends
//
// Every Go logging front end writes through the same tree: [Tree.Logger]
// (zap), [Tree.Slog] and [Tree.SlogHandler] (log/slog), [Tree.Logr]
// (logr) and [Tree.RedirectStdLog] (the standard log package). A name
// has one effective level, one set of handlers and one format whichever
// front end logs through it. Levels change from code with
// [Tree.SetLevel] and [Tree.SetLevelFor], and [Tree.Loggers] lists every
// logger with its configured and effective level. [WithLevel] puts a
// level floor in a context: the tree's slog loggers and
// [Tree.LoggerContext] log at that level for that request only
// (package httplevel sets it from a signed request header).
//
// # Live changes
//
// [Tree.Apply] is all or nothing: it opens every new handler and compiles
// every format before it publishes the new state with one atomic pointer
// swap; if anything fails, what it opened is closed again, the error says
// which handler and why, and the tree runs on exactly as before (same
// generation, config, levels and files). Handlers whose class, arguments
// and formatter did not change are carried over with their open files,
// not reopened (a FileHandler with mode 'w' keeps its lines); replaced
// ones are closed once no write can reach them, so no line is lost or
// torn. Loggers take their new levels at the swap; a call below its
// logger's level costs one atomic load and takes no lock, and an enabled
// call writes to no memory shared by every goroutine (writers account for
// themselves on the outputs they write to, which they already share). A
// write stuck in a handler (a pipe nobody reads) never holds Apply or
// Close for more than a second, nor the tree's lock at all.
//
// [Full] replaces handlers and formatters too. [LevelsOnly] changes only
// logger and handler levels, like dictConfig's incremental mode, and
// never opens a handler: every other difference is listed in
// [ApplyResult.Ignored] (e.g. `handler "file": new FileHandler not started
// (levels-only)`), and [Tree.Config] then returns the running handlers
// with the new levels, so that applying it later with Full restores
// exactly that state. A JSON config with "incremental": true changes only
// the levels it names, whatever the policy; loggers it does not name keep
// theirs. [ApplyResult.Changes] lists every own level that changed, old →
// new: loggers (the root first), then handlers.
//
// [Tree.Plan] computes the same plan without applying it (a dry run): the
// changes, the handlers that would be opened, kept and closed, what the
// policy ignores and the config's warnings. One rule decides that a
// handler is unchanged: its key, class, arguments and formatter.
//
// # Watching the config file
//
// [Watch] re-reads a config file when it changes and applies it, until
// its context is done: it watches the file's directory (fsnotify), so a
// rewrite, a rename or mv over the file, a swapped symlink and a
// Kubernetes ConfigMap update are all seen; bursts are debounced
// ([WatchDebounce]) and unchanged content (SHA-256) is not applied again.
// A file that does not parse, or is gone, keeps the running config and is
// reported (ERROR on "livelog.watch", an audit line, [WatchOnError]). The
// file is the base: temporary changes in force keep their levels and
// expiry, and revert to the file's levels.
//
// # Temporary changes
//
// [Tree.ApplyFor] (or Apply with [For]) makes a change that reverts by
// itself; [CapVerbose] makes a change temporary only when it makes logging
// more verbose. Every channel (the listener, code, a file watcher) uses
// this one mechanism; the rule for overlapping changes is in ApplyFor's
// doc. [Tree.History] lists the last 20 applies with where they came from
// ([WithSource]) and [Tree.Temporary] the temporary changes in force.
//
// Fields added with logger.With survive every apply: the fields are kept
// and encoded for the new handlers on the first write after a change, so
// a request logger made before a reconfiguration writes its fields to the
// new files.
//
// # Handlers
//
// Built-in classes, with Python's arguments (args= positionally or
// kwargs= by name), found with or without the logging. / handlers. /
// logging.handlers. prefix:
//
//	StreamHandler(stream=sys.stderr)
//	FileHandler(filename, mode='a', encoding=None, delay=False, errors=None)
//	RotatingFileHandler(filename, mode='a', maxBytes=0, backupCount=0, encoding=None, delay=False, errors=None)
//	WatchedFileHandler(filename, mode='a', encoding=None, delay=False, errors=None)
//	NullHandler()
//	SysLogHandler(address=('localhost', 514), facility=LOG_USER, socktype=None)
//	SystemdHandler(stream=sys.stderr)     livelog: "<N>"-prefixed lines for journald
//	JournalHandler(**fields)              livelog: journald's native protocol
//	SocketHandler(host, port)             and DatagramHandler: pickled records, as Python's
//	SMTPHandler(mailhost, fromaddr, toaddrs, subject, credentials=None, secure=None, timeout=5.0)
//	HTTPHandler(host, url, method='GET', secure=False, credentials=None, context=None)
//
// The network handlers (Socket, Datagram, SMTP, HTTP) never block the
// logging call: see package logcfg/handlers for their queue, wire formats
// and the record dict.
//
// Every argument is checked when the config is parsed (modes 'a' and 'w',
// UTF-8 encodings only, facilities by name or number, addresses as a
// socket path or a ('host', port) tuple). RotatingFileHandler renames
// app.log to app.log.1, app.log.1 to app.log.2 and so on up to
// backupCount, before a record that would bring the file to maxBytes, as
// Python's does; like Python's, it never renames what is not a regular
// file (/dev/null, a FIFO). WatchedFileHandler reopens its file when logrotate moves
// or removes it. SysLogHandler sends "<PRI>message\x00", PRI =
// facility*8 + severity (Python's mapPriority), one datagram per record.
//
// Classes come from a [Registry]: [NewRegistry] has the built-ins, a
// program adds its own with [Registry.RegisterHandlerClass] and
// [Registry.RegisterFormatterClass], and passes the registry with
// [WithRegistry] to Parse and NewTree, so a parse never depends on what
// some other code registered. [RegisterHandlerClass] and
// [RegisterFormatterClass] fill [DefaultRegistry], which is used when no
// registry is given. A [HandlerClass] checks its arguments at parse time
// (and once per apply for the handlers a config names) and opens its
// output at apply time.
//
// A handler that fails to write (a full disk, a closed pipe) never stops
// the program or the other handlers: its failures are counted
// ([Tree.HandlerErrors]) and reported through the error output
// ([WithErrorOutput], stderr by default) the first time and then at
// every power of two.
//
// # Differences from Python
//
//   - Loggers that a new config does not mention go back to NOTSET and
//     keep inheriting from their ancestors. Python's fileConfig, with its
//     default disable_existing_loggers=True, would silently disable them;
//     livelog never disables a logger.
//   - A [logger_root] without level= means WARNING in every config. Python
//     leaves the root's level as the previous config set it.
//   - A record at WARNING or above that reaches no handler at all (a
//     NullHandler counts as one) is written to stderr as its bare message,
//     as Python's logging.lastResort does; so is everything at WARNING and
//     above after [Tree.Close].
//   - RotatingFileHandler uses Python's backup names and rule, but counts
//     a record's bytes where Python counts its characters (so, unlike
//     Python's, its files stay under maxBytes with non-ASCII text), and a
//     single record larger than maxBytes does not rotate an empty file
//     (Python would make an empty backup for it every time).
//   - FileHandler's delay=True is accepted, but files are opened when the
//     config is applied, so that a bad path fails the apply, not a later
//     write. Files are always written as UTF-8.
//   - The classes that cannot exist in a Go program (QueueHandler,
//     QueueListener, NTEventLogHandler, the abstract Handler,
//     BufferingHandler and BaseRotatingHandler) and any module.Class no
//     registry holds fail when the config is parsed, with why and the
//     registration function, never later when it is applied; the README's
//     handler table lists every class of logging and logging.handlers.
//   - File modes are Python's text modes (a, w, x, with t or +); mode 'x'
//     refuses an existing file when the config is applied (Python, with
//     delay=True, only at the first record). Binary modes and 'r', 'r+'
//     are refused.
//   - Class names are found without their module (class=SysLogHandler);
//     Python needs handlers.SysLogHandler for the logging.handlers classes.
//   - %(thread)d and %(threadName)s mean what colorfmt says: the OS thread
//     that ran the logging call, not a goroutine.
//   - Callers: formats showing %(funcName)s, %(lineno)d, %(module)s,
//     %(filename)s or %(pathname)s (and JSON or application classes, which
//     may show them) get the first frame outside zap, found with
//     runtime.Callers and cached per program counter, so no zap.AddCaller
//     is needed and a known call site allocates nothing.
//
// # ENV
//
// [FromEnv] builds a tree from a file in a directory chosen by the ENV
// environment variable ([EnvFile] names it):
//
//	ENV           file
//	dev, test     <dir>/info.conf
//	prod          <dir>/error.conf
//	other, unset  <dir>/debug.conf
//
// A missing file is an error naming the file and ENV. FromEnv("") needs
// no file: the root at DEBUG, one StreamHandler to stderr with the format
// "%(asctime)s %(levelname)s %(name)s: %(message)s" ([DefaultConfig]).
package logcfg
