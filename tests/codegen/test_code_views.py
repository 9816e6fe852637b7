"""The code page, each generated file, a selection's zip and the command, on the fixture
registry synced into the test database."""

import io
import json
import re
import zipfile
from urllib.parse import quote, urlencode

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objects.codegen import FILES, OBJECT_FILES, saved_name


def test_the_code_page_shows_every_target(client, synced):
    response = client.get("/objects/3303/1.1/code/")
    assert response.status_code == 200
    html = response.text
    for name in FILES:
        slug = name.replace(".", "-")
        assert f'<section id="{slug}"' in html
        # The URL keeps the file's name; it is saved under its own (lwm2m_3303_anjay.c...).
        saved = saved_name(name, 3303)
        link = f'href="/objects/3303/1.1/code/{name}" download="{saved}">Download {saved}</a>'
        assert link in html
        assert f'data-copy-from="{slug}-text" hidden>Copy</button>' in html
    assert "#define RID_SENSOR_VALUE 5700" in html
    assert "export const objectURN = &#x27;3303:1.1&#x27;" in html
    assert "<script" not in html.split("</head>")[1]  # the copy script is a static file
    assert "js/code.js" in html
    assert '<form class="code-selection" action="/code.zip" method="get"' in html
    assert '<input id="selection-ids" name="id" value="3303"' in html
    # How to use each C object, and the SDKs that ship 3303 themselves.
    assert html.count("<summary>How to use this file</summary>") == 3
    assert "temperature_instance_create(temperature, 0);" in html
    assert "#include &quot;lwm2m_3303_wakaama.h&quot;" in html  # its saved name, not wakaama.h
    assert "target_sources(lwm2mclient PRIVATE lwm2m_3303_wakaama.c)" in html
    assert "CONFIG_LWM2M_IPSO_TEMP_SENSOR" in html
    assert "anjay_ipso_basic_sensor_install(anjay, 3303, instances)" in html
    assert '<option value="example">' in html


def test_the_latest_code_page_and_a_missing_version(client, synced):
    latest = client.get("/objects/3/code/")
    assert latest.status_code == 200
    assert "v1.1 — code" in latest.text
    assert client.get("/objects/3/9.9/code/").status_code == 404
    assert client.get("/objects/99999/code/").status_code == 404
    assert client.get("/objects/3/1.1/code/other.c").status_code == 404


def test_the_latest_versions_files(client, synced):
    """/objects/<ID>/code/<file> is the latest version's file, as /objects/<ID>/code/ is its
    page."""
    latest = client.get("/objects/3303/code/zephyr.c")
    assert latest.status_code == 200
    assert latest.content == client.get("/objects/3303/1.1/code/zephyr.c").content
    # Saved under the name the other files #include: one per object, as several share a folder.
    assert latest["Content-Disposition"] == 'attachment; filename="lwm2m_3303_zephyr.c"'
    assert client.get("/objects/3303/code/other.c").status_code == 404
    assert client.get("/objects/99999/code/zephyr.c").status_code == 404


def test_the_object_page_links_its_code(client, synced):
    html = client.get("/objects/3/").text
    assert '<a href="/objects/3/1.1/code/">Code</a>' in html


def test_the_page_escapes_the_definition_text(client, synced):
    html = client.get("/objects/3/1.1/code/").text
    assert "<bdi>" in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("anjay.c", "text/x-c; charset=utf-8"),
        ("wakaama.c", "text/x-c; charset=utf-8"),
        ("zephyr.c", "text/x-c; charset=utf-8"),
        ("ids.h", "text/x-c; charset=utf-8"),
        ("types.ts", "text/plain; charset=utf-8"),
        ("schema.json", "application/json; charset=utf-8"),
        ("leshan.json", "application/json; charset=utf-8"),
    ],
)
def test_each_file_downloads(client, synced, name, content_type):
    response = client.get(f"/objects/3303/1.1/code/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    saved = f"lwm2m_3303_{name}" if name in OBJECT_FILES else f"3303-1.1-{name}"
    assert response["Content-Disposition"] == f'attachment; filename="{saved}"'
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content == client.get(f"/objects/3303/1.1/code/{name}").content
    if name.endswith(".json"):
        json.loads(response.content)


def read_zip(response):
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_zip_of_a_selection(client, synced):
    response = client.get("/code.zip?id=3,3303,3&target=all")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="lwm2m-code-3-3303-all.zip"'
    files = read_zip(response)
    expected = {f"{i}-1.1/{saved_name(name, i)}" for i in (3, 3303) for name in FILES}
    assert "3303-1.1/lwm2m_3303_wakaama.c" in expected and "3303-1.1/ids.h" in expected
    examples = {f"example/{sdk}/main.c" for sdk in ("anjay", "wakaama", "zephyr")}
    assert set(files) == expected | {"ids.h", "schema.json"} | examples
    assert '#include "3303-1.1/lwm2m_3303_anjay.h"' in files["example/anjay/main.c"]
    assert '#include "3303-1.1/lwm2m_3303_wakaama.h"' in files["example/wakaama/main.c"]
    assert "3303-1.1/lwm2m_3303_wakaama.c" in files["example/wakaama/main.c"]  # its build line
    assert '#include "lwm2m_3303_wakaama.h"' in files["3303-1.1/lwm2m_3303_wakaama.c"]
    assert "temperature_object_create()" in files["example/wakaama/main.c"]
    assert "object_3303_instance_create(0);" in files["example/zephyr/main.c"]
    assert '#include "3-1.1/lwm2m_3_zephyr.h"' not in files["example/zephyr/main.c"]  # its own
    schema = json.loads(files["schema.json"])
    assert set(schema["properties"]) == {"3:1.1@1.1", "3303:1.1"}
    assert "#define DEVICE_3_OID 3" in files["ids.h"]
    assert "#define TEMPERATURE_3303_OID 3303" in files["ids.h"]
    assert response.content == client.get("/code.zip?id=3,3303,3&target=all").content


def test_the_zip_of_one_target(client, synced):
    files = read_zip(client.get("/code.zip?id=3303&id=3&target=anjay"))
    assert set(files) == {
        "3303-1.1/lwm2m_3303_anjay.c", "3303-1.1/lwm2m_3303_anjay.h",
        "3-1.1/lwm2m_3_anjay.c", "3-1.1/lwm2m_3_anjay.h",
    }  # fmt: skip
    files = read_zip(client.get("/code.zip?id=3303&target=example"))
    assert set(files) == {
        *(f"3303-1.1/lwm2m_3303_{sdk}.{e}" for sdk in ("anjay", "wakaama", "zephyr") for e in "ch"),
        *(f"example/{sdk}/main.c" for sdk in ("anjay", "wakaama", "zephyr")),
    }
    files = read_zip(client.get("/code.zip?id=3303&target=ids"))
    assert set(files) == {"3303-1.1/ids.h", "ids.h"}


def test_the_zip_refuses_bad_selections(client, synced):
    assert client.get("/code.zip?id=3&target=cobol").status_code == 400
    assert client.get("/code.zip?id=&target=all").status_code == 400
    assert client.get("/code.zip?id=3,x&target=all").status_code == 400
    assert client.get("/code.zip?id=" + ",".join(map(str, range(101)))).status_code == 400
    assert client.get("/code.zip?id=44444").status_code == 404
    files = read_zip(client.get("/code.zip?id=3,4444&target=leshan"))
    assert files["MISSING.txt"] == "No stored, readable definition for: 4444\n"


def test_the_command_writes_the_files(synced, tmp_path):
    call_command("generate_code", "zephyr", "3303", "3/1.0", "--out", str(tmp_path))
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == [
        "3-1.0/lwm2m_3_zephyr.c", "3-1.0/lwm2m_3_zephyr.h",
        "3303-1.1/lwm2m_3303_zephyr.c", "3303-1.1/lwm2m_3303_zephyr.h",
    ]  # fmt: skip
    made = (tmp_path / "3303-1.1/lwm2m_3303_zephyr.c").read_text()
    assert "LWM2M_OBJ_INIT(object_3303_init);" in made
    call_command("generate_code", "schema", "3303", "--out", str(tmp_path / "s"))
    assert (tmp_path / "s" / "schema.json").is_file()
    with pytest.raises(CommandError):
        call_command("generate_code", "all", "3/7.7", "--out", str(tmp_path))
    with pytest.raises(CommandError):
        call_command("generate_code", "all", "x", "--out", str(tmp_path))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    a=st.one_of(st.sampled_from(["3", "3303", "00003", "9" * 30, "%00", "..", "٣"]), st.text()),
    b=st.one_of(st.sampled_from(["1.0", "1.1", "1.10", "latest", "x" * 300]), st.text()),
    ids=st.one_of(st.sampled_from(["3,3303", ",,,", "3," * 200, "-1", "1e3"]), st.text()),
    target=st.one_of(st.sampled_from(["all", "ts", "ALL", ""]), st.text(max_size=20)),
)
def test_hostile_input_never_fails(client, synced, a, b, ids, target):
    paths = [
        f"/objects/{quote(a, safe='')}/code/",
        f"/objects/{quote(a, safe='')}/{quote(b, safe='')}/code/",
        f"/objects/{quote(a, safe='')}/{quote(b, safe='')}/code/anjay.c",
        "/code.zip?" + urlencode({"id": ids, "target": target}),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in {200, 301, 400, 404}, (path, response.status_code)


def test_a_long_file_is_cut_on_the_page_but_whole_in_its_download(client, synced, monkeypatch):
    from objects.views import code

    monkeypatch.setattr(code, "MAX_SHOWN_CHARACTERS", 300)
    html = client.get("/objects/3303/1.1/code/").text
    assert html.count("This file is too long to show whole here") == len(FILES)
    assert len(client.get("/objects/3303/1.1/code/anjay.c").content) > 300


def test_the_list_links_its_selection_as_code(client, synced):
    html = client.get("/?q=temperature").text
    link = re.search(r'<a href="(/code\.zip[^"]*)" download title="Code for the listed', html)
    assert link
    files = read_zip(client.get(link.group(1).replace("&amp;", "&")))
    assert "3303-1.1/lwm2m_3303_anjay.c" in files and "ids.h" in files
    assert not any(name.startswith("3-") for name in files)
    everything = read_zip(client.get("/code.zip?target=ids"))
    assert {"3-1.1/ids.h", "3303-1.1/ids.h", "ids.h"} <= set(everything)
    assert client.get("/code.zip?q=nothing-matches-this").status_code == 404
