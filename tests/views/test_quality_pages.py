"""Where the findings show: /quality/ and its JSON, the per-version JSON, /validate/ (its
form, its refusals) and `manage.py validate_definition`."""

import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from objects.models import Finding, SyncRun
from tests.conftest import FIXTURE_REGISTRY

pytestmark = pytest.mark.django_db

BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><LWM2M>&lol2;</LWM2M>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<LWM2M><Object><Name>&e;</Name></Object></LWM2M>"""


def listed(response):
    return re.findall(
        r'<h3><a href="[^"]*#quality">(\d+) <bdi>[^<]*</bdi> v([\d.]+)</a>', response.text
    )


def test_the_quality_page_counts_by_rule_and_lists_definitions(client, synced):
    response = client.get("/quality/")
    assert response.status_code == 200
    html = response.text
    assert listed(response) == [("3", "1.1"), ("3303", "1.1"), ("3304", "1.0"), ("10241", "1.0")]
    row = re.search(r"<code>schema-location</code>.*?</tr>", html, re.S).group()
    assert re.search(r'severity=error">3</a>', row)
    assert "<strong>3</strong> with errors, <strong>1</strong> with warnings only" in html
    common = client.get("/quality/?rule=common")
    assert listed(common) == [("3303", "1.1"), ("3304", "1.0")]
    assert "resource 5700" in common.text
    assert 'href="/objects/3304/#resource-5700"' in common.text
    errors = client.get("/quality/?severity=error&rule=schema")
    assert listed(errors) == [("3303", "1.1")]
    warnings = client.get("/quality/?severity=warning")
    assert listed(warnings) == [("3303", "1.1"), ("3304", "1.0")]
    assert listed(client.get("/quality/?versions=all&rule=schema-location")) == [
        ("3", "1.1"), ("3303", "1.1"), ("10241", "1.0"),
    ]  # fmt: skip
    assert client.get("/quality/?rule=<script>&severity=x&versions=").status_code == 200


def test_the_quality_json(client, synced):
    data = client.get("/api/v1/quality/?rule=common").json()
    assert {r["Rule"]: r["Warnings"] for r in data["Rules"]}["common"] == 2
    assert [(d["ObjectID"], d["Quality"]) for d in data["Definitions"]] == [
        (3303, "error"), (3304, "warning"),
    ]  # fmt: skip
    assert data["Definitions"][1]["Findings"] == [
        {
            "Rule": "common",
            "Severity": "warning",
            "ResourceID": 5700,
            "Message": "resource 5700 departs from Common.xml in units",
            "OMACode": None,
            "Line": None,
            "Hint": "",
        }
    ]


def test_the_version_json_carries_its_findings(client, synced):
    data = client.get("/api/v1/objects/3303/1.1/").json()
    assert data["Quality"] == "error"
    assert {(f["Rule"], f["Severity"], f["ResourceID"]) for f in data["Findings"]
            if f["OMACode"] is None} == {
        ("schema-location", "error", None), ("schema", "error", None), ("common", "warning", 5750)
    }  # fmt: skip
    # OMA's fault IDs, with the line and the fix.
    oma = {(f["OMACode"], f["ResourceID"]): f for f in data["Findings"] if f["OMACode"]}
    assert set(oma) == {("404", None), ("465", 5750), ("800", None)}
    assert oma[("465", 5750)]["Line"] == 39
    assert oma[("465", 5750)]["Hint"].startswith("copy Common.xml's Description word for word")
    assert client.get("/api/v1/objects/3/1.0/").json()["Findings"] == []


def post(client, body, name="object.xml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/validate/", {"file": SimpleUploadedFile(name, body, "text/xml")})


def test_validate_a_clean_file_and_what_the_registry_knows(client, synced):
    form = client.get("/validate/")
    assert form.status_code == 200
    assert "csrfmiddlewaretoken" in form.text
    response = post(client, (FIXTURE_REGISTRY / "version_history" / "3-1_0.xml").read_bytes())
    html = response.text
    assert response.status_code == 200
    assert "no finding" in html
    assert "Taken:" in html
    assert "owned by <bdi>OMA</bdi>" in html
    assert "Its range: 0-1023: OMA (Label: OMA)" in html
    assert (
        "Against the registry&#x27;s version 1.0" in html
        or "Against the registry's version 1.0" in html
    )


def test_validate_a_new_version_against_the_latest(client, synced):
    body = (
        (FIXTURE_REGISTRY / "3303.xml")
        .read_bytes()
        .replace(b"<ObjectVersion>1.1", b"<ObjectVersion>1.2")
    )
    body = body.replace(b"urn:oma:lwm2m:ext:3303:1.1", b"urn:oma:lwm2m:ext:3303:1.2")
    html = post(client, body).text
    assert "Against the registry's version 1.1" in html.replace("&#x27;", "'")
    assert "error" in html
    assert "schema-location" in html


def test_validate_a_free_id_pasted(client, synced):
    body = (FIXTURE_REGISTRY / "3304.xml").read_text().replace("3304", "3399")
    html = client.post("/validate/", {"text": body}).text
    assert "Free: no object of the registry has this ObjectID." in html
    assert "departs from Common.xml in units" in html


@pytest.mark.parametrize(
    "body, message",
    [
        (b"not xml at all", "not well-formed XML"),
        (b"<html><body>hello</body></html>", "no &lt;Object&gt; element"),
        (BOMB, "DTDs and entities are not allowed"),
        (EXTERNAL, "DTDs and entities are not allowed"),
    ],
)
def test_validate_refuses_what_is_no_definition_with_a_400(client, synced, body, message):
    response = post(client, body)
    assert response.status_code == 400
    assert message in response.text
    assert "root:" not in response.text  # /etc/passwd's first line: nothing read


def test_an_external_entity_is_never_read(client, synced, tmp_path):
    """The entity names a file of our own with a secret in it: whatever the page says of the
    upload, the secret never appears (the path may be echoed; the file's content may not)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-7f3a9c")
    for place in ("<Name>&e;</Name>", "<Description1>&e;</Description1>"):
        body = (
            f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
            f'<LWM2M><Object ObjectType="MODefinition">{place}<ObjectID>10250</ObjectID>'
            "<ObjectURN>urn:oma:lwm2m:x:10250</ObjectURN><Resources/></Object></LWM2M>"
        ).encode()
        response = post(client, body)
        assert response.status_code in (200, 400)
        assert "SECRET-7f3a9c" not in response.text


def test_validate_refuses_large_uploads_and_empty_forms(client, synced):
    big = post(client, b"<LWM2M>" + b" " * (1024 * 1024 + 10) + b"</LWM2M>")
    assert big.status_code == 400
    assert "over the 1,024 KB limit" in big.text
    empty = client.post("/validate/", {"text": "  "})
    assert empty.status_code == 400
    assert "Choose a file or paste a definition." in empty.text


def test_validate_needs_the_csrf_token(synced):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/validate/", {"text": "<LWM2M/>"}).status_code == 403
    assert Client().put("/validate/").status_code == 405


def test_the_command(synced, capsys):
    good = FIXTURE_REGISTRY / "version_history" / "3-1_0.xml"
    call_command("validate_definition", str(good))
    assert capsys.readouterr().out == f"{good}: ok\n"
    bad = FIXTURE_REGISTRY / "3303.xml"
    with pytest.raises(SystemExit) as exit_status:
        call_command("validate_definition", str(good), str(bad))
    out = capsys.readouterr().out
    assert exit_status.value.code == 1
    assert f"{bad}:3: 404 xsi:noNamespaceSchemaLocation names nothing, no LwM2M schema" in out
    assert f"{bad}:39: 465 resource 5750: Description differs from Common.xml's" in out
    assert f"{bad}:5: schema LWM2M.xsd, line 5: Element 'ObjectID'" in out  # our own rule


def test_the_command_answers_json_and_markdown(synced, capsys):
    bad = FIXTURE_REGISTRY / "3303.xml"
    with pytest.raises(SystemExit):
        call_command("validate_definition", "--format", "json", str(bad))
    data = json.loads(capsys.readouterr().out)
    [entry] = data["files"]
    assert entry["file"] == str(bad)
    assert {
        "oma_code": "465", "element": "Reusable resource Description", "resource_id": 5750,
        "line": 39, "severity": "error", "resolve_by": "Submitter",
        "message": "resource 5750: Description differs from Common.xml's",
        "hint": "copy Common.xml's Description word for word: 'The application type of the "
        "sensor or actuator as a string depending on the use case.'",
    } in entry["findings"]  # fmt: skip
    with pytest.raises(SystemExit):
        call_command("validate_definition", "--format", "markdown", str(bad))
    table = capsys.readouterr().out.splitlines()
    assert table[:2] == ["Error | Description | ObjID:RID | Resolve By", "-- | -- | -- | --"]
    assert (
        "465 | resource 5750: Description differs from Common.xml's | 3303:5750 | Submitter"
        in table
    )


def test_the_list_filters_by_quality(client, synced):
    def names(query):
        return re.findall(r'<td class="id">(\d+)</td>', client.get(f"/?{query}").text)

    assert names("quality=error") == ["3", "3303", "10241"]
    assert names("quality=warning") == ["3304"]
    assert names("quality=clean&quality=warning") == ["3304", "10300"]
    html = client.get("/?quality=error").text
    assert re.search(r'value="clean" id="quality-clean">[^\n]*<span class="n">1</span>', html)
    assert "quality=error" in re.search(r'href="/export.csv\?([^"]*)"', html).group(1)


def test_the_object_page_has_a_quality_panel(client, synced):
    html = client.get("/objects/3303/").text
    panel = re.search(r'<section class="quality-panel".*?</section>', html, re.S)
    assert panel
    assert '<span class="quality quality-error">errors</span>' in panel.group()
    assert '<a href="#resource-5750">resource 5750</a>: resource 5750 departs' in panel.group()
    assert (
        '<a href="/quality/?rule=schema-location"><code>schema-location</code></a>' in panel.group()
    )
    assert "passes every" in client.get("/objects/3/1.0/").text
    assert "quality-panel" not in client.get("/objects/2048/").text  # a placeholder: unchecked


def test_the_command_with_a_clone_s_files_needs_no_sync(db, capsys):
    bad = FIXTURE_REGISTRY / "3304.xml"
    with pytest.raises(SystemExit):
        call_command("validate_definition", "--registry", str(FIXTURE_REGISTRY), str(bad))
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0] == (
        f"{bad}:20: 464 resource 5700: Units '%RH', Common.xml says '' "
        "(hint: write <Units></Units> as Common.xml does)"
    )
    # The registry's codes for its ObjectID, at their lines in DDF.xml.
    assert f"{FIXTURE_REGISTRY / 'DDF.xml'}:73: 041 <TSLink> is given 2 times in one item" in (
        out.out
    )
    assert out.err == ""


def test_the_panel_kept_for_a_version_is_never_another_syncs(client, synced):
    """The panel is cached by the version's row; a row number can come again (a database
    restored, or rolled back as in these tests), a sync's end cannot."""
    assert "resource 5750 departs from Common.xml" in client.get("/objects/3303/").text
    Finding.objects.filter(rule="common").update(message="a message of another sync")
    run = synced.run
    SyncRun.objects.filter(pk=run.pk).update(finished=run.finished + timedelta(seconds=1))
    html = client.get("/objects/3303/").text
    assert "a message of another sync" in html


def test_validate_gives_each_finding_its_line_and_shows_the_file(client, synced):
    """Every finding a line can be given (the schema's, a resource's, an object-level rule's)
    links to that line of the file, shown below the findings, numbered."""
    body = (FIXTURE_REGISTRY / "3303.xml").read_text()
    body = body.replace("<Name>Temperature</Name>", "<Name></Name>")
    html = post(client, body.encode()).text
    lines = body.splitlines()
    name_line = next(n for n, line in enumerate(lines, 1) if "<Name></Name>" in line)
    item_line = next(n for n, line in enumerate(lines, 1) if '<Item ID="5750">' in line)
    found = dict(re.findall(r'<code>([a-z-]+)</code> <a href="#L(\d+)">line \d+</a>', html))
    assert found["object-name"] == str(name_line)
    assert found["common"] == str(item_line)
    assert found["schema-location"] == "3"  # the <LWM2M> element, after a comment
    assert f'<tr id="L{item_line}"><td class="ln"><a href="#L{item_line}">' in html
    assert html.count('<td class="ln">') == body.count("\n") + 1


def test_validate_a_latin_1_file(client, synced):
    """ISO-8859-1 bytes that declare their encoding, and ones that do not: findings, never a
    500."""
    body = (FIXTURE_REGISTRY / "3303.xml").read_text()
    declared = body.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(
        "Temperature</Name>", "Température</Name>"
    )
    response = post(client, declared.encode("latin-1"))
    assert response.status_code == 200
    assert "Température" in response.text
    undeclared = body.replace("Temperature</Name>", "Température</Name>").encode("latin-1")
    assert post(client, undeclared).status_code in (200, 400)


def test_the_sdks_compatibility_on_the_json_the_page_and_quality(client, synced):
    data = client.get("/api/v1/objects/3303/1.1/").json()["Compatibility"]
    assert set(data) == {"leshan", "anjay", "wakaama", "zephyr", "nordic"}
    assert data["anjay"] == {"ok": True, "reason": ""}
    page = client.get("/objects/3303/").text
    assert "<li>Anjay: all of it.</li>" in page
    assert client.get("/api/v1/objects/2048/1.0/").json()["Compatibility"] == {}  # placeholder
    quality = client.get("/quality/?tool=anjay").text
    assert "Anjay: 0 with a gap" in quality
    assert "0 definitions that Anjay's code cannot express whole" in quality
