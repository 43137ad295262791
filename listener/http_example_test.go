package listener_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
)

// Mount the loggers endpoint on a program's mux, as net/http/pprof is
// mounted, and use it as Spring Boot Actuator's: read a level, set it,
// read it again.
func ExampleHTTPHandler() {
	cfg, err := logcfg.Parse(strings.NewReader(`
[loggers]
keys=root
[handlers]
keys=
[formatters]
keys=
[logger_root]
level=INFO
handlers=
`), "app.conf")
	if err != nil {
		fmt.Println(err)
		return
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tree.Close()
	tree.Logger("app.db")

	mux := http.NewServeMux()
	h := listener.HTTPHandler(tree) // no secret: loopback clients only
	mux.Handle("/actuator/loggers", h)
	mux.Handle("/actuator/loggers/", h)
	srv := httptest.NewServer(mux) // listens on 127.0.0.1
	defer srv.Close()

	show := func(resp *http.Response, err error) {
		if err != nil {
			fmt.Println(err)
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(strings.TrimSpace(fmt.Sprint(resp.StatusCode, " ", string(b))))
	}
	show(http.Get(srv.URL + "/actuator/loggers/app.db"))
	show(http.Post(srv.URL+"/actuator/loggers/app.db", "application/json", strings.NewReader(`{"configuredLevel":"DEBUG"}`)))
	// The handler's own loggers (its events, the audit) are listed too.
	show(http.Get(srv.URL + "/actuator/loggers"))
	show(http.Post(srv.URL+"/actuator/loggers/app.db", "application/json", strings.NewReader(`{"configuredLevel":"LOUD"}`)))
	// Output:
	// 200 {"configuredLevel":null,"effectiveLevel":"INFO"}
	// 204
	// 200 {"levels":["NOTSET","DEBUG","INFO","WARNING","ERROR","CRITICAL"],"loggers":{"app.db":{"configuredLevel":"DEBUG","effectiveLevel":"DEBUG"},"livelog.audit":{"configuredLevel":null,"effectiveLevel":"INFO"},"livelog.listener":{"configuredLevel":null,"effectiveLevel":"INFO"},"root":{"configuredLevel":"INFO","effectiveLevel":"INFO"}}}
	// 400 {"error":"body: bad level \"LOUD\" in \"configuredLevel\" (want NOTSET, DEBUG, INFO, WARNING, ERROR or CRITICAL)"}
}
