package main

import "os"

// Check a config offline: what a listener would make of it.
func Example_check() {
	run([]string{"check", "testdata/app.conf"}, os.Stdout, os.Stderr)
	// Output:
}

// The same as JSON, for scripts: exactly logcfg's resolved view.
func Example_checkJSON() {
	run([]string{"check", "--json", "testdata/app.conf"}, os.Stdout, os.Stderr)
	// Output:
}
