#!/usr/bin/env bash
# Produces the mysqldump fixtures of test/fixtures/dumps from a real, private,
# throwaway MariaDB server: schema.sql + rows.json (+ objects.sql) in, one dump
# per mysqldump layout out. Re-running rewrites the same files; only the
# "Dump completed on" dates and the mysql schema's timestamps change.
#
#   scripts/make-dump-fixtures.sh [OUT_DIR]     (default test/fixtures/dumps)
#
# The server listens on a socket in its own temp dir only (no TCP), and the
# trap stops it and removes the dir even when a step fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SRC="$HERE/dump-fixtures"
OUT="${1:-$ROOT/test/fixtures/dumps}"

say() { printf 'make-dump-fixtures: %s\n' "$*" >&2; }

find_bin() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    for dir in /usr/sbin /usr/local/sbin /usr/libexec /usr/local/mysql/bin; do
      if [ -x "$dir/$name" ]; then echo "$dir/$name"; return 0; fi
    done
  done
  return 1
}

find_all() {
  SERVER="$(find_bin mariadbd mysqld)" || return 1
  INSTALL_DB="$(find_bin mariadb-install-db mysql_install_db)" || return 1
  CLIENT="$(find_bin mariadb mysql)" || return 1
  DUMP="$(find_bin mariadb-dump mysqldump)" || return 1
  ADMIN="$(find_bin mariadb-admin mysqladmin)" || return 1
}

if ! find_all; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "MariaDB binaries not found; installing mariadb-server mariadb-client with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y mariadb-server mariadb-client >&2 || { apt-get update >&2 && apt-get install -y mariadb-server mariadb-client >&2; }
    find_all || { say "MariaDB still not found after apt-get install"; exit 2; }
  else
    say "MariaDB binaries (mariadbd, mariadb-install-db, mariadb, mariadb-dump) not found."
    say "Install them (Debian/Ubuntu: sudo apt-get install -y mariadb-server mariadb-client) and re-run."
    exit 2
  fi
fi
command -v node >/dev/null 2>&1 || { say "node is needed to turn rows.json into SQL"; exit 2; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/nova-dump-fixtures.XXXXXX")"
SERVER_PID=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ $rc -ne 0 ] && [ -f "$TMP/error.log" ]; then
    say "failed (exit $rc); last server log lines:"
    tail -n 20 "$TMP/error.log" >&2 || true
  fi
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

USER_OPT=()
if [ "$(id -u)" = 0 ]; then USER_OPT=(--user=root); fi

say "initialising a private data dir in $TMP"
"$INSTALL_DB" --no-defaults --datadir="$TMP/data" --auth-root-authentication-method=normal \
  --skip-test-db "${USER_OPT[@]}" >"$TMP/install.log" 2>&1 \
  || { cat "$TMP/install.log" >&2; exit 1; }

"$SERVER" --no-defaults --datadir="$TMP/data" --socket="$TMP/sock" --skip-networking \
  --pid-file="$TMP/server.pid" --log-error="$TMP/error.log" --innodb-buffer-pool-size=32M \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
  --event-scheduler=OFF "${USER_OPT[@]}" &
SERVER_PID=$!

for _ in $(seq 1 300); do
  if "$ADMIN" --no-defaults --socket="$TMP/sock" -uroot ping >/dev/null 2>&1; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { say "server exited during start"; exit 1; }
  sleep 0.1
done
"$ADMIN" --no-defaults --socket="$TMP/sock" -uroot ping >/dev/null 2>&1 || { say "server did not start in 30 s"; exit 1; }

sql() { "$CLIENT" --no-defaults --default-character-set=utf8mb4 --socket="$TMP/sock" -uroot "$@"; }

say "loading schema, rows and objects"
sql <"$SRC/schema.sql"
node "$SRC/rows-to-sql.mjs" "$SRC/rows.json" >"$TMP/rows.sql"
sql <"$TMP/rows.sql"
sql <"$SRC/objects.sql"
# Keep --all-databases small: the help tables are 2.5 MB and the sys schema's
# routines are big; the rest of the mysql schema stays as unrelated content.
sql -e "TRUNCATE mysql.help_topic; TRUNCATE mysql.help_keyword; TRUNCATE mysql.help_relation; TRUNCATE mysql.help_category; TRUNCATE mysql.time_zone_transition_type; TRUNCATE mysql.time_zone_transition; TRUNCATE mysql.time_zone_name; TRUNCATE mysql.time_zone; DROP DATABASE IF EXISTS sys;"

dump() { "$DUMP" --no-defaults --socket="$TMP/sock" -uroot "$@"; }
DBS=(--databases nova nova_api nova_cell0 placement)

mkdir -p "$TMP/out"
say "dumping with $("$DUMP" --version)"
dump "${DBS[@]}" >"$TMP/out/default.sql"
# The layout variants dump only nova (every value type lives there) to keep
# the committed fixtures small.
dump --databases nova --complete-insert >"$TMP/out/complete-insert.sql"
dump --databases nova --skip-extended-insert >"$TMP/out/skip-extended-insert.sql"
dump --databases nova --hex-blob >"$TMP/out/hex-blob.sql"
dump --all-databases --routines --events >"$TMP/out/all-databases.sql"
# One database without --databases: no CREATE DATABASE, no USE.
dump placement >"$TMP/out/placement-single-db.sql"

mkdir -p "$OUT"
for f in "$TMP"/out/*.sql; do
  cp "$f" "$OUT/.$(basename "$f").tmp"
  mv -f "$OUT/.$(basename "$f").tmp" "$OUT/$(basename "$f")"
done
say "wrote $(ls "$TMP/out" | wc -l) dumps to $OUT ($(du -ck "$TMP"/out/*.sql | tail -n1 | cut -f1) KB)"
