package pylit

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDescribe(t *testing.T) {
	for _, tt := range []struct {
		v    Value
		want string
	}{
		{Value{Kind: KindNone}, "None"},
		{Value{Kind: KindBool, Bool: true}, "True"},
		{Value{Kind: KindBool}, "False"},
		{num(-1), "the number -1"},
		{Value{Kind: KindFloat, Float: 2.5}, "the number 2.5"},
		{str(`r"`), `the string "r\""`},
		{tup(num(1)), "a tuple"},
		{Value{Kind: KindDict}, "a dict"},
		{stdout, "sys.stdout"},
		{Value{Kind: KindStream, Str: "stdin"}, "sys.stdin"},
		{Value{Kind: 99}, "kind 99"},
	} {
		assert.Equal(t, tt.want, Describe(tt.v))
	}
}

func TestKindName(t *testing.T) {
	var got []string
	for k := KindNone; k <= KindStream; k++ {
		got = append(got, KindName(k))
	}
	assert.Equal(t, []string{"None", "a bool", "an int", "a float", "a string", "a tuple", "a dict", "a stream"}, got)
}

func TestExtStream(t *testing.T) {
	for s, want := range map[string]bool{
		"ext://sys.stdout": true, "ext://sys.stderr": true,
		"ext://sys.stdin": false, "ext://True": false, "sys.stdout": false, "ext://DEBUG": false,
	} {
		v, ok := ExtStream(s)
		assert.Equal(t, want, ok, s)
		if ok {
			assert.Equal(t, Value{Kind: KindStream, Str: s[len("ext://sys."):]}, v)
		}
	}
}
