"""/device/, its JSON twin and /device/models.zip: the issue's JSON shape, every state a GET
URL, the registry's own bytes in each layout, clear 400s and never a 500."""

import io
import json
import re
import zipfile
from html import unescape
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objects.catalog.reads import definition_body
from objects.models import ObjectVersion

pytestmark = pytest.mark.django_db

REGISTER = (
    "POST /rd?ep=node-1&lt=300&lwm2m=1.1&b=U\n"
    '</>;rt="oma.lwm2m";ct="60 110 112 11542",</1/0>,</3/0>,</3303>;ver=1.1,</3303/0>,'
    "</3303/1>,</3304/0>,</31024/0>"
)


def test_the_api_answers_the_issue_s_shape(client, synced):
    response = client.get(
        "/api/v1/device/", {"payload": "</3/0>,</3303/0>,</3303/1>", "lwm2m": "1.1"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["lwm2m"] == "1.1"
    assert [{k: o[k] for k in ("id", "name", "version", "version_rule", "instances", "registered")}
            for o in data["objects"]] == [
        {"id": 3, "name": "Device", "version": "1.1", "version_rule": "default",
         "instances": [0], "registered": True},
        {"id": 3303, "name": "Temperature", "version": "1.0", "version_rule": "default",
         "instances": [0, 1], "registered": True},
    ]  # fmt: skip
    assert data["warnings"] == []


def test_the_request_given_apart_says_the_version(client, synced):
    data = client.get(
        "/api/v1/device/", {"payload": "</3/0>;ver=1.1", "request": "/rd?ep=a&lwm2m=1.1"}
    ).json()
    assert data["lwm2m"] == "1.1" and data["kind"] == "register"
    assert data["warnings"] == [{
        "link": "</3/0>",
        "message": "ver= on an instance link: it belongs on the object's link </3>;ver=1.1 "
                   "(Leshan refuses the registration)",
    }]  # fmt: skip


@pytest.mark.parametrize(
    "query, words",
    [
        ({}, "give payload"),
        ({"payload": "hello"}, "no request URI"),
        ({"payload": "</3/0>", "lwm2m": "one"}, "lwm2m is a version"),
        ({"payload": "</3/0>", "kind": "x"}, "kind is one of"),
        ({"payload": "</3/0>" * 20000}, "over the 64 KB limit"),
    ],
)
def test_bad_requests_are_json_400s(client, synced, query, words):
    response = client.get("/api/v1/device/", query)
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_the_page_is_a_shareable_get_url(client, synced):
    assert client.get("/device/").status_code == 200
    response = client.get("/device/?" + urlencode({"payload": REGISTER}))
    assert response.status_code == 200
    html = response.text
    assert "Register request (POST /rd): LwM2M 1.1, 5 objects, 0 warnings" in html
    assert '<textarea id="payload" name="payload"' in html
    assert "POST /rd?ep=node-1&amp;lt=300" in html  # the form keeps what was pasted
    rows = table_rows(html, "device-objects")
    assert rows[0] == ["ID", "Name", "Version", "Instances", "Registry"]
    assert rows[3][:4] == ["3303", "Temperature", "1.1 (ver=)", "0, 1"]
    assert (
        rows[2][2] == "1.1 (default: LwM2M 1.1 (2018) said 1.0, 1.1.1 says 1.1; Leshan reads 1.1)"
    )
    assert rows[5][1] == "(not in the registry)"
    assert rows[5][4].startswith("unknown: range 26241-32768")
    assert '<a href="/ids/?id=31024">31024</a>' in html  # what the ID space says of it
    params = table_rows(html, "device-parameters")
    assert params[1][:2] == ["ep", "node-1"] and "Endpoint Client Name" in params[1][2]
    assert "<code>11542</code> OMA TLV" in html
    # Its downloads and links carry the same query.
    models = re.findall(r'href="(/device/models\.zip\?[^"]+)"', html)
    assert len(models) == 3 and all("payload=POST" in unescape(m) for m in models)
    assert 'href="/code.zip?id=3%2C3303%2C3304"' in html
    assert 'href="/?id=3%2C3303%2C3304"' in html
    assert "versions=1%3D1.1%2C+3%3D1.1%2C+3303%3D1.1" in html  # the decoder, with these versions
    assert (
        '<input type="hidden" name="versions" value="1=1.1, 3=1.1, 3303=1.1, 3304=1.0, 31024=1.0">'
        in html
    )
    assert client.get("/device/?payload=hello").status_code == 400


def table_rows(html, css_class):
    table = re.search(rf'<table class="[^"]*{css_class}[^"]*">(.*?)</table>', html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


@pytest.mark.parametrize("layout", ["folder", "emqx", "thingsboard"])
def test_the_models_are_the_registry_s_own_bytes(client, synced, layout):
    query = {"payload": "</3/0>,</3303>;ver=1.0,</3303/0>,</2048/0>,</31024/0>", "lwm2m": "1.1"}
    response = client.get("/device/models.zip", {**query, "layout": layout})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert f"-{layout}.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    xml = sorted(n for n in archive.namelist() if n.endswith(".xml"))
    expected = {
        "folder": ["models/3-1_1.xml", "models/3303-1_0.xml"],
        "emqx": ["lwm2m_xml/Device-3-v1_1.xml", "lwm2m_xml/Temperature-3303-v1_0.xml"],
        "thingsboard": ["thingsboard/3303_1.0.xml", "thingsboard/3_1.1.xml"],
    }[layout]
    assert xml == expected
    device = ObjectVersion.objects.get(object_id=3, ver="1.1")
    temperature = ObjectVersion.objects.get(object_id=3303, ver="1.0")
    by_id = {name: archive.read(name) for name in xml}
    assert definition_body(device) in by_id.values()
    assert definition_body(temperature) in by_id.values()
    assert archive.read("MISSING.txt").decode() == (
        "No stored definition in the registry for: 2048 version 1.0, 31024 version 1.0\n"
    )
    readme = archive.read("README.txt").decode()
    # The fixture's Device 1.1 declares the wrong schema: an error Leshan's loader refuses.
    assert (
        "3 Device version 1.1 (LwM2M 1.1): Leshan's strict loader refuses it: it has errors"
        in readme
    )
    assert "3303 Temperature version 1.0 (LwM2M 1.0): Leshan's strict loader loads it" in readme
    if layout == "thingsboard":
        bodies = json.loads(archive.read("thingsboard/resources.json"))
        assert [b["fileName"] for b in bodies] == ["3_1.1.xml", "3303_1.0.xml"]
        assert bodies[0]["resourceType"] == "LWM2M_MODEL"


def test_models_refusals(client, synced):
    assert client.get("/device/models.zip", {"payload": "</3/0>", "layout": "x"}).status_code == 400
    missing = client.get("/device/models.zip", {"payload": "</31024/0>"})
    assert missing.status_code == 404


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200), st.sampled_from(["", "1.0", "1.1"]))
def test_never_a_500(client, synced, text, lwm2m):
    for url in ("/api/v1/device/", "/device/"):
        response = client.get(url, {"payload": text, "lwm2m": lwm2m})
        assert response.status_code in (200, 400)
    response = client.get("/api/v1/device/", {"payload": "<" + text, "request": text})
    assert response.status_code in (200, 400)


def test_the_models_of_a_1_2_client_on_the_whole_registry(client, full_registry):
    query = {"payload": "</1/0>,</3/0>,</3303/0>", "lwm2m": "1.2", "layout": "folder"}
    response = client.get("/device/models.zip", query)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "README.txt", "models/1-1_2.xml", "models/3-1_2.xml", "models/3303-1_0.xml",
    ]  # fmt: skip
    readme = archive.read("README.txt").decode()
    assert (
        "1 LwM2M Server version 1.2 (LwM2M 1.2): Leshan's strict loader refuses it: LwM2M 1.2: "
        "Leshan's loader knows LwM2M 1.0 and 1.1 only"
    ) in readme
    assert "3 Device version 1.2 (LwM2M 1.1): Leshan's strict loader loads it" in readme
    stored = ObjectVersion.objects.get(object_id=1, ver="1.2")
    assert archive.read("models/1-1_2.xml") == definition_body(stored)


@pytest.mark.parametrize(
    "path",
    ["/device/", "/device/?payload=%3C/3/0%3E", "/api/v1/device/?payload=%3C/3/0%3E",
     "/device/models.zip?payload=%3C/3/0%3E"],
)  # fmt: skip
def test_every_answer_is_cached_as_the_site_s_public_answers(client, synced, path):
    first = client.get(path)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_before_any_sync_every_id_is_unknown(client):
    data = client.get("/api/v1/device/", {"payload": "</3/0>"}).json()
    assert data["objects"][0]["registered"] is False
    assert data["objects"][0]["registry"]["range"] == "0-1023: OMA"
    assert client.get("/device/", {"payload": "</3/0>"}).status_code == 200
    assert client.get("/device/models.zip", {"payload": "</3/0>"}).status_code == 404
