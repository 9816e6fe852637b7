"""What changed at each sync: recorded against the data replaced, one entry per change an
engineer would name; /changes/, its Atom feed and JSON say exactly those."""

import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from objects.models import Change, SyncRun
from objects.sync.pipeline import sync_registry

pytestmark = pytest.mark.django_db


def kinds():
    return list(Change.objects.order_by("pk").values_list("kind", "object_id", "ver", "field"))


def test_the_first_import_is_one_change(fixture_registry):
    run = sync_registry(str(fixture_registry)).run
    (change,) = Change.objects.all()
    assert (change.run, change.kind) == (run, Change.FIRST_IMPORT)
    assert change.new == "first import: 6 objects, 9 versions"
    sync_registry(str(fixture_registry))  # nothing changed: nothing recorded
    assert Change.objects.count() == 1


def test_a_sync_that_changes_records_each_change(fixture_registry, renamed_registry):
    sync_registry(str(fixture_registry))
    run = sync_registry(str(renamed_registry)).run
    names = list(Change.objects.filter(run=run).values_list("kind", "object_id", "ver", "field"))
    assert len(names) == 9
    assert {kind for kind, *_ in names} == {Change.FIELD}
    assert ("field-changed", 3303, "1.1", "Name") in names
    renamed = Change.objects.get(run=run, object_id=3303, ver="1.1")
    assert (renamed.old, renamed.new) == ("Temperature", "Temperature (renamed)")


def edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.slow
@pytest.mark.snapshot
def test_four_edits_to_the_full_registry_are_four_changes(snapshot, tmp_path, client):
    """The snapshot, then a copy with an object removed, a version added, a description
    changed and a resource changed: exactly those four, on the page, the feed and the JSON."""
    sync_registry(str(snapshot))
    copy = tmp_path / "registry"
    shutil.copytree(snapshot, copy)
    index = copy / "DDF.xml"
    tree = ET.parse(index)
    root = tree.getroot()
    for item in [i for i in root.iter("Item") if i.findtext("ObjectID").strip() == "3410"]:
        root.remove(item)  # object 3410, both its versions
    latest = next(
        i for i in root.iter("Item")
        if i.findtext("ObjectID").strip() == "3303" and i.findtext("Ver").strip() == "1.1"
    )  # fmt: skip
    added = ET.fromstring(ET.tostring(latest))
    added.find("Ver").text, added.find("URN").text = "1.2", "urn:oma:lwm2m:ext:3303:1.2"
    added.find("DDF").text = "version_history/3303-1_2.xml"
    root.insert(list(root).index(latest) + 1, added)
    humidity = next(i for i in root.iter("Item") if i.findtext("ObjectID").strip() == "3304")
    humidity.find("Description").text = "Relative humidity, in percent."
    tree.write(index, encoding="utf-8", xml_declaration=True)
    definition = (copy / "3303.xml").read_text()
    (copy / "version_history" / "3303-1_2.xml").write_text(
        definition.replace("<ObjectVersion>1.1", "<ObjectVersion>1.2").replace(
            "urn:oma:lwm2m:ext:3303:1.1", "urn:oma:lwm2m:ext:3303:1.2"
        )
    )
    first_unitless = next(
        int(item.get("ID"))
        for item in ET.parse(copy / "3301.xml").getroot().iter("Item")
        if not (item.findtext("Units") or "").strip()
    )
    edit(copy / "3301.xml", "<Units></Units>", "<Units>klx</Units>")

    run = sync_registry(str(copy)).run
    changes = Change.objects.filter(run=run).order_by("pk")
    assert [(c.kind, c.object_id, c.ver, c.field) for c in changes] == [
        ("object-removed", 3410, "", ""),
        ("version-added", 3303, "1.2", ""),
        ("resource-changed", 3301, "1.1", "Units"),
        ("field-changed", 3304, "1.0", "Description"),
    ]
    assert changes.get(kind="resource-changed").resource_id == first_unitless
    assert changes.get(kind="object-removed").old == "1.0, 2.0"

    page = client.get("/changes/").text
    section = re.search(rf'<section id="run-{run.pk}".*?</section>', page, re.S).group()
    assert len(re.findall(r"<li id=\"change-", section)) == 4
    assert 'href="/objects/3303/1.2/"' in section
    assert "3410 Device Extension" in section
    assert "Relative humidity, in percent." in section
    feed = ET.fromstring(client.get("/changes.atom").content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}author/{atom}name") is not None
    assert feed.find(f"{atom}updated") is not None
    entries = list(feed.iter(f"{atom}entry"))
    assert all(
        e.find(f"{atom}id") is not None and e.find(f"{atom}updated") is not None for e in entries
    )
    titles = [entry.findtext(f"{atom}title") for entry in entries]
    assert len(titles) == 5
    assert titles[-1].startswith("first import: 340 objects")
    assert titles[0] == "object removed: 3410 Device Extension (versions 1.0, 2.0)"
    data = client.get("/api/v1/changes/?kind=resource-changed").json()
    assert [(d["ObjectID"], d["ResourceID"], d["Field"]) for d in data] == [
        (3301, first_unitless, "Units")
    ]
    assert SyncRun.objects.filter(changes__isnull=False).distinct().count() == 2


def test_filters_by_kind_and_owner(client, fixture_registry, renamed_registry):
    sync_registry(str(fixture_registry))
    sync_registry(str(renamed_registry))
    only_acme = client.get("/api/v1/changes/?owner=acme+sensors").json()
    assert len(only_acme) == 3
    assert {d["Owner"] for d in only_acme} == {"Acme Sensors"}
    imports = client.get("/changes/?kind=first-import").text
    assert "first import: 6 objects, 9 versions" in imports
    assert "renamed" not in imports
    assert client.get("/changes/?kind=nonsense&owner=%00&page=x").status_code == 200
