// Package service makes a program that logs through a [logcfg.Tree] a
// good citizen under systemd. [Run] tells systemd when the service is ready,
// re-reads the config file on SIGHUP inside systemd's reload handshake, and
// on SIGTERM or SIGINT logs why it stops, flushes every handler and returns.
//
//	cfg, err := logcfg.ParseFile(path)
//	if err != nil { ... }
//	tree, err := logcfg.NewTree(cfg)
//	if err != nil { ... }
//	defer tree.Close()
//	// start the listener, the HTTP server, ...
//	if err := service.Run(ctx, tree, service.WithConfigFile(path)); err != nil {
//		os.Exit(1)
//	}
//
// Everything here is a no-op outside systemd: the notifications go to the
// datagram socket systemd names in NOTIFY_SOCKET (sd_notify(3)), and when
// that is unset they are not sent; the signal handling works the same
// everywhere (but see Operating systems).
//
// # Notifications
//
// [Ready] sends READY=1, [Stopping] STOPPING=1, and [Reload] wraps a config
// change in RELOADING=1 + MONOTONIC_USEC=<CLOCK_MONOTONIC in µs> (one
// datagram) and READY=1. Code that applies configs from elsewhere (a
// listener, a file watcher) can call [Reload] around its apply so that
// systemd sees those reloads too; for the listener it is one hook:
//
//	listener.Start(tree, listener.WithHooks(listener.Hooks{AroundApply: service.Reload}))
//
// [WithWatch] does it for the config file: Run then follows the file's
// changes ([logcfg.Watch]) and wraps each apply in the handshake.
//
// # A unit
//
//	[Service]
//	Type=notify-reload        # systemd 253+; with older ones: Type=notify
//	ExecStart=/usr/local/bin/app -config /etc/app/logging.conf
//	ExecReload=/bin/kill -HUP $MAINPID   # only for Type=notify
//	Restart=on-failure
//
// With Type=notify-reload systemd sends SIGHUP itself on `systemctl
// reload` and waits for the handshake. Log lines reach the journal through
// the SystemdHandler class of package logcfg (stderr with "<N>" priority
// prefixes) or JournalHandler (journald's native protocol, with fields).
//
// # Operating systems
//
// The API is the same everywhere. On Linux and the other Unix systems
// Run handles SIGHUP, SIGTERM and SIGINT, and the notifications go to
// NOTIFY_SOCKET when it is set (MONOTONIC_USEC read on CLOCK_MONOTONIC).
// Windows has no SIGHUP and no systemd: Run stops on Ctrl-C or
// Ctrl-Break (os.Interrupt, logged as SIGINT) and when the console
// closes, the user logs off or the system shuts down (SIGTERM, as
// os/signal delivers them), reloads only on a SIGHUP sent on the channel
// of [WithSignals], and [Ready], [Stopping] and [Reload] send nothing,
// even with NOTIFY_SOCKET set (Reload still runs apply).
package service
