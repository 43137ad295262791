package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// versionText is what `pushcfg version` and --version print: the module
// version from the binary's build info ("v1.2.3" when installed with go
// install module@version, "(devel)" when built in a checkout), with the
// VCS revision and the Go version when the build recorded them.
func versionText() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "pushcfg: no build information in this binary"
	}
	var extra []string
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if settings["vcs.modified"] == "true" {
			rev += "+modified"
		}
		extra = append(extra, "revision "+rev)
	}
	if t := settings["vcs.time"]; t != "" {
		extra = append(extra, t)
	}
	extra = append(extra, bi.GoVersion)
	return fmt.Sprintf("pushcfg %s %s (%s)", bi.Main.Path, orDash(bi.Main.Version), strings.Join(extra, ", "))
}
