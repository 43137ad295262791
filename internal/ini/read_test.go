package ini

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRead(t *testing.T) {
	doc, err := Read([]byte("\ufeff[a]\r\nx = 1\r\n  2\r\n\r\n; c\r\n   3\r\n[b]]x]\n  k : v = w\n  i=1\n[a b]\rA=\r"), "f")
	require.NoError(t, err)
	require.Len(t, doc.Sections, 3)
	x := doc.Section("a").Key("x")
	assert.Equal(t, "1\n2\n\n3", x.Value, "blank lines kept, comment lines dropped inside a value")
	assert.Equal(t, []int{2, 3, 4, 6}, x.lines)
	line, col := x.ValuePos(strings.Index(x.Value, "3"))
	assert.Equal(t, [2]int{6, 4}, [2]int{line, col})
	line, col = x.ValuePos(0)
	assert.Equal(t, [2]int{2, 5}, [2]int{line, col})
	assert.Equal(t, "line 6, column 4", x.ValueWhere(strings.Index(x.Value, "3")))
	b := doc.Section("b]]x")
	require.NotNil(t, b, "a header runs to the last ']'")
	assert.Equal(t, "v = w", b.Key("k").Value, "the first delimiter splits; an indented line after a header is a key")
	assert.Equal(t, "1", b.Key("i").Value, "same indent as the previous key: a new key")
	assert.Equal(t, "column 5", b.Key("i").ValueWhere(0))
	assert.Equal(t, "", doc.Section("a b").Key("a").Value)
	assert.Equal(t, 11, doc.Section("a b").Key("a").Line, "a lone CR ends a line")
	assert.Equal(t, &Section{Name: "DEFAULT", index: map[string]*Key{}}, doc.Defaults, "an absent [DEFAULT] is empty, at line 0")
	assert.Nil(t, doc.Section("DEFAULT"))
	assert.Nil(t, (*Section)(nil).Key("x"))

	_, err = Read([]byte("[a]\n= 1\n"), "f")
	assert.ErrorIs(t, err, ErrSyntax)
	assert.ErrorContains(t, err, `line "= 1" has no key before "="`)

	// As in configparser, a duplicate key fails at once, before the stray
	// line above it is reported; the indented line after a section
	// header is a key, not a continuation.
	_, err = Read([]byte("[a]\nprince\n  k=1\nk=2\n"), "f")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 4, e.Line)
	assert.ErrorIs(t, err, ErrDuplicate)

	// A line indented deeper than a stray line continues the key before.
	doc, err = Read([]byte("[a]\nk=1\nprince\n  more\n"), "f")
	assert.Nil(t, doc)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 3, e.Line)
	assert.ErrorContains(t, err, `line "prince" is not`)
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, ini string
		is        error
		want      Error // Err is checked by text
	}{
		{"duplicate section", "[a]\n[b]\n[a]\n", ErrDuplicate, Error{File: "f", Line: 3, Section: "a",
			Err: errors.New("duplicate section [a]: it already started at line 1 (Python's configparser rejects duplicate sections)")}},
		{"duplicate key", "[a]\nK=1\nk: 2\n", ErrDuplicate, Error{File: "f", Line: 3, Section: "a", Key: "k",
			Err: errors.New(`duplicate key "k": it is already set at line 2 (keys are case-insensitive; Python's configparser rejects duplicates)`)}},
		{"duplicate key across two [DEFAULT]s", "[DEFAULT]\na=1\n[DEFAULT]\na=2\n", ErrDuplicate, Error{File: "f", Line: 4, Section: "DEFAULT", Key: "a",
			Err: errors.New(`duplicate key "a": it is already set at line 2 (keys are case-insensitive; Python's configparser rejects duplicates)`)}},
		{"key before the first section", "\n  k=1\n[a]\n", ErrSyntax, Error{File: "f", Line: 2,
			Err: errors.New(`syntax error: "k=1" comes before the first [section] header`)}},
		{"stray line", "[a]\nk=1\nprince\n", ErrSyntax, Error{File: "f", Line: 3, Section: "a",
			Err: errors.New(`syntax error: line "prince" is not a [section] header, a key = value line, a comment or an indented continuation`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read([]byte(tt.ini), "f")
			assert.Nil(t, doc)
			assert.ErrorIs(t, err, tt.is)
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.want.Err.Error(), e.Err.Error())
			e.Err, tt.want.Err = nil, nil
			assert.Equal(t, tt.want, *e)
		})
	}
}

func TestReadErrorList(t *testing.T) {
	_, err := Read([]byte("[a]\nprince\nk=1\nfrog\n"), "f")
	var list ErrorList
	require.ErrorAs(t, err, &list)
	require.Len(t, list, 2)
	assert.Equal(t, [2]int{2, 4}, [2]int{list[0].Line, list[1].Line}, "in file order")
	assert.ErrorIs(t, err, ErrSyntax)
	var e *Error
	require.ErrorAs(t, err, &e, "errors.As reaches the first problem")
	assert.Equal(t, 2, e.Line)
	assert.Equal(t, `ini: f:2: [a] : syntax error: line "prince" is not a [section] header, a key = value line, a comment or an indented continuation
ini: f:4: [a] : syntax error: line "frog" is not a [section] header, a key = value line, a comment or an indented continuation`, err.Error())
}
