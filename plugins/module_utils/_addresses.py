# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Address logic for the topology model: URLs, prefixes, pools, endpoints.

Pure functions over strings, built on netaddr. Each raises ``ValueError`` with a
short reason (no location): the caller knows which relationship, peer or
subnet it was looking at and prefixes that.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    import netaddr
except ImportError:  # pragma: no cover - reported by require_netaddr()
    netaddr = None


def require_netaddr():
    """Raise a clear error when netaddr is not installed on the controller."""
    if netaddr is None:
        raise ImportError("keadhcp.ha needs the Python package 'netaddr' on the controller (pip install netaddr)")


_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>\[[^\]]*\]|[^/:\[\]]*)(?::(?P<port>[^/]*))?(?P<path>/.*)?$")


_DIGITS = re.compile(r"^[0-9]+$")


class Endpoint(object):
    """An IP address and TCP port something listens on or connects to."""

    __slots__ = ("ip", "port")

    def __init__(self, ip, port):
        self.ip = ip
        self.port = port

    @property
    def wildcard(self):
        """True for 0.0.0.0 and ::, which a listener binds on every address."""
        return self.ip.value == 0

    def collides(self, other):
        """Whether two listeners on these endpoints cannot both bind."""
        if self.port != other.port:
            return False
        if self.ip == other.ip:
            return True
        # 0.0.0.0 takes every IPv4 address; :: takes every address (dual stack).
        for one, two in ((self, other), (other, self)):
            if one.wildcard and (one.ip.version == 6 or two.ip.version == 4):
                return True
        return False

    def __eq__(self, other):
        return isinstance(other, Endpoint) and self.ip == other.ip and self.port == other.port

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((int(self.ip), self.ip.version, self.port))

    def __str__(self):
        if self.ip.version == 6:
            return "[%s]:%d" % (self.ip, self.port)
        return "%s:%d" % (self.ip, self.port)

    __repr__ = __str__


def _ip_literal(text):
    try:
        return netaddr.IPAddress(text, flags=netaddr.INET_PTON if hasattr(netaddr, "INET_PTON") else 0)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None


def _port(text):
    if text is None or text == "":
        raise ValueError("has no port (write it explicitly, e.g. ':8000')")
    if not _DIGITS.match(text) or not 0 < int(text) < 65536:
        raise ValueError("has an invalid port '%s' (1-65535)" % text)
    return int(text)


def parse_url(url):
    """Parse a Kea HA peer URL; return ``(scheme, Endpoint)``.

    Kea accepts ``http`` and ``https`` with a host that is an IPv4 literal or a
    bracketed IPv6 literal; host names are refused ("bad url"). We also insist
    on an explicit port, so that listeners can be checked for collisions, and
    refuse the unspecified address, which no partner can connect to.
    """
    require_netaddr()
    match = _URL.match(url)
    if not match:
        raise ValueError("is not a URL of the form http://IP:PORT/")
    scheme = match.group("scheme").lower()
    if scheme not in ("http", "https"):
        raise ValueError("has scheme '%s'; Kea HA peers speak http or https" % match.group("scheme"))
    host = match.group("host")
    if ":" in (match.group("port") or ""):
        raise ValueError("has an IPv6 host without brackets (write http://[ADDRESS]:PORT/)")
    if host.startswith("["):
        ip = _ip_literal(host[1:-1])
        if ip is None or ip.version != 6:
            raise ValueError("has '%s' as host; inside brackets Kea expects an IPv6 address" % host)
    else:
        ip = _ip_literal(host)
        if ip is None:
            raise ValueError("has host '%s'; Kea accepts only an IP address here, not a host name" % host)
        if ip.version == 6:  # pragma: no cover - excluded by the regex
            raise ValueError("has an IPv6 host without brackets")
    port = _port(match.group("port"))
    endpoint = Endpoint(ip, port)
    if endpoint.wildcard:
        raise ValueError("has the unspecified address %s as host; a partner cannot connect to it" % ip)
    return scheme, endpoint


def parse_endpoint(text):
    """Parse ``IP:PORT`` or ``[IPv6]:PORT`` (a listener such as a control channel)."""
    require_netaddr()
    text = str(text).strip()
    if text.startswith("["):
        host, sep, port = text[1:].partition("]:")
    else:
        host, sep, port = text.rpartition(":")
    ip = _ip_literal(host) if sep else None
    if ip is None:
        raise ValueError("'%s' is not IP:PORT" % text)
    return Endpoint(ip, _port(port))


def make_endpoint(address, port):
    """An Endpoint from a separate address and port (``control-sockets`` style)."""
    require_netaddr()
    ip = _ip_literal(str(address))
    if ip is None:
        raise ValueError("'%s' is not an IP address" % (address,))
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ValueError("'%s' is not a port number (1-65535)" % (port,))
    return Endpoint(ip, port)


_PREFIX_LENGTH = re.compile(r"^[^/\s]+/[0-9]{1,3}$")


def address_from_facts(facts, interface=None):
    """The address a peer URL should use, from a host's gathered facts.

    With an interface: its IPv4 address, else its first global IPv6 one.
    Without: the address of the default route (IPv4 first). None when the
    facts do not say.
    """
    if not isinstance(facts, dict):
        return None
    if interface:
        # Ansible's fact key for an interface: dashes and dots become underscores.
        data = facts.get(interface.split("/", 1)[0].replace("-", "_").replace(".", "_"))
        if not isinstance(data, dict):
            return None
        ipv4 = data.get("ipv4")
        if isinstance(ipv4, dict) and ipv4.get("address"):
            return ipv4["address"]
        for item in data.get("ipv6") or []:
            if isinstance(item, dict) and item.get("scope") == "global" and item.get("address"):
                return item["address"]
        return None
    for key in ("default_ipv4", "default_ipv6"):
        data = facts.get(key)
        if isinstance(data, dict) and data.get("address"):
            return data["address"]
    return None


def make_url(scheme, address, port):
    """``scheme://address:port/`` with an IPv6 address in brackets."""
    host = "[%s]" % address if ":" in address else address
    return "%s://%s:%d/" % (scheme, host, port)


class Prefix(object):
    """A parsed subnet or pool: first and last address as integers."""

    __slots__ = ("version", "first", "last", "text")

    def __init__(self, version, first, last, text):
        self.version = version
        self.first = first
        self.last = last
        self.text = text

    def contains(self, other):
        return self.version == other.version and self.first <= other.first and other.last <= self.last

    def overlaps(self, other):
        return self.version == other.version and self.first <= other.last and other.first <= self.last


def parse_subnet(text):
    """Parse a subnet prefix such as ``192.0.2.0/24``; refuse host bits."""
    require_netaddr()
    if "/" not in text:
        raise ValueError("is not a prefix (write it as ADDRESS/LENGTH)")
    if not _PREFIX_LENGTH.match(text):
        raise ValueError("is not a valid IP prefix (write it as ADDRESS/LENGTH, the length in digits)")
    try:
        net = netaddr.IPNetwork(text.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise ValueError("is not a valid IP prefix")
    if net.ip != net.network:
        raise ValueError("has host bits set (did you mean '%s'?)" % net.cidr)
    return Prefix(net.version, net.first, net.last, text)


def parse_pool(text):
    """Parse a pool: ``FIRST - LAST`` or a prefix; refuse reversed ranges."""
    require_netaddr()
    if "-" in text:
        low, high = text.split("-", 1)
        first, last = _ip_literal(low.strip()), _ip_literal(high.strip())
        if first is None or last is None:
            raise ValueError("is not a range of the form 'FIRST - LAST'")
        if first.version != last.version:
            raise ValueError("mixes IPv4 and IPv6 addresses")
        if int(first) > int(last):
            raise ValueError("is reversed (%s comes after %s)" % (first, last))
        return Prefix(first.version, int(first), int(last), text)
    try:
        net = netaddr.IPNetwork(text.strip())
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise ValueError("is neither a range 'FIRST - LAST' nor a prefix")
    return Prefix(net.version, net.first, net.last, text)


def parse_pd_prefix(text, length):
    """Parse a DHCPv6 prefix-delegation pool's ``prefix`` and ``prefix-len``."""
    require_netaddr()
    ip = _ip_literal(text)
    if ip is None or ip.version != 6:
        raise ValueError("'%s' is not an IPv6 address" % text)
    net = netaddr.IPNetwork("%s/%d" % (ip, length))
    if net.ip != net.network:
        raise ValueError("'%s/%d' has host bits set (did you mean '%s'?)" % (text, length, net.cidr))
    return Prefix(6, net.first, net.last, "%s/%d" % (text, length))


def find_overlaps(items):
    """Pairs of overlapping ``(Prefix, label)`` items, found in O(n log n).

    Sorts by first address and sweeps, remembering the item reaching
    furthest; each item that starts before that reach overlaps it. Reports
    one partner per overlapping item, which is enough to name the culprits.
    """
    found = []
    reach = {}
    for prefix, label in sorted(items, key=lambda item: (item[0].version, item[0].first, -item[0].last)):
        top = reach.get(prefix.version)
        if top is not None and prefix.first <= top[0].last:
            found.append((top, (prefix, label)))
            if prefix.last > top[0].last:
                reach[prefix.version] = (prefix, label)
        else:
            reach[prefix.version] = (prefix, label)
    return found
