#!/usr/bin/env bash
# Make sure the servers the test suite needs answer on 127.0.0.1:
#
#   PostgreSQL  127.0.0.1:5432, reachable as $VANTHU_TEST_POSTGRES_URL
#               (default postgresql://vanthu:vanthu@127.0.0.1:5432/postgres;
#               the role vanthu/vanthu LOGIN CREATEDB is created when missing)
#   RabbitMQ    127.0.0.1:5672, and a working `rabbitmqctl` (tests add vhosts)
#
# Starts what is installed but not running (scripts/setup.sh test installs it).
# Never stops anything. Idempotent; prints one line per thing it did.
set -euo pipefail

# rabbitmqctl, rabbitmq-server and runuser live in /usr/sbin, which is not on
# a Debian user's PATH.
export PATH="$PATH:/usr/sbin:/sbin"

default_url=postgresql://vanthu:vanthu@127.0.0.1:5432/postgres
url=${VANTHU_TEST_POSTGRES_URL:-$default_url}
is_root=false
[[ $(id -u) -eq 0 ]] && is_root=true

say() { echo "test-services: $*"; }
die() {
    echo "test-services: ERROR: $*" >&2
    exit 1
}

port_answers() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

wait_port() { # port seconds
    local i
    for ((i = 0; i < $2; i++)); do
        port_answers "$1" && return 0
        sleep 1
    done
    port_answers "$1"
}

# Run a command with its output in a temporary log, shown only on failure.
# Daemons started this way do not inherit our stdout/stderr (which would keep
# a CI log pipe open after the tests finish).
quietly() {
    local log rc=0
    log=$(mktemp)
    "$@" </dev/null >"$log" 2>&1 || rc=$?
    ((rc == 0)) || cat "$log" >&2
    rm -f "$log"
    return "$rc"
}

# ============================================================== PostgreSQL ==

if ! port_answers 5432; then
    command -v pg_ctlcluster >/dev/null ||
        die "nothing answers on 127.0.0.1:5432 and PostgreSQL is not installed; run scripts/setup.sh test"
    # shellcheck disable=SC2012  # version directories: plain names
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | head -1)
    if [[ -z $version || ! -d /etc/postgresql/$version/main ]]; then
        # shellcheck disable=SC2012
        version=${version:-$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)}
        [[ -n $version ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql; run scripts/setup.sh test"
        $is_root || die "no PostgreSQL cluster exists; create and start one: sudo pg_createcluster --start $version main"
        say "creating PostgreSQL cluster $version/main"
        quietly pg_createcluster "$version" main || die "pg_createcluster $version main failed"
    fi
    say "starting PostgreSQL $version/main"
    quietly pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
        die "could not start PostgreSQL $version/main$($is_root || echo '; try: sudo pg_ctlcluster '"$version"' main start')"
    wait_port 5432 60 ||
        die "PostgreSQL $version/main started but 127.0.0.1:5432 does not answer after 60 s (is the cluster on another port? see pg_lsclusters and /var/log/postgresql/postgresql-$version-main.log)"
fi

command -v psql >/dev/null || die "psql not found; run scripts/setup.sh test"

# psql against $1 with the remaining arguments; never prompts for a password.
url_psql() {
    local u=$1
    shift
    PGCONNECT_TIMEOUT=5 psql "$u" -X -w -q -A -t -v ON_ERROR_STOP=1 "$@"
}

# A superuser connection, if we can get one: as the postgres OS user (peer
# auth over the socket) when root, else as the postgres role over TCP (works
# when 127.0.0.1 has trust auth).
admin=()
if $is_root && id -u postgres >/dev/null 2>&1; then
    admin=(runuser -u postgres -- psql -X -w -q -A -t -v ON_ERROR_STOP=1 -p 5432 -d postgres)
    (cd / && "${admin[@]}" -c 'select 1') >/dev/null 2>&1 || admin=()
fi
if ((${#admin[@]} == 0)); then
    admin=(env PGCONNECT_TIMEOUT=5 psql -X -w -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U postgres -d postgres)
    (cd / && "${admin[@]}" -c 'select 1') >/dev/null 2>&1 || admin=()
fi
admin_psql() { (cd / && "${admin[@]}" "$@"); }

if [[ $url == "$default_url" ]]; then
    ok=$(url_psql "$url" -c "select rolcreatedb from pg_roles where rolname = current_user" 2>/dev/null || true)
    if [[ $ok != t ]]; then
        ((${#admin[@]})) || die "cannot connect as $url and cannot create the role vanthu (not root, no trust auth for postgres on 127.0.0.1).
  Either create it:  sudo -u postgres psql -c \"CREATE ROLE vanthu LOGIN CREATEDB PASSWORD 'vanthu'\"
  or point the tests at a database you can use: export VANTHU_TEST_POSTGRES_URL=postgresql://USER:PASSWORD@127.0.0.1:5432/postgres"
        exists=$(admin_psql -c "select 1 from pg_roles where rolname = 'vanthu'")
        admin_psql -c "DO \$\$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vanthu') THEN CREATE ROLE vanthu; END IF;
            END \$\$" \
            -c "ALTER ROLE vanthu LOGIN CREATEDB PASSWORD 'vanthu'" >/dev/null
        if [[ $exists == 1 ]]; then
            say "reset PostgreSQL role vanthu (LOGIN CREATEDB, password vanthu)"
        else
            say "created PostgreSQL role vanthu (LOGIN CREATEDB, password vanthu)"
        fi
    fi

    # The role is right; if 127.0.0.1 still refuses it, pg_hba.conf is the cause
    # (Debian's default allows passwords from 127.0.0.1, but a tuned one may not).
    if ! url_psql "$url" -c 'select 1' >/dev/null 2>&1 && $is_root && ((${#admin[@]})); then
        hba=$(admin_psql -c 'show hba_file')
        if [[ -f $hba ]] && ! grep -q '^host[[:space:]]\+all[[:space:]]\+vanthu[[:space:]]\+127\.0\.0\.1/32' "$hba"; then
            # First match wins in pg_hba.conf, so put ours on top. md5 also
            # accepts SCRAM-encrypted passwords.
            sed -i '1i host all vanthu 127.0.0.1/32 md5  # added by vanthu scripts/test-services.sh' "$hba"
            admin_psql -c 'select pg_reload_conf()' >/dev/null
            say "allowed password login for vanthu from 127.0.0.1 in $hba"
        fi
    fi
fi

if ! err=$(url_psql "$url" -c 'select 1' 2>&1 >/dev/null); then
    die "PostgreSQL does not accept $url:
  ${err:-(no message)}
  Fix the role/password/pg_hba.conf, or set VANTHU_TEST_POSTGRES_URL to a URL that works."
fi

# ================================================================ RabbitMQ ==

if ! port_answers 5672; then
    command -v rabbitmq-server >/dev/null ||
        die "nothing answers on 127.0.0.1:5672 and RabbitMQ is not installed; run scripts/setup.sh test"
    say "starting RabbitMQ (rabbitmq-server -detached)"
    quietly rabbitmq-server -detached ||
        die "rabbitmq-server -detached failed$($is_root || echo '; try: sudo rabbitmq-server -detached')"
    wait_port 5672 90 ||
        die "RabbitMQ did not answer on 127.0.0.1:5672 within 90 s (see /var/log/rabbitmq/)"
    quietly timeout 90 rabbitmqctl -q await_startup || die "rabbitmqctl await_startup failed"
fi

command -v rabbitmqctl >/dev/null || die "rabbitmqctl not found; the tests create vhosts with it"
if ! err=$(rabbitmqctl -q list_vhosts 2>&1 </dev/null); then
    err=$(grep -v '^[[:space:]]*$' <<<"$err" | tail -n 3)
    die "\`rabbitmqctl list_vhosts\` does not work, and the tests create vhosts with rabbitmqctl:
  ${err//$'\n'/$'\n  '}
  On Debian only root and the rabbitmq user may run it; run the tests as root, or as rabbitmq."
fi
