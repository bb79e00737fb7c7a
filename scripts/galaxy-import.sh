#!/usr/bin/env bash
# Galaxy's own import checks (galaxy-importer, from PyPI, in build/galaxy-venv)
# on the tarball `make build` made: metadata, docs through ansible-doc,
# ansible-lint. Its settings: tests/galaxy/importer.cfg.
#
# The importer runs through scripts/galaxy_importer_unbounded.py: its own code,
# except that its ansible-lint call is not killed after a fixed 180 s, a bound
# that measures the machine's load, not the collection (on two busy cores the
# lint took longer and a correct collection failed). How long that lint took
# is printed.
#
# The importer can report an ERROR and still exit 0: any ERROR line of its log
# (build/galaxy/import.log) fails this script, and so does a WARNING that is
# not in tests/galaxy/allowed-warnings.txt (one extended regular expression a line).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/build/galaxy-venv"
work="$root/build/galaxy"
python=${PYTHON:-python3}
version=$(sed -n 's/^version: *//p' "$root/galaxy.yml")
tarball="$root/build/dist/keadhcp-ha-$version.tar.gz"
# The molecule scenarios (extensions/molecule, in the tarball) use community.docker
# and ansible.utils, which the importer's ansible-lint resolves from the `ansible`
# package, as in .venv (requirements.txt); the collection itself needs neither.
spec="galaxy-importer>=0.4.44,<0.5 ansible>=12,<13"

if [ "$(cat "$venv/.installed" 2>/dev/null)" != "$spec" ]; then
    read -r -a requirements <<<"$spec"
    rm -rf "$venv"
    mkdir -p "$root/build"
    {
        "$python" -m venv "$venv" &&
            "$venv/bin/pip" install --quiet --upgrade pip &&
            "$venv/bin/pip" install --quiet "${requirements[@]}"
    } >"$root/build/galaxy-venv.log" 2>&1 || {
        cat "$root/build/galaxy-venv.log"
        exit 1
    }
    echo "$spec" >"$venv/.installed"
fi
test -f "$tarball" || {
    echo "galaxy-import: no $tarball (make build)" >&2
    exit 2
}

rm -rf "$work"
mkdir -p "$work"
cd "$work"
# ansible-doc and ansible-lint are found on PATH: the importer's own. Without
# the checkout's ansible.cfg (which Makefile exports), they see the tarball's
# collection only, not the checkout's link in build/collections.
status=0
env -u ANSIBLE_CONFIG PATH="$venv/bin:$PATH" GALAXY_IMPORTER_CONFIG="$root/tests/galaxy/importer.cfg" \
    "$venv/bin/python" "$root/scripts/galaxy_importer_unbounded.py" "$tarball" >import.log 2>&1 || status=$?
allowed=$(grep -v '^#' "$root/tests/galaxy/allowed-warnings.txt" | grep . || true)
errors=$(grep -wE 'ERROR|CRITICAL' import.log || true)
warnings=$(grep -E '^WARNING' import.log | { if [ -n "$allowed" ]; then grep -vE -f <(echo "$allowed"); else cat; fi; } || true)
if [ "$status" -ne 0 ] || [ -n "$errors" ] || [ -n "$warnings" ]; then
    [ -z "$errors$warnings" ] || printf '%s\n' "$errors" "$warnings" | grep .
    echo "galaxy-import: FAILED (exit $status; log: ${work#"$root"/}/import.log)"
    exit 1
fi
grep -h '^galaxy-importer: its ansible-lint took' import.log || true
echo "galaxy-import: ok, ${tarball#"$root"/} accepted ($(grep -c '^WARNING' import.log) allowed warnings; log: ${work#"$root"/}/import.log)"
