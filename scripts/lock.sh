#!/usr/bin/env bash
# Re-resolve requirements.lock from pyproject.toml (`make lock`).
#
# The lock pins every Python distribution vanthu installs — the application's
# dependencies, the `dev` extra (test and lint tools, uv itself) and the build
# backend named in [build-system] — to one version with the sha256 of every
# file PyPI has for it. scripts/setup.sh installs it with hashes required, and
# so does the Dockerfile. It is resolved by uv (`uv pip compile`), which writes
# the requirements format plain pip reads, for Linux/macOS/Windows and every
# Python >= 3.11 at once (--universal), so one lock serves every machine.
#
# Without arguments every package moves to the newest version pyproject.toml
# allows (--upgrade). `scripts/lock.sh --keep` changes only what pyproject.toml
# now requires and keeps every other pin (after adding a dependency, say).
# UV_EXCLUDE_NEWER=2026-11-22T00:00:00Z resolves as of that moment (uv's own
# setting): how a lock of a past day is made again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

uv=.venv/bin/uv
if [[ ! -x $uv ]]; then
    command -v uv >/dev/null || {
        echo "lock: no $uv (run scripts/setup.sh test first) and no uv on the PATH" >&2
        exit 1
    }
    uv=uv
fi

upgrade=(--upgrade)
case ${1:-} in
    "") ;;
    --keep) upgrade=() ;;
    *)
        echo "usage: $0 [--keep]" >&2
        exit 2
        ;;
esac

# The build backend, read from pyproject.toml (pip builds vanthu itself
# without isolation, from these pinned copies), and pip itself.
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
python3 - >"$build/build-system.txt" <<'PY'
import tomllib
with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["build-system"]["requires"]))
print("pip")
PY

pins() { grep -E '^[A-Za-z0-9][^ ]*==' "$1" 2>/dev/null | cut -d' ' -f1 | sort || true; }
before=$(pins requirements.lock)

# Relative input path: the files' headers and annotations name no temporary folder.
cp "$build/build-system.txt" ./.build-system.in
trap 'rm -rf "$build" ./.build-system.in' EXIT
compile() { # output, then extra arguments
    local output=$1
    shift
    UV_CUSTOM_COMPILE_COMMAND="make lock" "$uv" pip compile \
        pyproject.toml .build-system.in "$@" \
        --universal --python-version 3.11 \
        --generate-hashes \
        --quiet --output-file "$output"
    sed -i 's|-r \.build-system\.in|build-system (pyproject.toml), pip|' "$output"
}
# Everything, for development, tests and CI; then the services alone (the
# image), held to the same versions and files by the first.
compile requirements.lock --extra dev "${upgrade[@]}"
compile requirements-run.lock --constraint requirements.lock --upgrade
sed -i '/^    #   -c requirements\.lock$/d' requirements-run.lock

echo "lock: requirements.lock pins $(pins requirements.lock | wc -l) distributions," \
    "requirements-run.lock $(pins requirements-run.lock | wc -l) of them (the image)"
after=$(pins requirements.lock)
moved=$({ diff <(echo "$before") <(echo "$after") || true; } | sed -n 's/^[<>] //p' |
    awk -F'==' '{ v[$1] = v[$1] ? v[$1] " -> " $2 : $2 } END { for (n in v) print "  " n " " v[n] }' | sort)
if [[ -n $moved ]]; then
    echo "lock: what moved (old -> new; one version alone: added or removed):"
    echo "$moved"
else
    echo "lock: no version moved"
fi
