# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ha_adopt
short_description: Reconstruct a hub-and-spoke HA topology from the Kea configurations the hosts run
version_added: 0.1.0
author: keadhcp.ha contributors (@keadhcp)
description:
  - The inverse of P(keadhcp.ha.kea_configs#filter). Takes every host's Kea configuration (a mapping of
    inventory hostname to the parsed C(kea-dhcp4.conf) or C(kea-dhcp6.conf), with C(Dhcp4) or C(Dhcp6) at the top) and rebuilds
    C(kea_ha_topology) from it - the central, one relationship per branch with both peers' names, URLs, roles,
    interfaces and per-peer keys, the relationship parameters (common ones as C(defaults)), each relationship's
    C(subnets) and C(shared-networks) without their C(ha-server-name) tag and interface binding - and everything
    else as each host's base configuration.
  - The central is the host with several relationships or, with one relationship everywhere, the end that is not
    its primary; O(central) names it otherwise. Its configuration is the reference for what both ends of a
    relationship carry; what the branch has differently is a problem.
  - Reports as problems, each starting with the host or the relationship at fault, everything the
    topology model refuses (its own messages, see C(docs/topology.md)) and everything that differs between the two
    ends of a relationship - relationship parameters such as the mode and timers, peer names, URLs, roles and
    per-peer keys, a subnet or shared network on one end only or different on the two, a subnet without
    C(ha-server-name) or tagged with the wrong name - and, when nothing else is wrong, any host whose configuration
    the adopted topology would not render back exactly.
  - Without problems, P(keadhcp.ha.kea_configs#filter) given the returned variables (C(kea_render_base) as
    O(keadhcp.ha.kea_configs#filter:base), C(kea_render_host_base) as O(keadhcp.ha.kea_configs#filter:host_base),
    C(kea_hooks_dir) as O(keadhcp.ha.kea_configs#filter:hooks_dir)) gives every configuration back as read, apart
    from the passwords below.
  - No password is kept. An HA peer's C(basic-auth-password) becomes the C(basic-auth-password-file) the roles write
    from C(kea_ha_peer_passwords), a control socket client's C(password) a C(password-file), any other C(password)
    a reference to a variable to define in a vault; the notes say what to provide. Two hosts with different
    passwords for one HA user are a problem, told without the passwords.
  - With O(files), reads each host's files itself instead - Kea's C(kea-dhcp4.conf)/C(kea-dhcp6.conf) in Kea's
    dialect (comments, C(<?include "file"?>) beside the file), a file that does not read being a problem naming the
    host, file, line and column; or an ISC DHCP failover estate's C(dhcpd.conf) (and C(dhcpd6.conf), which makes the
    hub dual-stack), read for its failover peers and
    translated by Debian's C(keama) for the rest, which must be installed where the filter runs. Each failover peer
    becomes a relationship (the primary's host the branch, the secondary's the central), each subnet and shared
    network goes to the peer its pools name with the central's subnet id on both ends, and what does not carry over
    (C(split), C(mclt), C(max-unacked-updates), keama's warnings...) is told in the notes.
  - The render-back check runs for every host, whatever else was found; each difference Kea would see between what
    a host runs and what the adopted topology renders for it is a problem naming the host, the key and both values.
    What Kea treats as equal (a hook library's absent or empty C(parameters), pool and address spelling, interfaces
    or subnets in another order, C(dhcp-socket-type) C(raw) said or not) is not a difference.
  - See C(docs/adopt.md) for the whole procedure and C(playbooks/adopt.yml).
options:
  _input:
    description:
      - The configurations, inventory hostname to parsed Kea configuration (C(Dhcp4) or C(Dhcp6) at the top).
      - Kea's C(config-get) answers (C(arguments)) may be given as they are; their C(hash) is ignored.
    type: dict
    required: true
  central:
    description: The central's inventory hostname, when it cannot be told from the configurations.
    type: str
  unread:
    description:
      - Hosts whose configuration could not be read, hostname to the reason; each is reported as a problem.
    type: dict
  known_hosts:
    description: Inventory hostnames (for example C(groups['all'])); a topology host not among them is a problem.
    type: list
    elements: str
  source:
    description: Where the configurations were read, for the comment at the head of RV(_value.text).
    type: str
  files:
    description:
      - Inventory hostname to the paths of that host's files, read instead of O(_input) (give it C({})).
      - Kea's C(kea-dhcp4.conf) and C(kea-dhcp6.conf), or ISC DHCP's C(dhcpd.conf) and C(dhcpd6.conf), with beside
        them C(isc-dhcp-server), a copy of C(/etc/default/isc-dhcp-server) whose C(INTERFACESv4) says where dhcpd
        listens. One kind per run.
    type: dict
  interfaces:
    description:
      - ISC DHCP estates only. Inventory hostname to the interfaces its dhcpd listens on, instead of its
        C(isc-dhcp-server) file. A branch's single interface becomes its peer's C(interface); the central's, its
        C(relay-interfaces) (it hears the stores' relayed traffic).
    type: dict
  ha_port:
    description:
      - ISC DHCP estates only. The port of the HA URLs made from the failover addresses, on every branch; the central
        listens on this port plus the relationship's position minus one.
    type: int
    default: 8001
"""

EXAMPLES = r"""
- name: Adopt the configurations read from the running servers (config-get answers, by hostname)
  ansible.builtin.set_fact:
    adopted: "{{ answers | keadhcp.ha.ha_adopt(source='the running servers') }}"

- name: Adopt copies of each server's /etc/kea, comments and includes as Kea reads them
  ansible.builtin.set_fact:
    adopted: >-
      {{ {} | keadhcp.ha.ha_adopt(files={'dc-kea': ['etc-kea/dc-kea/kea-dhcp4.conf'],
                                         'paris-kea': ['etc-kea/paris-kea/kea-dhcp4.conf']},
                                  source='etc-kea') }}

- name: Adopt an ISC DHCP failover estate copied into estate/<host>/ (keama installed here)
  ansible.builtin.set_fact:
    adopted: >-
      {{ {} | keadhcp.ha.ha_adopt(files={'dc': ['estate/dc/dhcpd.conf'], 'store1': ['estate/store1/dhcpd.conf']},
                                  source='estate') }}

- name: Show what differs between the two ends of each relationship
  ansible.builtin.debug:
    msg: "{{ adopted.problems }}"

- name: Write the topology as a vars file
  ansible.builtin.copy:
    content: "{{ adopted.text }}"
    dest: group_vars/all.yml
    mode: "0644"
  when: adopted.problems | length == 0
"""

RETURN = r"""
_value:
  description: What was adopted.
  type: dict
  contains:
    variables:
      description:
        - C(kea_ha_topology) first; then, when not empty, C(kea_render_base) (the base every host shares),
          C(kea_render_host_base) (hostname to the rest of that host's base), C(kea_hooks_dir) (the directory of
          the hook libraries, or hostname to directory when they differ), and C(kea_ha_base_config), a template
          giving each host its base for the roles.
        - Null C(kea_ha_topology) when no topology could be built (no central, no relationship).
      type: dict
    text:
      description:
        - The variables as a YAML vars file, usable as C(group_vars/all.yml), keys in the order above; its head
          comments list the problems and the notes. Empty when no topology could be built.
      type: str
    problems:
      description: One line per problem, naming the host or relationship. Empty when the adoption is exact.
      type: list
      elements: str
    notes:
      description: What the user must provide (passwords, never shown) and what the roles do differently.
      type: list
      elements: str
    hosts:
      description: The hosts of the topology whose configuration was adopted, central first.
      type: list
      elements: str
"""

import json
import textwrap

from ansible.errors import AnsibleFilterError

from ansible_collections.keadhcp.ha.plugins.module_utils._adopt import adopt
from ansible_collections.keadhcp.ha.plugins.module_utils._adopt_files import adopt_files
from ansible_collections.keadhcp.ha.plugins.module_utils._topology import TopologyError

try:
    import yaml
except ImportError:  # pragma: no cover - ansible-core requires PyYAML
    yaml = None

WIDTH = 118


def _plain(value):
    """Ansible's own str and container types as plain Python, so that YAML dumps them."""
    return json.loads(json.dumps(value))


def _comment(lines, bullet=True):
    out = []
    for line in lines:
        wrapped = textwrap.wrap(line, WIDTH - 6, break_on_hyphens=False, break_long_words=False) or [""]
        out.append("#   - " + wrapped[0] if bullet else "# " + wrapped[0])
        out.extend(("#     " if bullet else "# ") + more for more in wrapped[1:])
    return out


def vars_text(variables, problems, notes, source=None):
    """The YAML vars file: head comments (source, problems, notes), then the variables in their order."""
    head = _comment(["kea_ha_topology adopted by keadhcp.ha (playbooks/adopt.yml)%s. Usable as group_vars/all.yml: "
                     "playbooks/render.yml reads kea_render_base, kea_render_host_base and kea_hooks_dir; the roles "
                     "read kea_ha_base_config. See docs/adopt.md." % (" from %s" % source if source else "")],
                    bullet=False)
    if problems:
        head.append("#")
        head.append("# %s found when adopting: fix %s here." % (
            "1 problem" if len(problems) == 1 else "%d problems" % len(problems), "it" if len(problems) == 1 else "them"))
        head.extend(_comment(problems))
    if notes:
        head.append("#")
        head.append("# Notes: what to provide, what does not carry over:")
        head.extend(_comment(notes))
    body = yaml.safe_dump(_plain(variables), sort_keys=False, default_flow_style=False, width=WIDTH, indent=2,
                          allow_unicode=True)
    return "---\n" + "\n".join(head) + "\n" + body


def ha_adopt(configs, central=None, unread=None, known_hosts=None, source=None, files=None, interfaces=None,
             ha_port=8001):
    if not isinstance(configs, dict):
        raise AnsibleFilterError("ha_adopt: the configurations must map inventory hostnames to Kea configurations, "
                                 "not %s" % type(configs).__name__)
    if files is not None and (configs or not isinstance(files, dict)):
        raise AnsibleFilterError("ha_adopt: give either the configurations or files (a mapping of inventory hostnames "
                                 "to paths), not both")
    configs = _plain(dict((host, dict((k, v) for k, v in config.items() if k != "hash")
                          if isinstance(config, dict) else config) for host, config in configs.items()))
    try:
        if files is not None:
            adoption = adopt_files(_plain(files), central=central, unread=unread, known_hosts=known_hosts,
                                   interfaces=_plain(interfaces or {}), ha_port=int(ha_port))
        else:
            adoption = adopt(configs, central=central, unread=unread, known_hosts=known_hosts)
    except TopologyError as exc:
        raise AnsibleFilterError(str(exc))
    except ImportError as exc:
        raise AnsibleFilterError(str(exc))
    variables = _plain(adoption.variables()) if adoption.topology is not None else {"kea_ha_topology": None}
    return {
        "variables": variables,
        "text": vars_text(variables, adoption.problems, adoption.notes, source) if adoption.topology else "",
        "problems": list(adoption.problems),
        "notes": list(adoption.notes),
        "hosts": list(adoption.hosts),
    }


class FilterModule(object):
    def filters(self):
        return {"ha_adopt": ha_adopt}
