package listener

import (
	"fmt"
	"unicode/utf8"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// clip shortens s to at most n bytes (never cutting a rune), then "…" and
// its length: "app.aaaa… (70000 bytes)".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	end := n
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:end], len(s))
}

// clipList clips every item to wire.MaxText and keeps at most
// wire.MaxListed of them, the last saying how many more there were.
func clipList(items []string) []string {
	if len(items) == 0 {
		return nil
	}
	n := min(len(items), wire.MaxListed)
	out := make([]string, 0, n+1)
	for _, s := range items[:n] {
		out = append(out, clip(s, wire.MaxText))
	}
	if more := len(items) - n; more > 0 {
		out = append(out, fmt.Sprintf("and %d more", more))
	}
	return out
}

// wireChanges converts at most wire.MaxListed changes, their names
// clipped; omitted counts the rest.
func wireChanges(cs []logcfg.Change) (out []wire.Change, omitted int) {
	n := min(len(cs), wire.MaxListed)
	out = make([]wire.Change, n)
	for i, c := range cs[:n] {
		out[i] = wire.Change{Kind: string(c.Kind), Name: clip(c.Name, wire.MaxText),
			Old: logcfg.LevelName(c.Old), New: logcfg.LevelName(c.New)}
	}
	return out, len(cs) - n
}
