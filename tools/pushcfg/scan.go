package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"syscall"
)

// maxParallel bounds how many ports are probed at once.
const maxParallel = 64

// target is one port on one host.
type target struct {
	host string
	port int
}

func (t target) addr() string { return net.JoinHostPort(t.host, strconv.Itoa(t.port)) }

// targets lists every port of the range on every host, hosts in the order
// given, ports ascending: the order of the report.
func targets(o *options) []target {
	out := make([]target, 0, len(o.hosts)*(o.portHi-o.portLo+1))
	for _, h := range o.hosts {
		for p := o.portLo; p <= o.portHi; p++ {
			out = append(out, target{host: h, port: p})
		}
	}
	return out
}

// resolveHosts checks that every host name resolves, so that a typo in
// --host is a usage error rather than a range of closed ports.
func resolveHosts(ctx context.Context, o *options) error {
	for _, h := range o.hosts {
		if net.ParseIP(h) != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, o.timeout)
		_, err := net.DefaultResolver.LookupHost(ctx, h)
		cancel()
		if err != nil {
			return fmt.Errorf("pushcfg: --host %q: %w", h, err)
		}
	}
	return nil
}

// scan calls probe for every target, at most maxParallel at once, and
// returns the results in target order. One port's failure never stops the
// others: every port of the range is probed.
func scan[R any](ctx context.Context, ts []target, probe func(context.Context, target) R) []R {
	results := make([]R, len(ts))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(maxParallel, len(ts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = probe(ctx, ts[i])
			}
		}()
	}
	for i := range ts {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

// isClosed tells a port nobody listens on (connection refused, host
// unreachable, connect timeout) from a failure after connecting.
func isClosed(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// closedText says briefly why a port is closed.
func closedText(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return "no answer (connect timed out)"
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Err.Error()
	}
	return err.Error()
}
