package wire

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func frame(payload []byte) []byte {
	var b bytes.Buffer
	if err := WriteFrame(&b, payload); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func TestWriteFrameBytes(t *testing.T) {
	assert.Equal(t, []byte{0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}, frame([]byte("hello")))
	assert.Equal(t, []byte{0, 0, 0, 0}, frame(nil))
}

func TestReadFrame(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 200<<10) // grows past the first chunk
	for _, p := range [][]byte{{}, []byte("hello"), big} {
		r := bytes.NewReader(append(frame(p), frame([]byte("next"))...))
		got, err := ReadFrame(r, 1<<20)
		require.NoError(t, err)
		assert.Equal(t, p, got)
		got, err = ReadFrame(r, 1<<20)
		require.NoError(t, err)
		assert.Equal(t, []byte("next"), got)
		_, err = ReadFrame(r, 1<<20)
		assert.ErrorIs(t, err, io.EOF)
	}
}

// countingReader counts the bytes handed out.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestReadFrameRejectsOversizeBeforeReadingPayload(t *testing.T) {
	for _, hdr := range [][]byte{
		{0xFF, 0xFF, 0xFF, 0xFF},
		[]byte("GET "),  // a browser: 0x47455420 = 1195725856
		{0, 0x10, 0, 1}, // cap + 1
	} {
		cr := &countingReader{r: io.MultiReader(bytes.NewReader(hdr), bytes.NewReader(make([]byte, 64)))}
		_, err := ReadFrame(cr, DefaultMaxPayload)
		assert.ErrorIs(t, err, ErrTooLarge, "%x", hdr)
		assert.Equal(t, 4, cr.n, "only the length was read")
	}
	got, err := ReadFrame(bytes.NewReader(frame(make([]byte, DefaultMaxPayload))), DefaultMaxPayload)
	require.NoError(t, err, "exactly the cap is allowed")
	assert.Len(t, got, DefaultMaxPayload)
}

func TestReadFrameTruncated(t *testing.T) {
	for _, in := range [][]byte{{0, 0}, {0, 0, 0, 9, 'a', 'b'}} {
		_, err := ReadFrame(bytes.NewReader(in), 100)
		assert.ErrorIs(t, err, ErrTruncated, "%x", in)
	}
	_, err := ReadFrame(bytes.NewReader([]byte{0, 0, 0, 9, 'a', 'b'}), 100)
	assert.ErrorContains(t, err, "2 of 9 payload bytes")
}

func TestReadFrameWrapsOtherErrors(t *testing.T) {
	boom := errors.New("boom")
	_, err := ReadFrame(io.MultiReader(bytes.NewReader([]byte{0, 0, 0, 9, 'a'}), iotestErr{boom}), 100)
	assert.ErrorIs(t, err, boom)
	assert.NotErrorIs(t, err, ErrTruncated)
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

// A peer that announces the largest allowed frame and then sends a few
// bytes costs at most the first chunk, not the announced length.
func TestReadFrameAllocatesAsBytesArrive(t *testing.T) {
	in := append([]byte{0, 0x10, 0, 0}, make([]byte, 10)...) // announces 1 MiB
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 10 {
		_, err := ReadFrame(bytes.NewReader(in), DefaultMaxPayload)
		require.ErrorIs(t, err, ErrTruncated)
	}
	runtime.ReadMemStats(&after)
	perCall := (after.TotalAlloc - before.TotalAlloc) / 10
	assert.Less(t, perCall, uint64(firstChunk+8<<10), "bytes allocated per call")
}

func TestReadFrameAllocatesNoMoreThanLength(t *testing.T) {
	payload := make([]byte, DefaultMaxPayload)
	in := frame(payload)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadFrame(bytes.NewReader(in), DefaultMaxPayload)
	require.NoError(t, err)
	runtime.ReadMemStats(&after)
	// The buffer doubles from 64 KiB to the length: under 2× the length in
	// total, and no single buffer above the cap.
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(2*DefaultMaxPayload))
	assert.Equal(t, uint32(DefaultMaxPayload), binary.BigEndian.Uint32(in))
}

// The greeting documented in docs/PROTOCOL.md and the listener package
// doc, byte for byte.
func TestDocumentedHelloBytes(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteJSON(&b, Hello{Livelog: Version, PID: 4242, Name: "Worker #1", Generation: 3}))
	want := "00000054" + hexOf(`{"livelog":1,"pid":4242,"name":"Worker #1","generation":3,"auth":false,"full":false}`)
	assert.Equal(t, want, hexOf(b.String()))
	b.Reset()
	require.NoError(t, WriteJSON(&b, Envelope{Livelog: Version, Op: OpStatus}))
	assert.Equal(t, "0000001b"+hexOf(`{"livelog":1,"op":"status"}`), hexOf(b.String()))
}

func hexOf(s string) string { return hex.EncodeToString([]byte(s)) }
