package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

// FuzzFrame feeds arbitrary bytes to ReadFrame with a small cap. Oracle:
// it never panics; a length over the cap is rejected having read only the
// 4 length bytes; an accepted payload is at most the cap, is exactly the
// announced bytes, and re-encodes to the bytes consumed; a short input is
// ErrTruncated or io.EOF.
func FuzzFrame(f *testing.F) {
	f.Add([]byte{0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'})
	f.Add([]byte("GET / HTTP/1.1\r\n"))
	f.Add([]byte{0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{0, 0, 0, 9, 'a'})
	f.Add([]byte{})
	const max = 512
	f.Fuzz(func(t *testing.T, in []byte) {
		cr := &countingReader{r: bytes.NewReader(in)}
		got, err := ReadFrame(cr, max)
		if len(in) >= 4 {
			n := binary.BigEndian.Uint32(in)
			if n > max {
				if !errors.Is(err, ErrTooLarge) || cr.n != 4 {
					t.Fatalf("oversize %d: err %v after %d bytes", n, err, cr.n)
				}
				return
			}
			if uint64(len(in)-4) < uint64(n) {
				if !errors.Is(err, ErrTruncated) {
					t.Fatalf("short input: err %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("valid frame: %v", err)
			}
			if len(got) != int(n) || cap(got) > max || !bytes.Equal(got, in[4:4+n]) {
				t.Fatalf("payload: got %d bytes (cap %d), want %d", len(got), cap(got), n)
			}
			if !bytes.Equal(frame(got), in[:4+n]) {
				t.Fatal("re-encoding differs from the input")
			}
			// Round trip the other way: encode, decode.
			back, err := ReadFrame(bytes.NewReader(frame(in)), len(in))
			if err != nil || !bytes.Equal(back, in) {
				t.Fatalf("round trip: %v", err)
			}
			return
		}
		if len(in) == 0 && err != io.EOF {
			t.Fatalf("empty input: %v", err)
		}
		if len(in) > 0 && !errors.Is(err, ErrTruncated) {
			t.Fatalf("partial length: %v", err)
		}
	})
}
