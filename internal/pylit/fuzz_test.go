package pylit

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, and that its error is an
// *Error whose offset and column lie inside the input.
func FuzzParse(f *testing.F) {
	f.Add([]byte("('app.log', 'a', 10485760, 5)"))
	f.Add([]byte("{'stream': sys.stdout, 'n': [0x1F, -1.5e3, None, True]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(string(data), nil)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error is not an *Error: %v", err)
		}
		if e.Offset < 0 || e.Offset > len(data) {
			t.Fatalf("error offset %d outside the input (%d bytes)", e.Offset, len(data))
		}
		if e.Column < 1 || e.Column > len(data)+1 {
			t.Fatalf("error column %d outside the input (%d bytes)", e.Column, len(data))
		}
	})
}
