#!/bin/sh
# Runs every fuzz target of the module for a set time each (one at a time:
# go test -fuzz takes one target and one package).
#
#   scripts/fuzz.sh            # each target for 60s
#   FUZZTIME=10m scripts/fuzz.sh
#   scripts/fuzz.sh ./logcfg   # only the targets of these packages
#
# Targets are found by their declarations (func FuzzX(f *testing.F) in a
# _test.go file): today FuzzParse (logcfg), FuzzFrame (internal/wire),
# FuzzCompile and FuzzEscape (colorfmt), and any added later. A failing
# input is written by go test under the package's testdata/fuzz/FuzzX/;
# commit it as a seed once the bug is fixed. The script exits non-zero if
# any target failed, after running them all.
set -u
cd "$(dirname "$0")/.." || exit 2
FUZZTIME=${FUZZTIME:-60s}
if [ $# -eq 0 ]; then
	set -- ./...
fi

failed=0
ran=0
for pkg in $(go list -f '{{.Dir}}' "$@"); do
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*(' "$pkg"/*_test.go 2>/dev/null | sed 's/^func //; s/($//' | sort -u); do
		rel=./${pkg#"$PWD"/}
		echo "== $target in $rel for $FUZZTIME"
		ran=$((ran + 1))
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$rel"; then
			echo "!! $target in $rel FAILED"
			failed=$((failed + 1))
		fi
	done
done
echo "fuzz: $ran targets run for $FUZZTIME each, $failed failed"
[ "$ran" -gt 0 ] && [ "$failed" -eq 0 ]
