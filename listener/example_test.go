package listener_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
)

// Start a listener on the first free port of a range, push an
// incremental config to it with the wire client, and read the reply.
func Example() {
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

	l, err := listener.Start(tree, listener.WithPorts(48600, 48699), listener.WithProcessName("Worker #1"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()

	c, hello, err := wire.Dial(context.Background(), l.Addr().String(), 5*time.Second)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	fmt.Println("greeted by", hello.Name)

	rep, err := c.Apply(wire.Envelope{Config: `{"version": 1, "incremental": true, "root": {"level": "DEBUG"}}`})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Outcome, rep.Changes)

	rep, _ = c.Apply(wire.Envelope{Config: `{"version": 1, "root": {"level": "LOUD"}}`})
	fmt.Println(rep.Outcome+":", rep.Error)
	// Output:
	// greeted by Worker #1
	// applied [{logger root INFO DEBUG}]
	// rejected: logcfg: push:1:34: [root] level: bad level "LOUD" (want DEBUG, INFO, WARNING, ERROR, CRITICAL or NOTSET)
}
