package listener_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
	"github.com/livelog/livelog/logcfg"
)

// TestStatusType: Listener.Status is the public Status, with durations;
// its JSON is byte for byte the "status" object a status request gets over
// the wire, and that object decodes back into the same Status.
func TestStatusType(t *testing.T) {
	clock := lltest.NewFakeClock()
	p := newProc(t, logcfg.WithClock(clock))
	l := start(t, p, listener.WithClock(clock))
	started := clock.Now()
	require.True(t, push(t, l, wire.Envelope{Config: p.ini("INFO", "DEBUG"), Source: "dbg.conf", For: "10m"}).OK)
	clock.Add(90*time.Second + 250*time.Millisecond)

	var st *listener.Status = l.Status()
	assert.True(t, st.Started.Equal(started))
	assert.Equal(t, 90*time.Second+250*time.Millisecond, st.Uptime)
	assert.Equal(t, 10*time.Minute-90*time.Second-250*time.Millisecond, st.TempRemaining)
	assert.Equal(t, p.tree.Generation(), st.Generation)
	assert.Equal(t, "DEBUG", st.Levels["app.db"])
	require.NotNil(t, st.LastChange)
	assert.Equal(t, "dbg.conf", st.LastChange.Source)
	assert.Contains(t, st.LastChange.Summary, "logger app.db WARNING→DEBUG")
	assert.True(t, st.LastChange.At.Equal(started))

	// The same status over the wire: the raw "status" object of the reply.
	c := dial(t, l)
	rep, err := c.RequestRaw([]byte(`{"livelog":1,"op":"status"}`))
	require.NoError(t, err)
	require.NotNil(t, rep.Status)
	fromWire, err := json.Marshal(rep.Status)
	require.NoError(t, err)
	local, err := json.Marshal(st)
	require.NoError(t, err)
	assert.JSONEq(t, string(fromWire), string(local), "Status marshals as the wire's status object")
	assert.True(t, bytes.Contains(local, []byte(`"uptime_s":90.25`)), "%s", local)
	assert.True(t, bytes.Contains(local, []byte(`"temp_remaining_s":509.75`)), "%s", local)
	assert.True(t, bytes.Contains(local, []byte(`"last_change":{"at":`)), "%s", local)

	var back listener.Status
	require.NoError(t, json.Unmarshal(fromWire, &back))
	assert.Equal(t, st.Uptime, back.Uptime)
	assert.Equal(t, st.TempRemaining, back.TempRemaining)
	assert.Equal(t, st.Generation, back.Generation)
	assert.Equal(t, st.Levels, back.Levels)
	assert.Equal(t, *st.LastChange, *back.LastChange)
	assert.True(t, st.Started.Equal(back.Started))

	// Once the temporary change has run out, temp_remaining_s is left out,
	// as the wire leaves it out.
	clock.Add(10 * time.Minute)
	local, err = json.Marshal(l.Status())
	require.NoError(t, err)
	assert.NotContains(t, string(local), "temp_remaining_s")
}

// TestStatusUnmarshal: seconds that are not a duration (negative, NaN is
// not JSON, or beyond what a Duration holds) decode to 0 or the largest
// Duration, never to a wrapped-around value; bad JSON is an error.
func TestStatusUnmarshal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{`{"uptime_s":1.5}`, 1500 * time.Millisecond},
		{`{"uptime_s":0.0000000004}`, 0},
		{`{"uptime_s":-3}`, 0},
		{`{"uptime_s":1e300}`, time.Duration(math.MaxInt64)},
		{`{}`, 0},
	} {
		var st listener.Status
		require.NoError(t, json.Unmarshal([]byte(tc.in), &st), tc.in)
		assert.Equal(t, tc.want, st.Uptime, tc.in)
		assert.Nil(t, st.LastChange, tc.in)
	}
	var st listener.Status
	assert.Error(t, json.Unmarshal([]byte(`{"uptime_s":"soon"}`), &st))
}
