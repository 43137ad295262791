package main

import "os"

// Check a config offline: what a listener would make of it. Nothing is
// opened but the file, and no process is contacted.
func Example_check() {
	run([]string{"check", "testdata/app.conf"}, os.Stdout, os.Stderr)
	// Output:
	// loggers:
	//   root      WARNING  → console
	//     app.db  DEBUG    → (none)
	// handlers:
	//   console  StreamHandler  NOTSET  formatter=short
	// formatters:
	//   short  "%(levelname)s %(name)s: %(message)s"
}

// The same as JSON, for scripts: exactly logcfg's resolved view.
func Example_checkJSON() {
	run([]string{"check", "--json", "testdata/app.conf"}, os.Stdout, os.Stderr)
	// Output:
	// {
	//   "loggers": {
	//     "app.db": {
	//       "level": "DEBUG",
	//       "effective": "DEBUG",
	//       "propagate": true,
	//       "handlers": []
	//     },
	//     "root": {
	//       "level": "WARNING",
	//       "effective": "WARNING",
	//       "propagate": true,
	//       "handlers": [
	//         "console"
	//       ]
	//     }
	//   },
	//   "handlers": {
	//     "console": {
	//       "class": "StreamHandler",
	//       "level": "NOTSET",
	//       "formatter": "short"
	//     }
	//   },
	//   "formatters": {
	//     "short": {
	//       "format": "%(levelname)s %(name)s: %(message)s",
	//       "datefmt": null
	//     }
	//   }
	// }
}
