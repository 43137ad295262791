package listener

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"slices"
	"time"

	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// origin is who sent a request and what it is, for the tree's history,
// the audit log and the rejections status lists.
type origin struct {
	from  string // the peer's address
	kind  string // logcfg.SourcePush or logcfg.SourceSet
	keyID string // the signing key's id; "" when unsigned
	file  string // the envelope's source
}

// originOf describes a request from peer; signed says whether its
// signature was checked.
func (l *Listener) originOf(from string, env *wire.Envelope, signed bool) origin {
	o := origin{from: from, kind: logcfg.SourcePush}
	if env != nil {
		if env.Via == wire.ViaSet {
			o.kind = logcfg.SourceSet
		}
		o.file = env.Source
		if env.Op == wire.OpStatus {
			o.kind = wire.OpStatus // a refused status request
		}
	}
	if signed {
		o.keyID = l.keyID
	}
	return o
}

// keyIDOf names a secret without revealing it: "sha256:" and the first 12
// hex digits of its SHA-256, which `sha256sum` of the trimmed secret
// shows too.
func keyIDOf(secret []byte) string {
	sum := sha256.Sum256(secret)
	return "sha256:" + hex.EncodeToString(sum[:6])
}

// rejection is one rejected request, kept for status.
type rejection struct {
	at    time.Time
	gen   uint64
	who   origin
	error string
}

// recordRejection logs a rejected request on the audit logger (INFO) and
// keeps it for status (the last wire.MaxHistory).
func (l *Listener) recordRejection(who origin, reason string) {
	r := rejection{at: l.o.clock.Now(), gen: l.tree.Generation(), who: who, error: reason}
	l.mu.Lock()
	if len(l.rejects) == wire.MaxHistory {
		l.rejects = slices.Delete(l.rejects, 0, 1)
	}
	l.rejects = append(l.rejects, r)
	l.mu.Unlock()
	msg := "rejected " + originText(who)
	fields := []zap.Field{zap.String("source", who.kind), zap.String("peer", who.from), zap.String("reason", reason)}
	if who.keyID != "" {
		fields = append(fields, zap.String("key_id", who.keyID))
	}
	if who.file != "" {
		msg += ", " + clip(who.file, wire.MaxText)
		fields = append(fields, zap.String("file", who.file))
	}
	l.audit.Info(msg+": "+reason, fields...)
}

// originText is "push from 127.0.0.1" (with " with key ID" when signed),
// as the tree's history says it.
func originText(who origin) string {
	host := who.from
	if h, _, err := net.SplitHostPort(who.from); err == nil {
		host = h
	}
	s := fmt.Sprintf("%s from %s", who.kind, clip(host, wire.MaxText))
	if who.keyID != "" {
		s += " with key " + who.keyID
	}
	return s
}

// history merges the tree's history (applied changes) with the
// rejections, newest first, at most wire.MaxHistory.
func (l *Listener) history() []HistoryEntry {
	var out []HistoryEntry
	for _, h := range l.tree.History() {
		e := HistoryEntry{At: h.At, Generation: h.Generation, Outcome: wire.OutcomeApplied, Source: h.Kind,
			Origin: clip(h.Origin, wire.MaxText), KeyID: h.KeyID, File: clip(h.File, wire.MaxText),
			ChangesOmitted: h.ChangesOmitted, Expires: h.Expires}
		if h.Kind == logcfg.SourcePush || h.Kind == logcfg.SourceSet {
			e.Peer = clip(h.From, wire.MaxText)
		}
		for _, c := range h.Changes {
			e.Changes = append(e.Changes, Change{Kind: string(c.Kind), Name: clip(c.Name, wire.MaxText),
				Old: logcfg.LevelName(c.Old), New: logcfg.LevelName(c.New)})
		}
		out = append(out, e)
	}
	l.mu.Lock()
	for _, r := range slices.Backward(l.rejects) {
		out = append(out, HistoryEntry{At: r.at, Generation: r.gen, Outcome: wire.OutcomeRejected, Source: r.who.kind,
			Origin: originText(r.who), Peer: clip(r.who.from, wire.MaxText), KeyID: r.who.keyID,
			File: clip(r.who.file, wire.MaxText), Error: r.error})
	}
	l.mu.Unlock()
	slices.SortStableFunc(out, func(a, b HistoryEntry) int { return b.At.Compare(a.At) })
	return out[:min(len(out), wire.MaxHistory)]
}
