# Copyright (c) 2026 keadhcp.ha contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_kea_dialect: the shapes Kea's lexer reads, and each error by the message a user reads."""

import json
import os

import pytest

from ansible_collections.keadhcp.ha.plugins.module_utils._kea_dialect import DialectError, load, loads

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
EXAMPLES = os.path.join(ROOT, "tests", "fixtures", "isc-examples")

READ = [
    ("plain JSON", '{"Dhcp4": {"valid-lifetime": 600}}', {"Dhcp4": {"valid-lifetime": 600}}),
    ("a # comment", '# head\n{"a": 1 # tail\n}', {"a": 1}),
    ("a // comment", '// head\n{"a": 1, // tail\n"b": 2}', {"a": 1, "b": 2}),
    ("a /* */ comment over lines", '{"a": /* one\ntwo */ 1}', {"a": 1}),
    ("comment markers inside strings", '{"test": "a # b // c /* d */"}', {"test": "a # b // c /* d */"}),
    ("a comma before ] and }", '{"a": [1, 2,], "b": {"c": 3,},}', {"a": [1, 2], "b": {"c": 3}}),
    ("numbers", '{"a": -3, "b": 2.5, "c": 1e3, "d": 007}', {"a": -3, "b": 2.5, "c": 1000.0, "d": 7}),
    ("keywords", '{"a": true, "b": false, "c": null}', {"a": True, "b": False, "c": None}),
    ("escapes", r'{"a": "\"\\\/\b\f\n\r\t\u0041"}', {"a": "\"\\/\b\f\n\r\tA"}),
    ("empty containers", '{"a": [], "b": {}}', {"a": [], "b": {}}),
]


@pytest.mark.parametrize("text, value", [case[1:] for case in READ], ids=[case[0] for case in READ])
def test_what_kea_reads(text, value):
    assert loads(text) == value


ERRORS = [
    ("a missing comma", '{\n  "a": 1\n  "b": 2\n}',
     "f.conf line 3 column 3: expected ',' or '}' after the value of \"a\", found \"b\""),
    ("an unclosed comment", '{"a": 1}\n  /* open',
     "f.conf line 2 column 3: Comment not closed. (/* in line 2)"),
    ("an unclosed directive", '{"a": <?include x.json?>}',
     "f.conf line 1 column 7: Directive not closed: expected <?include \"FILE\"?>"),
    ("a missing include", '{"a":\n <?include "nope.json"?>}',
     "f.conf line 2 column 2: Can't open include file nope.json (No such file or directory)"),
    ("True", '{"a": True}', "f.conf line 1 column 7: JSON true reserved keyword is lower case only"),
    ("a key twice", '{"a": 1,\n "a": 2}',
     "f.conf line 2 column 2: duplicate a entries in JSON map (previous at line 1 column 2)"),
    ("a stray character", '{"a": @}', "f.conf line 1 column 7: Invalid character: @"),
    ("an unquoted key", '{a: 1}', "f.conf line 1 column 2: Invalid character: a"),
    ("a string over two lines", '{"a": "x\ny"}', "f.conf line 1 column 7: string not closed on its line"),
    ("a wide unicode escape", r'{"a": "\u0100"}', "f.conf line 1 column 7: Unsupported unicode escape in \"\\u0100\""),
    ("an unclosed map", '{"a": [1, 2]', "f.conf line 1 column 13: unexpected end of file: expected ',' or '}' after "
     "the value of \"a\", found nothing"),
    ("two values", '{} []', "f.conf line 1 column 4: unexpected '[' after the configuration's end"),
    ("a lone comma", '{"a": [,]}', "f.conf line 1 column 8: expected a value, found ','"),
]


@pytest.mark.parametrize("text, message", [case[1:] for case in ERRORS], ids=[case[0] for case in ERRORS])
def test_each_error_names_file_line_and_column(tmp_path, text, message):
    with pytest.raises(DialectError) as info:
        loads(text, str(tmp_path / "f.conf"))
    assert str(info.value) == str(tmp_path / message)
    assert (info.value.line, info.value.column) == tuple(int(n) for n in message.split(":")[0].split()[2::2])


def test_includes_are_read_beside_the_file_an_absolute_one_by_its_name(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pools.json").write_text('// pools\n{"pool": "10.0.0.10 - 10.0.0.99"}')
    (tmp_path / "subnet.json").write_text('{"id": 1, "pools": [<?include "sub/pools.json"?>]}')
    (tmp_path / "kea-dhcp4.conf").write_text('{"Dhcp4": {"subnet4": [ <?include "/etc/kea/subnet.json" ?> ]}}')
    assert load(str(tmp_path / "kea-dhcp4.conf")) == {
        "Dhcp4": {"subnet4": [{"id": 1, "pools": [{"pool": "10.0.0.10 - 10.0.0.99"}]}]}}


def test_an_error_in_an_include_names_the_included_file(tmp_path):
    (tmp_path / "bad.json").write_text('{\n"a": tru }')
    (tmp_path / "kea-dhcp4.conf").write_text('{"Dhcp4": <?include "bad.json"?>}')
    with pytest.raises(DialectError) as info:
        load(str(tmp_path / "kea-dhcp4.conf"))
    assert str(info.value) == "%s line 2 column 6: Invalid character: t" % (tmp_path / "bad.json")


def test_includes_nest_eleven_deep_and_no_deeper(tmp_path):
    """As Kea: an include is refused when more than 10 are already open."""
    for depth in range(1, 13):
        (tmp_path / ("%d.json" % depth)).write_text('<?include "%d.json"?>' % (depth + 1) if depth < 12 else "7")
    assert loads('<?include "2.json"?>', str(tmp_path / "top.conf")) == 7     # 11 includes open at the end
    with pytest.raises(DialectError) as info:
        loads('<?include "1.json"?>', str(tmp_path / "top.conf"))            # 12
    assert str(info.value) == "%s line 1 column 1: Too many nested include." % (tmp_path / "11.json")


def test_comments_are_kept_for_whoever_asks_with_their_lines():
    comments = []
    loads('// one\n{"a": 1, /// two\n # not kept\n "b": 2}', "f", comments=comments)
    assert comments == [("f", 1, " one"), ("f", 2, "/ two")]


@pytest.mark.parametrize("name", sorted(os.listdir(EXAMPLES)))
def test_kea_published_examples_read_with_their_comments(name):
    """Each host's file of ISC's examples, comments and includes, reads into what its facts say."""
    for host in sorted(os.listdir(os.path.join(EXAMPLES, name))):
        (path,) = [os.path.join(EXAMPLES, name, host, f) for f in os.listdir(os.path.join(EXAMPLES, name, host))
                   if f.startswith("kea-dhcp")]
        with open(path) as handle:
            text = handle.read()
        assert "//" in text and "#" in text and "/*" in text
        config = load(path)
        (dhcp,) = config
        assert json.loads(json.dumps(config)) == config and dhcp in ("Dhcp4", "Dhcp6")
        assert config[dhcp]["hooks-libraries"][-1]["library"].endswith("libdhcp_ha.so")
