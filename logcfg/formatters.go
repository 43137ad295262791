package logcfg

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/livelog/livelog/colorfmt"
	"go.uber.org/zap/zapcore"
)

// The formatter classes livelog provides:
//
//	class                                   what
//	Formatter (logging.Formatter, "")       Python's logging.Formatter: "$X" is literal text
//	ColorFormatter (logging.ColorFormatter, colour tokens $RESET, $COLOR, $RED, ... (see colorfmt)
//	  livelog.ColorFormatter)
//	JSONFormatter (livelog.JSONFormatter)   one JSON object per line (zap's JSON encoder)
//
// The text classes read two livelog keys from the formatter section:
//
//	color   = auto | always | never   (default auto: colour only on a terminal, see colorfmt.ShouldColor)
//	oneline = true | false            (default false; also 1/0, yes/no, on/off: escape newlines)
func builtinFormatters() map[string]FormatterClass {
	plain := FormatterClass{
		Check: func(f *FormatterConfig) error { _, err := textOptions(f, false); return err },
		New:   func(f *FormatterConfig, out *os.File) (zapcore.Encoder, error) { return newText(f, out, false) },
	}
	color := FormatterClass{
		Check: func(f *FormatterConfig) error { _, err := textOptions(f, true); return err },
		New:   func(f *FormatterConfig, out *os.File) (zapcore.Encoder, error) { return newText(f, out, true) },
	}
	js := FormatterClass{Check: checkJSON, New: newJSON}
	return map[string]FormatterClass{
		"Formatter":              plain,
		"ColorFormatter":         color,
		"livelog.ColorFormatter": color,
		"JSONFormatter":          js,
		"livelog.JSONFormatter":  js,
	}
}

// formatterOptions are a text formatter's settings, validated.
type formatterOptions struct {
	opts colorfmt.Options
	mode colorfmt.ColorMode
}

// badFormat wraps a formatter problem: the parser adds file, line and
// section; Key names the offending key.
func badFormat(f *FormatterConfig, key string, err error) error {
	return &Error{Key: key, Err: fmt.Errorf("%w: formatter %q: %w", ErrBadFormat, f.Key, err)}
}

// extraOptions reads the livelog keys color and oneline.
func extraOptions(f *FormatterConfig) (colorfmt.ColorMode, bool, error) {
	mode, err := colorfmt.ParseColorMode(f.Extra["color"])
	if err != nil {
		return 0, false, badFormat(f, "color", err)
	}
	oneLine := false
	if v, ok := f.Extra["oneline"]; ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "1", "yes", "on":
			oneLine = true
		case "false", "0", "no", "off", "":
		default:
			return 0, false, badFormat(f, "oneline", fmt.Errorf("oneline %q: want true or false (1/0, yes/no, on/off)", v))
		}
	}
	return mode, oneLine, nil
}

// formatterDefaults reads the defaults key (Python 3.12+): a dict literal
// of values for attributes that records do not carry, e.g.
// defaults={"customfield": "defaultvalue"}. Nothing in it is evaluated.
func formatterDefaults(f *FormatterConfig) (map[string]string, error) {
	src, ok := f.Extra["defaults"]
	if !ok || strings.TrimSpace(src) == "" {
		return nil, nil
	}
	v, lerr := parseLiteral(src)
	if lerr != nil {
		return nil, badFormat(f, "defaults", lerr)
	}
	if v.Kind != KindDict {
		return nil, badFormat(f, "defaults", fmt.Errorf("defaults must be a dict literal such as {\"key\": \"value\"}, not %s", src))
	}
	out := make(map[string]string, len(v.Dict))
	for k, item := range v.Dict {
		switch item.Kind {
		case KindString:
			out[k] = item.Str
		case KindInt:
			out[k] = strconv.FormatInt(item.Int, 10)
		case KindFloat:
			out[k] = strconv.FormatFloat(item.Float, 'g', -1, 64)
		case KindBool:
			out[k] = map[bool]string{true: "True", false: "False"}[item.Bool]
		case KindNone:
			out[k] = "None"
		default:
			return nil, badFormat(f, "defaults", fmt.Errorf("default %q must be a string or a number", k))
		}
	}
	return out, nil
}

// textOptions validates f for a text formatter (tokens: ColorFormatter)
// and compiles its format, so Check catches what New would refuse.
func textOptions(f *FormatterConfig, tokens bool) (*formatterOptions, error) {
	mode, oneLine, err := extraOptions(f)
	if err != nil {
		return nil, err
	}
	defaults, err := formatterDefaults(f)
	if err != nil {
		return nil, err
	}
	o := &formatterOptions{mode: mode, opts: colorfmt.Options{
		Defaults: defaults,
		Datefmt:  f.Datefmt,
		Style:    f.Style,
		Tokens:   tokens,
		OneLine:  oneLine,
	}}
	if err := colorfmt.Check(formatOf(f), &o.opts); err != nil {
		key := "format"
		if fe, ok := err.(*colorfmt.FormatError); ok && fe.What == "datefmt" {
			key = "datefmt"
		} else if !ok {
			key = "style"
		}
		return nil, badFormat(f, key, err)
	}
	return o, nil
}

// formatOf is the format Python would use: "%(message)s" (in the
// formatter's style) when the section gives none.
func formatOf(f *FormatterConfig) string {
	if f.Format != "" {
		return f.Format
	}
	switch f.Style {
	case "{":
		return "{message}"
	case "$":
		return "${message}"
	}
	return "%(message)s"
}

func newText(f *FormatterConfig, out *os.File, tokens bool) (zapcore.Encoder, error) {
	o, err := textOptions(f, tokens)
	if err != nil {
		return nil, err
	}
	o.opts.Color = tokens && colorfmt.ShouldColor(o.mode, out)
	enc, err := colorfmt.New(formatOf(f), &o.opts)
	if err != nil {
		return nil, badFormat(f, "format", err)
	}
	return enc, nil
}

// checkJSON validates the livelog keys of a JSONFormatter; its format and
// datefmt are not used.
func checkJSON(f *FormatterConfig) error {
	_, _, err := extraOptions(f)
	return err
}

// newJSON is zap's JSON encoder with Python's key names: time (ISO 8601),
// levelname, name, message, caller, funcName, stack.
func newJSON(f *FormatterConfig, _ *os.File) (zapcore.Encoder, error) {
	if err := checkJSON(f); err != nil {
		return nil, err
	}
	return zapcore.NewJSONEncoder(zapcore.EncoderConfig{
		TimeKey:        "time",
		LevelKey:       "levelname",
		NameKey:        "name",
		MessageKey:     "message",
		CallerKey:      "caller",
		FunctionKey:    "funcName",
		StacktraceKey:  "stack",
		LineEnding:     zapcore.DefaultLineEnding,
		EncodeLevel:    func(l zapcore.Level, enc zapcore.PrimitiveArrayEncoder) { enc.AppendString(LevelName(l)) },
		EncodeTime:     zapcore.ISO8601TimeEncoder,
		EncodeDuration: zapcore.StringDurationEncoder,
		EncodeCaller:   zapcore.ShortCallerEncoder,
		EncodeName:     zapcore.FullNameEncoder,
	}), nil
}
