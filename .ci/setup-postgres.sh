# Sourced by .ci/run (venv active): a throwaway PostgreSQL server on loopback for the tests
# that run the archive against PostgreSQL. Installs Debian's postgresql when missing, makes a
# cluster in a temp dir (trust auth, fsync off: the data is thrown away), starts it on a free
# 127.0.0.1 port, creates database sxworker_test and exports
#   SXWORKER_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/sxworker_test
# Idempotent: a server already named by SXWORKER_TEST_PG_URL that answers is reused. The
# server is stopped when the sourcing shell exits. Runs as root (the server itself then runs
# as the postgres user: postgres refuses root) or as a user with sudo for the install.
# shellcheck shell=bash

_sxworker_pg_bindir() {
    local dir
    # The newest installed major version.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

_sxworker_pg_install() {
    local sudo=""
    if [ "$(id -u)" != "0" ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
            echo "setup-postgres: need root or sudo to install postgresql" >&2
            return 1
        fi
    fi
    # No default "main" cluster: this script makes its own, in a temp dir.
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
        $sudo mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
    if [ -z "${_SXWORKER_APT_UPDATED:-}" ]; then
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
        _SXWORKER_APT_UPDATED=1
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql
}

_sxworker_pg_start() {
    local bindir dir port as_pg=()
    if [ -n "${SXWORKER_TEST_PG_URL:-}" ] && [ -n "${_SXWORKER_PG_PORT:-}" ] \
        && bindir="$(_sxworker_pg_bindir)" \
        && "$bindir/pg_isready" -q -h 127.0.0.1 -p "$_SXWORKER_PG_PORT"; then
        echo "setup-postgres: reusing the server on port $_SXWORKER_PG_PORT" >&2
        return 0
    fi
    if ! bindir="$(_sxworker_pg_bindir)"; then
        echo "setup-postgres: installing postgresql" >&2
        _sxworker_pg_install || return 1
        bindir="$(_sxworker_pg_bindir)" || { echo "setup-postgres: no initdb after install" >&2; return 1; }
    fi
    dir="$(mktemp -d "${TMPDIR:-/tmp}/sxworker-pg.XXXXXX")" || return 1
    if [ "$(id -u)" = "0" ]; then
        chown postgres: "$dir"
        as_pg=(runuser -u postgres --)
    fi
    chmod 700 "$dir"
    port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    # Run from the cluster's folder: the postgres user may not be able to read the cwd.
    (
        cd "$dir" || exit 1
        "${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync \
            >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
        "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
            "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
        "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres sxworker_test
    ) || { echo "setup-postgres: could not start PostgreSQL in $dir" >&2; return 1; }
    _SXWORKER_PG_DIR="$dir"
    _SXWORKER_PG_PORT="$port"
    _SXWORKER_PG_STOP="cd / && ${as_pg[*]} $bindir/pg_ctl -D $dir/data -m immediate stop >/dev/null 2>&1; rm -rf $dir"
    export SXWORKER_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/sxworker_test"
    echo "setup-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
    # Stop it when the shell that sourced this exits, after any EXIT trap already set.
    local previous
    previous="$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")"
    # shellcheck disable=SC2064
    trap "${previous:+$previous; }( $_SXWORKER_PG_STOP )" EXIT
}

_sxworker_pg_start
unset -f _sxworker_pg_bindir _sxworker_pg_install _sxworker_pg_start
