// Command multiproc is livelog's demo: a parent process and N worker
// processes log in colour, each with its own config listener, and the parent
// retunes all of them live over the same protocol pushcfg speaks.
//
//	go run ./examples/multiproc              # the story, about 10 seconds
//	go run ./examples/multiproc -serve       # keep running; try pushcfg by hand
//
// # The story
//
// The parent ("MainProcess") starts its listener on the first free port of
// -ports (default 9001-9030), then re-executes its own binary -workers times
// (default 4) as "Worker #1", "Worker #2", ...: real OS processes, each
// loading the same config and binding the next free port. Every process
// logs an ERROR, an INFO and a DEBUG line every -interval, in the format
//
//	$YELLOW%(asctime)s $RESET- $MAGENTA%(module)s.%(funcName)s $RESET- $GREEN%(processName)s $RESET- $COLOR%(levelname)s $RESET- %(message)s
//
// to the terminal (workers inherit the parent's stdout). Then:
//
//  1. everyone logs at DEBUG (debug.conf);
//  2. the parent pushes error.conf to every listener on the range, in
//     parallel, and prints each acknowledgement: INFO and DEBUG stop;
//  3. it pushes info.conf for 3s, a temporary change: INFO comes back, and
//     the parent watches (status requests) until every process has reverted
//     to error.conf by itself;
//  4. it closes each worker's stdin; the workers flush and exit 0.
//
// The parent's own lines start with "== " and carry times in the same
// format as %(asctime)s. It exits 0 when every process started, applied
// both pushes, reverted and exited cleanly; otherwise it says what went
// wrong, each reason once, and exits 1 (2 for a bad flag). A worker that
// dies during the story (killed, or exiting on its own with a failure)
// stops it at once.
//
// # Which config
//
// At start the processes load logger_config/debug.conf, info.conf or
// error.conf as logcfg.EnvFile chooses from ENV (unset → debug.conf, dev or
// test → info.conf, prod → error.conf). The story needs DEBUG lines to
// silence, so it always starts from debug.conf and says so when ENV chose
// another file; -serve honours ENV. -config FILE overrides both. The
// logger_config directory is found next to the working directory
// (examples/multiproc/logger_config when run from the repository root, or
// ./logger_config), next to the executable, or next to this source file;
// -config-dir names it outright.
//
// # Serving
//
// With -serve everything keeps running until SIGINT or SIGTERM, and the
// parent prints the pushcfg commands to try from another terminal. It runs
// under [service.Run]: READY=1 to systemd once every process is up, SIGHUP
// re-reads the config file in the parent and in every worker (the parent
// forwards it), STOPPING=1 and a clean shutdown of all on SIGTERM.
// livelog-demo.service is a unit for it.
//
// Served, the processes are a fleet, as the Python original's independent
// processes are: a worker that dies (killed by a signal, or exiting with
// a non-zero status) is reported in one line naming it, its pid and why,
// and the parent and the other workers keep logging and listening. At the
// shutdown the lost worker is named again, not its reason, and the exit
// status is 1. A worker that exits 0 by itself was stopped by someone
// (under systemd every process of the unit gets SIGTERM): that is said,
// and is not a failure.
//
// Windows has no SIGHUP: there the config changes only through pushes,
// and Ctrl-C stops every process.
//
// Workers are told apart from the parent by the environment variable
// LIVELOG_DEMO_WORKER (their number); they report their listener's address
// on a pipe (file descriptor 3; on Windows an inherited handle named by
// LIVELOG_DEMO_READY) and stop when their stdin closes, so they never
// outlive the parent.
package main
