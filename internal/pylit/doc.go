// Package pylit reads the Python literals of fileConfig's args= and
// kwargs= keys into [Value]s, and evaluates nothing. A literal may name
// only what one fixed table holds (True, False, None, sys.stdout,
// sys.stderr and the plain-number constants of fileConfig's eval
// namespace); any other name, call or operator is an [*Error] with the
// byte offset where it stands.
//
//	v, err := pylit.Parse(`('app.log', 'a', 10485760, 5)`, nil)
//	// v.Kind == pylit.KindTuple, v.Items[2].Int == 10485760
//
// Python's fileConfig passes these keys to eval(). Parse reads tuples
// (with or without parentheses, 1-tuples "(x,)"), lists, dicts with
// string keys, strings (single, double or triple quotes, escapes, r"" strings,
// adjacent literals concatenated), ints (0x, 0o, 0b, "_" separators),
// floats, unary + and - on numbers, True, False, None, the empty calls
// tuple(), list() and dict(), the streams sys.stdout and sys.stderr (and
// the strings "ext://sys.stdout", "ext://sys.stderr"), and the constants
// that fileConfig's eval namespace (vars(logging)) defines as plain
// numbers, spelt as that namespace resolves them: level names (DEBUG,
// INFO, ...), handlers.SYSLOG_UDP_PORT, handlers.SYSLOG_TCP_PORT,
// handlers.DEFAULT_{TCP,UDP,HTTP,SOAP}_LOGGING_PORT, the
// handlers.SysLogHandler.LOG_* facilities and priorities, and
// handlers.socket.SOCK_DGRAM and SOCK_STREAM ([Names] lists them all). As
// in Python, "logging.DEBUG" is not such a name (the logging namespace
// does not define logging), nor is a bare SYSLOG_UDP_PORT or
// socket.SOCK_DGRAM; the error then says the spelling Python resolves.
// Comments ("# ...") are skipped, as eval skips them.
//
// [Describe] names a value in error messages, the one way livelog does.
package pylit
