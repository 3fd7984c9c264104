#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing (tmux
# for the terminal interface, PostgreSQL for the catalogue's second
# backend), starts a throwaway PostgreSQL cluster, then runs the suite.
#
# Without PostgreSQL (no apt-get, no root), the tests still run and every
# PostgreSQL variant is skipped, listed at the end. CI sets
# FIELDBENCH_REQUIRE_POSTGRES=1, which makes that a failure instead.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

if ! need tmux; then
  echo "== installing tmux (the terminal the interface is tested in)"
  if need apt-get; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq tmux >/dev/null
  elif need brew; then
    brew install tmux
  else
    echo "tmux is missing and there is no apt-get or brew to install it with; install tmux and run again" >&2
    exit 1
  fi
fi

# An address given from outside (a shared server) is used as it is.
if [ -z "${FIELDBENCH_TEST_POSTGRES:-}" ]; then
  source scripts/postgres.sh
  if ! start_test_postgres; then
    if [ -n "${FIELDBENCH_REQUIRE_POSTGRES:-}" ]; then
      echo "PostgreSQL is required (FIELDBENCH_REQUIRE_POSTGRES) but could not be started" >&2
      exit 1
    fi
    echo "!! PostgreSQL could not be started: the PostgreSQL variants of the catalogue, sync and serve tests will be skipped" >&2
  fi
fi

# pgtest appends the name of every test it skips to this file.
export FIELDBENCH_SKIPPED_LOG
FIELDBENCH_SKIPPED_LOG=$(mktemp)
status=0
go test -count=1 ./... || status=$?
if [ -s "$FIELDBENCH_SKIPPED_LOG" ]; then
  echo "!! $(wc -l <"$FIELDBENCH_SKIPPED_LOG") tests skipped for want of PostgreSQL (set FIELDBENCH_TEST_POSTGRES to a server's address to run them):"
  sort "$FIELDBENCH_SKIPPED_LOG" | sed 's/^/   /'
fi
rm -f "$FIELDBENCH_SKIPPED_LOG"
exit $status
