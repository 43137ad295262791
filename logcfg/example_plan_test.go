package logcfg_test

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg"
)

// Plan is a dry run: what an apply would change, with nothing applied.
func ExampleTree_Plan() {
	tree, _ := logcfg.NewTree(exampleConfig("INFO", "WARNING"))
	defer tree.Close()
	plan, err := tree.Plan(exampleConfig("INFO", "DEBUG"), logcfg.LevelsOnly)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(logcfg.Summary(plan.Changes))
	fmt.Println("kept:", plan.Kept, "opened:", plan.Opened)
	fmt.Println("app.db now:", tree.Logger("app.db").Level())
	// Output:
	// 1 change: logger app.db WARNING→DEBUG
	// kept: [console] opened: []
	// app.db now: warn
}

// manualClock is a logcfg.Clock that moves when told to.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
	fns []func()
	at  []time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *manualClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fns, c.at = append(c.fns, f), append(c.at, c.now.Add(d))
	return func() bool { return false }
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []func()
	for i, at := range c.at {
		if !at.After(c.now) && c.fns[i] != nil {
			due, c.fns[i] = append(due, c.fns[i]), nil
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}

// ApplyFor turns app.db up to DEBUG for ten minutes; then it goes back by
// itself.
func ExampleTree_ApplyFor() {
	clock := &manualClock{now: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
	tree, _ := logcfg.NewTree(exampleConfig("INFO", "WARNING"), logcfg.WithClock(clock))
	defer tree.Close()
	db := tree.Logger("app.db")

	res, _ := tree.ApplyFor(exampleConfig("INFO", "DEBUG"), logcfg.LevelsOnly, 10*time.Minute)
	fmt.Println("reverts at", res.Expires.Format("15:04"))
	db.Debug("visible for ten minutes")
	clock.advance(10 * time.Minute)
	db.Debug("not any more")
	db.Warn("warnings still")
	fmt.Println(tree.History()[0].Summary)
	// Output:
	// reverts at 09:10
	// DEBUG:app.db:visible for ten minutes
	// WARNING:app.db:warnings still
	// revert to generation 1 (start): 1 change: logger app.db DEBUG→WARNING
}

// A Registry holds the program's own classes; parsing and the tree use
// the registry they are given, never what other code registered.
func ExampleRegistry() {
	reg := logcfg.NewRegistry()
	reg.RegisterHandlerClass("myapp.Stdout", logcfg.HandlerClass{
		Check: func(h *logcfg.HandlerConfig) error { return nil },
		Open: func(h *logcfg.HandlerConfig, newEncoder logcfg.EncoderFunc) (logcfg.Output, error) {
			enc, err := newEncoder(nil)
			if err != nil {
				return logcfg.Output{}, err
			}
			return logcfg.Output{Core: zapcore.NewCore(enc, zapcore.Lock(os.Stdout), zapcore.DebugLevel)}, nil
		},
	})
	ini := strings.Replace(fmt.Sprintf(exampleINI, "INFO", "WARNING"), "class=StreamHandler", "class=myapp.Stdout", 1)

	_, err := logcfg.Parse(strings.NewReader(ini), "app.conf") // the default registry
	fmt.Println(err != nil)
	cfg, _ := logcfg.Parse(strings.NewReader(ini), "app.conf", logcfg.WithRegistry(reg))
	tree, _ := logcfg.NewTree(cfg, logcfg.WithRegistry(reg))
	defer tree.Close()
	tree.Logger("app").Info("through myapp.Stdout")
	// Output:
	// true
	// INFO:app:through myapp.Stdout
}
