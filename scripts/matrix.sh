#!/usr/bin/env bash
# shellcheck disable=SC2317 # the steps are functions that step() calls
# The collection under every ansible-core line it claims: for each line, the
# unit tests, ansible-test sanity and the render playbook on the bundled
# example, each in a virtualenv of that line (build/matrix/<line>/).
#
#   scripts/matrix.sh [LINE...]     default: $VERSIONS, else 2.18 2.19 2.20 2.21
#
# One line of output per ansible-core line; the logs of each step are kept in
# build/matrix/<line>/*.log. Every line is tried; the exit status is non-zero
# when any step of any line failed. The rendered files of every line must be
# the same as those of the first line that rendered.
#
# The Python of each line is the first of its candidates found on PATH or in
# pyenv; MATRIX_PYTHON_2_21=/path/to/python (say) picks one by hand.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit
read -r -a versions <<<"${*:-${VERSIONS:-2.18 2.19 2.20 2.21}}"
export ANSIBLE_CONFIG="$root/ansible.cfg"

# The controller Pythons each line supports, the preferred first.
candidates() {
    case "$1" in
        2.16 | 2.17) echo 3.11 3.12 3.10 ;;
        2.18 | 2.19) echo 3.11 3.12 3.13 ;;
        2.20) echo 3.12 3.13 3.14 ;;
        *) echo 3.13 3.12 3.14 ;;
    esac
}

find_python() {
    local override="MATRIX_PYTHON_${1//./_}" minor found
    if [ -n "${!override:-}" ]; then
        echo "${!override}"
        return
    fi
    for minor in $(candidates "$1"); do
        # (pyenv's shims are on PATH for every version, working or not)
        if found=$(command -v "python$minor") && "$found" -c '' 2>/dev/null; then
            echo "$found"
            return
        fi
        for found in "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/"$minor".*/bin/python"$minor"; do
            if [ -x "$found" ]; then
                echo "$found"
                return
            fi
        done
    done
    return 1
}

# The packages the unit tests and the render playbook import, at
# requirements.txt's versions; ansible-core at the line under test.
requirements() {
    echo "ansible-core==$1.*"
    grep -E '^(jmespath|netaddr|pytest|hypothesis|prometheus-client)\b' "$root/requirements.txt"
}

# Runs "$@" with its output in a log; prints "<step> ok" or "<step> FAILED (<log>)".
step() {
    local name=$1 log=$2
    shift 2
    if "$@" >"$log" 2>&1; then
        echo "$name ok"
    else
        echo "$name FAILED (${log#"$root"/})"
        return 1
    fi
}

install() {
    local python=$1 venv=$2 spec=$3
    if [ -x "$venv/bin/ansible-playbook" ] && [ "$(cat "$venv/.built-from" 2>/dev/null)" = "$spec" ]; then
        return
    fi
    local requirements
    read -r -a requirements <<<"$spec"
    rm -rf "$venv"
    "$python" -m venv "$venv" &&
        "$venv/bin/pip" install --quiet --upgrade pip &&
        "$venv/bin/pip" install --quiet "${requirements[@]}" &&
        echo "$spec" >"$venv/.built-from"
}

unit() {
    "$1/bin/python" -m pytest -q tests/unit
}

render() {
    local venv=$1 out=$2
    rm -rf "$out"
    PATH="$venv/bin:$PATH" ansible-playbook -i examples/seed/inventory.yml playbooks/render.yml \
        -e kea_render_dir="$out" &&
        if [ -n "$reference" ]; then
            diff -r "$reference" "$out"
        fi
}

sanity() {
    SANITY_VENV="$2/sanity-venv" SANITY_CORE_SPEC="ansible-core==$1.*" SANITY_PYTHON="$3" \
        SANITY_DEST="$2/sanity" tests/sanity/run.sh
}

failed=0
reference=""
mkdir -p "$root/build/collections/ansible_collections/keadhcp"
ln -sfn ../../../.. "$root/build/collections/ansible_collections/keadhcp/ha"
for version in "${versions[@]}"; do
    dir="$root/build/matrix/$version"
    mkdir -p "$dir"
    start=$(date +%s)
    if ! python=$(find_python "$version"); then
        echo "matrix ansible-core $version: FAILED, no Python among $(candidates "$version") (PATH or pyenv)"
        failed=1
        continue
    fi
    py="python$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    spec=$(requirements "$version" | xargs)
    if ! result=$(step install "$dir/install.log" install "$python" "$dir/venv" "$spec"); then
        echo "matrix ansible-core $version.x $py: $result"
        failed=1
        continue
    fi
    core=$("$dir/venv/bin/python" -c 'from ansible.release import __version__; print(__version__)')
    results=()
    results+=("$(step unit "$dir/unit.log" unit "$dir/venv")") || failed=1
    results+=("$(step sanity "$dir/sanity.log" sanity "$version" "$dir" "$python")") || failed=1
    if results+=("$(step render "$dir/render.log" render "$dir/venv" "$dir/render")"); then
        reference=${reference:-$dir/render}
    else
        failed=1
    fi
    line="matrix ansible-core $core $py: ${results[0]}"
    for result in "${results[@]:1}"; do
        line+=", $result"
    done
    echo "$line ($(($(date +%s) - start)) s)"
done
exit "$failed"
