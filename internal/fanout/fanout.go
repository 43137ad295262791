// Package fanout sends one request to many livelog listeners at once and
// returns one [Result] per target, in target order. It is the one copy of
// the parallel push and status that pushcfg, the multiproc demo and the
// fan-out benchmark run; it formats nothing.
//
//	lo, hi, err := fanout.ParsePorts("9001-9030")
//	if err != nil { ... }
//	for _, r := range fanout.Status(ctx, fanout.Targets([]string{"127.0.0.1"}, lo, hi), nil) {
//		if r.Kind == fanout.Livelog && r.Err == nil {
//			fmt.Println(r.Target.Addr(), r.Hello.Name, r.Reply.Status.Levels["root"])
//		}
//	}
//
// Every target is classified by what answers on its port: nobody
// ([Closed]), a program that accepts the connection but does not greet as
// livelog ([Silent]: another server, or a Python logging.config.listen
// server, which waits for a frame), or a livelog listener ([Livelog]).
// Requests go through [wire.Dial], which reads the greeting first: nothing
// is ever written to a port that did not greet as livelog, except the
// legacy frame that [Options].Legacy asks [Push] to send.
//
// One target's failure never stops the others: every target gets its
// Result. At most [MaxParallel] targets ([Options].Parallel) are worked on at once, and each
// step with one target (connecting, the greeting, the reply) is bounded by
// [Options].Timeout, so a push to n targets takes at most about
// ceil(n/MaxParallel) × 2 × Timeout, however many of them are silent.
package fanout

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/livelog/livelog/internal/wire"
)

// MaxParallel is how many targets [Run] works on at once. 64 covers the
// default range (30 ports) and the demo's in one wave, so a silent port
// costs one Timeout, not one per port; beyond that it bounds the sockets
// and goroutines a scan of many hosts or a wide range holds at once.
const MaxParallel = 64

// DefaultTimeout bounds each step with one target when [Options].Timeout
// is zero.
const DefaultTimeout = 2 * time.Second

// Errors of a [Livelog] target to which nothing was sent.
var (
	// ErrNeedSecret: the listener's greeting says it requires signed
	// requests, and no [Options].Secret was given.
	ErrNeedSecret = errors.New("fanout: the listener requires signed requests and no secret was given (nothing was sent)")
	// ErrDeclined: [Options].Accept declined the listener.
	ErrDeclined = errors.New("fanout: declined by Options.Accept (nothing was sent)")
)

// Kind is what answered on a target's port.
type Kind int

// Kinds of targets.
const (
	// Closed: no connection could be made (refused: nobody listens;
	// unreachable; the connect timed out), or it could not be used.
	Closed Kind = iota
	// Silent: a program accepted the connection but did not greet as a
	// livelog listener within the timeout. Nothing was written to it
	// unless [Options].Legacy asked for it.
	Silent
	// Livelog: a livelog listener greeted; [Result].Hello holds its
	// greeting.
	Livelog
)

func (k Kind) String() string {
	switch k {
	case Closed:
		return "closed"
	case Silent:
		return "silent"
	case Livelog:
		return "livelog"
	}
	return "Kind(?)"
}

// Result is what one target did with a request.
type Result struct {
	Target Target
	Kind   Kind
	// Hello is the listener's greeting; nil unless Kind is Livelog.
	Hello *wire.Hello
	// Reply is the listener's answer; nil unless it answered. A listener
	// that refuses a request answers with OK false and a reason in
	// Reply.Error: that is a Reply, not an Err.
	Reply *wire.Reply
	// Err is nil when the request was delivered and, to a livelog
	// listener, answered. Otherwise it says why not:
	//   - Closed: the dial error (errors.Is(err, syscall.ECONNREFUSED)
	//     when nobody listens);
	//   - Silent: an error wrapping [wire.ErrNotLivelog] when nothing was
	//     sent, or the legacy delivery's error;
	//   - Livelog: [ErrNeedSecret] or [ErrDeclined] when nothing was sent,
	//     or the failed exchange (wrapping [wire.ErrNoReply] when the
	//     listener did not answer in time).
	Err error
}

// Applied reports whether the listener answered that it applied the
// request.
func (r Result) Applied() bool {
	return r.Err == nil && r.Reply != nil && r.Reply.OK && r.Reply.Outcome == wire.OutcomeApplied
}

// Options tune [Push] and [Status]. A nil *Options means the defaults.
type Options struct {
	// Timeout bounds each step with one target: connecting, the greeting,
	// the reply (and a legacy delivery). Zero means [DefaultTimeout].
	Timeout time.Duration
	// Secret, if set, signs every request ([wire.Sign] over the greeting's
	// server nonce and a fresh client nonce). Without it a listener that requires signed requests is sent
	// nothing ([ErrNeedSecret]).
	Secret []byte
	// Legacy, if non-nil, is what Push sends as one raw frame to every
	// Silent target ([wire.SendLegacy]), as a Python client would: all a
	// Python logging.config.listen server understands. It never answers,
	// so success means delivered, not applied. Status ignores Legacy and
	// never writes to a silent port.
	Legacy []byte
	// Accept, if set, sees each livelog listener's greeting before
	// anything is sent; a listener it returns false for is sent nothing
	// ([ErrDeclined]). It is called from several goroutines at once.
	Accept func(*wire.Hello) bool
	// Parallel bounds how many targets are worked on at once (see
	// [RunN]); zero or less means [MaxParallel].
	Parallel int
}

// parallel is o's bound on the targets worked on at once.
func (o *Options) parallel() int {
	if o == nil || o.Parallel <= 0 {
		return MaxParallel
	}
	return o.Parallel
}

// Push sends env as an apply request (Op is set to [wire.OpApply]) to
// every livelog listener among targets, and o.Legacy to every silent
// one, in parallel. The results are in target order.
func Push(ctx context.Context, targets []Target, env wire.Envelope, o *Options) []Result {
	env.Op = wire.OpApply
	return RunN(ctx, targets, o.parallel(), func(ctx context.Context, t Target) Result {
		return request(ctx, t, env, o, true)
	})
}

// Status asks every livelog listener among targets for its status, in
// parallel; it changes nothing and writes nothing to any other program.
// The results are in target order; a listener's status is in
// Reply.Status.
func Status(ctx context.Context, targets []Target, o *Options) []Result {
	env := wire.Envelope{Op: wire.OpStatus}
	return RunN(ctx, targets, o.parallel(), func(ctx context.Context, t Target) Result {
		return request(ctx, t, env, o, false)
	})
}

// Run calls f once for every target, at most [MaxParallel] at once, and
// returns f's results in target order. It returns when every call has
// returned; f should honour ctx. Targets are started in order.
func Run[R any](ctx context.Context, targets []Target, f func(context.Context, Target) R) []R {
	return RunN(ctx, targets, MaxParallel, f)
}

// RunN is [Run] with at most n calls at once (n below 1 counts as 1).
func RunN[R any](ctx context.Context, targets []Target, n int, f func(context.Context, Target) R) []R {
	results := make([]R, len(targets))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(max(n, 1), len(targets)) {
		wg.Go(func() {
			for i := range next {
				results[i] = f(ctx, targets[i])
			}
		})
	}
	for i := range targets {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// request is one target of Push (legacy true: o.Legacy goes to a silent
// port) or Status.
func request(ctx context.Context, t Target, env wire.Envelope, o *Options, legacy bool) Result {
	if o == nil {
		o = &Options{}
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	r := Result{Target: t}
	conn, hello, err := wire.Dial(ctx, t.Addr(), timeout)
	switch {
	case errors.Is(err, wire.ErrNotLivelog):
		r.Kind, r.Err = Silent, err
		if legacy && o.Legacy != nil {
			r.Err = wire.SendLegacy(ctx, t.Addr(), o.Legacy, timeout)
		}
		return r
	case err != nil:
		r.Kind, r.Err = Closed, err
		return r
	}
	defer conn.Close()
	r.Kind, r.Hello = Livelog, hello
	switch {
	case o.Accept != nil && !o.Accept(hello):
		r.Err = ErrDeclined
		return r
	case hello.Auth && o.Secret == nil:
		r.Err = ErrNeedSecret
		return r
	case o.Secret != nil:
		wire.Sign(&env, o.Secret, time.Now(), hello.Nonce, wire.NewNonce())
	}
	r.Reply, r.Err = conn.Request(env)
	return r
}
