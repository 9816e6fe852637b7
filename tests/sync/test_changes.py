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


def test_every_kind_of_change_with_its_old_and_new_values(fixture_registry, tmp_path, client):
    """A copy of the fixture registry edited at every level: each change is recorded with the
    value it had and the value it has, one change a field."""
    sync_registry(str(fixture_registry))
    copy = tmp_path / "registry"
    shutil.copytree(fixture_registry, copy)
    definition = copy / "3303.xml"
    # 5700: Units '' -> 'Cel'; 5750: Operations RW -> R; 5701 removed; 5601 added.
    text = definition.read_text()
    text = text.replace("<Units></Units>", "<Units>Cel</Units>", 1)
    text = text.replace("<Operations>RW</Operations>", "<Operations>R</Operations>", 1)
    start = text.index('<Item ID="5701">')
    end = text.index("</Item>", start) + len("</Item>")
    removed = text[start:end]
    added = removed.replace('ID="5701"', 'ID="5601"').replace("Sensor Units", "Min Measured Value")
    definition.write_text(text[:start] + added + text[end:])
    # 3304: only the definition's bytes change (a comment), no field of it.
    edit(copy / "3304.xml", "<Resources>", "<!-- reformatted --><Resources>")
    # The index: 10241 removed, 3 version 1.0 removed, 42000 added, 3 1.1's Name changed.
    index = copy / "DDF.xml"
    tree = ET.parse(index)
    root = tree.getroot()
    for item in list(root.iter("Item")):
        object_id, ver = item.findtext("ObjectID").strip(), item.findtext("Ver").strip()
        if object_id == "10241" or (object_id, ver) == ("3", "1.0"):
            root.remove(item)
        if (object_id, ver) == ("3", "1.1"):
            item.find("Name").text = "Device (renamed)"
    new_item = ET.fromstring(ET.tostring(root.find("Item")))
    new_item.find("ObjectID").text = "42000"
    new_item.find("Ver").text = "1.0"
    new_item.find("Name").text = "A test object"
    new_item.find("DDF").text = ""
    new_item.find("DDFLink").text = "0"
    root.append(new_item)
    tree.write(index, encoding="utf-8", xml_declaration=True)

    run = sync_registry(str(copy)).run
    found = {
        (c.kind, c.object_id, c.ver, c.resource_id, c.field): (c.old, c.new, c.resource_name)
        for c in Change.objects.filter(run=run)
    }
    assert found.pop(("object-removed", 10241, "", None, "")) == ("1.0", "", "")
    assert found.pop(("object-added", 42000, "", None, "")) == ("", "1.0", "")
    assert found.pop(("version-removed", 3, "1.0", None, "")) == ("", "", "")
    assert found.pop(("field-changed", 3, "1.1", None, "Name")) == (
        "Device",
        "Device (renamed)",
        "",
    )
    assert found.pop(("resource-changed", 3303, "1.1", 5700, "Units")) == (
        "",
        "Cel",
        "Sensor Value",
    )
    assert found.pop(("resource-changed", 3303, "1.1", 5750, "Operations")) == (
        "RW",
        "R",
        "Application Type",
    )
    assert found.pop(("resource-removed", 3303, "1.1", 5701, "")) == (
        "Sensor Units",
        "",
        "Sensor Units",
    )
    assert found.pop(("resource-added", 3303, "1.1", 5601, "")) == (
        "",
        "Min Measured Value",
        "Min Measured Value",
    )
    assert found.pop(("definition-changed", 3304, "1.0", None, "")) == ("", "", "")
    assert found == {}

    data = client.get("/api/v1/changes/?kind=resource-changed").json()
    units = next(d for d in data if d["ResourceID"] == 5700)
    assert (units["Field"], units["Old"], units["New"]) == ("Units", "", "Cel")
    assert units["ResourceName"] == "Sensor Value"
    assert units["Summary"] == (
        "resource changed: 3303 Temperature v1.1, resource 5700 Sensor Value (Units)"
    )
    page = client.get("/changes/?kind=resource-changed").text
    assert '<span class="del">RW</span> → <span class="ins">R</span>' in page
    assert '<span class="del">(empty)</span> → <span class="ins">Cel</span>' in page


def test_since_and_one_object_s_feed(fixture_registry, renamed_registry, client):
    sync_registry(str(fixture_registry))
    sync_registry(str(renamed_registry))
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(client.get("/objects/3303/changes.atom").content)
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert titles == [
        "registry field changed: 3303 Temperature (renamed) v1.0, Name",
        "registry field changed: 3303 Temperature (renamed) v1.1, Name",
    ]
    assert feed.findtext(f"{atom}title") == "LwM2M registry: what changed of object 3303"
    assert client.get("/objects/x/changes.atom").status_code == 404
    assert len(client.get("/api/v1/changes/?since=2000-01-01").json()) == 10
    assert client.get("/api/v1/changes/?since=2999-01-01").json() == []
    assert 'value="2999-01-01"' in client.get("/changes/?since=2999-01-01").text


def test_the_feed_carries_upstream_text_as_text(fixture_registry, tmp_path, client):
    """Atom's summary is HTML to a feed reader: a name's markup must arrive escaped, so that
    the reader shows it instead of running it."""
    sync_registry(str(fixture_registry))
    copy = tmp_path / "registry"
    shutil.copytree(fixture_registry, copy)
    edit(
        copy / "DDF.xml",
        "<Name>Temperature</Name>",
        "<Name>T&lt;img src=x onerror=alert(1)&gt;</Name>",
    )
    sync_registry(str(copy))
    feed = ET.fromstring(client.get("/changes.atom").content)
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = [e.findtext(f"{atom}summary") for e in feed.iter(f"{atom}entry")]
    hostile = next(s for s in summaries if "onerror" in s)
    assert "<img" not in hostile
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile
