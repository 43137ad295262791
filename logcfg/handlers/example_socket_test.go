package handlers_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"

	"go.uber.org/zap"

	"github.com/livelog/livelog/logcfg"
)

// A SocketHandler sends each record to a log server as Python's does: a
// 4-byte big-endian length, then the pickled record dict, which a Python
// server reads with logging.makeLogRecord(pickle.loads(frame)). Here the
// server is a Go listener that reads one frame.
func Example_socketHandler() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	ini := fmt.Sprintf(`[loggers]
keys=root

[handlers]
keys=server

[formatters]
keys=

[logger_root]
level=INFO
handlers=server

[handler_server]
class=handlers.SocketHandler
args=('127.0.0.1', %d)
`, ln.Addr().(*net.TCPAddr).Port)
	cfg, err := logcfg.Parse(strings.NewReader(ini), "app.ini")
	if err != nil {
		panic(err)
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	tree.Logger("app").Info("hello", zap.Int("user", 42)) // returns at once

	conn, err := ln.Accept()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	var n uint32
	if err := binary.Read(conn, binary.BigEndian, &n); err != nil {
		panic(err)
	}
	frame := make([]byte, n)
	if _, err := io.ReadFull(conn, frame); err != nil {
		panic(err)
	}
	fmt.Println("a dict:", frame[0] == '}', "ends with STOP:", frame[n-1] == '.')
	fmt.Println("has msg 'hello':", bytes.Contains(frame, []byte("X\x03\x00\x00\x00msgX\x05\x00\x00\x00hello")))
	fmt.Println("has user=42:", bytes.Contains(frame, []byte("X\x04\x00\x00\x00userK\x2a")))
	// Output:
	// a dict: true ends with STOP: true
	// has msg 'hello': true
	// has user=42: true
}
