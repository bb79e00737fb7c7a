# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stand-in for the pip bootstrap script ansible-test downloads.

ansible-test creates pip-less virtualenvs and fills them by running a
``get-pip.py`` it downloads from a host this project's machines cannot reach.
run.sh seeds ansible-test's cache with this file instead: it bootstraps pip
from the interpreter's own ``ensurepip`` wheel, then installs what ansible-test
asked for from the package index, as get-pip.py would.

ansible-test runs pip with a scrubbed environment, so a machine whose TLS
trust comes from the environment (a CA bundle for an intercepting proxy) is
given the same trust through the virtualenv's own pip.conf.
"""

import ensurepip
import os
import subprocess
import sys

GET_PIP_ONLY = ("--no-setuptools", "--no-wheel")
BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")

bundle = next((path for path in BUNDLES if os.path.exists(path)), None)
env = dict(os.environ)
if bundle:
    env["REQUESTS_CA_BUNDLE"] = bundle
    with open(os.path.join(sys.prefix, "pip.conf"), "w") as conf:
        conf.write("[global]\ncert = %s\n" % bundle)

ensurepip.bootstrap()
args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args, env=env))
