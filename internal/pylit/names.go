package pylit

import (
	"fmt"
	"slices"
	"strings"
)

// names is the one table of names a literal may use: the names that
// fileConfig's eval namespace (vars(logging), after logging.config has
// imported logging.handlers) resolves to plain data, spelt exactly as that
// namespace resolves them. The name "logging" itself is not defined there,
// so "logging.DEBUG" and "logging.handlers.SYSLOG_UDP_PORT" are NameErrors
// in Python and are refused here too; the socket constants are reached
// through handlers.socket, as Python reaches them. Anything else named is
// refused; nothing is looked up anywhere else.
//
// TestNamesMatchPython evaluates every name of the table, and its
// variants with and without the logging., handlers. and socket. prefixes,
// in python3 and compares the verdicts and values.
var names = func() map[string]Value {
	m := map[string]Value{
		"True":       {Kind: KindBool, Bool: true},
		"False":      {Kind: KindBool, Bool: false},
		"None":       {Kind: KindNone},
		"sys.stdout": {Kind: KindStream, Str: "stdout"},
		"sys.stderr": {Kind: KindStream, Str: "stderr"},
	}
	for k, v := range levelNames {
		m[k] = Value{Kind: KindInt, Int: v}
	}
	for k, v := range handlersInts {
		m["handlers."+k] = Value{Kind: KindInt, Int: v}
	}
	for k, v := range syslogInts {
		m["handlers.SysLogHandler.LOG_"+k] = Value{Kind: KindInt, Int: v}
	}
	// socket.SocketKind is an IntEnum; these are its values on every
	// platform Go builds for (Linux, the BSDs, macOS, Windows).
	m["handlers.socket.SOCK_STREAM"] = Value{Kind: KindInt, Int: 1}
	m["handlers.socket.SOCK_DGRAM"] = Value{Kind: KindInt, Int: 2}
	return m
}()

// levelNames are the logging module's level constants.
var levelNames = map[string]int64{
	"NOTSET": 0, "DEBUG": 10, "INFO": 20, "WARN": 30, "WARNING": 30, "ERROR": 40, "CRITICAL": 50, "FATAL": 50,
}

// handlersInts are logging.handlers' port constants.
var handlersInts = map[string]int64{
	"SYSLOG_UDP_PORT": 514, "SYSLOG_TCP_PORT": 514,
	"DEFAULT_TCP_LOGGING_PORT": 9020, "DEFAULT_UDP_LOGGING_PORT": 9021,
	"DEFAULT_HTTP_LOGGING_PORT": 9022, "DEFAULT_SOAP_LOGGING_PORT": 9023,
}

// syslogInts are SysLogHandler's LOG_* priorities and facilities, without
// the LOG_ prefix.
var syslogInts = map[string]int64{
	"EMERG": 0, "ALERT": 1, "CRIT": 2, "ERR": 3, "WARNING": 4, "NOTICE": 5, "INFO": 6, "DEBUG": 7,
	"KERN": 0, "USER": 1, "MAIL": 2, "DAEMON": 3, "AUTH": 4, "SYSLOG": 5, "LPR": 6, "NEWS": 7, "UUCP": 8,
	"CRON": 9, "AUTHPRIV": 10, "FTP": 11, "NTP": 12, "SECURITY": 13, "CONSOLE": 14, "SOLCRON": 15,
	"LOCAL0": 16, "LOCAL1": 17, "LOCAL2": 18, "LOCAL3": 19, "LOCAL4": 20, "LOCAL5": 21, "LOCAL6": 22, "LOCAL7": 23,
}

// Names returns every name a literal may use, sorted.
func Names() []string {
	out := make([]string, 0, len(names))
	for k := range names {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Lookup returns the value of a name of the table (see [Names]).
func Lookup(name string) (Value, bool) {
	v, ok := names[name]
	return v, ok
}

// allowedNames summarises the table for messages: short, whatever the
// table holds.
const allowedNames = "True, False, None, sys.stdout, sys.stderr, the level names (DEBUG, INFO, WARNING, ...), " +
	"handlers.SYSLOG_UDP_PORT, handlers.SYSLOG_TCP_PORT, handlers.DEFAULT_{TCP,UDP,HTTP,SOAP}_LOGGING_PORT, " +
	"handlers.SysLogHandler.LOG_* (e.g. LOG_LOCAL0, LOG_USER), handlers.socket.SOCK_DGRAM, handlers.socket.SOCK_STREAM"

// unknownName explains why name is refused, with the spelling Python's
// namespace would resolve when there is one.
func unknownName(name string) string {
	msg := fmt.Sprintf("name %q is not allowed: livelog evaluates nothing", Clip(name))
	known := func(n string) bool { _, ok := names[n]; return ok }
	hint := ""
	if rest, ok := strings.CutPrefix(name, "logging."); ok && known(rest) {
		hint = fmt.Sprintf("; Python's fileConfig evaluates args in the logging module's namespace, where logging "+
			"itself is not defined (a NameError): write %s", rest)
	} else if known("handlers." + name) {
		hint = fmt.Sprintf("; %s is not defined in the logging module's namespace: write handlers.%s", name, name)
	} else if near := Closest(name, Names()); near != "" {
		hint = fmt.Sprintf(" (did you mean %s?)", near)
	}
	return msg + hint + "; allowed: " + allowedNames + ", and literals (strings, numbers, tuples, lists, dicts)"
}

// Closest returns the candidate nearest to s by edit distance, when it is
// close enough to be a likely misspelling (at most 1 edit for names up to
// 4 characters, 2 up to 8, 3 beyond), or "". Case differences count as
// half an edit, and a candidate that differs from s only in case is always
// close, so "info" finds "INFO". Ties go to the first in order.
func Closest(s string, candidates []string) string {
	if len(s) > 100 {
		return ""
	}
	limit := 2 // in half edits
	switch n := len([]rune(s)); {
	case n > 8:
		limit = 6
	case n > 4:
		limit = 4
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		if c == s {
			continue
		}
		if strings.EqualFold(c, s) {
			return c
		}
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b in half edits: a
// substitution that only changes case costs 1, other edits 2.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = 2 * j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = 2 * i
		for j := 1; j <= len(rb); j++ {
			sub := 2
			switch {
			case ra[i-1] == rb[j-1]:
				sub = 0
			case strings.EqualFold(string(ra[i-1]), string(rb[j-1])):
				sub = 1
			}
			cur[j] = min(prev[j-1]+sub, prev[j]+2, cur[j-1]+2)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

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
