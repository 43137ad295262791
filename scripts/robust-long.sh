#!/bin/sh
# Runs the long variants of the robustness suite (package robust) with the
# race detector: TestNoLoss makes 100,000 applies (at most 10 minutes)
# instead of 2,000, and the other tests run as in `go test ./...`.
#
#   scripts/robust-long.sh              # everything in ./robust, long
#   scripts/robust-long.sh -run NoLoss  # extra go test flags are passed on
#   COUNT=5 scripts/robust-long.sh      # repeat each test
set -eu
cd "$(dirname "$0")/.."
LIVELOG_ROBUST_LONG=1 exec go test -race -count "${COUNT:-1}" -timeout 60m -v "$@" ./robust
