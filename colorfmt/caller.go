package colorfmt

// UsesCaller reports whether the format shows anything of the caller
// (%(module)s, %(funcName)s, %(filename)s, %(pathname)s, %(lineno)d). A
// logger that writes only through encoders that do not can skip finding
// the caller, which costs more than encoding the whole line.
func (e *Encoder) UsesCaller() bool {
	for i := range e.prog.segs {
		s := &e.prog.segs[i]
		if s.kind != segAttr {
			continue
		}
		switch s.attr {
		case attrModule, attrFuncName, attrFilename, attrPathname, attrLineno:
			return true
		}
	}
	return false
}
