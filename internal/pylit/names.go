package pylit

import "strings"

// names is the one table of names a literal may use: what fileConfig's
// eval namespace (the logging module) defines as plain data. Anything
// else named is refused; nothing is looked up anywhere else.
var names = func() map[string]Value {
	m := map[string]Value{
		"True":       {Kind: KindBool, Bool: true},
		"False":      {Kind: KindBool, Bool: false},
		"None":       {Kind: KindNone},
		"sys.stdout": {Kind: KindStream, Str: "stdout"},
		"sys.stderr": {Kind: KindStream, Str: "stderr"},
	}
	ints := map[string]int64{
		"NOTSET": 0, "DEBUG": 10, "INFO": 20, "WARN": 30, "WARNING": 30, "ERROR": 40, "CRITICAL": 50, "FATAL": 50,
	}
	syslog := map[string]int64{
		"EMERG": 0, "ALERT": 1, "CRIT": 2, "ERR": 3, "WARNING": 4, "NOTICE": 5, "INFO": 6, "DEBUG": 7,
		"KERN": 0, "USER": 1, "MAIL": 2, "DAEMON": 3, "AUTH": 4, "SYSLOG": 5, "LPR": 6, "NEWS": 7, "UUCP": 8,
		"CRON": 9, "AUTHPRIV": 10, "FTP": 11, "NTP": 12, "SECURITY": 13, "CONSOLE": 14, "SOLCRON": 15,
		"LOCAL0": 16, "LOCAL1": 17, "LOCAL2": 18, "LOCAL3": 19, "LOCAL4": 20, "LOCAL5": 21, "LOCAL6": 22, "LOCAL7": 23,
	}
	for k, v := range syslog {
		ints["handlers.SysLogHandler.LOG_"+k] = v
	}
	for k, v := range ints {
		m[k] = Value{Kind: KindInt, Int: v}
	}
	return m
}()

// emptyCall returns what the call name() makes, for the only calls a
// literal may make: the empty constructors tuple(), list() and dict(),
// which Python's literal syntax cannot spell otherwise. Each call returns
// a new dict, so that no two values share one.
func emptyCall(name string) (Value, bool) {
	switch name {
	case "tuple", "list":
		return Value{Kind: KindTuple, Items: []Value{}}, true
	case "dict":
		return Value{Kind: KindDict, Dict: map[string]Value{}}, true
	}
	return Value{}, false
}

// ExtStream returns the stream that s names if s is "ext://sys.stdout" or
// "ext://sys.stderr", the only ext:// references livelog resolves (from
// the table of names, as dictConfig resolves them from sys).
func ExtStream(s string) (Value, bool) {
	name, ok := strings.CutPrefix(s, "ext://")
	if !ok {
		return Value{}, false
	}
	v, ok := names[name]
	if !ok || v.Kind != KindStream {
		return Value{}, false
	}
	return v, true
}
