package listener

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAddrInUse: the per-OS check knows what this OS's bind returns for a
// taken port, and does not take other failures for it.
func TestAddrInUse(t *testing.T) {
	held, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer held.Close()
	_, err = net.Listen("tcp", held.Addr().String())
	require.Error(t, err)
	assert.True(t, addrInUse(err), "taken port: %v", err)

	// 192.0.2.1 (TEST-NET-1) is no local address.
	ln, err := net.Listen("tcp", "192.0.2.1:0")
	if err == nil {
		ln.Close()
		t.Skip("192.0.2.1 is a local address here")
	}
	assert.False(t, addrInUse(err), "not a local address: %v", err)
}
