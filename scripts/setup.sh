#!/usr/bin/env bash
# Prepare this checkout for `make run` (mode: run) or `make test` (mode: test).
#
#   1. Debian packages listed in deploy/debian/packages.txt
#      (run -> purpose run; test -> purposes run + test)
#   2. .venv with exactly requirements.lock (hashes required), then vanthu itself
#
# Idempotent and silent when there is nothing to do; prints one line per step done.
# Environment: PYTHON (default python3) is the interpreter used to create .venv.
set -euo pipefail

mode=${1:-run}
case $mode in
    run) purposes=" run " ;;
    test) purposes=" run test " ;;
    *)
        echo "usage: $0 [run|test]" >&2
        exit 2
        ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
packages_file=deploy/debian/packages.txt
venv=.venv
stamp=$venv/.vanthu-installed

say() { echo "setup: $*"; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_answers() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# ---------------------------------------------------------------- packages --
wanted=()
while read -r name purpose _; do
    [[ -z $name || $name == \#* ]] && continue
    case $purpose in
        run | test) ;;
        *)
            echo "setup: $packages_file: package '$name' has unknown purpose '$purpose' (want run or test)" >&2
            exit 2
            ;;
    esac
    [[ $purposes == *" $purpose "* ]] && wanted+=("$name")
done < <(sed 's/#.*//' "$packages_file")

if ! command -v dpkg-query >/dev/null; then
    say "no dpkg-query (not Debian?); make sure these are installed: ${wanted[*]}" >&2
elif ((${#wanted[@]})); then
    installed=" $(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null |
        awk '$2 == "installed" { printf "%s ", $1 }' || true) "
    missing=()
    for pkg in "${wanted[@]}"; do
        [[ $installed == *" $pkg "* ]] && continue
        # A server from another install (docker, tarball, ...) is as good as ours.
        case $pkg in
            postgresql) port_answers 5432 && continue ;;
            rabbitmq-server) port_answers 5672 && continue ;;
            # Any kubectl will do, and Debian's package conflicts with others'.
            kubernetes-client) command -v kubectl >/dev/null && continue ;;
        esac
        missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        if [[ $(id -u) -ne 0 ]]; then
            echo "setup: missing Debian packages: ${missing[*]}" >&2
            echo "setup: install them, then run this again:" >&2
            echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
            exit 1
        fi
        say "installing Debian packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
fi

# -------------------------------------------------------------------- venv --
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)

# A .venv left half-made (e.g. python3-venv was missing) has no working pip.
if [[ -d $venv ]] && ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    say "removing broken $venv"
    rm -rf "$venv"
fi
if [[ ! -d $venv ]]; then
    python=${PYTHON:-python3}
    say "creating $venv with $python ($("$python" -c 'import sys; print(sys.version.split()[0])'))"
    "$python" -m venv "$venv"
fi

# What is installed is requirements.lock, every file checked against its hash
# (pip itself and the build backend included), then vanthu built from those
# pinned tools without fetching anything else. The stamp holds the digest of
# the lock and pyproject.toml: a change to either installs again.
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    say "installing requirements.lock into $venv (hashes required)"
    "${pip[@]}" install --require-hashes -r requirements.lock
    say "installing vanthu itself (editable, no dependencies of its own)"
    "${pip[@]}" install --no-deps --no-build-isolation -e .
    read -r -a extra <<<"$("$venv/bin/python" scripts/check_lock.py --extra)"
    if ((${#extra[@]})); then
        say "removing what the lock does not name: ${extra[*]}"
        "${pip[@]}" uninstall -y "${extra[@]}"
    fi
    echo "$want" >"$stamp"
fi

# Someone may have run `pip install` by hand since: say so before anything runs.
if ! "$venv/bin/python" scripts/check_lock.py; then
    [[ $mode == test ]] && exit 1
    say "going on anyway (make run); make test refuses to run on these packages" >&2
fi
