"""A client of the registry's repository layout that does what AVSystem Anjay's
tools/lwm2m_object_registry.py does (../shared/REGISTRY.md), written here from that account:
read `<URL>/DDF.xml`, group its items by ObjectID in document order (consecutive items with
the same ObjectID are one object, as itertools.groupby makes them), take the highest `Ver` as
an object's latest, and fetch `<URL>/<DDF path>` for a definition (an absolute DDF as it is),
always sending `User-Agent: Mozilla/5.0`. Standard library only, like the tool: no code of the
project is used, so a test with it checks the site from the outside.

One departure, on purpose: versions compare as numbers (1.10 after 1.9); Anjay's tool compares
the `Ver` strings, so it would call 1.9 the latest of an object that has 1.10.
"""

import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import groupby

USER_AGENT = "Mozilla/5.0"


def read_url(url, timeout=30):
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return answer.read()


@dataclass(frozen=True)
class Item:
    object_id: int
    ver: str
    name: str
    ddf: str

    @property
    def version(self):
        major, _, minor = self.ver.partition(".")
        return int(major), int(minor or 0)


def text(element, name):
    child = element.find(name)
    return (child.text or "").strip() if child is not None else ""


def parse_index(data):
    """{ObjectID: [Item, ...]} in document order, grouped as Anjay's tool groups them."""
    root = ET.fromstring(data)
    items = [
        Item(int(text(e, "ObjectID")), text(e, "Ver"), text(e, "Name"), text(e, "DDF"))
        for e in root.findall("Item")
    ]
    objects = {}
    for object_id, group in groupby(items, key=lambda item: item.object_id):
        if object_id in objects:
            raise ValueError(f"object {object_id}'s items are not together in DDF.xml")
        objects[object_id] = list(group)
    return objects


class Registry:
    """The repository at `repo_url` (no trailing slash, as the tool takes it)."""

    def __init__(self, repo_url):
        self.repo_url = repo_url
        self.objects = parse_index(read_url(f"{repo_url}/DDF.xml"))

    def versions(self):
        """(ObjectID, Ver) of every item, in document order."""
        return [(item.object_id, item.ver) for items in self.objects.values() for item in items]

    def latest(self, object_id):
        return max(self.objects[object_id], key=lambda item: item.version)

    def item(self, object_id, ver=None):
        if ver is None:
            return self.latest(object_id)
        return next(item for item in self.objects[object_id] if item.ver == ver)

    def definition_url(self, item):
        if not item.ddf:
            raise ValueError(f"object {item.object_id} {item.ver} has no XML definition")
        return item.ddf if item.ddf.startswith("http") else f"{self.repo_url}/{item.ddf}"

    def definition(self, object_id, ver=None):
        """The definition's bytes, as fetched (the tool then decodes them as utf-8-sig)."""
        return read_url(self.definition_url(self.item(object_id, ver)))
