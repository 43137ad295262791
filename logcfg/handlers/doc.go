// Package handlers holds livelog's handler classes: each one a [Class]
// that checks a config section's arguments and opens an [Output], built
// from one encoder core ([NewCore]) over a small [Sink] that says how the
// encoded bytes leave the process.
//
// logcfg registers every class of [Builtins] under its Python name; a
// program adds its own with logcfg.RegisterHandlerClass (or a
// logcfg.Registry of its own). Arguments follow Python's signatures,
// positionally (args=) or by keyword (kwargs=), and every problem is found
// by Check, before anything is opened:
//
//	StreamHandler(stream=sys.stderr)
//	FileHandler(filename, mode='a', encoding=None, delay=False, errors=None)
//	RotatingFileHandler(filename, mode='a', maxBytes=0, backupCount=0, encoding=None, delay=False, errors=None)
//	WatchedFileHandler(filename, mode='a', encoding=None, delay=False, errors=None)
//	TimedRotatingFileHandler(filename, when='h', interval=1, backupCount=0, encoding=None, delay=False, utc=False, atTime=None, errors=None)
//	MemoryHandler(capacity, flushLevel=ERROR, target=None, flushOnClose=True)
//	NullHandler()
//	SysLogHandler(address=('localhost', 514), facility=LOG_USER, socktype=None)
//	SystemdHandler(stream=sys.stderr)
//	JournalHandler(**fields)
//
// RotatingFileHandler rotates as Python's does, byte-accurately: before a
// write that would take the file past maxBytes, app.log becomes app.log.1,
// app.log.1 becomes app.log.2 and so on up to backupCount; with maxBytes
// or backupCount 0 it never rotates. (lumberjack, the usual Go choice,
// counts in whole megabytes and names backups by timestamp, which would
// break configs and tools written for Python's naming.) As in Python
// (bpo-45401), only a regular file is rotated.
//
// TimedRotatingFileHandler rotates as CPython 3.11's does, to the
// second: when is S, M, H, D, midnight or W0–W6 (Monday is 0), in any
// case; the first rollover is counted from the file's modification time;
// midnight and weekly rollovers happen at atTime (midnight by default) in
// local time, or UTC with utc=True, with CPython's corrections (and its
// omissions) around DST changes; the backup is named after the start of
// the interval that ends (app.log.2026-12-02_15 for when='H', with the
// suffixes %Y-%m-%d_%H-%M-%S, %Y-%m-%d_%H-%M, %Y-%m-%d_%H and %Y-%m-%d);
// with backupCount > 0 the oldest backups past backupCount are deleted by
// CPython's rule (getFilesToDelete: names that start with the file's name
// and have a dot-separated part that is a suffix of this handler's kind,
// sorted by name). A record checks the clock once against the next
// rollover time; only the record that finds it passed renames. atTime is
// written datetime.time(hour, minute, second), which livelog reads as a
// literal; note that CPython's fileConfig cannot evaluate it (datetime is
// not a name of the logging module), so a config that uses it is for
// livelog only. Stricter than CPython: interval must be a whole number of
// at least 1 (CPython loops for ever on its first rollover with 0 or
// less, and takes a float), backupCount at least 0, and atTime None or a
// time for every when (CPython ignores it unless it rolls over at
// midnight or weekly).
//
// MemoryHandler holds records and sends them all, in order, to its
// target when it holds capacity of them, when one is at flushLevel (a
// level number, ERROR by default) or above, and when it closes (unless
// flushOnClose is False), as CPython's does. The target is another
// handler of the same config, named by the section's target= key as in
// fileConfig (the target argument itself can only be None); logcfg
// refuses a target that is not a handler of the config and targets that
// form a cycle, and hands the target over through [TargetSetter]. As in
// CPython the target's level does not filter what it is flushed, and the
// MemoryHandler's own formatter is not used. Records are encoded when
// flushed. Where livelog differs: Sync does not flush the held records
// (CPython's logging.shutdown, at exit and when fileConfig replaces
// handlers, flushes them even with flushOnClose=False; livelog's Tree.Close
// and a replacing Apply honour flushOnClose), and without a target a full
// buffer is dropped (CPython keeps it growing for ever, writing it
// nowhere).
//
// WatchedFileHandler reopens its file when it is moved or removed (by
// logrotate), checking the path before each write as Python does.
//
// SystemdHandler writes each record to stdout or stderr as one line
// prefixed with its syslog priority, the convention of sd-daemon(3) that
// journald reads on a service's standard streams. CRITICAL is "<2>",
// ERROR "<3>", WARNING "<4>", INFO "<6>" and DEBUG "<7>". Newlines inside
// the rendered record are written as the two characters `\n` (CR as `\r`,
// NUL as `\0`), so each record stays one journal entry. Colour is always
// off.
//
// JournalHandler sends each record to journald over its native protocol
// (the socket /run/systemd/journal/socket), with the fields MESSAGE (the
// formatter's rendering of the record, without its fields), PRIORITY,
// SYSLOG_IDENTIFIER (the program name, or the kwarg of that name), LOGGER,
// CODE_FILE, CODE_LINE and CODE_FUNC, and one journal field per zap field
// (key upper-cased, other characters than A–Z, 0–9 and '_' replaced by
// '_', "FIELD_" before a name that would start with a digit, be empty or
// clash with a field the handler sets; objects flattened, arrays and
// reflected values as JSON). It is also registered as
// "systemd.journal.JournalHandler", systemd-python's class name.
//
// # Operating systems
//
// Every class parses on every OS. JournalHandler opens only on Linux,
// where journald runs (elsewhere Open fails with [ErrOpen] saying so); a
// SysLogHandler on a Unix socket path needs an OS with Unix datagram
// sockets (not Windows); WatchedFileHandler compares files with
// os.SameFile, which works everywhere.
package handlers
