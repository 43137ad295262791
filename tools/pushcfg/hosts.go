package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
)

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
