package logcfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"testing"
	"unicode/utf8"
)

// plain is n as the value encoding/json decodes (numbers as json.Number).
func (n *dnode) plain() any {
	switch n.kind {
	case dBool:
		return n.b
	case dString:
		return n.s
	case dInt, dFloat:
		return json.Number(n.s)
	case dList:
		out := make([]any, 0, len(n.items))
		for _, it := range n.items {
			out = append(out, it.plain())
		}
		return out
	case dMap:
		out := make(map[string]any, len(n.entries))
		for _, e := range n.entries {
			out[e.key] = e.val.plain()
		}
		return out
	}
	return nil
}

// FuzzJSONReader checks the positioned JSON reader against encoding/json:
// it reads every document encoding/json reads, to the same value (unless
// it is nested deeper than maxDictDepth or repeats a key in an object,
// which it refuses), and refuses every other with a syntax error placed
// within the input. (Input that is not UTF-8 is ParseJSON's to refuse.)
func FuzzJSONReader(f *testing.F) {
	f.Add([]byte(dictConfig))
	f.Add([]byte(`{"a": "\u00e9\"x", "b": -1.5e3, "c": [true, false, null, 12345678901234567890]}`))
	f.Add([]byte(`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"c":1}`))
	f.Add([]byte(" [ {\"é\" : [] } ] "))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) {
			return // ParseJSON refuses it before reading (checkUTF8); encoding/json would replace bytes
		}
		n, err := readJSON(data, "fuzz.json")
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		werr := dec.Decode(&want)
		if werr == nil {
			if _, terr := dec.Token(); terr != io.EOF {
				werr = errors.New("trailing data")
			}
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Line < 1 || e.Column < 1 || e.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("error without a place in the input: %v", err)
			}
			if werr == nil && !errors.Is(err, ErrDuplicate) && !bytes.Contains([]byte(err.Error()), []byte("nested deeper")) {
				t.Fatalf("refused what encoding/json reads: %v", err)
			}
			return
		}
		if werr != nil {
			t.Fatalf("read what encoding/json refuses (%v)", werr)
		}
		if got := n.plain(); !reflect.DeepEqual(got, want) {
			t.Fatalf("read %#v, encoding/json %#v", got, want)
		}
	})
}
