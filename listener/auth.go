package listener

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/livelog/livelog/internal/wire"
)

// maxNonces bounds the nonces remembered for replay detection. Each is
// kept only until its signature would be stale anyway.
const maxNonces = 4096

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

// authenticate checks env's signature, freshness and nonce; it returns a
// reason to reject, or "".
func (l *Listener) authenticate(env *wire.Envelope) string {
	now := l.o.clock.Now()
	if err := wire.Verify(env, l.secret, now); err != nil {
		switch {
		case errors.Is(err, wire.ErrUnsigned):
			return "request is not signed: this listener requires a signed envelope"
		case errors.Is(err, wire.ErrBadSignature):
			return "bad signature: the request was not signed with this listener's secret, or was altered"
		}
		return trimWire(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.nonces.add(env.Auth.Nonce, time.Unix(env.Auth.Time, 0).Add(wire.MaxSkew), now)
}

// nonceCache remembers the nonces of accepted signed requests until they
// would be stale.
type nonceCache map[string]time.Time // nonce → when it may be forgotten

func (nc *nonceCache) add(nonce string, until, now time.Time) string {
	if nonce == "" {
		return "signed request has no nonce"
	}
	if *nc == nil {
		*nc = make(nonceCache)
	}
	if _, seen := (*nc)[nonce]; seen {
		return fmt.Sprintf("replayed request: nonce %q was already used", nonce)
	}
	for n, t := range *nc {
		if now.After(t) {
			delete(*nc, n)
		}
	}
	if len(*nc) >= maxNonces {
		return fmt.Sprintf("too many signed requests in the last %s (limit %d)", 2*wire.MaxSkew, maxNonces)
	}
	(*nc)[nonce] = until
	return ""
}
