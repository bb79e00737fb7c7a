# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""TLS failures are explained in the words of the modules' options."""

import ssl

import pytest

from ansible.module_utils.six.moves.urllib.error import URLError

from ansible_collections.keadhcp.ha.plugins.module_utils import _kea_module
from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import KeaError

# Reasons as Python's ssl module words them (seen against Kea 3.0.4).
UNTRUSTED_SERVER = ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                    "unable to get local issuer certificate (_ssl.c:1127)")
UNTRUSTED_CLIENT = "[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca (_ssl.c:2768)"


@pytest.mark.parametrize("reason, hint", [
    (UNTRUSTED_SERVER, "the server's certificate is not signed by a CA in ca_path, or does not name the address of the URL"),
    (UNTRUSTED_CLIENT, "the server does not trust the CA of our client certificate (client_cert)"),
    ("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)", "the server does not speak TLS on this port: use http://"),
])
def test_tls_failures_say_what_to_fix(monkeypatch, reason, hint):
    def refuse(*args, **kwargs):
        raise URLError(ssl.SSLError(1, reason))

    monkeypatch.setattr(_kea_module, "open_url", refuse)
    with pytest.raises(KeaError) as caught:
        _kea_module.http_opener("https://10.0.0.2:8001/", b"{}", {}, 5, {})
    assert str(caught.value) == "cannot reach https://10.0.0.2:8001/: %s (%s)" % (reason, hint)


def test_other_failures_are_left_as_they_are(monkeypatch):
    def refuse(*args, **kwargs):
        raise URLError(ConnectionRefusedError(111, "Connection refused"))

    monkeypatch.setattr(_kea_module, "open_url", refuse)
    with pytest.raises(KeaError, match=r"^cannot reach http://127.0.0.1:8000/: \[Errno 111\] Connection refused$"):
        _kea_module.http_opener("http://127.0.0.1:8000/", b"{}", {}, 5, {})


ENDPOINT = {"url": "https://10.0.2.2:8001/", "user": "ha-central", "password": None, "password_file": None,
            "tls": {"ca_path": "/etc/kea/tls/ca.pem", "client_cert": "/etc/kea/tls/cert.pem",
                    "client_key": "/etc/kea/tls/key.pem"}}


def test_a_partner_s_leases_are_read_as_kea_s_lease_sync_asks_for_them():
    import json
    seen = {}

    def opener(url, data, headers, timeout, tls):
        seen.update(url=url, body=json.loads(data), tls=tls, timeout=timeout)
        return 200, json.dumps([{"result": 0, "arguments": {"leases": [{"ip-address": "10.0.2.100"}]}}]).encode()

    read = _kea_module.partner_reader(10, opener=opener)
    assert read(ENDPOINT, "lease4-get-all", [2, 3]) == [{"ip-address": "10.0.2.100"}]
    assert seen["body"] == {"command": "lease4-get-all", "arguments": {"subnets": [2, 3]}}
    assert seen["url"] == "https://10.0.2.2:8001/" and seen["tls"]["client_cert"] == "/etc/kea/tls/cert.pem"


def test_a_partner_that_cannot_be_read_is_a_lookup_error_with_the_reason():
    def opener(url, data, headers, timeout, tls):
        raise KeaError("cannot reach %s: [Errno 111] Connection refused" % url)

    with pytest.raises(LookupError) as info:
        _kea_module.partner_reader(10, opener=opener)(ENDPOINT, "lease6-get-all", [7])
    assert str(info.value) == ("cannot read the partner's leases at https://10.0.2.2:8001/: cannot reach "
                               "https://10.0.2.2:8001/: [Errno 111] Connection refused")
