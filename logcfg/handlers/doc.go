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
//	SocketHandler(host, port)
//	DatagramHandler(host, port)
//	SMTPHandler(mailhost, fromaddr, toaddrs, subject, credentials=None, secure=None, timeout=5.0)
//	HTTPHandler(host, url, method='GET', secure=False, credentials=None, context=None)
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
// less, and takes a float) and atTime None or a time for every when
// (CPython ignores it unless it rolls over at midnight or weekly). As in
// CPython, a negative backupCount keeps every backup and delay is read
// for its truth value, like the other file handlers' arguments.
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
// # Network handlers
//
// SocketHandler, DatagramHandler, SMTPHandler and HTTPHandler never block
// the logging call. Each has a queue of [QueueSize] records and one
// goroutine that sends them in order; the call only encodes the record
// and queues it. When the queue is full (the peer is slow, stuck or
// down) the record is dropped and the call's write fails with an error
// saying so: the tree counts each drop in its HandlerErrors and reports
// the first and every power of two on its error output. Records the
// goroutine took but could not deliver (an SMTP or HTTP error, a failed
// send) are reported with the next write, as one failure whose message
// gives their number. Sync does not wait for the queue; Close sends what
// is queued, waiting at most [CloseDrain], then closes the connection and
// returns an error naming how many records were not delivered. As in
// Python, opening connects to nothing: a peer that is down does not fail
// a config.
//
// SocketHandler sends each record as CPython's makePickle does: a 4-byte
// big-endian length, then the pickle (protocol 1) of the record's
// attribute dict, which the logging cookbook's receiver reads with
// logging.makeLogRecord(pickle.loads(data)). DatagramHandler sends the
// same bytes, length included, as one datagram (as CPython does); port
// None makes host the path of a Unix socket (stream or datagram). A
// failed connect is retried with Python's backoff: after retryStart (1s),
// then each time retryFactor (2) times longer, at most retryMax (30s);
// connects and sends time out after a second, as makeSocket's timeout=1
// does. Where Python drops each record emitted while it waits to
// reconnect, here the records wait in the queue (and are dropped only
// when it is full), so a receiver that restarts loses at most what was in
// flight; a record whose send fails on a connection that had been working
// is sent again once on a new one.
//
// The record dict holds name ("root" for the root logger), msg (zap's
// message; zap has no %-args), args None, levelname, levelno, pathname,
// filename, module, exc_info None, exc_text None, stack_info (zap's
// stack trace, if the entry has one, else None), lineno, funcName,
// created, msecs, relativeCreated, thread, threadName, processName and
// process, with the values a colorfmt format renders for them
// (colorfmt.RecordOf). message is not sent, as makePickle drops it. zap
// fields are extra attributes, as Python's extra= makes them: strings
// are str, integers int, floats float, bools bool; durations are float
// seconds, times float seconds since the epoch (like created), byte
// strings str, binary base64 text, complex numbers their Python repr
// text, objects dicts, arrays lists, reflected values their JSON text (nil None),
// and a namespace a dict holding the fields after it. A field named like
// a record attribute (name, msg, levelname, ..., message, asctime), which
// Python's extra= refuses, is sent as field_<name>. Invalid UTF-8 is sent
// as U+FFFD (Python's unpickler would fail on it). The handler's
// formatter is not used, as CPython's SocketHandler does not format the
// record.
//
// HTTPHandler sends the same attributes as CPython's
// urlencode(mapLogRecord(record)) does, in the query string of a GET
// (after '&' if the url has a query) or as the body of a POST
// (application/x-www-form-urlencoded): values as Python's str() gives
// them (args is "()", None is "None", floats in repr form), nested dicts
// and lists as their Python repr, and a namespace's fields as keys
// "namespace.key". Each record is one request on a new connection, with
// Basic credentials if given and TLS (certificates checked against the
// system's roots) if secure; unlike Python it does not wait for ever (a
// request times out after 10s), and an answer of 400 or above counts as
// not delivered.
//
// SMTPHandler sends one mail a record, in its own SMTP session, as
// CPython's emit: the message is byte for byte the one Python's
// EmailMessage builds (From, To, Subject, Date, the formatted record as
// text/plain in 7bit, 8bit, quoted-printable or base64 as Python
// chooses), except that a header that is not plain ASCII of at most 78
// characters is encoded or folded by livelog's own rules (the text a mail
// reader shows is the same). With credentials it uses STARTTLS first if
// secure is given (also (keyfile, certfile), a client certificate), then
// AUTH with CRAM-MD5, PLAIN or LOGIN, in smtplib's order of preference.
//
// Where livelog is stricter than CPython, for arguments that CPython
// accepts but that fail every record or make no sense: SocketHandler and
// DatagramHandler need a string host and a port 1-65535 or None;
// SMTPHandler refuses a mailhost 'host:port' string (Python connects to
// port 25 of a host of that name), credentials that are not a pair
// (Python ignores them), secure=(keyfile,) (Python raises on each record)
// and a timeout that is not a positive number or None; HTTPHandler needs
// a url that starts with '/' and has no spaces or control characters
// (Python's http.client refuses those on each record), and context must
// be None (an ssl.SSLContext cannot be written in a config). STARTTLS
// checks the server's certificate (Python's smtplib does not), and PLAIN
// and LOGIN are refused on a connection that is neither TLS nor to
// localhost (Python sends the password in clear).
//
// # Operating systems
//
// Every class parses on every OS. JournalHandler opens only on Linux,
// where journald runs (elsewhere Open fails with [ErrOpen] saying so); a
// SysLogHandler on a Unix socket path needs an OS with Unix datagram
// sockets (not Windows), and so does a DatagramHandler with port None;
// WatchedFileHandler compares files with os.SameFile, which works
// everywhere.
package handlers
