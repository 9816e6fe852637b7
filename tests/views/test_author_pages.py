"""/author/ and its APIs through Django's test client: free IDs, the editor's form posts, the
submission kit, shared drafts."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from objects.catalog import author as catalog
from objects.models import SharedDraft

pytestmark = pytest.mark.django_db


def test_free_ids_skip_objects_and_placeholders(client, synced):
    answer = client.get("/api/v1/ids/free/", {"label": "x", "count": "3"})
    assert answer.status_code == 200
    data = answer.json()
    assert data["label"] == "x" and data["free"] == [10242, 10243, 10244]
    ext = client.get("/api/v1/ids/free/?label=ext&count=2").json()
    assert ext["free"] == [2049, 2050] and ext["reserved"] == [2048]
    assert client.get("/api/v1/ids/free/?label=oma").json()["free"] == [0, 1, 2, 4, 5]


@pytest.mark.parametrize("query", ["label=vendor", "count=0", "count=101", "count=x"])
def test_free_ids_refuse_bad_parameters_in_json(client, synced, query):
    answer = client.get(f"/api/v1/ids/free/?{query}")
    assert answer.status_code == 400 and "error" in answer.json()


def form_of(draft_fields, resources=()):
    """The editor's form post for an object's fields and its resources (dicts)."""
    data = {"object_version": "1.0", "lwm2m_version": "1.1", "multiple_instances": "Single",
            "mandatory": "Optional", **draft_fields}  # fmt: skip
    for index, resource in enumerate(resources):
        row = {"operations": "R", "multiple_instances": "Single", "mandatory": "Optional",
               "type": "String", **resource}  # fmt: skip
        for name, value in row.items():
            data[f"r{index}-{name}"] = value
    return data


def test_the_blank_editor_is_private_and_not_indexed(client, synced):
    page = client.get("/author/")
    assert page.status_code == 200
    assert "private" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]
    html = page.content.decode()
    assert 'id="editor"' in html and "data-restore" in html
    assert 'href="/author/"' in html  # the nav link


def edit(client, data, action="check", **extra):
    return client.post("/author/edit/", {**data, "action": action, **extra})


def test_a_new_version_of_3303_with_an_optional_resource_is_minor(client, synced):
    page = client.get("/author/?from=3303/1.1")
    assert page.status_code == 200
    editor = page.context["editor"]
    assert editor.base_text == "3303/1.1" and [r.id for r in editor.draft.resources] == [
        "5700", "5701", "5750"]  # fmt: skip
    assert editor.draft.resources[0].reusable  # 5700 is Common.xml's: shown locked
    data = form_of(
        {"name": "Temperature", "object_id": "3303", "object_version": "1.1", "base": "3303/1.1",
         "lwm2m_version": "1.0", "multiple_instances": "Multiple",
         "description1": editor.draft.description1},
        [{"id": r.id, "name": r.name, "operations": r.operations, "type": r.type,
          "multiple_instances": r.multiple_instances, "mandatory": r.mandatory,
          "units": r.units, "description": r.description, "reusable": "1" if r.reusable else ""}
         for r in editor.draft.resources],
    )  # fmt: skip
    data["r2-reusable"] = ""
    page = edit(client, data, "reuse", reuse="Min Measured")  # not in the fixture's Common.xml
    assert "No reusable resource in Common.xml is named" in page.context["editor"].message
    data["r3-id"], data["r3-name"], data["r3-type"] = "5601", "Min Measured Value", "Float"
    page = edit(client, data)
    analysis = page.context["analysis"]
    assert analysis.advice.kind == "minor" and analysis.advice.version == "1.2"
    assert page.context["draft"].urn == "urn:oma:lwm2m:ext:3303:1.2"
    html = page.content.decode()
    assert "A <strong>minor</strong> version: <strong>1.2</strong>" in html
    assert "resource 5601 (Min Measured Value) is added as an optional resource" in html


def test_the_author_overrides_the_version_with_a_warning(client, synced):
    data = form_of(
        {"name": "Temperature", "object_id": "3303", "object_version": "1.1", "base": "3303/1.1",
         "override": "1"},
        [{"id": "5700", "name": "Sensor Value", "type": "Float"}],
    )  # fmt: skip
    analysis = edit(client, data).context["analysis"]
    assert analysis.advice.kind == "major"
    warning = next(f for f in analysis.findings if f.finding.rule == "version-advice")
    assert "is not the advised 2.0" in warning.message and warning.field == "f-object_version"


def test_a_company_object_reusing_5700_and_5701(client, synced):
    data = form_of({"name": "Acme Meter", "object_id": "10488", "description1": "A meter."})
    page = edit(client, data, "reuse", reuse="5700")
    assert [(r.id, r.reusable) for r in page.context["draft"].resources] == [("5700", True)]
    html = page.content.decode()
    assert 'id="r0-name" name="r0-name" value="Sensor Value" readonly' in html
    data.update({"r0-id": "5700", "r0-reusable": "1", "r0-name": "Tampered", "r0-type": "Opaque",
                 "r0-multiple_instances": "Single",
                 "r0-mandatory": "Mandatory"})  # fmt: skip
    page = edit(client, data, "reuse", reuse="sensor units")
    draft = page.context["draft"]
    assert [(r.id, r.name, r.mandatory) for r in draft.resources] == [
        ("5700", "Sensor Value", "Mandatory"), ("5701", "Sensor Units", "Optional")]  # fmt: skip
    assert draft.urn == "urn:oma:lwm2m:x:10488"
    analysis = page.context["analysis"]
    assert [f.message for f in analysis.findings if f.severity == "error"] == []


def test_findings_point_at_their_fields(client, synced):
    data = form_of(
        {"name": "", "object_id": "10488"},
        [{"id": "1", "name": "Reboot", "operations": "E", "type": "Integer"},
         {"id": "6100", "name": "Flux", "operations": "RX"}],
    )  # fmt: skip
    analysis = edit(client, data).context["analysis"]
    fields = {(f.finding.rule, f.field) for f in analysis.findings}
    assert ("object-name", "f-name") in fields
    assert ("resource-type", "r0-type") in fields
    assert ("common-missing", "r1-id") in fields
    assert ("schema", "r1-operations") in fields  # a schema message found by its line


def test_reusing_an_id_common_xml_lacks_says_so(client, synced):
    page = edit(client, form_of({"name": "X"}), "reuse", reuse="6100")
    assert "is in the reusable range (2048-26240) but is not in Common.xml" in (
        page.context["editor"].message
    )


def test_add_move_remove_without_javascript(client, synced):
    data = form_of({"name": "X"}, [{"id": "0", "name": "A"}, {"id": "1", "name": "B"}])
    page = edit(client, data, "add")
    assert [r.id for r in page.context["draft"].resources] == ["0", "1", "2"]
    assert 'id="r2-name" name="r2-name" value="" autofocus' in page.content.decode()
    page = edit(client, data, "down:0")
    assert [r.name for r in page.context["draft"].resources] == ["B", "A"]
    page = edit(client, data, "up:1")
    assert [r.name for r in page.context["draft"].resources] == ["B", "A"]
    page = edit(client, data, "remove:0")
    assert [r.name for r in page.context["draft"].resources] == ["B"]
    page = edit(client, data, "use-id:10490")
    assert page.context["draft"].object_id == "10490"


def test_htmx_gets_the_live_partial(client, synced):
    data = form_of({"name": "X", "object_id": "10488"}, [{"id": "0", "name": "A"}])
    page = client.post("/author/edit/", {**data, "part": "live"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert html.startswith('<section id="live"') and "<form" not in html
    assert "urn:oma:lwm2m:x:10488" in html
    page = client.post("/author/edit/", {**data, "part": "editor", "action": "add"},
                       HTTP_HX_REQUEST="true")  # fmt: skip
    html = page.content.decode()
    assert html.lstrip().startswith('<form id="editor"') and 'id="r1-id"' in html


def test_start_from_an_uploaded_file(client, synced, fixture_registry):
    with open(fixture_registry / "3304.xml", "rb") as handle:
        page = client.post("/author/edit/", {"action": "upload", "file": handle})
    assert page.status_code == 200 and page.context["draft"].object_id == "3304"
    page = client.post(
        "/author/edit/", {"action": "upload", "file": SimpleUploadedFile("x.xml", b"<nope")}
    )
    assert page.status_code == 400 and "That file is not a definition" in page.content.decode()


@pytest.mark.parametrize("start", ["99999/1.0", "3303/9.9", "abc", "4000"])
def test_a_start_that_names_no_version_says_why(client, synced, start):
    page = client.get("/author/", {"from": start})
    assert page.status_code == 404 and page.context["error"]


def test_the_editor_needs_the_csrf_token(synced):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/author/edit/", {"action": "add"}).status_code == 403


def share(client, data, address="203.0.113.7"):
    return client.post("/author/edit/", {**data, "action": "share"}, REMOTE_ADDR=address)


DRAFT = form_of({"name": "Acme Meter", "object_id": "10488"}, [{"id": "0", "name": "Level"}])


def test_share_a_draft_and_open_it_elsewhere(client, synced):
    answer = share(client, DRAFT)
    assert answer.status_code == 302 and "private" in answer["Cache-Control"]
    link = answer["Location"]
    assert re.fullmatch(r"/author/d/[A-Za-z0-9_-]{32}/", link)
    other = Client()  # a colleague's browser: no cookie of the first
    page = other.get(link)
    assert page.status_code == 200
    assert page["X-Robots-Tag"].startswith("noindex") and "private" in page["Cache-Control"]
    draft = page.context["draft"]
    assert (draft.name, draft.object_id, [r.name for r in draft.resources]) == (
        "Acme Meter", "10488", ["Level"])  # fmt: skip
    html = page.content.decode()
    assert "A shared draft" in html and 'action="/author/edit/"' in html  # edits fork it
    assert share(client, DRAFT)["Location"] != link  # each share is a new link


def test_shared_drafts_are_never_listed(client, synced):
    link = share(client, DRAFT)["Location"]
    assert client.get("/author/d/").status_code == 404
    for page in ("/author/", "/", "/resources/"):
        assert link not in client.get(page).content.decode()


def test_too_large_a_draft_is_refused_with_why(client, synced, settings):
    rows = [{"id": str(i), "name": "R", "description": "x" * catalog.MAX_FIELD} for i in range(14)]
    data = form_of({"name": "Big"}, rows)
    answer = share(client, data)
    assert answer.status_code == 413
    assert "a shared draft is at most" in answer.content.decode()
    assert not SharedDraft.objects.exists()


def test_drafts_per_client_per_hour(client, synced, monkeypatch):
    monkeypatch.setattr(catalog, "DRAFTS_PER_HOUR", 2)
    assert share(client, DRAFT).status_code == 302
    assert share(client, DRAFT).status_code == 302
    answer = share(client, DRAFT)
    assert answer.status_code == 429
    assert "shared 2 drafts in the last hour, the limit" in answer.content.decode()
    assert answer.context["draft"].name == "Acme Meter"  # the draft is not lost
    assert share(client, DRAFT, address="198.51.100.9").status_code == 302  # another client


def test_a_draft_unused_for_90_days_expires(client, synced):
    link = share(client, DRAFT)["Location"]
    row = SharedDraft.objects.get()
    assert row.client != "203.0.113.7"  # the address itself is not kept
    row.used = timezone.now() - timedelta(days=89)
    row.save()
    assert client.get(link).status_code == 200
    row.refresh_from_db()
    assert timezone.now() - row.used < timedelta(minutes=1)  # opening it is a use
    SharedDraft.objects.update(used=timezone.now() - timedelta(days=91))
    answer = client.get(link)
    assert answer.status_code == 410 and "expired" in answer.content.decode()
    assert client.get(link).status_code == 404
    assert client.get("/author/d/nosuchdraftatall/").status_code == 404


def test_the_editor_lists_free_ids_of_the_class_chosen(client, synced):
    page = edit(client, form_of({"name": "X"}), "free", id_class="ext")
    html = page.content.decode()
    assert page.context["analysis"].free.free[:2] == [2049, 2050]
    assert (
        'value="use-id:2049"' in html and "Reserved (placeholders, no definition yet): 2048" in html
    )
    page = edit(client, form_of({"name": "X", "object_id": "3304"}))
    assert page.context["editor"].id_class == "ext"  # the class of the ObjectID typed


@pytest.mark.parametrize(
    "fields",
    [
        {"object_id": "٥", "object_version": "1.x", "lwm2m_version": "9.9"},
        {"object_id": "99999999", "object_version": "", "base": "3303/1.1", "override": "1"},
        {"object_id": "1500", "name": "\x00\x1b<![CDATA[", "base": "../../etc"},
        {"object_id": "3303", "object_version": "1.1", "base": "3303/1.0"},
    ],
)
def test_garbage_in_the_form_is_never_a_500(client, synced, fields):
    rows = [{"id": "-1", "type": "Nope", "operations": "X"}, {"id": "70000"}, {"id": "5700"}]
    for action in ("check", "kit", "share", "up:99", "remove:x", "use-id:abc", "reuse"):
        answer = edit(client, form_of(fields, rows), action, reuse="\x00")
        assert answer.status_code in (200, 302, 400), (action, answer.status_code)


def test_the_editor_works_before_any_sync(client, db):
    assert client.get("/author/").status_code == 200
    page = edit(client, form_of({"name": "X", "object_id": "10488"}), "reuse", reuse="5700")
    assert page.status_code == 200 and "is not in Common.xml" in page.context["editor"].message
    assert client.get("/api/v1/ids/free/?label=x&count=1").json()["free"] == [10241]
