// Package ini reads INI text the way Python's configparser.ConfigParser
// reads it (strict=True, the defaults of logging.config.fileConfig) into a
// [Doc] of sections and keys that remembers the line and column of every
// section header, key and value line. A [Scope] then looks values up as
// configparser does, in the section, then [DEFAULT], then the caller's
// defaults, and interpolates their %(name)s references; every problem is
// an [*Error] naming the file, line, section and key.
//
//	doc, err := ini.Read(data, "app.conf")
//	if err != nil { ... }
//	v, ok, err := ini.NewScope(doc, nil).Get(doc.Section("logger_root"), "level")
//	// v.Text is the interpolated value; v.Key.Line is where it is written
//
// What the sections and keys mean is not this package's business: logcfg
// reads fileConfig's model from a Doc.
//
// # Why not gopkg.in/ini.v1
//
// With the options livelog's DESIGN.md lists, ini.v1 merges duplicate
// sections and keys (configparser rejects both), keeps key case
// (configparser lower-cases), rejects blank lines inside an indented
// multi-line value ("key-value delimiter not found") and keeps no line
// numbers. Each rule of [Read] is configparser's RawConfigParser._read in
// CPython 3.11, and [Scope.Get] is its BasicInterpolation, checked against
// python3 by the tests of this package and by logcfg's fixture tests.
package ini
