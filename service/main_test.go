package service

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/livelog/livelog/logcfg"
)

// childEnv switches the test binary into a service for TestRunChildProcess.
const childEnv = "LIVELOG_SERVICE_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain(os.Getenv(childEnv)))
	}
	os.Exit(m.Run())
}

// childMain is a small service: it loads the config file, logs a DEBUG and
// an INFO tick every 2 ms on logger "child" and serves until SIGTERM; then
// it logs "bye", closes the tree and exits 0.
func childMain(conf string) int {
	cfg, err := logcfg.ParseFile(conf)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	log := tree.Logger("child")
	// Never outlive the test for long, whatever happens to it.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	ticking, stopTicks := context.WithCancel(ctx)
	wg.Go(func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for i := 0; i < 30_000; i++ {
			select {
			case <-ticking.Done():
				return
			case <-tick.C:
			}
			log.Debug("tick debug")
			log.Info("tick info")
		}
	})
	err = Run(ctx, tree, WithConfigFile(conf))
	stopTicks()
	wg.Wait()
	log.Info("bye")
	if cerr := tree.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
