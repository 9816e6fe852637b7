import pytest

from objects.lwm2m.definitions import (
    InvalidDefinition,
    common_fields,
    parse_common,
    parse_definition,
    resource_fields,
)

OBJECT = b"""<?xml version="1.0" encoding="UTF-8"?>
<LWM2M><Object ObjectType="MODefinition">
  <Name>Temperature</Name><Description1>Temp.</Description1><ObjectID>3303</ObjectID>
  <ObjectURN>urn:oma:lwm2m:ext:3303</ObjectURN><MultipleInstances>Multiple</MultipleInstances>
  <Mandatory>Optional</Mandatory>
  <Resources><Item ID="5700"><Name>Sensor Value</Name><Operations>R</Operations>
  <Type>Float</Type></Item></Resources>
</Object></LWM2M>"""


def test_reads_fields_and_resources():
    d = parse_definition(OBJECT)
    assert (d.name, d.object_id, d.urn, d.multiple_instances) == (
        "Temperature", 3303, "urn:oma:lwm2m:ext:3303", "Multiple",
    )  # fmt: skip
    assert d.lwm2m_version == ""  # nothing says: the sync takes 1.0
    assert d.resources == [
        {
            "ID": 5700, "Name": "Sensor Value", "Operations": "R", "MultipleInstances": "",
            "Mandatory": "", "Type": "Float", "RangeEnumeration": "", "Units": "",
            "Description": "",
        }
    ]  # fmt: skip


def test_byte_order_mark_and_leading_space():
    assert parse_definition(b"\xef\xbb\xbf\n  " + OBJECT).object_id == 3303


def test_cdata_text_and_namespaced_root():
    data = OBJECT.replace(
        b"<Description1>Temp.</Description1>", b"<Description1><![CDATA[a <b> c]]></Description1>"
    )
    data = data.replace(b"<LWM2M>", b'<LWM2M xmlns="urn:example">')
    assert parse_definition(data).description1 == "a <b> c"


def test_latin1_without_declaration_is_read():
    data = OBJECT.replace(b"Temp.", "Température".encode("latin-1"))
    assert parse_definition(data).description1 == "Température"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"<html><body>Not here</body></html>", "no <Object>"),
        (b"<LWM2M><Object>", "not well-formed"),
        (OBJECT.replace(b'ID="5700"', b'ID="x"'), "resource ID is not a whole number"),
        (OBJECT.replace(b'ID="5700"', b'ID="\xd9\xa5"'), "resource ID is not a whole number"),
        (OBJECT.replace(b'ID="5700"', b'ID="5_700"'), "resource ID is not a whole number"),
        (OBJECT.replace(b'ID="5700"', b'ID="99999999999999999999"'), "from 0 to 65535"),
        (
            OBJECT.replace(b"<ObjectID>3303</ObjectID>", b"<ObjectID>abc</ObjectID>"),
            "ObjectID is not a whole number",
        ),
    ],
)
def test_invalid_definitions_say_why(data, reason):
    with pytest.raises(InvalidDefinition, match=reason):
        parse_definition(data)


def test_entities_are_refused_and_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
        "<LWM2M><Object><Name>&e;</Name></Object></LWM2M>"
    ).encode()
    with pytest.raises(InvalidDefinition, match="not allowed") as info:
        parse_definition(xxe)
    assert "TOP-SECRET-VALUE" not in str(info.value)
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">' % ((c,) + (c - 1,) * 10)
            for c in range(ord("b"), ord("j"))
        )
        + b"]><LWM2M><Object><Name>&i;</Name></Object></LWM2M>"
    )
    with pytest.raises(InvalidDefinition, match="not allowed"):
        parse_definition(bomb)


def test_size_limit():
    with pytest.raises(InvalidDefinition, match="size limit"):
        parse_definition(OBJECT + b" " * 200, max_bytes=len(OBJECT))


@pytest.mark.parametrize("declared", ["x-unknown", "utf-99"])
@pytest.mark.parametrize("text", ["Temp.", "Temp\xe9rature"])
def test_an_encoding_python_does_not_know_is_an_invalid_definition(declared, text):
    # expat raises LookupError, not ParseError, for it: once a 500 on an upload.
    body = OBJECT.split(b"?>", 1)[1].replace(b"Temp.", text.encode("latin-1"))
    data = f'<?xml version="1.0" encoding="{declared}"?>'.encode() + body
    with pytest.raises(InvalidDefinition) as raised:
        parse_definition(data)
    assert str(raised.value) == f"not well-formed XML: unknown encoding: {declared}"


def test_bytes_not_in_the_encoding_declared_are_an_invalid_definition():
    # Not UTF-8, and saying another encoding: not read as Latin-1; the parser's error stands
    # (it was the UnicodeDecodeError of the UTF-8 check, which no caller expects).
    with pytest.raises(InvalidDefinition) as raised:
        parse_definition(b'<?xml version="1.0" encoding="ascii"?><Object>\xe9<Object>')
    assert str(raised.value) == (
        "not well-formed XML: not well-formed (invalid token): line 1, column 46"
    )


def test_a_byte_order_mark_is_skipped():
    assert parse_definition(b"\xef\xbb\xbf" + OBJECT).object_id == 3303
    assert parse_definition(b"\xef\xbb\xbf\n " + OBJECT).object_id == 3303


def test_a_file_in_another_declared_encoding_keeps_its_own_error():
    # Read again as Latin-1, é would become two characters and the error would move on by one.
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?><Object>\xe9</Bad>'
    with pytest.raises(InvalidDefinition) as raised:
        parse_definition(data)
    assert str(raised.value) == "not well-formed XML: mismatched tag: line 1, column 54"


@pytest.mark.parametrize(
    "spaces, message",
    [
        (165, "mismatched tag: line 1, column 214"),  # "utf-8" in the head: read as Latin-1
        (166, "not well-formed (invalid token): line 1, column 212"),  # past it: refused
    ],
)
def test_the_declaration_is_looked_for_in_the_first_200_bytes(spaces, message):
    data = b'<?xml version="1.0"' + b" " * spaces + b' encoding="utf-8"?><Object>\xe9</Bad>'
    assert data.find(b"utf-8") + len("utf-8") == 200 + spaces - 165
    with pytest.raises(InvalidDefinition) as raised:
        parse_definition(data)
    assert str(raised.value) == f"not well-formed XML: {message}"


@pytest.mark.parametrize(
    "data, message",
    [
        (None, "empty file"),
        (b"", "empty file"),
        (b'<?xml version="1.0"?><!DOCTYPE x []><LWM2M/>',
         "refused: DTDForbidden (DTDs and entities are not allowed)"),
        (b"<LWM2M><Object>", "not well-formed XML: no element found: line 1, column 15"),
        (b"<html><body/></html>", "no <Object> element (root is <html>)"),
        (b'<x:LWM2M xmlns:x="urn:a"/>', "no <Object> element (root is <LWM2M>)"),
        (b"<Object><ObjectID>65536</ObjectID></Object>",
         "ObjectID is not a whole number from 0 to 65535: '65536'"),
        (b"<Object><ObjectID>" + b"9" * 50 + b"</ObjectID></Object>",
         f"ObjectID is not a whole number from 0 to 65535: {'9' * 40!r}"),
        (b"<Object><Resources><Item><Name>A</Name></Item></Resources></Object>",
         "a resource ID is not a whole number from 0 to 65535: ''"),
    ],
)  # fmt: skip
def test_what_is_no_definition_and_why(data, message):
    with pytest.raises(InvalidDefinition) as raised:
        parse_definition(data)
    assert str(raised.value) == message


def test_the_size_limit_is_inclusive():
    assert parse_definition(OBJECT, max_bytes=len(OBJECT)).object_id == 3303
    with pytest.raises(InvalidDefinition) as raised:
        parse_definition(OBJECT, max_bytes=len(OBJECT) - 1)
    assert str(raised.value) == f"over the size limit ({len(OBJECT)} > {len(OBJECT) - 1} bytes)"


@pytest.mark.parametrize(
    "data",
    [
        # Latin-1 bytes under a declaration of UTF-8, in either quotes, or under none.
        b'<?xml version="1.0" encoding="UTF-8"?><Object><Description1>Temp\xe9rature'
        b"</Description1></Object>",
        b"<?xml version='1.0' encoding='UTF-8'?><Object><Description1>Temp\xe9rature"
        b"</Description1></Object>",
        b"<Object><Description1>Temp\xe9rature</Description1></Object>",
        b'<?xml version="1.0" encoding="ISO-8859-1"?><Object><Description1>Temp\xe9rature'
        b"</Description1></Object>",
    ],
)
def test_latin_1_bytes_are_read_as_latin_1(data):
    assert parse_definition(data).description1 == "Température"


def test_windows_1252_bytes_are_read_as_windows_1252():
    data = b"<Object><Description1>it\x92s \x80 5</Description1></Object>"
    assert parse_definition(data).description1 == "it\u2019s \u20ac 5"


def test_a_byte_windows_1252_leaves_undefined_is_a_replacement_character():
    data = b"<Object><Description1>a\x81b \x80</Description1></Object>"
    assert parse_definition(data).description1 == "a\ufffdb \u20ac"


def test_the_first_of_a_repeated_element_wins_and_text_is_joined():
    data = (
        b"<a><b><Object><Name>first</Name><Name>second</Name>"
        b"<Description1> x <b>y</b> z </Description1><ObjectID> 7 </ObjectID>"
        b"<Resources><Item ID=' 5 '><Name>A</Name><Name>B</Name><Units> Cel </Units></Item>"
        b"<Other ID='9'/></Resources></Object></b></a>"
    )
    d = parse_definition(data)
    assert (d.name, d.description1, d.object_id) == ("first", "x y z", 7)
    assert [(r["ID"], r["Name"], r["Units"], r["Type"]) for r in d.resources] == [
        (5, "A", "Cel", "")
    ]


def test_a_blank_object_id_is_none_and_no_resources_is_an_empty_list():
    d = parse_definition(b"<Object><ObjectID> </ObjectID><LWM2MVersion>1.1</LWM2MVersion></Object>")
    assert (d.object_id, d.lwm2m_version, d.resources) == (None, "1.1", [])


def test_namespaced_elements_are_read_by_their_local_names():
    data = b'<x:Object xmlns:x="urn:a"><x:Name>ns</x:Name><x:ObjectID>9</x:ObjectID></x:Object>'
    assert (parse_definition(data).name, parse_definition(data).object_id) == ("ns", 9)


def test_a_resource_s_fields_by_their_column_names():
    (item,) = parse_definition(OBJECT).resources
    assert resource_fields(item) == {
        "resource_id": 5700, "name": "Sensor Value", "operations": "R", "multiple_instances": "",
        "mandatory": "", "type": "Float", "range_enumeration": "", "units": "", "description": "",
    }  # fmt: skip


COMMON = (
    b'<LWM2M><Object><Resources><Item ID="5"><Name>A</Name><Submitter>s</Submitter><TS>t</TS>'
    b'</Item><Item ID="x"/><Item ID="5"><Name>B</Name></Item><Item ID="6"><Name>C</Name></Item>'
    b"</Resources></Object></LWM2M>"
)


def test_common_xml_skips_a_bad_item_and_keeps_the_first_of_an_id():
    common = parse_common(COMMON, max_bytes=len(COMMON))
    assert [(r["ID"], r["Name"]) for r in common.resources] == [(5, "A"), (6, "C")]
    assert common.warnings == [
        "Common.xml: an item skipped: a resource ID is not a whole number from 0 to 65535: 'x'",
        "Common.xml: resource 5 is given twice; the first is kept",
    ]
    assert common_fields(common.resources[0]) == {
        "resource_id": 5, "name": "A", "operations": "", "type": "", "range_enumeration": "",
        "units": "", "submitter": "s", "description": "", "spec_link": "t",
    }  # fmt: skip


@pytest.mark.parametrize(
    "data, message",
    [
        (b'<Object><Resources><Item ID="x"/></Resources></Object>', "no reusable resource in it"),
        (b"<Object/>", "no reusable resource in it"),
        (b"", "empty file"),
        (COMMON, "over the size limit (205 > 204 bytes)"),
    ],
)
def test_what_is_no_common_xml(data, message):
    with pytest.raises(InvalidDefinition) as raised:
        parse_common(data, max_bytes=204)
    assert str(raised.value) == message
