package lltest

import (
	"sync"
	"time"
)

// FakeClock is a clock (Now and AfterFunc, as logcfg.Clock and
// listener.Clock) that moves only when Add is called; due functions run in
// Add's goroutine, in the order they fall due.
type FakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at           time.Time
	f            func()
	stopped, ran bool
}

// NewFakeClock starts at 2026-03-01 12:00 UTC.
func NewFakeClock() *FakeClock {
	return &FakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

// Now is the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f at Now()+d; stop cancels it and reports whether it
// was still pending.
func (c *FakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	tm := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, tm)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		pending := !tm.stopped && !tm.ran
		tm.stopped = true
		return pending
	}
}

// Pending counts the timers not yet run or stopped.
func (c *FakeClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, tm := range c.timers {
		if !tm.stopped && !tm.ran {
			n++
		}
	}
	return n
}

// Add moves the clock on by d and runs what fell due, in order (a function
// scheduled by one that runs is run too if it falls due).
func (c *FakeClock) Add(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		var next *fakeTimer
		for _, tm := range c.timers {
			if !tm.stopped && !tm.ran && !tm.at.After(end) && (next == nil || tm.at.Before(next.at)) {
				next = tm
			}
		}
		if next == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		next.ran = true
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.mu.Unlock()
		next.f()
	}
}
