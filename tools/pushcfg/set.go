package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// runSet is `pushcfg set NAME=LEVEL [NAME=LEVEL ...]`: the pairs become one
// incremental dictConfig ({"version": 1, "incremental": true, ...}), which
// changes the levels it names and nothing else, checked here as a
// listener will parse it, then sent as a push is (same flags, report and
// exit codes). The envelope says "via": "set", so status and the audit
// log record a set; its source is the pairs as given.
func runSet(o *options, stdout, stderr io.Writer) int {
	text, err := setConfig(o.args)
	if err == nil {
		_, err = logcfg.ParseJSON(text, "set")
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		fmt.Fprintln(stderr, "pushcfg: nothing was sent to any listener")
		return exitUsage
	}
	env := wire.Envelope{Op: wire.OpApply, Config: string(text), Source: "set " + strings.Join(o.args, " "), Via: wire.ViaSet}
	if len(env.Source) > wire.MaxSource {
		env.Source = env.Source[:wire.MaxSource-len("…")] + "…"
	}
	return send(o, env, text, stdout, stderr)
}

// setConfig turns NAME=LEVEL pairs into an incremental dictConfig: root
// (or "") under "root", the others under "loggers". A level is a Python
// level name, in any case.
func setConfig(pairs []string) ([]byte, error) {
	type level struct {
		Level string `json:"level"`
	}
	doc := struct {
		Version     int              `json:"version"`
		Incremental bool             `json:"incremental"`
		Root        *level           `json:"root,omitempty"`
		Loggers     map[string]level `json:"loggers,omitempty"`
	}{Version: 1, Incremental: true}
	seen := map[string]bool{}
	for _, p := range pairs {
		name, lvl, ok := strings.Cut(p, "=")
		// Level names are upper case in Python; on the command line
		// "debug" means DEBUG.
		name, lvl = strings.TrimSpace(name), strings.ToUpper(strings.TrimSpace(lvl))
		switch {
		case !ok:
			return nil, fmt.Errorf("pushcfg: set %q: want NAME=LEVEL, e.g. app.db=DEBUG or root=INFO", clipArg(p))
		case lvl == "":
			return nil, fmt.Errorf("pushcfg: set %q: no level after '=' (e.g. %s=DEBUG)", clipArg(p), clipArg(name))
		}
		if _, err := logcfg.ParseLevel(lvl); err != nil {
			return nil, fmt.Errorf("pushcfg: set %q: %w", clipArg(p), err)
		}
		if name == "" {
			name = "root"
		}
		if seen[name] {
			return nil, fmt.Errorf("pushcfg: set: logger %q is named twice", clipArg(name))
		}
		seen[name] = true
		if name == "root" {
			doc.Root = &level{lvl}
			continue
		}
		if doc.Loggers == nil {
			doc.Loggers = map[string]level{}
		}
		doc.Loggers[name] = level{lvl}
	}
	return json.Marshal(doc)
}

// clipArg keeps an argument short in a message.
func clipArg(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
