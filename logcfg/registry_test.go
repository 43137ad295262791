package logcfg

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// A registry is a value: a class registered in one registry is unknown to
// a parse that uses another, or the default one, and to a tree that does.
func TestParseDoesNotSeeClassesRegisteredElsewhere(t *testing.T) {
	r := newTestRegistry()
	cfg := r.parse(t, hierarchyINI)
	for name, opts := range map[string][]ParseOption{
		"default registry": nil,
		"a new registry":   {WithRegistry(NewRegistry())},
	} {
		_, err := Parse(strings.NewReader(hierarchyINI), "test.ini", opts...)
		assert.ErrorIs(t, err, ErrUnknownClass, name)
		assert.ErrorContains(t, err, `"test.Observer"`, name)
		assert.ErrorContains(t, err, "RegisterHandlerClass", name)
	}
	_, err := NewTree(cfg) // the default registry cannot open it
	assert.ErrorIs(t, err, ErrUnknownClass)
}

// Python's handler classes that livelog does not run fail at parse,
// saying so, under any of Python's names for them.
func TestUnsupportedClassesFailAtParse(t *testing.T) {
	for _, class := range []string{"handlers.TimedRotatingFileHandler", "handlers.MemoryHandler", "handlers.QueueHandler"} {
		_, err := Parse(strings.NewReader(lltest.NewINI().Logger("root", "", "h", true).Handler("h", class, "", "", "()").String()),
			"h.ini", WithRegistry(NewRegistry()))
		require.Error(t, err, class)
		assert.ErrorIs(t, err, ErrUnknownClass)
		assert.Contains(t, err.Error(), "not supported by livelog")
		assert.Contains(t, err.Error(), className(class))
	}
}
