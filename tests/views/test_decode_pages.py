"""/decode/ and its API: the JSON shape the issue writes, GET and POST without a CSRF token,
JSON errors, a shareable GET URL, and never a 500 on garbage."""

import json
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from objects.lwm2m import tlv
from objects.lwm2m import values as lv

pytestmark = pytest.mark.django_db

TEMPERATURE = tlv.encode(
    [
        tlv.Tlv(tlv.RESOURCE, 5700, value=lv.to_tlv(lv.FLOAT, 23.5)),
        tlv.Tlv(tlv.RESOURCE, 5701, value=b"Cel"),
    ]
).hex()


def test_the_api_answers_the_issue_s_shape(client, synced):
    response = client.get(
        "/api/v1/decode/", {"format": "tlv", "path": "/3303/0", "payload_hex": TEMPERATURE}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["Nodes"] == [
        {"Path": "/3303/0/5700", "Name": "Sensor Value", "Type": "Float", "Value": 23.5,
         "Units": ""},
        {"Path": "/3303/0/5701", "Name": "Sensor Units", "Type": "String", "Value": "Cel",
         "Units": ""},
    ]  # fmt: skip
    assert data["Findings"] == []
    assert data["Format"] == "tlv" and data["ContentFormat"] == 11542


def test_findings_have_severity_path_offset_message(client, synced):
    response = client.get(
        "/api/v1/decode/",
        {"content_format": "110", "payload": '[{"bn":"/3303/0/5700","vs":"x"},{"bn":"/3/0/9"}]'},
    )
    findings = {f["Path"]: f for f in response.json()["Findings"]}
    assert findings["/3303/0/5700"] == {
        "Severity": "error",
        "Path": "/3303/0/5700",
        "Offset": 1,
        "Message": findings["/3303/0/5700"]["Message"],
    }
    assert "Float" in findings["/3303/0/5700"]["Message"]
    assert findings["/3/0/9"]["Offset"] == 32 and "without a value" in findings["/3/0/9"]["Message"]


def test_post_json_form_and_base64_without_a_csrf_token(synced):
    client = Client(enforce_csrf_checks=True)
    body = {"format": "tlv", "path": "/3303/0", "payload_hex": TEMPERATURE}
    by_json = client.post("/api/v1/decode/", json.dumps(body), content_type="application/json")
    assert by_json.status_code == 200 and len(by_json.json()["Nodes"]) == 2
    by_form = client.post("/api/v1/decode/", body)
    assert by_form.json() == by_json.json()
    import base64

    b64 = base64.b64encode(bytes.fromhex(TEMPERATURE)).decode()
    by_b64 = client.post(
        "/api/v1/decode/",
        json.dumps({"content_format": 11542, "path": "/3303/0", "payload_base64": b64}),
        content_type="application/json",
    )
    assert by_b64.json() == by_json.json()
    assert not by_json.cookies


def test_values_in_json_by_type(client, synced):
    pack = [
        {"bn": "/3/0/", "n": "9", "v": 5},
        {"n": "22/0", "vlo": "3303:0"},
        {"bn": "/9999/0/", "n": "1", "vd": "q80"},
        {"n": "2", "vb": False},
    ]
    data = client.get("/api/v1/decode/", {"payload": json.dumps(pack)}).json()
    assert data["Format"] == "senml-json"  # detected
    assert [n["Value"] for n in data["Nodes"]] == [5, "3303:0", "abcd", False]


def test_a_link_payload_answers_links(client, synced):
    data = client.get(
        "/api/v1/decode/", {"format": "link", "payload": '</>;rt="oma.lwm2m",</3303/0>;ver=1.1'}
    ).json()
    assert data["Links"] == [
        {"Path": "/", "Attributes": {"rt": "oma.lwm2m"}},
        {"Path": "/3303/0", "Attributes": {"ver": "1.1"}},
    ]
    assert data["Findings"] == []


@pytest.mark.parametrize(
    "params, words",
    [
        ({"format": "xml", "payload": "x"}, "unknown format"),
        ({"content_format": "999", "payload": "x"}, "unknown content format"),
        ({"format": "tlv", "path": "/a/b", "payload_hex": "00"}, "not an LwM2M path"),
        ({"format": "tlv", "payload_hex": "0g"}, "not hex"),
        ({"format": "tlv", "payload_hex": "abc"}, "even number"),
        ({"format": "tlv", "payload_base64": "***"}, "not base64"),
        ({"payload_hex": "00", "payload": "x"}, "give one payload"),
        ({"format": "tlv", "payload_hex": "00" * 70000}, "limit"),
        ({"operation": "delete", "payload": "x"}, "read or write"),
    ],
)
def test_bad_requests_are_json_400(client, synced, params, words):
    response = client.get("/api/v1/decode/", params)
    assert response.status_code == 400 and words in response.json()["error"]


def test_other_methods_and_bad_bodies(client, synced):
    response = client.put("/api/v1/decode/", "{}", content_type="application/json")
    assert response.status_code == 405 and "POST" in response["Allow"] and response.json()
    response = client.post("/api/v1/decode/", "[1]", content_type="application/json")
    assert response.status_code == 400 and "JSON object" in response.json()["error"]
    response = client.post("/api/v1/decode/", b"\xff{", content_type="application/json")
    assert response.status_code == 400


def test_the_page_is_a_shareable_get_url(client, synced):
    query = urlencode({"format": "tlv", "path": "/3303/0", "payload_hex": TEMPERATURE})
    response = client.get(f"/decode/?{query}")
    assert response.status_code == 200
    text = response.text
    assert '<th scope="col">Resource</th>' in text and '<th scope="col">Units</th>' in text
    assert '<a href="/objects/3303/#resource-5700">5700 <bdi>Sensor Value</bdi></a>' in text
    assert '<a href="/objects/3303/">/3303/0</a>' in text
    assert "23.5" in text and "Cel" in text
    assert (
        "The TLV structure" in text
        and '<td class="kind">Resource with Value</td><td>5700</td><td>8</td>' in text
    )
    # The form shows what was asked, so the URL can be changed and shared again.
    assert f">{TEMPERATURE}</textarea>" in text
    assert 'value="/3303/0"' in text and '<option value="tlv" selected>' in text


def test_the_page_detects_hex_and_shows_findings_and_the_registration(client, synced):
    response = client.get(
        "/decode/",
        {"payload": "0xC8 0x00 0x14 0x4F", "input": "auto", "format": "tlv", "path": "/3/0"},
    )
    assert response.status_code == 200
    assert "Byte offset" in response.text and "past the end" in response.text
    response = client.get("/decode/", {"payload": "</3/0>;ver=1.0,</3303/1>\n"})
    assert "Objects announced" in response.text
    assert '<a href="/objects/3303/">3303</a>' in response.text
    response = client.get("/decode/", {"format": "nope", "payload": "x"})
    assert response.status_code == 400 and "unknown format" in response.text


def test_the_page_without_a_payload_is_the_form_and_is_in_the_nav(client, synced):
    response = client.get("/decode/")
    assert response.status_code == 200 and 'name="payload"' in response.text
    # The values box is empty, on the form and after a decode.
    decoded = client.get("/decode/", {"payload": "</3/0>"})
    for text in (response.text, decoded.text):
        assert re.search(r'<textarea id="values"[^>]*>([^<]*)</textarea>', text).group(1) == ""
    assert 'href="/decode/">Decode</a>' in client.get("/").text


def test_encode_api_and_page(client, synced):
    response = client.post(
        "/api/v1/encode/",
        json.dumps({"format": "senml-json", "path": "/3303/0", "values": {"/3303/0/5700": 23.5}}),
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200
    assert json.loads(bytes.fromhex(data["PayloadHex"])) == [
        {"bn": "/3303/0/", "n": "5700", "v": 23.5}
    ]
    import base64

    assert base64.b64decode(data["PayloadBase64"]).hex() == data["PayloadHex"]
    response = client.get("/api/v1/encode/", {"format": "tlv", "values": '{"/3/0/9": "x"}'})
    assert response.status_code == 400 and "number" in response.json()["error"]
    response = client.get(
        "/decode/", {"mode": "encode", "format": "tlv", "values": '{"/3303/0/5700": 23.5}'}
    )
    assert response.status_code == 200
    link = re.search(r'<a href="([^"]+)">Decode it</a>', response.text).group(1)
    decoded = client.get(link.replace("&amp;", "&"))
    assert "Sensor Value" in decoded.text


@seed(26)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fmt=st.sampled_from(
        [
            "",
            "tlv",
            "senml-json",
            "senml-cbor",
            "lwm2m-json",
            "link",
            "text",
            "opaque",
            "cbor",
            "11542",
            "x",
        ]
    ),  # fmt: skip
    path=st.sampled_from(["", "/3", "/3/0", "/3/0/9", "/3/0/22/1", "/3303/0/5700", "/x"]),
    payload=st.binary(max_size=64),
    operation=st.sampled_from(["read", "write"]),
)
def test_no_500_on_garbage(client, synced, fmt, path, payload, operation):
    params = {"format": fmt, "path": path, "payload_hex": payload.hex(), "operation": operation}
    response = client.get("/api/v1/decode/", params)
    assert response.status_code in (200, 400), response.content[:200]
    response = client.get("/decode/", params)
    assert response.status_code in (200, 400)


DECODE_PARAMS = ["format", "content_format", "path", "payload", "payload_hex", "payload_base64",
                 "input", "versions", "operation", "mode", "values"]  # fmt: skip
HOSTILE = ["", " ", "\x00", "%", "\\", "'", '"', "-1", "1e9", "9" * 30, "x" * 5000, "é" * 2000,
           "🙂", "\u202e", "<script>alert(1)</script>", "tlv", "senml-cbor", "link", "cbor",
           "11542", "/3/0", "/3303/0/5700", "/3/0/22/65535", "/99999/0", "hex", "base64",
           "encode", "write", "3=1.0", "</3>;ver=x", '{"/3/0/9": 1}', '{"/3/0/9": {"a": []}}',
           "[" * 500, "c10964", "wQlk", "</3/0>;title=\"", "0x", "00" * 3000,
           '[{"bn":"/3/0/0","vs":"\\ud800"}]', '{"/3/0/0": "\\udc00"}', '{"/3303/0/5700": 1e400}',
           '{"bn":"/3/0/","bt":1e400,"e":[{"n":"13","v":1,"t":"x"}]}', "NaN", "Infinity",
           '{"/3/0/7": 1, "/3/0/7/0": 2}', "1" * 4400]  # fmt: skip


@seed(26)
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.lists(
        st.tuples(
            st.sampled_from(DECODE_PARAMS),
            st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200)),
        ),
        max_size=7,
    ),
    url=st.sampled_from(["/decode/", "/api/v1/decode/", "/api/v1/encode/"]),
    post=st.booleans(),
)
def test_hostile_parameters_never_make_a_5xx(client, synced, query, url, post):
    if post and url.startswith("/api/"):
        response = client.post(url, json.dumps(dict(query)), content_type="application/json")
    else:
        response = client.get(f"{url}?{urlencode(query)}")
    assert response.status_code in (200, 400), (url, query, response.content[:300])
    if url.startswith("/api/"):
        assert response["Content-Type"] == "application/json"
        strict_json(response)  # no NaN or Infinity token


def test_a_decoded_tree_encodes_back_to_its_payload(client, synced):
    decoded = client.get(
        "/api/v1/decode/", {"format": "tlv", "path": "/3303/0", "payload_hex": TEMPERATURE}
    ).json()
    body = {"format": "tlv", "path": "/3303/0", "values": decoded}
    encoded = client.post("/api/v1/encode/", json.dumps(body), content_type="application/json")
    assert encoded.json()["PayloadHex"] == TEMPERATURE
    # On the page: a link from the decode to the encode form, filled in.
    page = client.get("/decode/", {"format": "tlv", "path": "/3303/0", "payload_hex": TEMPERATURE})
    link = re.search(r'<a href="([^"]+)">Encode these values again</a>', page.text).group(1)
    form = client.get(link.replace("&amp;", "&"))
    assert TEMPERATURE in form.text.replace(" ", "")  # the encoded hex, shown


def test_a_raw_body_is_the_payload_its_media_type_the_format(synced):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/decode/?path=/3303/0",
        bytes.fromhex(TEMPERATURE),
        content_type="application/vnd.oma.lwm2m+tlv",
    )
    assert response.status_code == 200 and response.json()["Format"] == "tlv"
    assert [n["Name"] for n in response.json()["Nodes"]] == ["Sensor Value", "Sensor Units"]
    response = client.post(
        "/api/v1/decode/", b'[{"bn":"/3303/0/5700","v":1}]', content_type="application/senml+json"
    )
    assert response.json()["Nodes"][0]["Value"] == 1.0


def strict_json(response):
    """The answer read by a parser that takes no NaN or Infinity token (JSON has none)."""

    def refuse(token):
        raise ValueError(f"{token} in the answer: not JSON")

    return json.loads(response.content, parse_constant=refuse)


LONE = '[{"bn":"/3/0/0","vs":"\\ud800"}]'  # 31 bytes of JSON, its string no Unicode text


def test_a_lone_surrogate_is_a_400_in_a_body_and_a_finding_in_a_payload(client, synced):
    for url, body in (
        ("/api/v1/decode/", {"format": "senml-json", "payload": '[{"bn":"/3/0/0","vs":"\ud800"}]'}),
        ("/api/v1/decode/", {"format": "text", "path": "/3/0/0", "payload": "\ud800"}),
        ("/api/v1/encode/", {"format": "senml-json", "values": {"/3/0/0": "\ud800"}}),
        ("/api/v1/encode/", {"format": "tlv", "values": {"/3/0/0": "x"}, "versions": "\udfff"}),
    ):
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 400 and "surrogate" in strict_json(response)["error"]
    # values as text (a query, a form), its JSON holding the escape: the same 400.
    for url in ("/api/v1/encode/", "/decode/"):
        response = client.get(url, {"mode": "encode", "format": "tlv",
                                    "values": '{"/3/0/0": "\\ud800"}'})  # fmt: skip
        assert response.status_code == 400 and "surrogate" in response.content.decode()
    # The payload itself, in a short URL: a finding at the escape's offset, page and API alike.
    response = client.get("/api/v1/decode/", {"payload": LONE})
    finding = strict_json(response)["Findings"][0]
    assert response.status_code == 200 and strict_json(response)["Nodes"] == []
    assert "surrogate" in finding["Message"] and finding["Offset"] == LONE.index("\\ud800")
    response = client.get("/decode/?" + urlencode({"payload": LONE}))
    assert response.status_code == 200 and "lone UTF-16 surrogate" in response.text


NINES = "9" * 4300  # bt + t would be 4,301 digits, which Python will not write in decimal


def test_answers_are_strict_json_whatever_the_times_and_values(client, synced):
    payloads = [
        ("lwm2m-json", '{"bn":"/3/0/","bt":1e400,"e":[{"n":"13","v":1,"t":-1e400}]}'),
        ("lwm2m-json", '{"bn":"/3/0/","bt":1e308,"e":[{"n":"13","v":1,"t":1e308}]}'),
        ("lwm2m-json", f'{{"bn":"/3/0/","bt":{NINES},"e":[{{"n":"13","v":1,"t":{NINES}}}]}}'),
        ("lwm2m-json", '{"bn":"/3303/0/","e":[{"n":"5700","v":1e400}]}'),
        ("senml-json", '[{"bn":"/3303/0/5700","bt":1e308,"t":1e308,"v":-1e400}]'),
    ]  # fmt: skip
    for fmt, payload in payloads:
        body = json.dumps({"format": fmt, "payload": payload})
        response = client.post("/api/v1/decode/", body, content_type="application/json")
        data = strict_json(response)
        assert response.status_code == 200 and all("Time" not in n for n in data["Nodes"])
        assert all(isinstance(n["Value"], int | str) for n in data["Nodes"]), data
    response = client.get("/api/v1/decode/", {"format": "lwm2m-json", "payload": payloads[-2][1]})
    assert strict_json(response)["Nodes"][0]["Value"] == "Infinity"  # as Java writes it
    # t "yesterday" is a finding, no longer a time of 0.
    payload = '{"bn":"/3/0/","e":[{"n":"13","v":1,"t":"yesterday"}]}'
    data = strict_json(client.get("/api/v1/decode/", {"format": "lwm2m-json", "payload": payload}))
    assert "Time" not in data["Nodes"][0] and "t (time)" in data["Findings"][0]["Message"]


def test_a_huge_cbor_map_label_is_a_finding(client, synced):
    import cbor2

    pack = [{cbor2.CBORTag(2, b"\xff" * 1800): 1, -2: "/3/0/9", 2: 5}]
    response = client.post(
        "/api/v1/decode/", cbor2.dumps(pack), content_type="application/senml+cbor"
    )
    assert response.status_code == 200 and strict_json(response)["Nodes"][0]["Value"] == 5


def test_junk_records_give_a_bounded_answer(client, synced):
    junk = "[" + ",".join(["1"] * 32767) + "]"  # 64 KB
    body = json.dumps({"format": "senml-json", "payload": junk})
    response = client.post("/api/v1/decode/", body, content_type="application/json")
    findings = strict_json(response)["Findings"]
    assert response.status_code == 200 and len(response.content) < 150_000
    assert len(findings) == 1001 and "4001 more finding(s) left out" in findings[-1]["Message"]


def test_encode_refuses_what_it_would_write_wrong_or_drop(client, synced):
    cases = [
        ({"format": "senml-json", "values": {"/3303/0/5700": 1e400}}, "no JSON number"),
        ({"format": "lwm2m-json", "values": {"/3303/0/5700": "NaN"}}, "no JSON number"),
        ({"format": "tlv", "values": {"/3303/0/5700": 1, "3303/0/5700": 2}}, "twice"),
        ({"format": "tlv", "values": {"/3/0/7": 1, "/3/0/7/0": 2}}, "not both"),
    ]
    for body, words in cases:
        response = client.post("/api/v1/encode/", json.dumps(body), content_type="application/json")
        assert response.status_code == 400 and words in strict_json(response)["error"], body
    # Two values under one key: json.loads would keep the last one, unsaid.
    for body in ('{"format":"tlv","values":{"/3/0/9":1,"/3/0/9":2}}',
                 '{"format":"tlv","format":"cbor","values":{"/3/0/9":1}}'):  # fmt: skip
        response = client.post("/api/v1/encode/", body, content_type="application/json")
        assert response.status_code == 400 and "twice" in strict_json(response)["error"]
    response = client.get("/api/v1/encode/", {"format": "tlv", "values": '{"/3/0/9":1,"/3/0/9":2}'})
    assert response.status_code == 400 and "twice" in strict_json(response)["error"]
    # A decode's history (one path at two times) is not one payload.
    history = {"Nodes": [{"Path": "/3303/0/5700", "Value": 1, "Time": 1},
                         {"Path": "/3303/0/5700", "Value": 2, "Time": 2}]}  # fmt: skip
    body = json.dumps({"format": "tlv", "values": history})
    response = client.post("/api/v1/encode/", body, content_type="application/json")
    assert response.status_code == 400 and "twice" in strict_json(response)["error"]
    # TLV and CBOR hold an infinity: a decode's "Infinity" encodes back.
    body = json.dumps({"format": "tlv", "values": {"/3303/0/5700": "Infinity"}})
    response = client.post("/api/v1/encode/", body, content_type="application/json")
    assert strict_json(response)["PayloadHex"] == "e81644087ff0000000000000"
