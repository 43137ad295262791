package listener

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/livelog/livelog/internal/wire"
)

// maxSignedPerConn bounds the signed requests one connection may make:
// the client nonces seen on a connection are remembered for its lifetime
// (a replay on the same connection), and no longer.
const maxSignedPerConn = 256

func readSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("listener: secret file: %w", err)
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, fmt.Errorf("listener: secret file %q is empty", path)
	}
	return b, nil
}

// authenticate checks env's signature against the server nonce of c's
// greeting, its freshness, and that its client nonce is new on c; it
// returns a reason to reject, or "". Nothing is shared between
// connections: no client can use up what another needs.
func (l *Listener) authenticate(c *conn, env *wire.Envelope) string {
	now := l.o.clock.Now()
	if err := wire.Verify(env, l.secret, c.nonce, now); err != nil {
		switch {
		case errors.Is(err, wire.ErrUnsigned):
			return "request is not signed: this listener requires a signed envelope"
		case errors.Is(err, wire.ErrBadSignature) && strings.Contains(err.Error(), "nonce"):
			return trimWire(err)
		case errors.Is(err, wire.ErrBadSignature):
			return "bad signature: the request was not signed with this listener's secret for this connection (the greeting's nonce), or was altered"
		}
		return trimWire(err)
	}
	if c.seen == nil {
		c.seen = make(map[string]bool)
	}
	switch {
	case c.seen[env.Auth.Nonce]:
		return "replayed request: its nonce was already used on this connection"
	case len(c.seen) >= maxSignedPerConn:
		return fmt.Sprintf("too many signed requests on one connection (limit %d): open a new one", maxSignedPerConn)
	}
	c.seen[env.Auth.Nonce] = true
	return ""
}
