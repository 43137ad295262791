package logcfg

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// filtersJSON has one handler "h" on the root, filtered to the
// logger name pass, and a logger "quiet" whose own filter passes only
// "quiet.x".
func filtersJSON(pass string) string {
	return `{"version": 1,
	  "filters": {"f": {"name": "` + pass + `"}, "qx": {"name": "quiet.x"}},
	  "handlers": {"h": {"class": "logging.NullHandler", "filters": ["f"]}},
	  "loggers": {"quiet": {"level": "DEBUG", "filters": ["qx"]}},
	  "root": {"level": "DEBUG", "handlers": ["h"]}}`
}

// observedJSON is filtersJSON with its handler a test.Observer.
func observedJSON(t *testing.T, pass string) *Config {
	cfg, err := ParseJSON([]byte(filtersJSON(pass)), "f.json")
	require.NoError(t, err)
	return observed(cfg)
}

// TestFiltersApply: filters route records in a running tree; a Full
// apply changes them, a levels-only one keeps the running ones and says
// so; a config built in code that names an undefined filter is refused.
func TestFiltersApply(t *testing.T) {
	r := newTestRegistry()
	tree, err := NewTree(observedJSON(t, "app"), WithRegistry(r.Registry))
	require.NoError(t, err)
	defer func() { assert.NoError(t, tree.Close()) }()
	logAll := func() []string {
		for _, n := range []string{"app", "app.db", "apple", "quiet", "quiet.x", "other"} {
			tree.Logger(n).Info("m")
		}
		return r.take(t, "h")
	}
	assert.Equal(t, []string{"INFO app m", "INFO app.db m"}, logAll(), "the handler's filter passes app and below; quiet's own records are dropped")

	res, err := tree.Apply(observedJSON(t, "quiet"), LevelsOnly)
	require.NoError(t, err)
	assert.Contains(t, res.Ignored, `filter "f": name "quiet" not applied (levels-only)`)
	assert.Equal(t, []string{"INFO app m", "INFO app.db m"}, logAll(), "levels-only keeps the running filters")

	_, err = tree.Apply(observedJSON(t, "quiet"), Full)
	require.NoError(t, err)
	assert.Equal(t, []string{"INFO quiet.x m"}, logAll(), "quiet.x propagates past quiet's own filter")
	assert.Equal(t, []FilterConfig{{Key: "f", Name: "quiet", Pos: Pos{File: "f.json", Line: 2, Column: 21, Section: "filters.f"}},
		{Key: "qx", Name: "quiet.x", Pos: Pos{File: "f.json", Line: 2, Column: 46, Section: "filters.qx"}}}, tree.Config().Filters)

	bad := observedJSON(t, "app")
	bad.Loggers[1].Filters = []string{"nope"}
	_, err = tree.Apply(bad, Full)
	assert.ErrorIs(t, err, ErrUndefined)
	assert.ErrorContains(t, err, `filter "nope" is not defined`)
	bad = observedJSON(t, "app")
	bad.Filters = append(bad.Filters, bad.Filters[0])
	_, err = tree.Apply(bad, Full)
	assert.ErrorIs(t, err, ErrDuplicate)
}

// TestPasses is Python's logging.Filter.filter on names.
func TestPasses(t *testing.T) {
	for _, tc := range []struct {
		filters []string
		name    string
		want    bool
	}{
		{nil, "x", true}, {[]string{""}, "x", true}, {[]string{"app"}, "app", true}, {[]string{"app"}, "app.db", true},
		{[]string{"app"}, "apple", false}, {[]string{"app.db"}, "app", false}, {[]string{"app", "app.db"}, "app.dbx", false},
		{[]string{"app", "app.db"}, "app.db.x", true}, {[]string{"root"}, "root", true},
	} {
		assert.Equal(t, tc.want, passes(tc.filters, tc.name), "%v %q", tc.filters, tc.name)
	}
}
