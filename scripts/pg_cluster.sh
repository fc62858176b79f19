#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and CI; nothing assumes a
# running server.
#
#   scripts/pg_cluster.sh start DIR   initdb in DIR/data, start a server on a
#                                     free port of 127.0.0.1 (its unix socket
#                                     in DIR), create a database, and print its
#                                     postgresql://… URL on stdout
#   scripts/pg_cluster.sh stop DIR    stop that server (DIR stays; remove it)
#
# PG_CLUSTER_OPTIONS: more server options for start (e.g. "-c max_connections=250").
#
# initdb and postgres refuse to run as root: as root, the cluster runs as the
# user "postgres" (Debian's postgresql package creates it), else "nobody", and
# DIR is handed to that user. Password authentication (scram-sha-256) on TCP,
# so that a wrong password is refused as in production; the socket in DIR
# trusts local users.
set -euo pipefail

die() {
    echo "pg_cluster.sh: $*" >&2
    exit 1
}

pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" ]]; then
            echo "$dir"
            return
        fi
    done
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return
    die "initdb not found: install PostgreSQL (scripts/setup.sh postgresql)"
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$owner" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

[[ $# -eq 2 ]] || die "usage: pg_cluster.sh start|stop DIR"
command=$1
dir=$(realpath -m "$2")
bin=$(pg_bin)
owner=$(id -un)
if [[ $(id -u) -eq 0 ]]; then
    owner=postgres
    id postgres >/dev/null 2>&1 || owner=nobody
fi

case "$command" in
start)
    [[ -e "$dir/data" ]] && die "$dir/data exists already; stop that cluster and remove $dir first"
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        chown "$owner" "$dir"
        runuser -u "$owner" -- test -w "$dir" ||
            die "$owner cannot reach $dir: a folder above it is closed to other users (chmod o+x it, or use a DIR under /tmp)"
    fi
    user=reform
    password=reform-test
    database=reform_ledger_test
    printf '%s\n' "$password" >"$dir/pwfile"
    [[ $(id -u) -eq 0 ]] && chown "$owner" "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U "$user" --pwfile="$dir/pwfile" -E UTF8 \
        --no-locale --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
        die "initdb failed (as $owner), see $dir/initdb.log: $(tail -3 "$dir/initdb.log")"
    rm -f "$dir/pwfile"
    # A port taken between free_port and the server's start: try another.
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off ${PG_CLUSTER_OPTIONS:-}" start >/dev/null; then
            break
        fi
        [[ $attempt -eq 5 ]] && die "the server did not start, see $dir/server.log"
    done
    echo "$port" >"$dir/port"
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U "$user" "$database" ||
        die "createdb failed, see $dir/server.log"
    echo "postgresql://$user:$password@127.0.0.1:$port/$database"
    ;;
stop)
    [[ -d "$dir/data" ]] || die "no cluster in $dir"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
*)
    die "usage: pg_cluster.sh start|stop DIR"
    ;;
esac
