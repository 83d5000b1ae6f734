#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the test suite and print its URL.
#
#   eval "$(bash .ci/postgres.sh)"      # exports CLAIMSCOPE_TEST_PG=postgresql://... (the "# dir:" line is a comment)
#
# Installs Debian's postgresql package if no server binaries are present, creates a cluster
# in a fresh temporary directory (owned by the "postgres" OS user when run as root, else by
# the current user), starts it on a free loopback port with durability switched off (test
# data only), creates the database "claimscope_test", and prints one `export` line on
# stdout; everything else goes to stderr. The server keeps running after the script exits;
# the line `# stop: ...` on stderr says how to stop it.
#   bash .ci/postgres.sh --stop DIR   # stops the server whose data is in DIR/data, removes DIR
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

if [ "${1:-}" = "--stop" ]; then
    DIR=${2:?usage: postgres.sh --stop DIR}
    BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2 || true
    else "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2 || true; fi
    rm -rf "$DIR"
    exit 0
fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true; }

BIN=$(find_bin)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    log "installing postgresql from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    BIN=$(find_bin)
fi
[ -x "$BIN/initdb" ] || { log "no initdb under /usr/lib/postgresql"; exit 1; }

DIR=$(mktemp -d "${TMPDIR:-/tmp}/claimscope-pg.XXXXXX")
chmod 755 "$DIR"
if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres user the package made.
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown postgres: "$DIR"
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

# A free port: a random one that nothing answers on (bash's /dev/tcp; no other tool needed).
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    log "no free port found"; exit 1
}
PORT=$(free_port)

as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 \
    || { cat "$DIR/server.log" >&2; exit 1; }
as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres claimscope_test

URL="postgresql://postgres@127.0.0.1:$PORT/claimscope_test"
log "server running on port $PORT (data in $DIR/data)"
echo "# stop: bash .ci/postgres.sh --stop $DIR" >&2
echo "# dir: $DIR"
echo "export CLAIMSCOPE_TEST_PG=$URL"
