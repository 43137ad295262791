package handlers

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/livelog/livelog/internal/pylit"
)

var httpSig = signature{"HTTPHandler", []string{"host", "url", "method", "secure", "credentials", "context"}, 2}

// httpTimeout bounds each request (Python's HTTPHandler waits for ever;
// here a peer that never answers would hold up the queue).
const httpTimeout = 10 * time.Second

type httpArgs struct {
	host, url, method string
	secure            bool
	auth              string // the Authorization header, or ""
}

func httpArgsOf(a Args) (httpArgs, error) {
	got, err := httpSig.bind(a)
	if err != nil {
		return httpArgs{}, err
	}
	ha := httpArgs{method: "GET"}
	host, url := got["host"], got["url"]
	if host.Kind != pylit.KindString || host.Str == "" || strings.ContainsAny(host.Str, "/?#@ ") {
		return ha, fmt.Errorf("%w: HTTPHandler host must be a string like 'localhost:8080', not %s", ErrBadArgs, pylit.Describe(host))
	}
	if strings.Contains(host.Str, ":") {
		_, port, err := net.SplitHostPort(host.Str)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 1 || n > 65535 {
			return ha, fmt.Errorf("%w: HTTPHandler host %s must be 'host' or 'host:port' with a port 1-65535", ErrBadArgs, pylit.Describe(host))
		}
	}
	if url.Kind != pylit.KindString || !strings.HasPrefix(url.Str, "/") {
		return ha, fmt.Errorf("%w: HTTPHandler url must be a path starting with '/', like '/log', not %s", ErrBadArgs, pylit.Describe(url))
	}
	if strings.ContainsFunc(url.Str, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		// Python's http.client refuses such a url (InvalidURL) on every record.
		return ha, fmt.Errorf("%w: HTTPHandler url %s must not contain spaces or control characters", ErrBadArgs, pylit.Describe(url))
	}
	ha.host, ha.url = host.Str, url.Str
	if v, ok := got["method"]; ok {
		if m := strings.ToUpper(v.Str); v.Kind == pylit.KindString && (m == "GET" || m == "POST") {
			ha.method = m
		} else {
			// Python: ValueError("method must be GET or POST").
			return ha, fmt.Errorf("%w: HTTPHandler method must be GET or POST, not %s", ErrBadArgs, pylit.Describe(v))
		}
	}
	if v, ok := got["secure"]; ok {
		if ha.secure, ok = truth(v); !ok {
			return ha, fmt.Errorf("%w: HTTPHandler secure must be True or False, not %s", ErrBadArgs, pylit.Describe(v))
		}
	}
	if v, ok := got["credentials"]; ok && v.Kind != pylit.KindNone {
		user, pass, ok := credentials(v)
		if !ok {
			return ha, fmt.Errorf("%w: HTTPHandler credentials must be a tuple ('user', 'password'), not %s", ErrBadArgs, pylit.Describe(v))
		}
		// Python: 'Basic ' + base64 of '%s:%s' % credentials, in UTF-8.
		ha.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}
	if v, ok := got["context"]; ok && v.Kind != pylit.KindNone {
		return ha, fmt.Errorf("%w: HTTPHandler context must be None: an ssl.SSLContext cannot be written in a config (certificates are checked against the system's roots)", ErrBadArgs)
	}
	return ha, nil
}

// truth reads a flag as Python's truth test would, for the values a
// config writes for one: a bool, or an int.
func truth(v pylit.Value) (bool, bool) {
	switch v.Kind {
	case pylit.KindBool:
		return v.Bool, true
	case pylit.KindInt:
		return v.Int != 0, true
	case pylit.KindNone:
		return false, true
	}
	return false, false
}

// credentials reads a ('user', 'password') tuple.
func credentials(v pylit.Value) (user, pass string, ok bool) {
	if v.Kind != pylit.KindTuple || len(v.Items) != 2 || v.Items[0].Kind != pylit.KindString || v.Items[1].Kind != pylit.KindString {
		return "", "", false
	}
	return v.Items[0].Str, v.Items[1].Str, true
}

func checkHTTP(a Args) error { _, err := httpArgsOf(a); return err }

// openHTTP starts an HTTPHandler: each record is one request, sent off
// the logging path.
func openHTTP(a Args, _ EncoderFunc) (Output, error) {
	ha, err := httpArgsOf(a)
	if err != nil {
		return Output{}, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	t := &httpTransport{args: ha, ctx: ctx, cancel: cancel, client: &http.Client{
		Timeout: httpTimeout,
		// No proxy from the environment and no connection kept open,
		// as Python's http.client makes one connection a request.
		Transport: &http.Transport{DisableKeepAlives: true, DisableCompression: true},
		// Python's http.client does not follow redirects.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	s := startSender("HTTPHandler "+ha.host+ha.url, t, nil)
	return Output{Core: NewCore(newRecordEncoder(formURL), s), Close: s.Close, Caller: true}, nil
}

type httpTransport struct {
	args   httpArgs
	client *http.Client
	ctx    context.Context // cancelled by abort
	cancel context.CancelFunc
}

// deliver sends the form-encoded record as Python's HTTPHandler.emit
// does: in the query string of a GET (after '&' if the url has a query
// already), or as the body of a POST with Content-type
// application/x-www-form-urlencoded.
func (t *httpTransport) deliver(rec []byte, quit <-chan struct{}) error {
	select {
	case <-quit:
		return errClosing
	default:
	}
	scheme := "http://"
	if t.args.secure {
		scheme = "https://"
	}
	target := scheme + t.args.host + t.args.url
	var body io.Reader
	if t.args.method == "GET" {
		sep := "?"
		if strings.Contains(t.args.url, "?") {
			sep = "&"
		}
		target += sep + string(rec)
	} else {
		body = bytes.NewReader(rec)
	}
	req, err := http.NewRequestWithContext(t.ctx, t.args.method, target, body)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "") // none, as Python's http.client
	req.Header.Set("Accept-Encoding", "identity")
	if t.args.method == "POST" {
		req.Header.Set("Content-type", "application/x-www-form-urlencoded")
		req.Header.Set("Content-length", strconv.Itoa(len(rec)))
	}
	if t.args.auth != "" {
		req.Header.Set("Authorization", t.args.auth)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	// Python ignores the answer; a failure status is counted here.
	if resp.StatusCode >= 400 {
		return fmt.Errorf("%s %s: %s", t.args.method, t.args.host+t.args.url, resp.Status)
	}
	return nil
}

func (t *httpTransport) abort() { t.cancel() }
