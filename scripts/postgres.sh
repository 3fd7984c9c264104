# Sourced by scripts/test.sh: starts a throwaway PostgreSQL cluster for the
# tests in a temporary directory, on a free port of 127.0.0.1, and exports
# its address as FIELDBENCH_TEST_POSTGRES. The cluster and its directory
# are removed when the calling shell exits. Installs PostgreSQL from
# Debian's packages when it is missing and apt-get can run.
#
# start_test_postgres returns non-zero, with the reason on stderr, when no
# cluster can be had; the caller decides whether that is fatal.

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  # Debian keeps the server programs off PATH, one directory per major version.
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

install_postgres() {
  command -v apt-get >/dev/null 2>&1 || { echo "no apt-get to install PostgreSQL with" >&2; return 1; }
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || { echo "installing PostgreSQL needs root or password-less sudo" >&2; return 1; }
    sudo="sudo"
  fi
  echo "== installing PostgreSQL (for the catalogue's PostgreSQL tests)"
  $sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

start_test_postgres() {
  local bin
  bin=$(pg_bindir) || true
  if [ -z "$bin" ]; then
    install_postgres || return 1
    bin=$(pg_bindir) || true
    [ -n "$bin" ] || { echo "PostgreSQL was installed but initdb is not found" >&2; return 1; }
  fi

  # The server refuses to run as root; Debian's package makes a postgres user.
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "running as root and there is no postgres user to run the server as" >&2; return 1; }
    as=(runuser -u postgres --)
  fi

  PG_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/fieldbench-pg.XXXXXX")
  [ ${#as[@]} -gt 0 ] && chown postgres "$PG_TEST_DIR"
  trap 'stop_test_postgres' EXIT

  if ! "${as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$PG_TEST_DIR/initdb.log" 2>&1; then
    echo "initdb failed:" >&2; cat "$PG_TEST_DIR/initdb.log" >&2; return 1
  fi
  # Room for 50 laptops against two servers; fsync stays on so that the
  # benchmarks measure what a real catalogue pays.
  cat >>"$PG_TEST_DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TEST_DIR'
max_connections = 200
EOF

  local port tries
  for tries in 1 2 3 4 5 6 7 8; do
    port=$(( 20000 + (RANDOM % 20000) ))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue # taken
    if "${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -o "-p $port" -l "$PG_TEST_DIR/server.log" -w -t 30 start >/dev/null 2>&1; then
      PG_TEST_BIN=$bin
      export FIELDBENCH_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
      echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port ($PG_TEST_DIR)"
      return 0
    fi
  done
  echo "PostgreSQL did not start; its log:" >&2
  cat "$PG_TEST_DIR/server.log" >&2 2>/dev/null
  return 1
}

stop_test_postgres() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  if [ -n "${PG_TEST_BIN:-}" ] && [ -f "$PG_TEST_DIR/data/postmaster.pid" ]; then
    local as=()
    [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
    "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=""
}
