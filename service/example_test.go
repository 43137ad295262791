package service_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"github.com/livelog/livelog/logcfg"
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

// Run serves a tree: SIGHUP re-reads the config file, SIGTERM stops.
// Here the signals come from a channel, as systemd would send them on
// `systemctl reload` and `systemctl stop`.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "livelog-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	conf, logFile := filepath.Join(dir, "logging.conf"), filepath.Join(dir, "app.log")
	writeConfig := func(level string) {
		text := "[loggers]\nkeys=root\n[handlers]\nkeys=file\n[formatters]\nkeys=plain\n" +
			"[logger_root]\nlevel=" + level + "\nhandlers=file\n" +
			"[handler_file]\nclass=FileHandler\nargs=('" + logFile + "',)\nformatter=plain\n" +
			"[formatter_plain]\nformat=%(levelname)s %(name)s: %(message)s\n"
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			panic(err)
		}
	}

	writeConfig("INFO")
	cfg, err := logcfg.ParseFile(conf)
	if err != nil {
		panic(err)
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		panic(err)
	}
	app := tree.Logger("app")
	app.Debug("not written: the level is INFO")

	writeConfig("DEBUG") // an operator edits the file, then: systemctl reload app
	signals := make(chan os.Signal, 2)
	signals <- syscall.SIGHUP
	signals <- syscall.SIGTERM // systemctl stop app
	if err := service.Run(context.Background(), tree,
		service.WithConfigFile(conf), service.WithSignals(signals)); err != nil {
		panic(err)
	}
	app.Debug("written: the reload set DEBUG")
	tree.Close()

	text, _ := os.ReadFile(logFile)
	fmt.Print(strings.ReplaceAll(string(text), dir, "$DIR"))
	// Output:
	// INFO livelog.service: reloaded "$DIR/logging.conf": generation 2, 1 level changes
	// INFO livelog.service: stopping on SIGTERM
	// DEBUG app: written: the reload set DEBUG
}
