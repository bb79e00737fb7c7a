# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ISC DHCP failover estates for the tests: a data centre and N stores, and what keama makes of each file.

``estate(n)`` writes nothing: it returns each host's ``dhcpd.conf`` and
``isc-dhcp-server`` texts, and ``translation`` what keama 4.4.3 (Debian's
isc-dhcp-keama) prints for each ``dhcpd.conf``, so that unit tests run
without keama; ``tests/integration/test_adopt_isc.py`` checks the real keama
prints the same. Store n has 10.n.0.0/24; every third store a shared network
of two subnets instead; every second store a printer with a reservation.
"""

import json

HEAD = """authoritative;
default-lease-time 3600;
option domain-name-servers 172.20.0.53;
"""
KEAMA_HEAD = ["  /// This configuration declares some subnets but has no interfaces-config",
              "  /// Reference Kea #245"]
NETWORKS = "  /// Kea shared-networks are different, cf Kea #236"


def _option(name, code, data):
    return {"space": "dhcp4", "name": name, "code": code, "data": data}


def _shared(n):
    return n % 3 == 0


def _printer(n):
    return n % 2 == 0


def _subnets(n):
    return ["10.%d.0.0" % n, "10.%d.1.0" % n] if _shared(n) else ["10.%d.0.0" % n]


def _subnet_text(n, prefix):
    base = prefix.rsplit(".", 1)[0]
    return ('subnet %s netmask 255.255.255.0 {\n  option routers %s.1;\n  pool {\n    failover peer "store%d";\n'
            '    range %s.100 %s.199;\n  }\n}\n' % (prefix, base, n, base, base))


def _store_text(n):
    text = "".join(_subnet_text(n, prefix) for prefix in _subnets(n))
    if _shared(n):
        text = "shared-network store%d-lan {\n%s}\n" % (n, text)
    if _printer(n):
        text += "host store%d-printer {\n  hardware ethernet 52:54:00:00:%02x:20;\n  fixed-address 10.%d.0.20;\n}\n" % (
            n, n, n)
    return text


def _peer(n, primary):
    return ('failover peer "store%d" {\n  %s;\n  address %s;\n  port %d;\n  peer address %s;\n  peer port %d;\n'
            '  max-response-delay 30;\n  max-unacked-updates 10;\n%s}\n'
            % (n, "primary" if primary else "secondary", "10.%d.0.2" % n if primary else "172.20.0.10",
               647 if primary else 847 + n, "172.20.0.10" if primary else "10.%d.0.2" % n,
               847 + n if primary else 647, "  mclt 1800;\n  split 128;\n" if primary else ""))


def estate(count):
    """``{host: {file name: text}}``: ``dc`` and ``store1`` .. ``storeN``."""
    hosts = {"dc": {"dhcpd.conf": "# the data centre\n" + HEAD + "".join(_peer(n, False) for n in range(1, count + 1))
                    + "".join(_store_text(n) for n in range(1, count + 1)),
                    "isc-dhcp-server": 'INTERFACESv4="wan0"\n'}}
    for n in range(1, count + 1):
        hosts["store%d" % n] = {"dhcpd.conf": "# store %d\n%s%s%s" % (n, HEAD, _peer(n, True), _store_text(n)),
                                "isc-dhcp-server": 'INTERFACESv4="lan0"\n'}
    return hosts


def _kea_subnet(ident, prefix):
    base = prefix.rsplit(".", 1)[0]
    return {"id": ident, "subnet": "%s/24" % prefix, "option-data": [_option("routers", 3, "%s.1" % base)],
            "pools": [{"pool": "%s.100 - %s.199" % (base, base)}]}


def _body(stores):
    body = {"authoritative": True, "valid-lifetime": 3600,
            "option-data": [_option("domain-name-servers", 6, "172.20.0.53")], "subnet4": []}
    ident = 0
    for n in stores:
        subnets = []
        for prefix in _subnets(n):
            ident += 1
            subnets.append(_kea_subnet(ident, prefix))
        if _printer(n):
            subnets[0]["reservations"] = [{"hostname": "store%d-printer" % n, "hw-address": "52:54:00:00:%02x:20" % n,
                                           "ip-address": "10.%d.0.20" % n}]
        if _shared(n):
            body.setdefault("shared-networks", []).append({"name": "store%d-lan" % n, "subnet4": subnets})
        else:
            body["subnet4"].extend(subnets)
    if not body["subnet4"]:
        del body["subnet4"]
    if any(_printer(n) for n in stores):
        body["host-reservation-identifiers"] = ["hw-address"]
    return body


def translation(count, host, edit=None):
    """What keama -4 -N prints for ``host``'s dhcpd.conf of ``estate(count)`` (``edit(body)`` changes it first)."""
    stores = list(range(1, count + 1)) if host == "dc" else [int(host[len("store"):])]
    body = _body(stores)
    if edit is not None:
        edit(body)
    networks = ["", NETWORKS] if "shared-networks" in body else []
    return "{\n%s\n  \"Dhcp4\": %s\n}\n" % ("\n".join(KEAMA_HEAD + networks), json.dumps(body, indent=2))


def counts(count):
    """What the estate holds: relationships, subnets, pools, options (at subnet level) and reservations."""
    subnets = sum(len(_subnets(n)) for n in range(1, count + 1))
    return {"relationships": count, "subnets": subnets, "pools": subnets, "options": subnets,
            "reservations": sum(1 for n in range(1, count + 1) if _printer(n))}
