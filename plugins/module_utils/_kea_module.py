# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection options every keadhcp.ha module shares, and their HTTP transport.

Documented once in the doc fragment ``keadhcp.ha.connection``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.urls import open_url

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_api import Connection, KeaError


# The options that say where and how to reach a server: given one by one, or together as ``control``.
CONTROL_KEYS = ("url", "socket", "service", "user", "password", "password_file", "ca_path", "client_cert",
                "client_key")


def _reach_options():
    return dict(
        url=dict(type="str"),
        socket=dict(type="path"),
        service=dict(type="list", elements="str"),
        user=dict(type="str"),
        password=dict(type="str", no_log=True),
        password_file=dict(type="path", no_log=False),
        ca_path=dict(type="path"),
        client_cert=dict(type="path"),
        client_key=dict(type="path", no_log=False),
    )


def connection_argument_spec():
    """Options to reach a Kea server; merge into a module's own argument spec."""
    spec = _reach_options()
    spec.update(
        # the same, as one object: what the keadhcp.ha plan and the local fact keadhcp_ha give for each server
        control=dict(type="dict", options=_reach_options(),
                     mutually_exclusive=[("url", "socket"), ("password", "password_file")],
                     required_one_of=[("url", "socket")], required_together=[("client_cert", "client_key")]),
        validate_certs=dict(type="bool", default=True),
        timeout=dict(type="int", default=10),
    )
    return spec


CONNECTION_RULES = dict(
    # control and the options it holds are never mixed: a default from one and a value from the other would
    # reach a server with another server's credentials
    mutually_exclusive=[("url", "socket"), ("password", "password_file")] + [("control", key) for key in CONTROL_KEYS],
    required_one_of=[("url", "socket", "control")],
    required_together=[("client_cert", "client_key")],
)


# What the usual TLS failures mean, in the words of this collection's options.
TLS_HINTS = (
    ("CERTIFICATE_VERIFY_FAILED", "the server's certificate is not signed by a CA in ca_path, "
                                  "or does not name the address of the URL"),
    ("ALERT_UNKNOWN_CA", "the server does not trust the CA of our client certificate (client_cert)"),
    ("CERTIFICATE_REQUIRED", "the server requires a client certificate: set client_cert and client_key"),
    ("ALERT_HANDSHAKE_FAILURE", "the server refused the TLS handshake; it may require a client certificate"),
    ("WRONG_VERSION_NUMBER", "the server does not speak TLS on this port: use http://"),
)


def explain(reason):
    """``reason`` with what it means when it is a known TLS failure."""
    text = str(reason)
    for marker, hint in TLS_HINTS:
        if marker in text:
            return "%s (%s)" % (text, hint)
    return text


def http_opener(url, data, headers, timeout, tls):
    """POST with Ansible's open_url; (status, body), or KeaError when unreachable."""
    try:
        response = open_url(url, data=data, headers=headers, method="POST", timeout=timeout,
                            validate_certs=tls.get("validate_certs", True), ca_path=tls.get("ca_path"),
                            client_cert=tls.get("client_cert"), client_key=tls.get("client_key"),
                            follow_redirects="none")
        return response.getcode(), response.read()
    except HTTPError as exc:
        return exc.code, exc.read()
    except URLError as exc:
        raise KeaError("cannot reach %s: %s" % (url, explain(getattr(exc, "reason", exc))))
    except socket.timeout:
        raise KeaError("%s did not answer within %s s" % (url, timeout))
    except (IOError, OSError) as exc:
        raise KeaError("cannot reach %s: %s" % (url, explain(exc)))


def connection_from(params):
    """A Connection from a module's parameters (its ``control`` object, or the options one by one)."""
    if params.get("control"):
        params = dict(params, **dict((key, params["control"].get(key)) for key in CONTROL_KEYS))
    tls = dict(validate_certs=params["validate_certs"], ca_path=params["ca_path"],
               client_cert=params["client_cert"], client_key=params["client_key"])
    return Connection(url=params["url"], socket_path=params["socket"], service=params["service"],
                      user=params["user"], password=params["password"], password_file=params["password_file"],
                      timeout=params["timeout"], tls=tls, opener=http_opener)


def heartbeat_prober(timeout, opener=http_opener):
    """``heartbeat(endpoint, server_name)`` over HTTP(S), as a partner sends it: ``(True, arguments)`` (Kea's answer:
    ``state``, ``date-time``...) when the HA listener answered, ``(False, reason)`` otherwise."""
    def heartbeat(endpoint, server_name):
        tls = dict(endpoint["tls"], validate_certs=True)
        try:
            conn = Connection(url=endpoint["url"], user=endpoint["user"], password=endpoint["password"],
                              password_file=endpoint["password_file"], timeout=timeout, tls=tls, opener=opener)
            answer = conn.command("ha-heartbeat", {"server-name": server_name}, allow_empty=False)
        except KeaError as exc:
            return False, str(exc)
        return True, answer.get("arguments") or {}
    return heartbeat


def partner_reader(timeout, opener=http_opener):
    """``read(endpoint, command, subnet_ids)``: a lease listing of a partner through its HA listener, as its partner
    asks (its certificates and credentials); the leases, or LookupError with the reason."""
    def read(endpoint, command, subnet_ids):
        tls = dict(endpoint["tls"], validate_certs=True)
        try:
            conn = Connection(url=endpoint["url"], user=endpoint["user"], password=endpoint["password"],
                              password_file=endpoint["password_file"], timeout=timeout, tls=tls, opener=opener)
            answer = conn.command(command, {"subnets": list(subnet_ids)}, allow_empty=True)
        except KeaError as exc:
            raise LookupError("cannot read the partner's leases at %s: %s" % (endpoint["url"], exc))
        return (answer.get("arguments") or {}).get("leases") or []
    return read
