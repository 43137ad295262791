// Package pylit reads the Python literals of fileConfig's args= and
// kwargs= keys into plain [Value]s, evaluating nothing. Names are resolved
// only from a fixed table (sys.stdout, sys.stderr, True, False, None).
package pylit
