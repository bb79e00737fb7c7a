#!/usr/bin/env bash
# The collection's documentation tools, run from their own virtualenv
# (build/docs-venv, from requirements-docs.txt) on a copy of the collection
# laid out as ansible_collections/keadhcp/ha (build/docs-src), holding exactly
# the files git knows about: none of the checkout's build/ (virtualenvs), which
# took antsibull-docs minutes to copy through build/collections' link.
#
#   scripts/docs.sh lint        antsibull-docs lint-collection-docs (plugins, modules,
#                               roles' argument specs, docs/ references) and
#                               antsibull-changelog lint
#   scripts/docs.sh site        the HTML site in build/docs/build/html
#   scripts/docs.sh changelog   build/changelog/CHANGELOG.rst: the changelog as it
#                               will read once the fragments are released as $VERSION
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/build/docs-venv"
src="$root/build/docs-src"
copy="$src/ansible_collections/keadhcp/ha"
python=${PYTHON:-python3}

if [ ! -x "$venv/bin/antsibull-docs" ] || [ "$root/requirements-docs.txt" -nt "$venv/.installed" ]; then
    rm -rf "$venv"
    mkdir -p "$root/build"
    {
        "$python" -m venv "$venv" &&
            "$venv/bin/pip" install --quiet --upgrade pip &&
            "$venv/bin/pip" install --quiet -r "$root/requirements-docs.txt"
    } >"$root/build/docs-venv.log" 2>&1 || {
        cat "$root/build/docs-venv.log"
        exit 1
    }
    touch "$venv/.installed"
fi
export PATH="$venv/bin:$PATH"

rm -rf "$src"
mkdir -p "$copy"
# Tracked files and new ones git does not ignore, less deleted files and
# untracked links to directories (a worktree's .venv).
(cd "$root" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$root" && while IFS= read -r -d '' f; do [ -e "$f" ] && [ ! -d "$f" ] && printf '%s\0' "$f"; done) |
    (cd "$root" && xargs -0 cp --parents -t "$copy")
# A repository of its own: inside the checkout's, where build/ is ignored,
# antsibull-docs (which asks git what to copy) would see no file of the copy.
(cd "$copy" && git init -q && git add -A >/dev/null)
# Only the copy: not the checkout's link in build/collections, nor ~/.ansible.
export ANSIBLE_COLLECTIONS_PATH="$src"
export ANSIBLE_CONFIG="$copy/ansible.cfg"

case "${1:-}" in
    lint)
        # References to ansible.builtin and to this collection are checked;
        # those to collections it does not depend on (community.docker, in
        # the lab filter's docs) are only text.
        antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs=dependent \
            --check-extra-docs-refs "$copy"
        (cd "$root" && antsibull-changelog lint)
        ;;
    site)
        dest="$root/build/docs"
        rm -rf "$dest"
        mkdir -p "$dest"
        antsibull-docs sphinx-init --use-current --fail-on-error --lenient --dest-dir "$dest" \
            --project keadhcp.ha --title "keadhcp.ha" keadhcp.ha
        # build.sh: the RST of every plugin, module and role into rst/, then
        # sphinx-build. Sphinx warns that it cannot reach docs.ansible.com for
        # the links into Ansible's own docs (those stay plain text).
        "$dest/build.sh"
        echo "docs: $dest/build/html/index.html"
        ;;
    changelog)
        # The release is made in the copy only: the checkout keeps its fragments
        # and its changelog.yaml, in which nothing is released yet.
        version=${VERSION:-$(sed -n 's/^version: *//p' "$copy/galaxy.yml")}
        (cd "$copy" && antsibull-changelog release --version "$version" >/dev/null)
        mkdir -p "$root/build/changelog"
        cp "$copy/CHANGELOG.rst" "$root/build/changelog/CHANGELOG.rst"
        echo "changelog: $root/build/changelog/CHANGELOG.rst (release $version as it would be)"
        ;;
    *)
        echo "usage: $0 lint|site|changelog" >&2
        exit 2
        ;;
esac
