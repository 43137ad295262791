package listener

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// Limits of the HTTP endpoint ([HTTPHandler]).
const (
	// MaxHTTPBody caps the body of a POST; a longer one is refused with
	// 413 before it is parsed.
	MaxHTTPBody = 64 << 10
	// MaxHTTPName caps a logger name in a path, in bytes.
	MaxHTTPName = 200
)

// httpLevels is the "levels" list of GET /loggers: Python's level names.
var httpLevels = []string{"NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}

// HTTPHandler serves tree's levels over HTTP in the shape of Spring Boot
// Actuator's loggers endpoint, for a program that already serves HTTP:
// mount it on the program's own mux, as net/http/pprof is mounted, e.g.
//
//	mux.Handle("/actuator/loggers", listener.HTTPHandler(tree, opts...))
//	mux.Handle("/actuator/loggers/", listener.HTTPHandler(tree, opts...))
//
// Everything in the request path up to and including its first "/loggers"
// segment is the mount prefix and is ignored; what follows it (after one
// "/") is the logger name, which may itself hold '/' or dots ("root" is the
// root). A path with no "/loggers" segment is answered 404.
//
//   - GET …/loggers answers {"levels":[…],"loggers":{name:{"configuredLevel":…,"effectiveLevel":…},…}}
//     for every logger of [logcfg.Tree.Loggers] (the ones the config names
//     and the ones the program asked for). configuredLevel is null for a
//     logger whose own level is NOTSET, as Spring answers for a logger with
//     no level of its own; effectiveLevel is always given.
//   - GET …/loggers/{name} answers that one entry. A name the tree has
//     not seen (or one whose level was reset and that the program never
//     asked for) is answered too, as Python's
//     logging.getLogger(name).getEffectiveLevel() would: configuredLevel
//     null, the effective level of its nearest known ancestor. A GET never
//     creates a logger (Spring answers 404 there; we answer the level the
//     logger would have, since a reset logger would otherwise vanish).
//   - POST …/loggers/{name} with {"configuredLevel":"DEBUG"} sets the
//     logger's own level and answers 204; "configuredLevel": null resets it
//     to NOTSET (inheritance); the key must be present (an empty object is
//     refused, not taken as a reset). livelog's "for":"10m" (a Go
//     duration) makes the change temporary. Level names are Python's, in
//     any case (as pushcfg set takes them; WARN and FATAL too); Spring's
//     TRACE and OFF have no Python equivalent and are refused. Unknown
//     keys are refused. The name may be any valid name, seen or not.
//
// A POST goes through the same path as a TCP set (pushcfg set): it becomes
// an incremental, levels-only config naming that one level, applied under
// the same options ([WithMaxTemporary], [WithHooks]), recorded in the
// tree's history with source "set", the peer's address as origin and
// "http NAME=LEVEL" as its file, and written on the audit logger; a refused
// one is logged and audited as a rejection. The HTTP endpoint is always
// levels-only: [WithFull] does not apply to it.
//
// Authentication: with [WithSecretFile], every request must carry
// "Authorization: Bearer SECRET" (the file's trimmed content, compared in
// constant time), from any address; a missing or wrong token is answered
// 401. Without a secret the handler serves loopback clients only
// (RemoteAddr in 127.0.0.0/8 or ::1) and answers others 403. The secret
// file is read once, here; if it cannot be read, every request is answered
// 500 with the reason (the handler fails closed).
//
// Errors are JSON, {"error":"..."}, clipped: 400 for a bad body, level,
// name or duration, 404, 405 (with Allow) for another method, 413 for a
// body over [MaxHTTPBody]. Options about the TCP port (addresses, ports,
// timeouts, connection caps, WithVerify, WithFull) are ignored.
func HTTPHandler(tree *logcfg.Tree, opts ...Option) http.Handler {
	if tree == nil {
		panic("listener: HTTPHandler with a nil Tree")
	}
	o := options{name: filepath.Base(os.Args[0]), clock: systemClock{}}
	for _, opt := range opts {
		opt.applyListenerOption(&o)
	}
	o.full = false
	l := &Listener{tree: tree, o: o, log: o.logger, pid: os.Getpid(), conns: map[*conn]bool{}}
	if l.log == nil {
		l.log = tree.Logger("livelog.listener")
	}
	l.audit = tree.Logger(logcfg.AuditLogger)
	h := &httpHandler{l: l}
	if o.secretFile != "" {
		secret, err := readSecret(o.secretFile)
		if err != nil {
			h.broken = err.Error()
			l.log.Error("HTTP endpoint refuses every request", zap.Error(err))
		} else {
			l.secret = secret
			l.keyID = keyIDOf(secret)
		}
	}
	return h
}

type httpHandler struct {
	l      *Listener
	broken string // why every request is refused; "" when serving
}

// httpError answers status with {"error": msg}, clipped.
func httpError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{clip(msg, wire.MaxError)})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func httpJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		httpError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(b, '\n'))
}

// httpLogger is one entry of a GET answer.
type httpLogger struct {
	ConfiguredLevel *string `json:"configuredLevel"`
	EffectiveLevel  string  `json:"effectiveLevel"`
}

func httpEntry(ll logcfg.LoggerLevel) httpLogger {
	e := httpLogger{EffectiveLevel: logcfg.LevelName(ll.Effective)}
	if ll.Level != logcfg.NotSet {
		s := logcfg.LevelName(ll.Level)
		e.ConfiguredLevel = &s
	}
	return e
}

func (h *httpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l := h.l
	from := r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		from = host
	}
	who := origin{from: from, kind: logcfg.SourceSet, file: "http " + clip(r.Method, 20)}
	if r.Method != http.MethodPost {
		who.kind = wire.OpStatus // a refused read, as a refused TCP status request
	}
	if h.broken != "" {
		httpError(w, http.StatusInternalServerError, "listener: HTTP endpoint not configured: "+h.broken)
		return
	}
	if l.secret != nil {
		if !h.tokenOK(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="livelog"`)
			l.rejected(who, "HTTP request without the right bearer token")
			httpError(w, http.StatusUnauthorized, "missing or wrong bearer token (Authorization: Bearer SECRET)")
			return
		}
		who.keyID = l.keyID
	} else if ip := net.ParseIP(from); ip == nil || !ip.IsLoopback() {
		l.rejected(who, "HTTP request from a non-loopback address, and no secret is configured")
		httpError(w, http.StatusForbidden, "this endpoint serves loopback clients only (no secret configured)")
		return
	}
	name, list, ok := httpName(r.URL.Path)
	if !ok {
		httpError(w, http.StatusNotFound, "no /loggers segment in the path")
		return
	}
	switch {
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		if list {
			h.getAll(w)
			return
		}
		h.getOne(w, name)
	case r.Method == http.MethodPost && !list:
		h.post(w, r, name, who)
	case list:
		w.Header().Set("Allow", "GET, HEAD")
		httpError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed on /loggers (GET)", clip(r.Method, 20)))
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		httpError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed on /loggers/{name} (GET, POST)", clip(r.Method, 20)))
	}
}

// tokenOK checks the bearer token in constant time.
func (h *httpHandler) tokenOK(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), h.l.secret) == 1
}

// httpName splits a request path after its first "/loggers" segment:
// list is true for the list itself ("…/loggers" or "…/loggers/"), name is
// the rest otherwise; ok is false when there is no such segment.
func httpName(p string) (name string, list, ok bool) {
	for i := 0; ; {
		j := strings.Index(p[i:], "/loggers")
		if j < 0 {
			return "", false, false
		}
		rest := p[i+j+len("/loggers"):]
		switch {
		case rest == "" || rest == "/":
			return "", true, true
		case rest[0] == '/':
			return rest[1:], false, true
		}
		i += j + len("/loggers")
	}
}

// checkHTTPName refuses names no logger could sensibly have, before
// anything looks them up.
func checkHTTPName(name string) error {
	switch {
	case len(name) > MaxHTTPName:
		return fmt.Errorf("logger name of %d bytes: the limit is %d", len(name), MaxHTTPName)
	case !utf8.ValidString(name):
		return fmt.Errorf("logger name %q is not UTF-8", name)
	case strings.TrimSpace(name) == "":
		return errors.New("blank logger name")
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0:
		return fmt.Errorf("logger name %q holds a space or a control character", name)
	}
	return nil
}

func (h *httpHandler) getAll(w http.ResponseWriter) {
	lls := h.l.tree.Loggers()
	out := struct {
		Levels  []string              `json:"levels"`
		Loggers map[string]httpLogger `json:"loggers"`
	}{httpLevels, make(map[string]httpLogger, len(lls))}
	for _, ll := range lls {
		out.Loggers[ll.Name] = httpEntry(ll)
	}
	httpJSON(w, out)
}

func (h *httpHandler) getOne(w http.ResponseWriter, name string) {
	if err := checkHTTPName(name); err != nil {
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	if name == "" {
		name = "root"
	}
	lls := h.l.tree.Loggers()
	byName := make(map[string]logcfg.LoggerLevel, len(lls))
	for _, ll := range lls {
		byName[ll.Name] = ll
	}
	if ll, ok := byName[name]; ok {
		httpJSON(w, httpEntry(ll))
		return
	}
	// A name the tree has not seen: no level of its own, the effective
	// level of its nearest known ancestor (Python's placeholders have
	// none either), without creating a logger.
	eff := byName["root"].Effective
	for anc := name; strings.Contains(anc, "."); {
		anc = anc[:strings.LastIndexByte(anc, '.')]
		if ll, ok := byName[anc]; ok {
			eff = ll.Effective
			break
		}
	}
	httpJSON(w, httpEntry(logcfg.LoggerLevel{Name: name, Level: logcfg.NotSet, Effective: eff}))
}

// post sets one level through the listener's apply, as a TCP set.
func (h *httpHandler) post(w http.ResponseWriter, r *http.Request, name string, who origin) {
	l := h.l
	if err := checkHTTPName(name); err != nil {
		l.rejected(who, err.Error())
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			msg := fmt.Sprintf("body over %d bytes", MaxHTTPBody)
			l.rejected(who, msg)
			httpError(w, http.StatusRequestEntityTooLarge, msg)
			return
		}
		httpError(w, http.StatusBadRequest, "reading the body: "+err.Error())
		return
	}
	lvl, d, err := parseHTTPSet(body)
	if err != nil {
		l.rejected(who, err.Error())
		httpError(w, http.StatusBadRequest, err.Error())
		return
	}
	cfg, err := levelConfig(name, lvl)
	if err != nil {
		httpError(w, http.StatusInternalServerError, err.Error())
		return
	}
	env := wire.Envelope{Livelog: wire.Version, Op: wire.OpApply, Config: string(cfg), Via: wire.ViaSet,
		Source: "http " + name + "=" + lvl}
	if d > 0 {
		env.For = d.String()
		env.Source += " for " + env.For
	}
	who.file = env.Source
	rep := l.apply(env, who)
	if !rep.OK {
		httpError(w, http.StatusBadRequest, rep.Error)
		return
	}
	if rep.Expires != nil {
		w.Header().Set("Livelog-Expires", rep.Expires.UTC().Format(time.RFC3339))
	}
	w.Header().Set("Livelog-Generation", fmt.Sprint(rep.Generation))
	w.WriteHeader(http.StatusNoContent)
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, MaxHTTPBody))
	return buf.Bytes(), err
}

// parseHTTPSet reads a POST body: configuredLevel (a level name or null,
// required) and for (a positive Go duration, optional).
func parseHTTPSet(body []byte) (level string, d time.Duration, err error) {
	var req struct {
		ConfiguredLevel json.RawMessage `json:"configuredLevel"`
		For             string          `json:"for"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return "", 0, fmt.Errorf("body: %v (want e.g. {\"configuredLevel\":\"DEBUG\"})", clip(err.Error(), 200))
	}
	if dec.More() {
		return "", 0, errors.New("body: more than one JSON value")
	}
	switch raw := bytes.TrimSpace(req.ConfiguredLevel); {
	case len(raw) == 0:
		return "", 0, errors.New(`body: no "configuredLevel" (a level name, or null to reset)`)
	case string(raw) == "null":
		level = "NOTSET"
	default:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", 0, fmt.Errorf("body: \"configuredLevel\" is %s: want a level name or null", clip(string(raw), 40))
		}
		level = strings.ToUpper(strings.TrimSpace(s))
		if _, err := logcfg.ParseLevel(level); err != nil {
			return "", 0, fmt.Errorf("body: bad level %q in \"configuredLevel\" (want NOTSET, DEBUG, INFO, WARNING, ERROR or CRITICAL)", clip(s, 40))
		}
	}
	if req.For != "" {
		d, err = time.ParseDuration(req.For)
		if err != nil || d <= 0 {
			return "", 0, fmt.Errorf("body: bad duration %q in \"for\" (want a positive Go duration, e.g. \"30s\" or \"10m\")", clip(req.For, 40))
		}
	}
	return level, d, nil
}

// levelConfig is the incremental dictConfig of one level, as pushcfg set
// sends it.
func levelConfig(name, level string) ([]byte, error) {
	type lv struct {
		Level string `json:"level"`
	}
	doc := struct {
		Version     int           `json:"version"`
		Incremental bool          `json:"incremental"`
		Root        *lv           `json:"root,omitempty"`
		Loggers     map[string]lv `json:"loggers,omitempty"`
	}{Version: 1, Incremental: true}
	if name == "root" {
		doc.Root = &lv{level}
	} else {
		doc.Loggers = map[string]lv{name: {level}}
	}
	return json.Marshal(doc)
}
