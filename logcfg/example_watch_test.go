package logcfg_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg"
)

// Watch applies the config file each time it changes; here the file is
// rewritten with app.db at DEBUG (the
// root stays at WARNING, which hides the INFO line livelog.watch logs for
// the apply).
func ExampleWatch() {
	dir, err := os.MkdirTemp("", "watch")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.conf")
	write := func(root, db string) {
		if err := os.WriteFile(path, fmt.Appendf(nil, exampleINI, root, db), 0o644); err != nil {
			panic(err)
		}
	}
	write("WARNING", "WARNING")
	cfg, err := logcfg.ParseFile(path)
	if err != nil {
		panic(err)
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan struct{}), make(chan error)
	go func() {
		done <- logcfg.Watch(ctx, tree, path, logcfg.WatchReady(func() { close(ready) }))
	}()
	<-ready
	db := tree.Logger("app.db")
	db.Debug("not shown")
	write("WARNING", "DEBUG")
	for deadline := time.Now().Add(10 * time.Second); !db.Core().Enabled(zapcore.DebugLevel) && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	db.Debug("shown")
	cancel()
	fmt.Println(<-done)
	// Output:
	// DEBUG:app.db:shown
	// <nil>
}
