#!/usr/bin/env python
# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""galaxy-importer as Galaxy runs it, without the fixed bound on its ansible-lint call.

Run by scripts/galaxy-import.sh with build/galaxy-venv's Python, with the
importer's own arguments: ``galaxy_importer_unbounded.py TARBALL``.

The importer gives its ansible-lint run 180 s (``communicate(timeout=180)``
in galaxy_importer/loaders/collection.py) and logs "Timeout on call to
ansible-lint" past it. On Galaxy's servers that bound measures their load;
here it measured ours: on a two-core machine with `make lint` and the image
build beside it, the same lint took over 180 s and a correct collection
failed. Everything else is the importer's own code: the same ansible-lint,
the same command line, the same reading of its output into warnings and
errors. Only the wait has no end of its own; how long the lint took is
printed, so that a collection that became slow to lint is still seen.

If the importer no longer calls ansible-lint this way, this script stops
with a message instead of quietly running the importer with its bound.
"""

import runpy
import subprocess
import sys
import time

from galaxy_importer.loaders import collection as loader

LINT_BOUND_ON_GALAXY = 180  # seconds: the importer's own bound, on Galaxy's machines


class UnboundedPopen(subprocess.Popen):
    """subprocess.Popen whose communicate() waits for the process, whatever timeout it is given."""

    def communicate(self, *args, **kwargs):
        kwargs.pop("timeout", None)
        started = time.monotonic()
        try:
            return super().communicate(*args, **kwargs)
        finally:
            if "ansible-lint" in (self.args if isinstance(self.args, (list, tuple)) else [self.args]):
                took = time.monotonic() - started
                print("galaxy-importer: its ansible-lint took %.0f s (Galaxy's own servers give it %d s)"
                      % (took, LINT_BOUND_ON_GALAXY), flush=True)


def main():
    if getattr(loader, "Popen", None) is not subprocess.Popen:
        sys.exit("galaxy_importer_unbounded.py: galaxy_importer.loaders.collection no longer runs ansible-lint "
                 "through subprocess.Popen; look at how it bounds the lint now before running it on a busy machine")
    loader.Popen = UnboundedPopen
    runpy.run_module("galaxy_importer.main", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
