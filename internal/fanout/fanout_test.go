package fanout_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/fanout"
	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
)

// timeout is Options.Timeout in these tests: what a silent port costs.
const timeout = time.Second

// configAt is a dictConfig JSON with the root logger at level and no
// handler: a listener reads it as Python's listen does.
func configAt(level string) string {
	return `{"version": 1, "root": {"level": "` + level + `"}}`
}

// startListener runs a real listener, in this process, on the first free
// port of lo..hi, with a tree at INFO.
func startListener(t *testing.T, lo, hi int, name string, opts ...listener.Option) *listener.Listener {
	t.Helper()
	cfg, err := logcfg.ParsePayload([]byte(configAt("INFO")), name+".json")
	require.NoError(t, err)
	tree, err := logcfg.NewTree(cfg)
	require.NoError(t, err)
	l, err := listener.Start(tree, append([]listener.Option{listener.WithPorts(lo, hi), listener.WithProcessName(name)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, l.Close())
		assert.NoError(t, tree.Close())
	})
	return l
}

func port(l *listener.Listener) int { return l.Addr().(*net.TCPAddr).Port }

// hello is the greeting of a program that says it is livelog and then
// never answers.
func hello(t *testing.T) []byte {
	var b bytes.Buffer
	require.NoError(t, wire.WriteJSON(&b, wire.Hello{Livelog: wire.Version, PID: 42, Name: "mute"}))
	return b.Bytes()
}

// TestPush: one push over a range holding two listeners, a silent
// program, a listener that requires signed requests and two closed ports.
// The results come back in port order, each classified; both plain
// listeners applied the config (as they say themselves), and nothing was
// written to the silent program or the listener that wants a signature.
func TestPush(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 6)
	alpha := startListener(t, lo, lo, "alpha")
	beta := startListener(t, lo+1, lo+1, "beta")
	quiet := lltest.StartRecorder(t, lo+2, nil)
	secret := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(secret, []byte("s3cret\n"), 0o600))
	signed := startListener(t, lo+4, lo+4, "signed", listener.WithSecretFile(secret))

	start := time.Now()
	rs := fanout.Push(context.Background(), fanout.Targets([]string{"127.0.0.1"}, lo, hi),
		wire.Envelope{Config: configAt("ERROR"), Source: "error.conf"}, &fanout.Options{Timeout: timeout})
	took := time.Since(start)
	require.Len(t, rs, 6)
	for i, r := range rs {
		assert.Equal(t, fanout.Target{Host: "127.0.0.1", Port: lo + i}, r.Target, "results in target order")
	}
	assert.Less(t, took, 3*timeout, "targets are worked on in parallel: a silent port costs one timeout")

	for i, l := range []*listener.Listener{alpha, beta} {
		r := rs[i]
		assert.Equal(t, fanout.Livelog, r.Kind)
		require.NotNil(t, r.Hello)
		assert.Equal(t, []string{"alpha", "beta"}[i], r.Hello.Name)
		assert.Equal(t, os.Getpid(), r.Hello.PID)
		assert.NoError(t, r.Err)
		assert.True(t, r.Applied(), "%+v", r.Reply)
		assert.Equal(t, []wire.Change{{Kind: "logger", Name: "root", Old: "INFO", New: "ERROR"}}, r.Reply.Changes)
		st := l.Status()
		assert.Equal(t, "ERROR", st.Levels["root"], "%s says it changed", r.Hello.Name)
		assert.Equal(t, "error.conf", st.LastChange.Source)
	}

	assert.Equal(t, fanout.Silent, rs[2].Kind)
	assert.ErrorIs(t, rs[2].Err, wire.ErrNotLivelog)
	assert.Nil(t, rs[2].Hello)
	assert.Nil(t, rs[2].Reply)
	assert.False(t, rs[2].Applied())

	for _, r := range []fanout.Result{rs[3], rs[5]} {
		assert.Equal(t, fanout.Closed, r.Kind, "port %d", r.Target.Port)
		assert.ErrorIs(t, r.Err, syscall.ECONNREFUSED)
		assert.Nil(t, r.Hello)
	}

	assert.Equal(t, fanout.Livelog, rs[4].Kind)
	assert.ErrorIs(t, rs[4].Err, fanout.ErrNeedSecret)
	assert.Equal(t, "signed", rs[4].Hello.Name)
	assert.True(t, rs[4].Hello.Auth)
	assert.Nil(t, rs[4].Reply)
	assert.Equal(t, "INFO", signed.Status().Levels["root"], "nothing was sent to it")

	assert.Empty(t, quiet.Bytes(), "the silent program was sent bytes")
	assert.Equal(t, 1, quiet.Conns(), "one connection, to read its (absent) greeting")
}

// TestPushSecret: with the listener's secret the push is signed and
// applied; with another secret it is signed wrongly and the listener's
// refusal is a Reply, not an error.
func TestPushSecret(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 1)
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	require.NoError(t, os.WriteFile(secret, []byte("s3cret\n"), 0o600))
	l := startListener(t, lo, hi, "signed", listener.WithSecretFile(secret))
	ts := fanout.Targets([]string{"127.0.0.1"}, lo, hi)
	env := wire.Envelope{Config: configAt("ERROR")}

	rs := fanout.Push(context.Background(), ts, env, &fanout.Options{Timeout: timeout, Secret: []byte("wrong")})
	require.Len(t, rs, 1)
	assert.NoError(t, rs[0].Err)
	require.NotNil(t, rs[0].Reply)
	assert.False(t, rs[0].Reply.OK)
	assert.Equal(t, wire.OutcomeRejected, rs[0].Reply.Outcome)
	assert.False(t, rs[0].Applied())
	assert.Equal(t, "INFO", l.Status().Levels["root"])

	rs = fanout.Push(context.Background(), ts, env, &fanout.Options{Timeout: timeout, Secret: []byte("s3cret")})
	assert.True(t, rs[0].Applied(), "%+v", rs[0])
	assert.Equal(t, "ERROR", l.Status().Levels["root"])

	rs = fanout.Status(context.Background(), ts, &fanout.Options{Timeout: timeout, Secret: []byte("s3cret")})
	require.NoError(t, rs[0].Err)
	require.NotNil(t, rs[0].Reply.Status)
	assert.Equal(t, "ERROR", rs[0].Reply.Status.Levels["root"])
}

// TestPushRejected: a config the listener cannot use is refused: the
// reason is in the Reply, Err is nil, and the listener is unchanged.
func TestPushRejected(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 1)
	l := startListener(t, lo, hi, "alpha")
	gen := l.Status().Generation
	rs := fanout.Push(context.Background(), fanout.Targets([]string{"127.0.0.1"}, lo, hi),
		wire.Envelope{Config: configAt("LOUD")}, nil)
	require.Len(t, rs, 1)
	assert.NoError(t, rs[0].Err)
	require.NotNil(t, rs[0].Reply)
	assert.False(t, rs[0].Applied())
	assert.Contains(t, rs[0].Reply.Error, `bad level "LOUD"`)
	assert.Equal(t, gen, l.Status().Generation)
}

// TestPushLegacy: Options.Legacy goes, as one raw frame, to the silent
// port and only there; the livelog listener beside it gets the envelope.
// Status never sends it.
func TestPushLegacy(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	quiet := lltest.StartRecorder(t, lo, nil)
	l := startListener(t, lo+1, hi, "alpha")
	legacy := []byte(configAt("WARNING"))
	ts := fanout.Targets([]string{"127.0.0.1"}, lo, hi)

	rs := fanout.Status(context.Background(), ts, &fanout.Options{Timeout: timeout, Legacy: legacy})
	assert.ErrorIs(t, rs[0].Err, wire.ErrNotLivelog, "status sends nothing to a silent port")
	assert.NoError(t, rs[1].Err)

	rs = fanout.Push(context.Background(), ts, wire.Envelope{Config: configAt("ERROR")}, &fanout.Options{Timeout: timeout, Legacy: legacy})
	require.Len(t, rs, 2)
	assert.Equal(t, fanout.Silent, rs[0].Kind)
	assert.NoError(t, rs[0].Err, "delivered")
	assert.Nil(t, rs[0].Reply, "a legacy listener never answers")
	assert.True(t, rs[1].Applied())
	assert.Equal(t, "ERROR", l.Status().Levels["root"], "the livelog listener got the envelope, not the legacy text")

	var frame strings.Builder
	require.NoError(t, wire.WriteFrame(&frame, legacy))
	assert.Equal(t, frame.String(), string(quiet.Bytes()), "exactly one frame of the legacy payload")
	assert.Equal(t, 3, quiet.Conns(), "status's and push's greeting reads, then the delivery")
}

// TestPushAccept: Options.Accept sees each greeting; a listener it
// declines is sent nothing.
func TestPushAccept(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	alpha := startListener(t, lo, lo, "alpha")
	beta := startListener(t, hi, hi, "beta")
	var seen sync.Map
	rs := fanout.Push(context.Background(), fanout.Targets([]string{"127.0.0.1"}, lo, hi), wire.Envelope{Config: configAt("ERROR")},
		&fanout.Options{Timeout: timeout, Accept: func(h *wire.Hello) bool {
			seen.Store(h.Name, true)
			return h.Name == "alpha"
		}})
	assert.True(t, rs[0].Applied())
	assert.ErrorIs(t, rs[1].Err, fanout.ErrDeclined)
	assert.Equal(t, "beta", rs[1].Hello.Name)
	assert.Nil(t, rs[1].Reply)
	assert.Equal(t, "ERROR", alpha.Status().Levels["root"])
	assert.Equal(t, "INFO", beta.Status().Levels["root"], "declined: nothing was sent")
	_, ok := seen.Load("beta")
	assert.True(t, ok, "Accept saw beta's greeting")
}

// TestNoReply: a program that greets as livelog but never answers costs
// one timeout for the reply, and the error says so.
func TestNoReply(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 1)
	mute := lltest.StartRecorder(t, lo, hello(t))
	start := time.Now()
	rs := fanout.Status(context.Background(), fanout.Targets([]string{"127.0.0.1"}, lo, hi), &fanout.Options{Timeout: timeout})
	took := time.Since(start)
	require.Len(t, rs, 1)
	assert.Equal(t, fanout.Livelog, rs[0].Kind)
	assert.Equal(t, "mute", rs[0].Hello.Name)
	assert.ErrorIs(t, rs[0].Err, wire.ErrNoReply)
	assert.Nil(t, rs[0].Reply)
	assert.GreaterOrEqual(t, took, timeout, "it waited for the reply")
	assert.Less(t, took, 3*timeout, "but no longer than the timeout")
	assert.Contains(t, string(mute.Bytes()), `"op":"status"`, "the request was sent")
}

// TestStatus: status reads every listener's levels and changes nothing.
func TestStatus(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 3)
	alpha := startListener(t, lo, hi, "alpha")
	beta := startListener(t, lo, hi, "beta")
	gens := []uint64{alpha.Status().Generation, beta.Status().Generation}
	rs := fanout.Status(context.Background(), fanout.Targets([]string{"127.0.0.1"}, lo, hi), nil)
	require.Len(t, rs, 3)
	names := map[int]string{port(alpha): "alpha", port(beta): "beta"}
	for _, r := range rs {
		name, ok := names[r.Target.Port]
		if !ok {
			assert.Equal(t, fanout.Closed, r.Kind)
			continue
		}
		require.NoError(t, r.Err, name)
		assert.Equal(t, name, r.Hello.Name)
		assert.Equal(t, wire.OutcomeStatus, r.Reply.Outcome)
		require.NotNil(t, r.Reply.Status)
		assert.Equal(t, "INFO", r.Reply.Status.Levels["root"])
		assert.False(t, r.Applied(), "a status is not an apply")
	}
	assert.Equal(t, gens, []uint64{alpha.Status().Generation, beta.Status().Generation}, "status changed nothing")
}

// TestRun: results come back in target order whatever order the calls
// end in, and exactly MaxParallel calls run at once (RunN: exactly n):
// the first calls wait (with a deadline) until all of them are running.
func TestRun(t *testing.T) {
	ts := fanout.Targets([]string{"a", "b"}, 1, 150)
	for _, n := range []int{fanout.MaxParallel, 5, 1} {
		var inFlight, peak atomic.Int32
		full := make(chan struct{})
		var once sync.Once
		f := func(ctx context.Context, tg fanout.Target) string {
			k := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				p := peak.Load()
				if k <= p || peak.CompareAndSwap(p, k) {
					break
				}
			}
			if int(k) == n {
				once.Do(func() { close(full) })
			}
			select {
			case <-full:
			case <-time.After(10 * time.Second):
			}
			return tg.Addr()
		}
		var got []string
		if n == fanout.MaxParallel {
			got = fanout.Run(context.Background(), ts, f)
		} else {
			got = fanout.RunN(context.Background(), ts, n, f)
		}
		require.Len(t, got, len(ts))
		for i, tg := range ts {
			assert.Equal(t, tg.Addr(), got[i])
		}
		assert.Equal(t, int32(n), peak.Load(), "never more than %d at once, and that many", n)
	}
	assert.Empty(t, fanout.Run(context.Background(), nil, func(context.Context, fanout.Target) int { return 1 }))
	assert.Len(t, fanout.RunN(context.Background(), ts[:3], 0, func(context.Context, fanout.Target) int { return 1 }), 3, "n 0 counts as 1")
}

// TestCancelled: a push whose context is already done still returns one
// Result per target, promptly, each with an error, and sends nothing.
func TestCancelled(t *testing.T) {
	lo, hi := lltest.FreePortRange(t, 2)
	l := startListener(t, lo, hi, "alpha")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	rs := fanout.Push(ctx, fanout.Targets([]string{"127.0.0.1"}, lo, hi), wire.Envelope{Config: configAt("ERROR")}, &fanout.Options{Timeout: 10 * time.Second})
	assert.Less(t, time.Since(start), 5*time.Second)
	require.Len(t, rs, 2)
	for _, r := range rs {
		assert.Error(t, r.Err)
		assert.True(t, errors.Is(r.Err, context.Canceled), "%v", r.Err)
		assert.False(t, r.Applied())
	}
	assert.Equal(t, "INFO", l.Status().Levels["root"])
}

func TestKindString(t *testing.T) {
	assert.Equal(t, "closed", fanout.Closed.String())
	assert.Equal(t, "silent", fanout.Silent.String())
	assert.Equal(t, "livelog", fanout.Livelog.String())
}
