#!/usr/bin/env bash
# Run a command with TEST_DATABASE_URL pointing at a throw-away PostgreSQL server on 127.0.0.1.
# Installs the server from Debian packages when missing and running as root; otherwise skips.
set -euo pipefail
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PGBIN="$(find_bin || true)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing PostgreSQL server (Debian packages)…" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || { echo "could not install PostgreSQL; skipping the PostgreSQL run" >&2; exit 0; }
    PGBIN="$(find_bin)"
  else
    echo "PostgreSQL server not available; skipping the PostgreSQL run" >&2
    exit 0
  fi
fi
workdir="$(mktemp -d /tmp/briefbot-pg.XXXXXX)"
chmod 755 "$workdir"
port=$(( 20000 + RANDOM % 20000 ))
as_pg() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = "0" ]; then chown postgres "$workdir"; fi
as_pg "$PGBIN/initdb" -D "$workdir/data" -U briefbot --auth=trust -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$workdir/data" -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off" \
  -l "$workdir/log" -w start >/dev/null
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$workdir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$workdir"; }
trap cleanup EXIT
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U briefbot briefbot_test
echo "running on PostgreSQL ($("$PGBIN/postgres" --version))" >&2
TEST_DATABASE_URL="postgresql+psycopg://briefbot@127.0.0.1:$port/briefbot_test" "$@"
