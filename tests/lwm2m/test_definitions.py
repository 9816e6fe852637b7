import pytest

from objects.lwm2m.definitions import InvalidDefinition, parse_definition

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
