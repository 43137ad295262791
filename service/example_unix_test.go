//go:build unix

package service_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"

	"github.com/livelog/livelog/service"
)

// Reload wraps a config change in systemd's reload handshake. Here a
// datagram socket stands in for systemd.
func ExampleReload() {
	dir, err := os.MkdirTemp("", "livelog-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "notify.sock")
	systemd, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		panic(err)
	}
	defer systemd.Close()
	os.Setenv("NOTIFY_SOCKET", path) // systemd sets it for a Type=notify unit
	defer os.Unsetenv("NOTIFY_SOCKET")

	err = service.Reload(func() error {
		fmt.Println("applying the new config")
		return nil
	})
	fmt.Println("reload error:", err)

	usec := regexp.MustCompile(`MONOTONIC_USEC=\d+`)
	buf := make([]byte, 512)
	for range 2 {
		n, _ := systemd.Read(buf)
		fmt.Printf("%q\n", usec.ReplaceAllString(string(buf[:n]), "MONOTONIC_USEC=<µs>"))
	}
	// Output:
	// applying the new config
	// reload error: <nil>
	// "RELOADING=1\nMONOTONIC_USEC=<µs>"
	// "READY=1"
}
