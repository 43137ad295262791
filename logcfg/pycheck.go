package logcfg

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/livelog/livelog/internal/ini"
	"github.com/livelog/livelog/internal/pylit"
)

// pythonCheck is the option [WithPythonCheck] sets.
type pythonCheck struct{ dst *[]Warning }

func (c pythonCheck) applyParseOption(o *parseOptions) { o.python = c.dst }

// WithPythonCheck makes Parse, ParseFile, ParseJSON and ParsePayload also
// append to *dst one entry for each thing in the config that livelog
// accepts but CPython 3.11's logging.config would reject or fail on, each
// with its file, line, section and key; `pushcfg check --python` prints
// them. A config with none is loadable by both. Nothing changes what the
// parse accepts: a config can parse and still have entries in *dst. What
// is reported (the README's "Differences from CPython" lists each case):
//
//   - a handler class that fileConfig's eval(class, vars(logging)) and
//     then its _resolve would not find: a bare name of logging.handlers
//     (RotatingFileHandler instead of handlers.RotatingFileHandler), a
//     wrong module (handlers.StreamHandler, logging.SysLogHandler),
//     livelog's own classes (SystemdHandler, JournalHandler), a logging.
//     name written over several lines or with a comment;
//   - a formatter class that _resolve would not find (Python resolves
//     formatter classes by their full dotted name only: Formatter must be
//     logging.Formatter; ColorFormatter and JSONFormatter are livelog's);
//   - in a dictConfig, any class not spelt as a full dotted name
//     (dictConfig resolves "logging.StreamHandler", never "StreamHandler");
//   - "ext://sys.stdout" or "ext://sys.stderr" in INI args= or kwargs=
//     (only dictConfig resolves ext://; fileConfig would pass the string
//     as the stream and fail on every record);
//   - a formatter's defaults= key in INI (CPython 3.11's fileConfig does
//     not read it, so a format using a default fails on every record).
//
// Dotted class names outside the logging package (a program's own
// myapp.AuditHandler, a third party's) cannot be checked here: Python
// finds them if the module is importable. A name in the logging package
// that CPython does not define (logging.ColorFormatter, as the demo's
// configs write) is reported, since stock CPython cannot load it; a
// Python program that adds the class to the module first can. It panics
// if dst is nil.
func WithPythonCheck(dst *[]Warning) ParseOption {
	if dst == nil {
		panic("logcfg: WithPythonCheck(nil)")
	}
	return pythonCheck{dst}
}

// The classes that CPython's logging and logging.handlers modules define
// (handlers and formatters), for resolving class names as Python does.
var (
	pyLoggingClasses = map[string]bool{
		"Handler": true, "StreamHandler": true, "FileHandler": true, "NullHandler": true,
		"Formatter": true, "BufferingFormatter": true, "Filter": true, "Logger": true, "LogRecord": true,
	}
	pyHandlersClasses = map[string]bool{
		"BaseRotatingHandler": true, "RotatingFileHandler": true, "TimedRotatingFileHandler": true,
		"WatchedFileHandler": true, "SocketHandler": true, "DatagramHandler": true, "SysLogHandler": true,
		"SMTPHandler": true, "NTEventLogHandler": true, "HTTPHandler": true, "BufferingHandler": true,
		"MemoryHandler": true, "QueueHandler": true, "QueueListener": true,
	}
)

// pyResolve says whether Python's logging.config._resolve finds a class
// under the dotted name (it imports the first part and follows the rest
// as attributes, importing submodules): "" if it does (or may: a module
// outside logging and livelog), else why not.
func pyResolve(name string) string {
	if name == "" || strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '#' }) >= 0 {
		return "Python's _resolve imports the text as written, spaces, comments and line breaks included"
	}
	parts := strings.Split(name, ".")
	switch {
	case len(parts) == 1:
		return fmt.Sprintf("Python looks for a module named %s (no module holds it)", name)
	case parts[0] == "livelog":
		return "it is livelog's own class; Python has no module livelog"
	case parts[0] == "handlers":
		return "Python has no module handlers (only fileConfig's eval, in the logging namespace, knows handlers as logging.handlers)"
	case parts[0] != "logging":
		return "" // a program's or third party's module: importable or not, livelog cannot tell
	case len(parts) == 2 && pyLoggingClasses[parts[1]]:
		return ""
	case len(parts) == 3 && parts[1] == "handlers" && pyHandlersClasses[parts[2]]:
		return ""
	}
	return fmt.Sprintf("CPython's logging package has no class %s (unless the Python program adds it to the module "+
		"before loading the config)", name)
}

// pyEvalClass says whether fileConfig's eval(class, vars(logging)) finds
// a class: "" and true if so; false if eval raises NameError or
// AttributeError (fileConfig then tries _resolve); a reason and true if
// it raises anything else (a SyntaxError), which fileConfig does not catch.
func pyEvalClass(text string) (why string, done bool) {
	var lines []string
	for l := range strings.SplitSeq(text, "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		if l = strings.Trim(l, " \t"); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		return "Python's eval reads it as more than one line (a SyntaxError)", true
	}
	parts := strings.Split(lines[0], ".")
	for _, p := range parts {
		if !isPyIdent(p) {
			return "it is not a dotted name (Python's eval fails)", true
		}
	}
	switch {
	case len(parts) == 1 && pyLoggingClasses[parts[0]]:
		return "", true
	case len(parts) == 2 && parts[0] == "handlers" && pyHandlersClasses[parts[1]]:
		return "", true
	}
	return "", false
}

func isPyIdent(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, r := range s {
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// pyHandlerClass is fileConfig's resolution of a handler's class= text
// (interpolated, as configparser gives it): "" if Python finds the class,
// else why not.
func pyHandlerClass(text string) string {
	if why, done := pyEvalClass(text); done {
		return why
	}
	if why := pyResolve(text); why != "" {
		return "eval(class, vars(logging)) does not find it and " + why
	}
	return ""
}

// pyFix suggests the spelling of class that CPython finds, if there is
// one: as fileConfig's eval finds handler classes (evalNS), or as a full
// dotted name.
func pyFix(class string, evalNS bool) string {
	bare := className(class)
	switch {
	case evalNS && pyLoggingClasses[bare]:
		return fmt.Sprintf("; write %s (or logging.%s)", bare, bare)
	case evalNS && pyHandlersClasses[bare]:
		return fmt.Sprintf("; write handlers.%s (or logging.handlers.%s)", bare, bare)
	case pyLoggingClasses[bare]:
		return fmt.Sprintf("; write logging.%s", bare)
	case pyHandlersClasses[bare]:
		return fmt.Sprintf("; write logging.handlers.%s", bare)
	}
	return ""
}

// pyReport appends a difference to the parse's list, if it keeps one.
func (p *iniParser) pyReport(s *ini.Section, key string, format string, args ...any) {
	if p.python == nil {
		return
	}
	w := Warning{Pos: Pos{File: p.doc.File, Line: s.Line, Section: s.Name}, Key: key, Msg: fmt.Sprintf(format, args...)}
	if v, ok := p.raw(s, key); ok && v.Key != nil {
		w.Pos.Line = v.Key.Line
	}
	*p.python = append(*p.python, w)
}

// pyHandler checks a handler section for what CPython's fileConfig would
// reject: its class text and ext:// streams in its args.
func (p *iniParser) pyHandler(s *ini.Section, class ini.Value) {
	if p.python == nil {
		return
	}
	if why := pyHandlerClass(class.Text); why != "" {
		p.pyReport(s, "class", "CPython's fileConfig cannot load class %q: %s%s",
			pylit.Clip(class.Text), why, pyFix(strings.TrimSpace(stripComment(class.Text)), true))
	}
	for _, key := range []string{"args", "kwargs"} {
		if v, ok, _ := p.get(s, key); ok && strings.Contains(v.Text, "ext://") {
			p.pyReport(s, key, "CPython's fileConfig does not resolve ext:// in %s= (only dictConfig does): "+
				"it would pass the string as the stream and fail on every record; write sys.stdout or sys.stderr", key)
		}
	}
}

// pyFormatter checks a formatter section for what CPython's fileConfig
// would reject or ignore to its cost.
func (p *iniParser) pyFormatter(s *ini.Section, f *FormatterConfig) {
	if p.python == nil {
		return
	}
	if v, ok, _ := p.get(s, "class"); ok && v.Text != "" {
		if why := pyResolve(v.Text); why != "" {
			p.pyReport(s, "class", "CPython's fileConfig cannot load formatter class %q: it resolves formatter classes "+
				"by their full dotted name only, and %s%s", pylit.Clip(v.Text), why, pyFix(strings.TrimSpace(v.Text), false))
		}
	}
	if _, ok := f.Extra["defaults"]; ok {
		p.pyReport(s, "defaults", "CPython 3.11's fileConfig does not read defaults= (3.12 does): "+
			"a format field that only defaults= gives fails on every record there")
	}
}

// pyDict reports, for a parsed dictConfig, the class names dictConfig's
// resolve would not find (it takes only full dotted names).
func pyDict(cfg *Config, dst *[]Warning) {
	report := func(pos Pos, class string) {
		if why := pyResolve(class); why != "" {
			*dst = append(*dst, Warning{Pos: pos, Key: "class", Msg: fmt.Sprintf(
				"CPython's dictConfig cannot load class %q: it resolves classes by their full dotted name only, and %s%s",
				pylit.Clip(class), why, pyFix(class, false))})
		}
	}
	for _, f := range cfg.Formatters {
		if f.Class != "" {
			report(f.Pos, f.Class)
		}
	}
	for _, h := range cfg.Handlers {
		report(h.Pos, h.Class)
	}
}
