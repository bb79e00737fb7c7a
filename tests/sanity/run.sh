#!/usr/bin/env bash
# ansible-test sanity on a copy of the collection laid out where ansible-test
# wants it (ansible_collections/keadhcp/ha).
#
# ansible-test runs --local from a virtualenv of its own (build/sanity-venv)
# and installs its pinned requirements there from PyPI. For the tests that get
# their own virtualenvs, it downloads a pip bootstrap script from a host outside
# the package index, which this project cannot reach: its cache is seeded with
# get_pip_standin.py, which bootstraps pip from ensurepip instead.
#
# By default it tests with requirements.txt's ansible-core; scripts/matrix.sh
# runs it once per ansible-core line with these set:
#   SANITY_VENV       the virtualenv of ansible-test (build/sanity-venv)
#   SANITY_CORE_SPEC  what to pip install there (requirements.txt's ansible-core line)
#   SANITY_PYTHON     the Python that creates it ($PYTHON, else python3)
#   SANITY_DEST       where the copy of the collection goes (build/sanity)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dest="${SANITY_DEST:-$root/build/sanity}/ansible_collections/keadhcp/ha"
venv="${SANITY_VENV:-$root/build/sanity-venv}"
python=${SANITY_PYTHON:-${PYTHON:-python3}}
core_spec=${SANITY_CORE_SPEC:-$(grep -E '^ansible-core' "$root/requirements.txt")}
# What the virtualenv was built from: built again when either changes.
stamp="$core_spec $("$python" -c 'import sys; print(sys.version.split()[0])')"

# ansible-test skips the shell scripts when the linter for them (a Debian
# package, not a Python one) is missing.
"$root/scripts/apt-install.sh" shellcheck

if [ ! -x "$venv/bin/ansible-test" ] || [ "$(cat "$venv/.built-from" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet "$core_spec"
    echo "$stamp" >"$venv/.built-from"
fi

pip_version=$("$venv/bin/python" - <<'PY'
import re, ansible_test, os
path = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
print(re.search(r"pip='([0-9.]+)'", open(path).read()).group(1))
PY
)
cache="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
if [ ! -s "$cache" ]; then
    mkdir -p "$(dirname "$cache")"
    cp "$root/tests/sanity/get_pip_standin.py" "$cache"
fi

rm -rf "$dest"
mkdir -p "$dest"
# Exactly the files git knows about (tracked, or new and not ignored), less
# those deleted from the working tree but not yet from the index, and untracked
# links to directories (a worktree's .venv).
(cd "$root" && git ls-files -z --cached --others --exclude-standard) \
    | (cd "$root" && while IFS= read -r -d '' f; do [ -e "$f" ] && [ ! -d "$f" ] && printf '%s\0' "$f"; done) \
    | (cd "$root" && xargs -0 cp --parents -t "$dest")
cd "$dest"
# A fresh repository, so that ansible-test sees exactly the copied files.
git init -q && git add -A >/dev/null
export PATH="$venv/bin:$PATH"
exec ansible-test sanity --local --requirements --python "$("$venv/bin/python" -c "import sys; print(\"%d.%d\" % sys.version_info[:2])")" --color no "$@"
