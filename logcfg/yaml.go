package logcfg

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/livelog/livelog/internal/ini"
)

// ParseYAML reads a dictConfig written in YAML, as Python programs load
// one with logging.config.dictConfig(yaml.safe_load(f)): the schema is
// [ParseJSON]'s, and scalars mean what PyYAML's safe_load makes of them
// (YAML 1.1: yes/no/on/off are booleans, 0644 is octal, 1_000 is 1000,
// ~ is null; a quoted scalar is always a string). Anchors, aliases and
// merge keys (<<: *base) work as in PyYAML.
//
// What livelog refuses that PyYAML reads: a key given twice in one
// mapping (PyYAML keeps the last; a key that a merge brings in may be
// overridden, as in PyYAML), keys that are not strings, more than one
// document, tags other than YAML's own (!!str, !!int, ...), and aliases
// that expand the document past its budget (see [MaxYAMLNodes]).
//
// Errors name the file, line and column (the YAML node's position), the
// section ("handlers.console") and the key; the YAML reader's syntax
// errors give the line only, as go.yaml.in/yaml/v3 reports no column.
// The same rules as [Parse] hold for encoding (UTF-8, a BOM allowed) and
// for the size of an error's text ([MaxErrorText]).
func ParseYAML(data []byte, name string, opts ...ParseOption) (*Config, error) {
	o := collectParseOptions(opts)
	if err := checkUTF8(data, name); err != nil {
		return nil, err
	}
	r := newYAMLReader(name, len(data))
	top, err := r.read(bytes.TrimPrefix(data, bom))
	if err != nil {
		if o.work != nil {
			*o.work = len(data) + r.work
		}
		return nil, err
	}
	return parseDict(top, name, "YAML", "a mapping", &o, len(data)+r.work)
}

// MaxYAMLNodes is the most nodes a YAML config of size bytes may hold
// once its aliases are expanded: one per byte plus ini.WorkBase (4,096).
// No document without aliases comes near it (a node takes a byte at
// least); aliases may repeat parts of a document, but not blow it up (a
// "billion laughs" of nested aliases is refused with an error naming the
// alias where the budget ran out, after work linear in the input).
func MaxYAMLNodes(size int) int { return size + ini.WorkBase }

// yamlReader turns a yaml.Node tree into dnodes, resolving scalars as
// PyYAML's safe_load does and counting the expanded size.
type yamlReader struct {
	name string
	// budget is the most nodes the expanded document may hold; work is
	// how many it holds so far.
	budget, work int
	// memo holds the anchored nodes already converted (an alias shares
	// their dnode) and their expanded size; active those being converted,
	// to refuse an alias inside its own anchor.
	memo   map[*yaml.Node]yamlDone
	active map[*yaml.Node]bool
}

func newYAMLReader(name string, size int) *yamlReader {
	return &yamlReader{name: name, budget: MaxYAMLNodes(size), memo: map[*yaml.Node]yamlDone{}, active: map[*yaml.Node]bool{}}
}

type yamlDone struct {
	n    *dnode
	size int
}

// yamlLine finds the line in go.yaml.in/yaml/v3's error messages
// ("yaml: line 3: mapping values are not allowed in this context").
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

func (r *yamlReader) syntax(err error) error {
	msg := err.Error()
	e := &Error{File: r.name}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if len(msg) > 1024 {
		msg = clipText(msg, 1024)
	}
	e.Err = fmt.Errorf("%w: not a YAML document: %s", ErrSyntax, msg)
	return e
}

func (r *yamlReader) errAt(n *yaml.Node, err error) error {
	return &Error{File: r.name, Line: n.Line, Column: n.Column, Err: err}
}

// read reads the one document of text.
func (r *yamlReader) read(text []byte) (n *dnode, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, &Error{File: r.name, Err: fmt.Errorf("%w: the YAML config is empty", ErrSyntax)}
		}
		return nil, r.syntax(err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, r.errAt(&next, fmt.Errorf("%w: a second YAML document: a config is one document (PyYAML's safe_load refuses more too)", ErrSyntax))
	case err != io.EOF:
		return nil, r.syntax(err)
	}
	root := &doc
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil, r.errAt(&doc, fmt.Errorf("%w: the YAML config is empty", ErrSyntax))
		}
		root = doc.Content[0]
	}
	n, _, err = r.node(root, 0)
	return n, err
}

// node converts y, returning its expanded size.
func (r *yamlReader) node(y *yaml.Node, depth int) (*dnode, int, error) {
	if depth >= maxDictDepth {
		return nil, 0, r.errAt(y, fmt.Errorf("%w: nested deeper than %d levels", ErrSyntax, maxDictDepth))
	}
	if y.Kind == yaml.AliasNode {
		t := y.Alias
		if t == nil || r.active[t] {
			return nil, 0, r.errAt(y, fmt.Errorf("%w: alias *%s refers to the node that contains it", ErrSyntax, clip(y.Value)))
		}
		done, ok := r.memo[t]
		if !ok {
			n, size, err := r.node(t, depth)
			if err != nil {
				return nil, 0, err
			}
			// The anchor itself was counted where it stands; this use of it
			// adds its size again below.
			done = yamlDone{n, size}
			r.work -= size
		}
		if err := r.spend(y, done.size); err != nil {
			return nil, 0, err
		}
		return done.n, done.size, nil
	}
	if y.Anchor != "" {
		r.active[y] = true
		defer delete(r.active, y)
	}
	if err := r.spend(y, 1); err != nil {
		return nil, 0, err
	}
	var (
		n    *dnode
		size = 1
		err  error
	)
	switch y.Kind {
	case yaml.ScalarNode:
		n, err = r.scalar(y)
	case yaml.SequenceNode:
		if err = r.collectionTag(y, "!!seq"); err != nil {
			break
		}
		n = &dnode{kind: dList, line: y.Line, col: y.Column, items: make([]*dnode, 0, len(y.Content))}
		for _, c := range y.Content {
			it, s, cerr := r.node(c, depth+1)
			if cerr != nil {
				return nil, 0, cerr
			}
			n.items = append(n.items, it)
			size += s
		}
	case yaml.MappingNode:
		var s int
		n, s, err = r.mapping(y, depth)
		size += s
	default:
		err = r.errAt(y, fmt.Errorf("%w: unexpected YAML node", ErrSyntax))
	}
	if err != nil {
		return nil, 0, err
	}
	if y.Anchor != "" {
		r.memo[y] = yamlDone{n, size}
	}
	return n, size, nil
}

// spend counts size more nodes against the budget.
func (r *yamlReader) spend(at *yaml.Node, size int) error {
	r.work += size
	if r.work > r.budget {
		return r.errAt(at, fmt.Errorf("%w: the YAML aliases expand the config to more than %d nodes (one per byte of input plus %d): refused as an alias bomb",
			ErrSyntax, r.budget, ini.WorkBase))
	}
	return nil
}

func (r *yamlReader) collectionTag(y *yaml.Node, want string) error {
	if y.Style&yaml.TaggedStyle != 0 && y.Tag != want {
		return r.errAt(y, fmt.Errorf("%w: tag %s is not supported (livelog reads YAML's own tags only, as PyYAML's safe_load does)", ErrSyntax, clip(y.Tag)))
	}
	return nil
}

// mapping converts a mapping, merge keys (<<) resolved as PyYAML's
// flatten_mapping does: the merged mappings' entries first (of a list of
// them, the first listed wins), then the mapping's own, which override
// them. A key the mapping itself gives twice is an error.
func (r *yamlReader) mapping(y *yaml.Node, depth int) (*dnode, int, error) {
	if err := r.collectionTag(y, "!!map"); err != nil {
		return nil, 0, err
	}
	n := &dnode{kind: dMap, line: y.Line, col: y.Column}
	index := map[string]int{}
	put := func(e dentry) {
		if i, ok := index[e.key]; ok {
			n.entries[i] = e
			return
		}
		index[e.key] = len(n.entries)
		n.entries = append(n.entries, e)
	}
	size := 0
	var own []dentry
	for i := 0; i+1 < len(y.Content); i += 2 {
		ky, vy := y.Content[i], y.Content[i+1]
		if isMergeKey(ky) {
			merged, err := r.merges(vy, depth)
			if err != nil {
				return nil, 0, err
			}
			for _, m := range merged {
				for _, e := range m.entries {
					put(e)
				}
			}
			continue
		}
		k, ks, err := r.node(ky, depth+1)
		if err != nil {
			return nil, 0, err
		}
		if k.kind != dString {
			return nil, 0, r.errAt(ky, fmt.Errorf("%w: a key must be a string, not %s (quote it)", ErrSyntax, k.describe("a mapping")))
		}
		v, vs, err := r.node(vy, depth+1)
		if err != nil {
			return nil, 0, err
		}
		size += ks + vs
		own = append(own, dentry{key: k.s, at: k, val: v})
	}
	seen := make(map[string]bool, len(own))
	for _, e := range own {
		if seen[e.key] {
			return nil, 0, &Error{File: r.name, Line: e.at.line, Column: e.at.col,
				Err: fmt.Errorf("%w: key %q is given twice in one mapping", ErrDuplicate, clip(e.key))}
		}
		seen[e.key] = true
		put(e)
	}
	// The merged entries are counted again here: they are new entries of
	// this mapping, sharing their values.
	if extra := len(n.entries) - len(own); extra > 0 {
		if err := r.spend(y, extra); err != nil {
			return nil, 0, err
		}
		size += extra
	}
	return n, size, nil
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style&yamlQuoted == 0 &&
		(k.Style&yaml.TaggedStyle == 0 || k.Tag == "!!merge")
}

// merges reads the value of a merge key: a mapping or a list of them,
// returned in the order their entries are put (the last wins).
func (r *yamlReader) merges(vy *yaml.Node, depth int) ([]*dnode, error) {
	v, _, err := r.node(vy, depth+1)
	if err != nil {
		return nil, err
	}
	switch v.kind {
	case dMap:
		return []*dnode{v}, nil
	case dList:
		out := make([]*dnode, 0, len(v.items))
		for i := len(v.items) - 1; i >= 0; i-- {
			if v.items[i].kind != dMap {
				break
			}
			out = append(out, v.items[i])
		}
		if len(out) == len(v.items) {
			return out, nil
		}
	}
	return nil, r.errAt(vy, fmt.Errorf("%w: a merge key (<<) takes a mapping or a list of mappings", ErrSyntax))
}

const yamlQuoted = yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle

// PyYAML's implicit resolvers (yaml/resolver.py) for plain scalars.
var (
	pyYAMLBool  = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	pyYAMLFloat = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?` +
		`|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?` +
		`|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*` +
		`|[-+]?\.(?:inf|Inf|INF)` +
		`|\.(?:nan|NaN|NAN))$`)
	pyYAMLInt = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+` +
		`|[-+]?0[0-7_]+` +
		`|[-+]?(?:0|[1-9][0-9_]*)` +
		`|[-+]?0x[0-9a-fA-F_]+` +
		`|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	pyYAMLNull      = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
	pyYAMLTimestamp = regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]` +
		`|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
)

// scalar resolves a scalar as PyYAML's safe_load does: a quoted or block
// scalar, or one tagged !!str, is a string; a plain one is what PyYAML's
// implicit resolvers make of it.
func (r *yamlReader) scalar(y *yaml.Node) (*dnode, error) {
	n := &dnode{kind: dString, line: y.Line, col: y.Column, s: y.Value}
	tag := ""
	if y.Style&yaml.TaggedStyle != 0 {
		tag = y.Tag
	}
	switch tag {
	case "":
		if y.Style&yamlQuoted == 0 {
			resolvePlain(n)
		}
		return n, nil
	case "!!str":
		return n, nil
	case "!!null", "!!bool", "!!int", "!!float", "!!timestamp":
		resolvePlain(n)
		want := map[string]dkind{"!!null": dNull, "!!bool": dBool, "!!int": dInt, "!!float": dFloat, "!!timestamp": dTimestamp}[tag]
		if want == dFloat && n.kind == dInt {
			n.kind, n.f = dFloat, float64(n.i)
		}
		if n.kind != want {
			return nil, r.errAt(y, fmt.Errorf("%w: %q is not a %s", ErrSyntax, clip(y.Value), tag))
		}
		return n, nil
	}
	return nil, r.errAt(y, fmt.Errorf("%w: tag %s is not supported (livelog reads YAML's own tags only, as PyYAML's safe_load does)", ErrSyntax, clip(tag)))
}

// resolvePlain gives n (a string holding a plain scalar's text) the type
// PyYAML's resolvers give it, in their order.
func resolvePlain(n *dnode) {
	s := n.s
	switch {
	case pyYAMLBool.MatchString(s):
		n.kind = dBool
		n.b = strings.ContainsAny(s[:1], "yYtT") || s == "on" || s == "On" || s == "ON"
	case pyYAMLFloat.MatchString(s):
		n.kind, n.f = dFloat, pyYAMLFloatValue(s)
	case pyYAMLInt.MatchString(s):
		n.kind = dInt
		n.i, n.big = pyYAMLIntValue(s)
	case pyYAMLNull.MatchString(s):
		n.kind = dNull
	case pyYAMLTimestamp.MatchString(s):
		n.kind = dTimestamp
	}
}

// sign splits a leading sign off s, underscores removed.
func sign(s string) (neg bool, digits string) {
	s = strings.ReplaceAll(s, "_", "")
	if s != "" && (s[0] == '-' || s[0] == '+') {
		return s[0] == '-', s[1:]
	}
	return false, s
}

// pyYAMLIntValue is PyYAML's construct_yaml_int: 0b binary, 0x hex, a
// leading 0 octal, a:b:c base 60; big is set when it does not fit.
func pyYAMLIntValue(s string) (int64, bool) {
	neg, d := sign(s)
	var (
		u   uint64
		err error
	)
	switch {
	case d == "0" || d == "":
	case strings.HasPrefix(d, "0b"):
		u, err = strconv.ParseUint(d[2:], 2, 64)
	case strings.HasPrefix(d, "0x"):
		u, err = strconv.ParseUint(d[2:], 16, 64)
	case d[0] == '0':
		u, err = strconv.ParseUint(d, 8, 64)
	case strings.Contains(d, ":"):
		for _, part := range strings.Split(d, ":") {
			p, _ := strconv.ParseUint(part, 10, 64)
			if u > (math.MaxUint64-p)/60 {
				return 0, true
			}
			u = u*60 + p
		}
	default:
		u, err = strconv.ParseUint(d, 10, 64)
	}
	if err != nil || u > math.MaxInt64+1 || u == math.MaxInt64+1 && !neg {
		return 0, true
	}
	if neg {
		return int64(-u), false
	}
	return int64(u), false
}

// pyYAMLFloatValue is PyYAML's construct_yaml_float.
func pyYAMLFloatValue(s string) float64 {
	neg, d := sign(s)
	d = strings.ToLower(d)
	f := 0.0
	switch {
	case d == ".inf":
		f = math.Inf(1)
	case d == ".nan":
		return math.NaN()
	case strings.Contains(d, ":"):
		for _, part := range strings.Split(d, ":") {
			p, _ := strconv.ParseFloat(part, 64)
			f = f*60 + p
		}
	default:
		f, _ = strconv.ParseFloat(d, 64)
	}
	if neg {
		return -f
	}
	return f
}
