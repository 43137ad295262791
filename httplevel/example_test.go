package httplevel_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/livelog/livelog/httplevel"
	"github.com/livelog/livelog/logcfg"
)

// A request signed for DEBUG logs at DEBUG; the same header unsigned
// changes nothing.
func Example() {
	cfg, err := logcfg.Parse(strings.NewReader(`[loggers]
keys=root
[handlers]
keys=console
[formatters]
keys=simple
[logger_root]
level=INFO
handlers=console
[handler_console]
class=StreamHandler
formatter=simple
args=(sys.stdout,)
[formatter_simple]
format=%(levelname)s:%(name)s:%(message)s
`), "app.conf")
	if err != nil {
		panic(err)
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	secret := []byte("the listener's shared secret")
	mw, err := httplevel.New(secret, nil)
	if err != nil {
		panic(err)
	}
	h := mw.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tree.Slog("app.http").DebugContext(r.Context(), "details", "path", r.URL.Path)
	}))

	signed := httptest.NewRequest("GET", "/signed", nil)
	signed.Header.Set(httplevel.DefaultHeader, "DEBUG")
	signed.Header.Set(httplevel.DefaultSignatureHeader, httplevel.Sign(secret, "DEBUG"))
	h.ServeHTTP(httptest.NewRecorder(), signed)

	unsigned := httptest.NewRequest("GET", "/unsigned", nil)
	unsigned.Header.Set(httplevel.DefaultHeader, "DEBUG")
	h.ServeHTTP(httptest.NewRecorder(), unsigned)

	_, err = httplevel.New(nil, nil)
	fmt.Println(err)
	// Output:
	// DEBUG:app.http:details path=/signed
	// httplevel: New: no secret: the middleware sets levels only from headers signed with the listener's shared secret
}
