"""A device read against the registry: its registration's objects and versions, and the
decoder's checks of its payloads against those definitions."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from objects.catalog import decode
from objects.lwm2m import device, registry_model, typed_payload
from objects.lwm2m.registry_model import ResourceModel

pytestmark = pytest.mark.django_db


def resource(type_, range_enumeration):
    return ResourceModel(1, "Thing", type_, "", "RW", False, False, range_enumeration)


@pytest.mark.parametrize(
    "type_, text, value, words",
    [
        ("Integer", "0-100", 150, "150 is outside 0-100"),
        ("Integer", "1;2;3", 4, "4 is not one of 1;2;3"),
        ("Unsigned Integer", "0: off\n1: on", 2, "2 is not one of 0: off 1: on"),
        ("String", "0..255", "x" * 256, "256 bytes long, outside 0..255"),
        ("Opaque", "6 bytes", b"1234567", "7 bytes long"),
        ("Float", "-40..85 °C", -41.5, "outside"),
        ("Integer", "<7 to >12.5", 99, ""),
        ("Boolean", "0..1", True, ""),
        ("Objlnk", "0..1", (3, 0), ""),
    ],
)
def test_the_decoder_reads_ranges_with_the_one_reader(type_, text, value, words):
    problem = typed_payload.range_problem(resource(type_, text), value)
    assert (words in problem) if words else problem == ""
    assert bool(problem) == bool(words)


# --- Reading a device ------------------------------------------------------------------------

# Written as the clients write them: Leshan's client (its LinkFormatHelper: a root link with
# the formats, ver= on object links where not the default), Wakaama's (1.0: no root link),
# Anjay's (1.1 with Q), and Leshan's Discover and Bootstrap-Discover answers.
LESHAN_REGISTER = (
    "CON POST coap://127.0.0.1:5683/rd?ep=leshan-client&lt=300&lwm2m=1.1&b=U\n"
    '</>;rt="oma.lwm2m";ct="60 110 112 11542 11543",</1>;ver=1.1,</1/0>,</3>;ver=1.1,</3/0>,'
    "</3303>;ver=1.1,</3303/0>,</3303/1>"
)
WAKAAMA_REGISTER = (
    "/rd?ep=testlwm2mclient&lt=300&lwm2m=1.0&b=U\n</1/0>,</2/0>,</3/0>,</4/0>,</3304/0>"
)
ANJAY_REGISTER = (
    "POST /rd?lwm2m=1.1&ep=urn:dev:os:0023C7-000001&lt=86400&b=U&Q\n"
    "</1>;ver=1.1,</1/1>,</3/0>,</3303>;ver=1.0,</3303/0>,</10241/0>,</31024/0>"
)
DISCOVER = "</3>;ver=1.1,</3/0>,</3/0/0>,</3/0/9>;pmin=10,</3/0/11>;dim=1"
BOOTSTRAP_DISCOVER = (
    '</>;lwm2m=1.1,</0/0>,</0/1>;ssid=101;uri="coap://leshan.eclipseprojects.io:5683",</1>,'
    "</1/0>;ssid=101,</3/0>,</3303>"
)


def read(synced, text, request_text="", lwm2m="", kind=""):
    from objects.catalog.device import read_device

    return read_device(synced.run, text, request_text, lwm2m, kind)


def objects_of(device):
    return [(o["id"], o["version"], o["version_rule"], o["instances"], o["registered"])
            for o in device.as_json()["objects"]]  # fmt: skip


def test_a_leshan_register_request(synced):
    device = read(synced, LESHAN_REGISTER)
    data = device.as_json()
    assert data["lwm2m"] == "1.1" and data["kind"] == "register"
    assert data["warnings"] == []
    assert objects_of(device) == [
        (1, "1.1", "ver", [0], False),
        (3, "1.1", "ver", [0], True),
        (3303, "1.1", "ver", [0, 1], True),
    ]
    assert [p["name"] for p in data["parameters"]] == ["ep", "lt", "lwm2m", "b"]
    assert [f["ct"] for f in data["content_formats"]] == [60, 110, 112, 11542, 11543]
    assert data["content_formats"][3]["name"] == "OMA TLV"
    device3 = data["objects"][1]
    assert device3["name"] == "Device"
    assert device3["registry"] == {
        "versions": ["1.0", "1.1"], "latest": "1.1", "has_version": True, "placeholder": False,
        "deprecated": False, "owner": "OMA",
    }  # fmt: skip
    assert data["objects"][0]["registry"]["range"] == "0-1023: OMA"


def test_a_wakaama_1_0_register_takes_every_default_at_1_0(synced):
    device = read(synced, WAKAAMA_REGISTER)
    assert device.as_json()["lwm2m"] == "1.0"
    assert [(o[0], o[1], o[2]) for o in objects_of(device)] == [
        (1, "1.0", "default"), (2, "1.0", "default"), (3, "1.0", "default"),
        (4, "1.0", "default"), (3304, "1.0", "default"),
    ]  # fmt: skip
    assert device.warnings == []


def test_core_objects_default_to_the_version_their_lwm2m_release_defines(synced):
    links = "</0/0>,</1/0>,</2/0>,</3/0>,</4/0>,</5/0>,</21/0>,</3303/0>"
    by_version = {}
    for lwm2m in ("1.0", "1.1", "1.2"):
        data = read(synced, links, lwm2m=lwm2m).as_json()
        by_version[lwm2m] = {o["id"]: o["version"] for o in data["objects"]}
        assert all(o["version_rule"] == "default" for o in data["objects"])
    assert by_version["1.0"] == {0: "1.0", 1: "1.0", 2: "1.0", 3: "1.0", 4: "1.0", 5: "1.0",
                                 21: "1.0", 3303: "1.0"}  # fmt: skip
    # As Leshan reads 1.1 (1.1.1's Device 1.1 and Connectivity Monitoring 1.2).
    assert by_version["1.1"] == {0: "1.1", 1: "1.1", 2: "1.0", 3: "1.1", 4: "1.2", 5: "1.0",
                                 21: "1.0", 3303: "1.0"}  # fmt: skip
    assert by_version["1.2"][3] == "1.2" and by_version["1.2"][4] == "1.3"
    assert by_version["1.2"][3303] == "1.0"
    note = read(synced, links, lwm2m="1.1").as_json()["objects"][3]["version_note"]
    assert "Leshan reads 1.1" in note


def test_an_anjay_register_with_queue_mode_and_unknown_objects(synced):
    device = read(synced, ANJAY_REGISTER)
    data = device.as_json()
    assert data["lwm2m"] == "1.1"
    q = next(p for p in data["parameters"] if p["name"] == "Q")
    assert q["value"] is None and q["problem"] == "" and "Queue mode" in q["meaning"]
    assert objects_of(device)[-2:] == [
        (10241, "1.0", "default", [0], True),
        (31024, "1.0", "default", [0], False),
    ]
    private = data["objects"][-1]
    assert private["name"] is None
    assert private["registry"]["range"].startswith("26241-32768")
    assert "without registration" in private["registry"]["range"]
    assert "any company may use it" in private["registry"]["holder"]
    assert data["warnings"] == []


def test_what_servers_trip_on(synced):
    text = (
        "POST /rd?ep=x&lwm2m=1.1&b=UQ\n"
        "</1/0>;ver=1.1,</3303>;ver=9.9,</3303/0>,</3304>,</3304>,</3/0>,</3/0>,</2048/0>"
    )
    warnings = [(w["link"], w["message"]) for w in read(synced, text).as_json()["warnings"]]
    messages = " | ".join(m for _, m in warnings)
    assert ("</1/0>", "ver= on an instance link: it belongs on the object's link </1>;ver=1.1 "
            "(Leshan refuses the registration)") in warnings  # fmt: skip
    assert ("</3303>", "object 3303 at version 9.9 (ver): the registry has 1.0, 1.1") in warnings
    assert ("</3304>", "object 3304 announced twice") in warnings
    assert ("</3/0>", "instance 3/0 announced twice") in warnings
    assert "b: LwM2M 1.1 binding letters are U, T, S, N; queue mode is the Q parameter" in messages
    assert ("</2048/0>", "object 2048 is a placeholder in the registry: no definition for a "
            "server to load") in warnings  # fmt: skip


def test_an_alternate_path_needs_its_root_link(synced):
    data = read(synced, "</lwm2m/1/0>,</lwm2m/3/0>").as_json()
    assert [o["id"] for o in data["objects"]] == [1, 3]
    assert data["warnings"] == [{
        "link": "</lwm2m/1/0>",
        "message": 'an alternate path needs its root link </lwm2m>;rt="oma.lwm2m" (LwM2M 1.0)',
    }]  # fmt: skip
    data = read(synced, '</lwm2m>;rt="oma.lwm2m",</lwm2m/1/0>,</lwm2m/3/0>,</5/0>').as_json()
    assert data["root"] == "/lwm2m/" and [o["id"] for o in data["objects"]] == [1, 3]
    assert "not under the root path /lwm2m/" in data["warnings"][0]["message"]
    data = read(synced, "</lwm2m>;ct=110,</lwm2m/1/0>").as_json()
    assert data["warnings"] == [{
        "link": "</lwm2m>",
        "message": 'an alternate path needs its root link </lwm2m>;rt="oma.lwm2m" (LwM2M 1.0)',
    }]  # fmt: skip
    assert [o["id"] for o in data["objects"]] == [1]


def test_a_discover_answer_is_read_as_one(synced):
    data = read(synced, DISCOVER).as_json()
    assert data["kind"] == "discover" and data["warnings"] == []
    assert objects_of(read(synced, DISCOVER)) == [(3, "1.1", "ver", [0], True)]


def test_a_bootstrap_discover_answer_says_its_lwm2m_version(synced):
    data = read(synced, BOOTSTRAP_DISCOVER).as_json()
    assert data["kind"] == "bootstrap-discover"
    assert data["lwm2m"] == "1.1" and data["lwm2m_source"] == "request"
    assert [(o["id"], o["instances"]) for o in data["objects"]] == [
        (0, [0, 1]), (1, [0]), (3, [0]), (3303, []),
    ]  # fmt: skip
    assert data["warnings"] == []


def test_malformed_links_are_warnings_with_the_link(synced):
    data = read(synced, '</3/0>,</3303/0>;title="abc,</4/0>').as_json()
    assert data["warnings"] == [{
        "link": '</3303/0>;title="abc',
        "message": "malformed link: the quoted value of 'title' has no end",
    }]  # fmt: skip
    assert [o["id"] for o in data["objects"]] == [3]


@pytest.mark.parametrize(
    "text, request_text, lwm2m, expected",
    [
        ("</3/0>", "/rd?ep=a&lwm2m=1.1", "", ("register", "1.1", "request")),
        ("</3/0>", "ep=a&lwm2m=1.2&b=U", "", ("register", "1.2", "request")),
        ("</3/0>", "coaps://h:5684/rd/4a5b?lt=60", "1.1", ("update", "1.1", "given")),
        ("POST /bs?ep=a&pct=112", "", "", ("bootstrap-request", "1.0", "default")),
        ("</3/0>", "", "1.1", ("links", "1.1", "given")),
    ],
)
def test_the_request_says_its_kind_and_version(synced, text, request_text, lwm2m, expected):
    data = read(synced, text, request_text, lwm2m).as_json()
    assert (data["kind"], data["lwm2m"], data["lwm2m_source"]) == expected


def test_coap_options_one_a_line_as_wireshark_prints_them(synced):
    text = (
        "Constrained Application Protocol, Confirmable, POST, MID:1234\n"
        "    Opt Name: #1: Uri-Path: rd\n    Opt Name: #2: Uri-Query: ep=node-7\n"
        "    Opt Name: #3: Uri-Query: lt=60\n    Opt Name: #4: Uri-Query: lwm2m=1.1\n"
        "    Payload: </1/0>,</3/0>\n"
    )
    data = read(synced, text).as_json()
    assert (data["kind"], data["lwm2m"]) == ("register", "1.1")
    assert read(synced, text).reading.method == "POST"
    assert [(p["name"], p["value"]) for p in data["parameters"]] == [
        ("ep", "node-7"), ("lt", "60"), ("lwm2m", "1.1"),
    ]  # fmt: skip
    assert [o["id"] for o in data["objects"]] == [1, 3]


def test_an_update_carries_no_endpoint_name_and_no_version(synced):
    data = read(synced, "</3/0>", "/rd/5a3f?ep=a&lt=60").as_json()
    messages = [w["message"] for w in data["warnings"]]
    assert "ep: an Update request does not carry it" in messages
    assert "an Update does not say its LwM2M version" in messages[0]
    assert read(synced, "</3/0>", "/rd/5a3f?lt=60", "1.1").warnings == []


def test_the_version_chosen_wins_over_the_request_s(synced):
    data = read(synced, "</3/0>", "/rd?ep=a&lwm2m=1.0", "1.1").as_json()
    assert (data["lwm2m"], data["lwm2m_source"]) == ("1.1", "given")
    assert data["warnings"] == [
        {"link": None, "message": "the request says lwm2m=1.0, not 1.1: read as 1.1, as chosen"}
    ]
    data = read(synced, "</3/0>", "/rd?ep=a&lwm2m=1.1", "1.1").as_json()
    assert data["warnings"] == [] and data["lwm2m"] == "1.1"


def test_nothing_to_read_is_an_error(synced):
    from objects.lwm2m.device import BadDevice

    with pytest.raises(BadDevice, match="no request URI"):
        read(synced, "hello there")
    with pytest.raises(BadDevice, match="a URI"):
        read(synced, "</3/0>", "hello")


# --- Payloads checked against the device's definitions -----------------------------------------


def run_decode(fmt, data, request=(), versions=None, operation="read"):
    from objects.lwm2m import content_formats as cf

    return decode.decode(cf.BY_NAME[fmt], data, request, versions or {}, operation)


def test_a_registration_gives_the_decoder_its_versions(synced):
    from objects.lwm2m import tlv

    findings = decode.Findings()
    assert device.parse_versions(LESHAN_REGISTER, findings) == {1: "1.1", 3: "1.1", 3303: "1.1"}
    assert device.parse_versions(WAKAAMA_REGISTER, findings) == {
        1: "1.0", 2: "1.0", 3: "1.0", 4: "1.0", 3304: "1.0",
    }  # fmt: skip
    assert findings == []
    # Device 1.0's Battery Level is an Integer, 1.1's an Unsigned Integer.
    data = tlv.encode([tlv.Tlv(tlv.RESOURCE, 9, value=b"\xff")])
    versions = device.parse_versions(WAKAAMA_REGISTER, findings)
    node = run_decode("tlv", data, (3, 0), versions).nodes[0]
    assert (node.ver, node.type, node.json_value) == ("1.0", "Integer", -1)


def test_each_value_is_checked_against_its_resource(synced):
    import json

    pack = [
        {"bn": "/3/0/", "n": "9", "v": 101},  # outside 0..100
        {"n": "0", "v": 5},  # a number for a String
        {"n": "77", "v": 1},  # no such resource
        {"n": "1/0", "vs": "x"},  # a single resource with an instance
    ]
    result = run_decode("senml-json", json.dumps(pack).encode(), (3, 0))
    found = sorted((f.severity, f.path, f.message) for f in result.findings)
    assert (
        "warning",
        "/3/0/9",
        "Battery Level: 101 is outside 0..100 (its RangeEnumeration)",
    ) in found
    assert any(p == "/3/0/0" and s == "error" and "a number" in m for s, p, m in found)
    assert any(p == "/3/0/77" and "resource 77 is not defined" in m for _, p, m in found)
    assert any(p == "/3/0/1/0" and "single resource" in m for _, p, m in found)


def test_a_value_of_a_resource_no_read_answers_holds(synced):
    model = registry_model.ObjectModel(9, "1.0", "Thing", True, {})
    model.resources[1] = ResourceModel(1, "Secret", "String", "", "W", False, False, "")
    findings = decode.Findings()
    node = typed_payload.Node((9, 0, 1), "x", known_resource=True)
    typed_payload.check(node, {9: model}, findings, "read")
    assert [f.message for f in findings] == [
        "Secret is not readable (operations W): no read answer holds it"
    ]
    findings = decode.Findings()
    typed_payload.check(node, {9: model}, findings, "write")
    assert findings == []


def test_a_truncated_tlv_is_detected_as_tlv(synced):
    from objects.lwm2m import content_formats as cf

    cut = bytes.fromhex("e4164441bc")  # 5700 with a 4-byte Float, 2 bytes of it
    assert cf.detect(cut).name == "tlv"
    result = run_decode("tlv", cut, (3303, 0))
    assert "goes past the end" in result.findings[0].message
    assert cf.detect(bytes.fromhex("e4164441bc0000")).name == "tlv"  # whole
    assert cf.detect(bytes.fromhex("4f16ff")).name == "opaque"  # a resource instance first
    assert cf.detect(bytes.fromhex("e816")).name == "opaque"  # no whole header
    assert cf.detect(b"hello").name == "text"


def test_a_discover_answer_is_read_as_a_discover(synced):
    result = run_decode("link", DISCOVER.encode())
    assert result.findings == []
    assert [(entry.object_id, entry.instances) for entry, _ in result.announced] == [(3, [0])]


def test_a_quoted_value_without_its_closing_quote_is_an_error(synced):
    result = run_decode("link", b'</>;rt="oma.lwm2m,</1/0>,</3/0>')
    assert [(f.severity, f.message) for f in result.findings] == [
        ("error", "the quoted value of 'rt' has no end")
    ]
    data = read(synced, '</>;rt="oma.lwm2m,</1/0>').as_json()
    assert data["warnings"][0]["message"] == "malformed link: the quoted value of 'rt' has no end"


# --- On the whole registry -------------------------------------------------------------------


def test_a_leshan_1_1_client_against_the_whole_registry(full_registry):
    from objects.catalog.device import read_device

    text = (
        "POST /rd?ep=leshan&lt=300&lwm2m=1.1&b=U\n"
        '</>;rt="oma.lwm2m";ct="60 110 112 11542",</1>;ver=1.1,</1/0>,</3>;ver=1.2,</3/0>,'
        "</4/0>,</5/0>,</3303>;ver=1.1,</3303/0>,</3380>;ver=1.0,</3380/0>,</17/0>,</40000/0>"
    )
    data = read_device(full_registry.run, text).as_json()
    got = {o["id"]: (o["version"], o["version_rule"], o["registered"]) for o in data["objects"]}
    assert got == {
        1: ("1.1", "ver", True), 3: ("1.2", "ver", True), 4: ("1.2", "default", True),
        5: ("1.0", "default", True), 3303: ("1.1", "ver", True), 3380: ("1.0", "ver", True),
        17: ("1.0", "default", True), 40000: ("1.0", "default", False),
    }  # fmt: skip
    registry = {o["id"]: o["registry"] for o in data["objects"]}
    assert (
        registry[4]["versions"] == ["1.0", "1.1", "1.2", "1.3"] and registry[4]["latest"] == "1.3"
    )
    assert registry[3380]["deprecated"] is True and registry[3303]["deprecated"] is False
    assert registry[17]["placeholder"] is True
    assert registry[40000]["range"] == "32769-42768: reserved for companies, not published"
    messages = [w["message"] for w in data["warnings"]]
    assert messages == [
        "object 17 is a placeholder in the registry: no definition for a server to load"
    ]


LINKISH = st.text(alphabet='</>;=",.0123456789abcdefrtvlwm2QU?&ep \n', max_size=120)


@settings(max_examples=300, deadline=None)
@example("</3>;ver=1.1,</3/1>,</3/0>", "", "")
@given(LINKISH, st.sampled_from(["", "/rd?ep=a&lwm2m=1.1", "ep=x&b=UQ", "/bs?ep=a"]),
       st.sampled_from(["", "1.0", "1.1", "1.2", "7.3"]))  # fmt: skip
def test_any_input_is_read_or_refused_with_a_reason(text, request_text, lwm2m):
    from objects.lwm2m import device

    try:
        reading = device.read(text, request_text, lwm2m)
    except device.BadDevice as e:
        assert str(e)
        return
    assert reading.kind in device.KINDS
    for entry in reading.objects:
        assert entry.version and entry.version_rule in ("ver", "default")
        assert entry.instances == sorted(set(entry.instances))
