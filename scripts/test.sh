#!/usr/bin/env bash
# The test command: installs what the end-to-end tests need (tmux for the
# terminal interface) when it is missing, then runs the whole suite.
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

go test -count=1 ./...
