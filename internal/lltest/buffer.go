package lltest

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer safe for concurrent use, and a
// zapcore.WriteSyncer: what a test reads while a tree, a listener or a
// child process writes to it. The zero value is ready to use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// Sync does nothing: a Buffer holds everything written to it.
func (b *Buffer) Sync() error { return nil }

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
