package colorfmt

// attr is a Python LogRecord attribute that a format can name.
type attr uint8

const (
	attrNone attr = iota
	attrAsctime
	attrCreated
	attrMsecs
	attrRelativeCreated
	attrLevelname
	attrLevelno
	attrName
	attrMessage
	attrModule
	attrFuncName
	attrFilename
	attrPathname
	attrLineno
	attrProcess
	attrProcessName
	attrThread
	attrThreadName
	attrDefault // a constant from Options.Defaults
)

// valueKind is the Python type of an attribute's value; it decides which
// conversions apply (Python raises TypeError for %d on a str).
type valueKind uint8

const (
	kindStr valueKind = iota
	kindInt
	kindFloat
)

type attrInfo struct {
	attr attr
	kind valueKind
}

// attrs are the LogRecord attributes livelog renders, with Python's types.
var attrs = map[string]attrInfo{
	"asctime":         {attrAsctime, kindStr},
	"created":         {attrCreated, kindFloat},
	"msecs":           {attrMsecs, kindFloat},
	"relativeCreated": {attrRelativeCreated, kindFloat},
	"levelname":       {attrLevelname, kindStr},
	"levelno":         {attrLevelno, kindInt},
	"name":            {attrName, kindStr},
	"message":         {attrMessage, kindStr},
	"module":          {attrModule, kindStr},
	"funcName":        {attrFuncName, kindStr},
	"filename":        {attrFilename, kindStr},
	"pathname":        {attrPathname, kindStr},
	"lineno":          {attrLineno, kindInt},
	"process":         {attrProcess, kindInt},
	"processName":     {attrProcessName, kindStr},
	"thread":          {attrThread, kindInt},
	"threadName":      {attrThreadName, kindStr},
}

// unsupportedAttrs are LogRecord attributes that exist in Python but have
// no meaning for a zap entry; naming one is an error that says so.
var unsupportedAttrs = map[string]string{
	"args":       "zap messages are never %-formatted",
	"msg":        "use %(message)s",
	"exc_info":   "zap has no exception info; errors are fields",
	"exc_text":   "zap has no exception info; errors are fields",
	"stack_info": "zap stack traces follow the line",
	"taskName":   "Go has no asyncio tasks",
}
