"""The list's facet counts under a search word and under "every version", each checked against
counts made here, independently, from the fixture registry's own files (api.json and the
definitions), and each asked after other lists, so a count kept from an earlier answer shows."""

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from tests.conftest import FIXTURE_REGISTRY

LABEL_CODES = {"0": "oma", "1": "ext", "2": "x"}
FACET_RE = re.compile(
    r'name="(label|owner|lwm2m)" value="([^"]*)" id="[^"]*"(?: checked)?>'
    r'.*?<span class="n">(\d+)</span>'
)


def registry_rows(every_version):
    """The fixture registry's listed rows, read from its files: the hand-written API answer
    and each definition (placeholders, with no definition, are not listed by default)."""
    items = json.loads((FIXTURE_REGISTRY / "api.json").read_text())
    latest = {}
    for item in items:  # grouped by ObjectID and ordered by version: the last is the latest
        latest[item["ObjectID"]] = item
    rows = []
    for item in items if every_version else latest.values():
        if not item["ObjectLink"]:
            continue
        body = (FIXTURE_REGISTRY / item["ObjectLink"]).read_text()
        obj = ET.fromstring(body).find("Object")
        text = " ".join([item["Name"], item["Description"], item["Owner"], item["URN"], body])
        rows.append(
            {
                "label": LABEL_CODES[item["Label"]],
                "owner": item["Owner"],
                "lwm2m": (obj.findtext("LWM2MVersion") or "").strip() or "1.0",
                "text": text.lower(),
            }
        )
    return rows


def expected_counts(word=None, every_version=False):
    counts = {"label": Counter(), "owner": Counter(), "lwm2m": Counter()}
    for row in registry_rows(every_version):
        if word and not re.search(rf"\b{word}", row["text"]):
            continue
        for name in counts:
            counts[name][row[name]] += 1
    return {name: {k: v for k, v in c.items() if v} for name, c in counts.items()}


def shown_counts(response):
    assert response.status_code == 200
    counts = {"label": {}, "owner": {}, "lwm2m": {}}
    for name, value, count in FACET_RE.findall(response.text):
        if int(count):
            counts[name][value] = int(count)
    return counts


def test_the_independent_counts_are_not_trivial():
    """The cases below tell things apart: the search narrows, every version adds rows."""
    assert expected_counts("temperature") == {
        "label": {"ext": 1}, "owner": {"IPSO Alliance": 1}, "lwm2m": {"1.0": 1}
    }  # fmt: skip
    assert expected_counts() != expected_counts(every_version=True)
    assert expected_counts("temperature") != expected_counts("temperature", every_version=True)


@pytest.mark.parametrize("before", [[], ["/"], ["/?versions=all"], ["/", "/?versions=all"]])
def test_counts_under_a_search_word(client, synced, before):
    for url in before:
        client.get(url)
    assert shown_counts(client.get("/?q=temperature")) == expected_counts("temperature")
    assert shown_counts(client.get("/?q=temperature&versions=all")) == expected_counts(
        "temperature", every_version=True
    )


@pytest.mark.parametrize("before", [[], ["/"], ["/?q=temperature"]])
def test_every_version_counts_are_not_the_latest_only_ones(client, synced, before):
    for url in before:
        client.get(url)
    assert shown_counts(client.get("/?versions=all")) == expected_counts(every_version=True)
    assert shown_counts(client.get("/")) == expected_counts()
    assert shown_counts(client.get("/?versions=all")) == expected_counts(every_version=True)
