package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
)

// TestMain runs the program itself when the test binary is started as the
// child of TestQuickstart.
func TestMain(m *testing.M) {
	if os.Getenv("QUICKSTART_CHILD") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// The README's program runs as a new user would run it: ENV picks the
// file, it listens on a port of its range, logs through app and app.db,
// and stops cleanly.
func TestQuickstart(t *testing.T) {
	for _, tc := range []struct {
		env        string
		want, none []string
	}{
		{"", []string{"DEBUG", "app.db main.work: query", "INFO", "request served n=1", "listening for config pushes"}, nil},
		{"prod", nil, []string{"DEBUG", "INFO"}},
	} {
		t.Run("ENV="+tc.env, func(t *testing.T) {
			lo, hi := lltest.FreePortRange(t, 2)
			cmd := exec.Command(os.Args[0], "-config-dir", "logger_config", "-for", "1500ms",
				"-port-lo", strconv.Itoa(lo), "-port-hi", strconv.Itoa(hi))
			cmd.Env = append(os.Environ(), "QUICKSTART_CHILD=1", "ENV="+tc.env, "NO_COLOR=1")
			done := make(chan struct{})
			var out []byte
			var err error
			go func() { out, err = cmd.CombinedOutput(); close(done) }()
			select {
			case <-done:
			case <-time.After(60 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the program did not stop by itself")
			}
			require.NoError(t, err, "%s", out)
			for _, w := range tc.want {
				assert.Contains(t, string(out), w)
			}
			for _, n := range tc.none {
				assert.NotContains(t, string(out), n)
			}
			if tc.env == "" {
				assert.Contains(t, string(out), "127.0.0.1:"+strconv.Itoa(lo), "listens on its own range")
				assert.Less(t, strings.Index(string(out), "listening"), strings.Index(string(out), "stopping"))
			}
		})
	}
}
