"""/validate/ and POST /api/v1/validate/ speak OMA's fault IDs: one file, several, a ZIP laid
out as the registry; grouped by code in OMA's columns, each finding linked to its line."""

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import FIXTURE_REGISTRY

BAD = (FIXTURE_REGISTRY / "3303.xml").read_bytes()
UNITS = BAD.replace(b"<Units></Units>", b"<Units>degC</Units>", 1)


def registry_zip(**changes):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for path in sorted(FIXTURE_REGISTRY.rglob("*.xml")):
            name = path.relative_to(FIXTURE_REGISTRY).as_posix()
            archive.writestr(f"registry/{name}", changes.get(name, path.read_bytes()))
    return data.getvalue()


def test_the_api_answers_the_commands_json_for_an_xml_body(client, synced):
    response = client.post("/api/v1/validate/?name=3303.xml", UNITS, content_type="text/xml")
    assert response.status_code == 200
    [entry] = response.json()["files"]
    assert entry["file"] == "3303.xml"
    [unit] = [f for f in entry["findings"] if f["oma_code"] == "417"]
    assert unit["resource_id"] == 5700
    assert UNITS.decode().splitlines()[unit["line"] - 1].strip() == "<Units>degC</Units>"
    assert unit["hint"] == "write a SenML unit: 'degC' is most likely 'Cel'"
    assert set(unit) == {"oma_code", "element", "resource_id", "line", "severity", "resolve_by",
                         "message", "hint"}  # fmt: skip


def test_the_api_takes_several_files_and_a_zip(client, synced):
    response = client.post("/api/v1/validate/", {"file": [
        SimpleUploadedFile("a.xml", UNITS, "text/xml"),
        SimpleUploadedFile("Common.xml", (FIXTURE_REGISTRY / "Common.xml").read_bytes()),
    ]})  # fmt: skip
    assert [entry["file"] for entry in response.json()["files"]] == ["a.xml", "Common.xml"]
    body = registry_zip(**{"version_history/3-1_0.xml": b"<LWM2M>"})
    response = client.post("/api/v1/validate/", body, content_type="application/zip")
    codes = {(e["file"], f["oma_code"]) for e in response.json()["files"] for f in e["findings"]}
    assert ("body:version_history/3-1_0.xml", "272") in codes
    assert ("body:DDF.xml", "041") in codes


def test_the_api_refuses_what_it_cannot_check(client, synced):
    assert client.get("/api/v1/validate/").status_code == 405
    empty = client.post("/api/v1/validate/", b"", content_type="text/xml")
    assert empty.status_code == 400 and "error" in empty.json()
    broken = client.post("/api/v1/validate/", b"PK\x03\x04junk", content_type="application/zip")
    assert broken.status_code == 400 and "ZIP" in broken.json()["error"]


def test_the_page_groups_by_code_links_lines_and_offers_markdown(client, synced):
    response = client.post("/validate/", {"file": SimpleUploadedFile("3303.xml", UNITS)})
    assert response.status_code == 200
    html = response.text
    group = re.search(r'<tbody id="code-417">.*?</tbody>', html, re.S).group()
    assert '<th scope="col">Resolve By</th>' in html
    assert "<td>3303:5700</td><td>Submitter</td>" in group
    line = UNITS.decode().splitlines().index("        <Units>degC</Units>") + 1
    assert f'<a href="#L{line}"><bdi>3303.xml</bdi>:{line}</a>' in group
    assert f'<tr id="L{line}">' in html
    assert "417 | resource 5700: &#x27;degC&#x27; is not a SenML unit | 3303:5700 | Submitter" in (
        html
    )
    assert 'data-copy-from="oma-markdown"' in html


def test_the_page_takes_a_zip_and_shows_the_files_with_findings(client, synced):
    body = registry_zip(**{"3303.xml": UNITS})
    response = client.post("/validate/", {"file": SimpleUploadedFile("r.zip", body)})
    assert response.status_code == 200
    assert '<tbody id="code-417">' in response.text
    assert re.search(r'<a href="#(F\d+-)?L\d+"><bdi>r.zip:3303.xml</bdi>', response.text)


def test_the_registry_s_own_codes_on_the_object_page_and_quality(client, synced):
    html = client.get("/objects/3303/").text
    faults = re.search(r'<ul class="findings oma">.*?</ul>', html, re.S).group()
    assert '<a href="/quality/?code=465"><code>465</code></a>' in faults
    assert '<a href="/objects/3303/1.1/definition/#L39">line 39</a>' in faults
    assert "Fix: copy Common.xml&#x27;s Description word for word" in faults
    quality = client.get("/quality/").text
    row = re.search(r'<a href="\?code=465">465</a>.*?</tr>', quality, re.S).group()
    assert '<td class="n"><a href="?code=465">1</a></td>' in row
    listed = client.get("/quality/?code=465").text
    assert "1 definition with OMA's fault 465 (Description as in Common.xml)" in listed
    assert re.findall(r'<h3><a href="[^"]*#quality">(\d+) <bdi>', listed) == ["3303"]
    data = client.get("/api/v1/quality/?code=465").json()
    assert {c["Code"]: c["Definitions"] for c in data["OMACodes"]}["465"] == 1
    assert [d["ObjectID"] for d in data["Definitions"]] == [3303]
