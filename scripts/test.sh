#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing (tmux
# for the terminal interface, PostgreSQL for the catalogue's second
# backend, Chromium and a CJK font for the catalogue page's browser test),
# starts a throwaway PostgreSQL cluster, then runs the suite.
#
# Without PostgreSQL or Chromium (no apt-get, no root), the tests still run
# and the tests that need them are skipped, listed at the end. CI sets
# FIELDBENCH_REQUIRE_POSTGRES=1 and FIELDBENCH_REQUIRE_CHROMIUM=1, which
# make that a failure instead.
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

# Debian's chromium, headless, opens the catalogue page in
# cmd/fieldbench's browser test; fonts-wqy-microhei (1.6 MB) gives its
# screenshots Chinese glyphs. Without recommends: they would add printing
# and desktop services (perl, samba, python) a headless run never uses.
# Neither is fatal when it cannot be installed: the test is then skipped
# and listed at the end (or fails, under FIELDBENCH_REQUIRE_CHROMIUM).
apt_install() {
  local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if ! need apt-get || { [ -n "$SUDO" ] && ! sudo -n true 2>/dev/null; }; then
    echo "!! cannot install $* here (no apt-get, or not root and no password-less sudo)" >&2
    return 1
  fi
  # An image whose package lists were emptied knows no chromium yet.
  if ! apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    $SUDO apt-get update -qq
  fi
  $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! need chromium && ! need chromium-browser; then
  echo "== installing chromium (the browser the catalogue page is tested in)"
  apt_install chromium fonts-wqy-microhei || echo "!! chromium is missing: the browser test will be skipped" >&2
elif need fc-list && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  echo "== installing a Chinese font for the browser test's screenshots"
  apt_install fonts-wqy-microhei || true
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

# pgtest appends the name of every test it skips to the first file, the
# browser test its own name to the second when there is no chromium.
export FIELDBENCH_SKIPPED_LOG FIELDBENCH_SKIPPED_CHROMIUM_LOG
FIELDBENCH_SKIPPED_LOG=$(mktemp)
FIELDBENCH_SKIPPED_CHROMIUM_LOG=$(mktemp)
status=0
# A slow or busy machine (a user's laptop) can take cmd/fieldbench past go test's
# default 10 minutes; CI, alone on 2 cores, takes about 5.
go test -count=1 -timeout 25m ./... || status=$?
if [ -s "$FIELDBENCH_SKIPPED_LOG" ]; then
  echo "!! $(wc -l <"$FIELDBENCH_SKIPPED_LOG") tests skipped for want of PostgreSQL (set FIELDBENCH_TEST_POSTGRES to a server's address to run them):"
  sort "$FIELDBENCH_SKIPPED_LOG" | sed 's/^/   /'
fi
if [ -s "$FIELDBENCH_SKIPPED_CHROMIUM_LOG" ]; then
  echo "!! $(wc -l <"$FIELDBENCH_SKIPPED_CHROMIUM_LOG") tests skipped for want of Chromium (install Debian's chromium to run them):"
  sort "$FIELDBENCH_SKIPPED_CHROMIUM_LOG" | sed 's/^/   /'
fi
rm -f "$FIELDBENCH_SKIPPED_LOG" "$FIELDBENCH_SKIPPED_CHROMIUM_LOG"
exit $status
