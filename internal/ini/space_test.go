package ini

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// IsSpace is Python's str.isspace for every character of the Basic
// Multilingual Plane, and Strip is str.strip.
func TestIsSpaceMatchesPython(t *testing.T) {
	out := lltest.RunPython(t, time.Minute, `
import json
print(json.dumps([c for c in range(0x10000) if chr(c).isspace()]))`)
	var py []rune
	require.NoError(t, json.Unmarshal([]byte(out), &py))
	want := map[rune]bool{}
	for _, r := range py {
		want[r] = true
	}
	require.True(t, want[0x1c], "Python's isspace includes U+001C")
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xd800 && r < 0xe000 {
			continue // surrogates
		}
		assert.Equal(t, want[r], IsSpace(r), "U+%04X", r)
	}
	assert.Equal(t, "a b", Strip("\x1c\x1d a b\x1e\x1f\u3000\n"))
}
