package main

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/livelog/livelog/colorfmt"
	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
	"github.com/livelog/livelog/service"
	"go.uber.org/zap"
)

// process is what every process of the demo runs, the parent as well as
// each worker: a logger tree from the config file, a listener on the port
// range, and a loop that logs.
type process struct {
	name string
	tree *logcfg.Tree
	lis  *listener.Listener
	stop context.CancelFunc
	done chan struct{} // closed when the loop has returned
}

// startProcess names the process (for %(processName)s and the listener's
// greeting), loads the config, binds the first free port and starts
// logging.
func startProcess(name string, o *options) (*process, error) {
	colorfmt.SetProcessName(name)
	cfg, err := logcfg.ParseFile(o.config)
	if err != nil {
		return nil, err
	}
	tree, err := logcfg.NewTree(cfg)
	if err != nil {
		return nil, err
	}
	// Under systemd (the parent, in -serve mode) every push takes part in
	// the reload handshake; elsewhere service.Reload only runs the apply.
	lis, err := listener.Start(tree, listener.WithPorts(o.portLo, o.portHi), listener.WithProcessName(name),
		listener.WithHooks(listener.Hooks{AroundApply: service.Reload}))
	if err != nil {
		tree.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &process{name: name, tree: tree, lis: lis, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		logLoop(ctx, tree.Logger("demo"), o.interval)
	}()
	return p, nil
}

// target is the process's listener, as fanout names it.
func (p *process) target() fanout.Target {
	a := p.lis.Addr().(*net.TCPAddr)
	return fanout.Target{Host: a.IP.String(), Port: a.Port}
}

// close stops the loop, then the listener, then flushes and closes every
// handler: no line is written after its handler is closed.
func (p *process) close() error {
	p.stop()
	<-p.done
	return errors.Join(p.lis.Close(), p.tree.Close())
}

// logLoop logs an ERROR, an INFO and a DEBUG line every interval until ctx
// is done: what a busy service does, at three levels, so that every level
// change shows at once.
func logLoop(ctx context.Context, log *zap.Logger, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for job := 1; ; job++ {
		log.Error("payment gateway timed out (simulated)", zap.Int("job", job), zap.Duration("after", 2*time.Second))
		log.Info("order shipped", zap.Int("job", job), zap.String("carrier", carriers[job%len(carriers)]))
		log.Debug("cache lookup", zap.Int("job", job), zap.Bool("hit", job%3 != 0))
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

var carriers = []string{"DHL", "UPS", "La Poste", "Royal Mail"}
