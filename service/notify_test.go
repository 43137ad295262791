package service

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNotifyOutsideSystemd(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	assert.NoError(t, Ready())
	assert.NoError(t, Stopping())
	ran := false
	assert.NoError(t, Reload(func() error { ran = true; return nil }))
	assert.True(t, ran)
}
