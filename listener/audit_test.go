package listener_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/listener"
)

// A dry run answers from the plan and changes nothing; warnings travel in
// every reply to a config; status history merges applies and rejections,
// newest first, and survives its JSON round trip; the audit logger writes
// each.
func TestDryRunWarningsHistoryAudit(t *testing.T) {
	p := newProc(t)
	l := start(t, p)
	typo := strings.Replace(p.ini("DEBUG", "WARNING"), "[logger_db]\nlevel=WARNING", "[logger_db]\nlevle=WARNING", 1)

	rep := push(t, l, wire.Envelope{Config: typo, Source: "/srv/typo.conf", DryRun: true})
	require.True(t, rep.OK, rep.Error)
	assert.Equal(t, wire.OutcomeDryRun, rep.Outcome)
	assert.Equal(t, uint64(1), rep.Generation)
	assert.Equal(t, []wire.Change{{Kind: "logger", Name: "root", Old: "INFO", New: "DEBUG"}, {Kind: "logger", Name: "app.db", Old: "WARNING", New: "NOTSET"}}, rep.Changes)
	require.Len(t, rep.Warnings, 1)
	assert.Contains(t, rep.Warnings[0], "/srv/typo.conf:")
	assert.Contains(t, rep.Warnings[0], "levle")
	assert.Equal(t, "INFO", p.effective("root"), "a dry run changes nothing")
	assert.Equal(t, uint64(1), p.tree.Generation())

	rep = push(t, l, wire.Envelope{Config: typo, Source: "/srv/typo.conf"})
	require.True(t, rep.OK, rep.Error)
	assert.Equal(t, wire.OutcomeApplied, rep.Outcome)
	assert.Len(t, rep.Warnings, 1)

	bad := strings.Replace(typo, "level=DEBUG", "level=LOUD", 1)
	rep = push(t, l, wire.Envelope{Config: bad, Source: "/srv/bad.conf", Via: wire.ViaSet})
	require.False(t, rep.OK)
	assert.Len(t, rep.Warnings, 0, "a config that does not parse has no warnings to give")

	st := l.Status()
	require.Len(t, st.History, 3)
	assert.Equal(t, "rejected", st.History[0].Outcome)
	assert.Equal(t, "set", st.History[0].Source)
	assert.Equal(t, "set from 127.0.0.1", st.History[0].Origin)
	assert.Equal(t, "/srv/bad.conf", st.History[0].File)
	assert.Contains(t, st.History[0].Error, `bad level "LOUD"`)
	assert.Equal(t, "applied", st.History[1].Outcome)
	assert.Equal(t, "push from 127.0.0.1", st.History[1].Origin)
	assert.Equal(t, uint64(2), st.History[1].Generation)
	assert.Equal(t, "start", st.History[2].Source)
	assert.Equal(t, "push from 127.0.0.1", st.LastChange.Origin, "the last applied change")
	assert.Equal(t, "push", st.LastChange.Kind)

	b, err := json.Marshal(st)
	require.NoError(t, err)
	var back listener.Status
	require.NoError(t, json.Unmarshal(b, &back))
	require.Len(t, back.History, len(st.History))
	for i := range st.History {
		assert.True(t, st.History[i].At.Equal(back.History[i].At))
		back.History[i].At = st.History[i].At
	}
	assert.Equal(t, st.History, back.History)
	assert.Equal(t, st.Loggers, back.Loggers)
	assert.Contains(t, st.Loggers, listener.LoggerLevel{Name: "root", Level: "DEBUG", Effective: "DEBUG"})

	log := p.log(t)
	assert.Contains(t, log, "INFO livelog.audit applied generation 2: push from 127.0.0.1, /srv/typo.conf: 2 changes: logger root INFO→DEBUG, logger app.db WARNING→NOTSET")
	assert.Contains(t, log, "INFO livelog.audit rejected set from 127.0.0.1, /srv/bad.conf: logcfg: /srv/bad.conf:")
	assert.Equal(t, 2, strings.Count(log, "livelog.audit"), "a dry run is not audited:\n%s", log)
}
