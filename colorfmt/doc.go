// Package colorfmt renders zap entries the way a Python logging format
// string would, with optional colour tokens. A format such as
// "$COLOR%(levelname)-8s$RESET %(name)s: %(message)s" is compiled once, by
// [New], into a list of segments; an [Encoder] then renders each
// [zapcore.Entry] by appending those segments, without parsing or
// allocating.
//
//	enc, err := colorfmt.New("%(asctime)s $COLOR%(levelname)s$RESET %(message)s",
//		&colorfmt.Options{Tokens: true, Color: colorfmt.ShouldColor(colorfmt.ColorAuto, os.Stderr)})
//	if err != nil { ... }
//	logger := zap.New(zapcore.NewCore(enc, zapcore.Lock(os.Stderr), zapcore.DebugLevel), zap.AddCaller())
//	logger.Info("ready", zap.Int("port", 9001))
//	// 2026-11-22 08:49:45,896 INFO ready port=9001
//
// # Attributes
//
// A format names Python LogRecord attributes, with zap's meaning:
//
//	asctime          the entry time (see Dates)
//	created          seconds since the epoch, a float
//	msecs            the millisecond part of the time, a float (Python 3.11: 896.0)
//	relativeCreated  milliseconds since the package was initialised, a float
//	levelname        DEBUG, INFO, WARNING, ERROR, CRITICAL (zap's DPanic, Panic and Fatal);
//	                 NOTSET for zapcore.Level(-2), which never appears on records
//	levelno          10, 20, 30, 40, 50 (0 for NOTSET)
//	name             the logger name; "root" when it is empty
//	message          the message, followed by the fields (see Fields)
//	pathname         the caller's file path
//	filename         its base name ("handler.go")
//	module           the base name without extension ("handler")
//	funcName         the last component of the function ("Method" for "pkg.(*T).Method")
//	lineno           the caller's line
//	process          the process id
//	processName      the base name of os.Args[0], or what [SetProcessName] set
//	thread           the id of the OS thread running the logging goroutine (see Operating systems)
//	threadName       "MainThread" for the process's first OS thread, "Thread-<tid>" otherwise
//
// Without caller information (zap's AddCaller not given) the caller
// attributes render what Python's LogRecord holds when it cannot find the
// caller: pathname, filename and module "(unknown file)", funcName
// "(unknown function)", lineno 0. Goroutines move between OS threads, so
// thread and threadName say where the call ran, not which goroutine made it.
//
// Options.Defaults supplies further attributes with constant values, like
// Python 3.12's Formatter defaults.
//
// # Conversions
//
// Style "%" (the default) takes Python's %-conversions: %(levelname)-8s,
// %(lineno)4d, %(msecs)03d, %(created)f, %(levelname)-5.5s (the precision
// truncates a string), %(name)r, %%. Types are Python's: %(levelname)d is
// an error, as it is a TypeError in Python. Style "{" takes str.format
// fields ({levelname:<8}, {msecs:03.0f}, {name!r}, {{ }}), style "$"
// string.Template placeholders ($message, ${name}, $$). Widths and
// precisions are at most 4096. str.format specs follow Python 3.11: a sign
// on a str ({name:-10}), an int code on a float ({msecs:d}) and 's' on an
// int ({lineno:s}) are errors, as Python raises on them when it formats a
// record; a sign on a float with no type ({msecs:+}) and '0' on a str
// ({name:010}, zero fill on the right) render as Python renders them. As
// in Python, a "%" format is valid when Python's validation pattern finds a
// field anywhere in it, so "%%(message)s" (the text "%(message)s") is; and
// the empty format is the style's default ("%(message)s", "{message}",
// "${message}"), as Formatter("") is.
//
// Every problem is found by [New] and [Check] (which a config parser
// calls): an unknown attribute, a malformed conversion or a type error is
// a [*FormatError] naming the column.
//
// # Dates
//
// Without Options.Datefmt, asctime is Python's default "2026-11-22
// 08:49:45,896". Datefmt takes the directives of Python's time.strftime
// as the C library gives them in the C locale (%Y %m %d %H %M %S %y %b %B
// %a %A %j %p %I %z %Z %c %x %X %e %F %T %s %u %w %U %W %V %G %g ...,
// and GNU's %-d for no padding); an unknown directive such as %f (which
// time.strftime leaves as literal text) is an error. Times render in the
// entry time's location (zap's clock gives Local, as Python uses
// localtime). The date text is computed once per second and reused.
//
// # Colour
//
// With Options.Tokens, $RESET, $BOLD, $BLACK, $RED, $GREEN, $YELLOW,
// $BLUE, $MAGENTA, $CYAN, $WHITE, their $BG_ forms and $COLOR (the level's
// colour: DEBUG blue, INFO green, WARNING yellow, ERROR red, CRITICAL bold
// white on red) are replaced by ANSI sequences when Options.Color is set
// and by nothing otherwise. The longest token name wins ("$REDDISH" is red
// then "DISH"); any other "$" is literal. [ShouldColor] decides colour for
// an output the way people expect (terminal, NO_COLOR, FORCE_COLOR).
//
// # Fields
//
// zap fields, from With and from the call, follow the message (or end the
// line when the format has no %(message)s), each as " key=value". Values
// are bare when they can be read back as they are, and double-quoted with
// JSON escapes when they hold a space, quote, '=', backslash or an
// unprintable character, or are empty. Durations read like Go's (1.5s),
// times as RFC 3339, errors as key=message. Objects and arrays (zap.Object,
// zap.Array, zap.Any of a struct) are JSON: key={"a":1}. zap.Namespace("ns")
// prefixes the keys after it: ns.key=value. A stack trace (zap's
// AddStacktrace) follows on the next lines.
//
// # One-line mode
//
// With Options.OneLine, the whole record (message, fields, stack trace) is
// escaped so that it is one line: a newline becomes `\n`, a carriage
// return `\r` and a backslash `\\`. [Unescape] gives the record back.
//
// # Operating systems
//
// Everything works the same on every OS but thread and threadName. thread
// is the kernel's id for the thread where a call for it costs no
// allocation and no lock: gettid(2) on Linux, thr_self(2) on FreeBSD,
// GetCurrentThreadId on Windows. Elsewhere, macOS included
// (golang.org/x/sys/unix has no pthread_threadid_np, and macOS does not
// support raw system calls), thread is 0 and threadName always
// "MainThread". MainThread is the thread that ran package initialisation,
// the process's first; on Linux its id is the process id. The id is read
// only when the format shows thread or threadName.
//
// [ShouldColor] detects terminals on every OS that go-isatty supports,
// Windows consoles included (Cygwin and MSYS terminals are pipes to it).
// The colours are ANSI sequences, which a Windows console renders only
// with virtual terminal processing on (Windows Terminal turns it on;
// colorfmt never changes a console's mode).
package colorfmt
