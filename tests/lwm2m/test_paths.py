"""LwM2M paths in the search box: parsed, followed to their page, or told why not."""

import re

import pytest

from objects.lwm2m.paths import BadPath, LwM2MPath, parse_path


@pytest.mark.parametrize(
    "text, path",
    [
        ("/3303", LwM2MPath(3303)),
        ("/3303/", LwM2MPath(3303)),
        ("3303/5700", LwM2MPath(3303, resource_id=5700)),
        ("/3303/0/5700", LwM2MPath(3303, resource_id=5700, instance=0)),
        (" 3303/0/5700 ", LwM2MPath(3303, resource_id=5700, instance=0)),
        ("/3303/0/5700/1", LwM2MPath(3303, resource_id=5700, instance=0, resource_instance=1)),
        (
            "/0/65535/65535/65535",
            LwM2MPath(0, resource_id=65535, instance=65535, resource_instance=65535),
        ),  # noqa: E501
    ],
)
def test_paths_as_engineers_copy_them(text, path):
    assert parse_path(text) == path


@pytest.mark.parametrize("text", ["3303", "temperature", "urn:oma:lwm2m:ext:3303", "on/off", ""])
def test_other_searches_are_not_paths(text):
    assert parse_path(text) is None


@pytest.mark.parametrize(
    "text, reason",
    [
        ("/3303/x/5700", "“x” is not an ID from 0 to 65535"),
        ("/99999999/0/1", "“99999999” is not an ID"),
        ("/3303/0/\u0665\u0667\u0660\u0660", "is not an ID"),
        ("/3303/-1/5700", "“-1” is not an ID"),
        ("/1/2/3/4/5", "one to four IDs"),
        ("/3303//5700", "one to four IDs"),
        ("/", "one to four IDs"),
    ],
)
def test_garbage_written_as_a_path_says_why(text, reason):
    with pytest.raises(BadPath, match=reason):
        parse_path(text)


def test_a_path_is_shown_as_canonical():
    assert str(parse_path("3303/5700")) == "/3303/5700"
    assert str(parse_path("/3303/0/5700/1")) == "/3303/0/5700/1"


def hx(client, url, trigger):
    return client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER=trigger)


@pytest.mark.parametrize(
    "q, target",
    [
        ("/3303/0/5700", "/objects/3303/#resource-5700"),
        ("3303/5700", "/objects/3303/#resource-5700"),
        ("/3/0/22/1", "/objects/3/#resource-22"),  # a multiple-instance resource's instance
        ("/3/0", "/objects/3/#resource-0"),
        ("/3303", "/objects/3303/"),
        ("/3/0/22", "/objects/3/#resource-22"),
    ],
)
def test_a_path_that_names_a_page_goes_there(client, synced, q, target):
    response = client.get("/", {"q": q})
    assert response.status_code == 302
    assert response["Location"] == target
    submitted = hx(client, f"/?q={q}", "list-form")
    assert submitted["HX-Redirect"] == target
    typed = hx(client, f"/?q={q}", "q")  # still typing: say where it goes, don't go yet
    assert typed.status_code == 200
    assert f'<a href="{target}">Open {q}</a>' in typed.text
    assert "HX-Trigger" in submitted["Vary"]


@pytest.mark.parametrize(
    "q, note",
    [
        ("/3303/0/9999", "/3303/0/9999: object 3303 Temperature has no resource 9999."),
        ("/4/0/1", "/4/0/1: the registry has no object 4."),
        (
            "/3303/0/5700/1",
            "/3303/0/5700/1: resource 5700 (Sensor Value) of object 3303 is single-instance, "
            "so it has no resource instance 1; the resource is /3303/0/5700.",
        ),
        ("/3303/x/5700", "“/3303/x/5700” is not an LwM2M path: “x” is not an ID from 0 to 65535"),
        ("/99999999/0/1", "“99999999” is not an ID from 0 to 65535"),
    ],
)
def test_a_path_that_names_nothing_says_so_above_the_results(client, synced, q, note):
    response = client.get("/", {"q": q})
    assert response.status_code == 200
    shown = re.search(r'<p class="path-note alert" role="status">(.*?)</p>', response.text)
    assert shown
    assert note in shown.group(1)


def test_the_object_of_a_path_is_listed_under_its_note(client, synced):
    html = client.get("/", {"q": "/3303/0/9999"}).text
    assert re.findall(r'<td class="id">(\d+)</td>', html)[0] == "3303"


def test_a_resource_id_lists_the_objects_that_define_it(client, synced):
    html = client.get("/", {"q": "5700"}).text
    ids = re.findall(r'<td class="id">(\d+)</td>', html)
    assert ids == ["3303", "3304"]
    assert html.count('class="hit">resource 5700 <bdi>Sensor Value</bdi></a>') == 2
    assert '<a href="/objects/3303/#resource-5700" class="hit">' in html


def test_words_show_the_resources_they_matched(client, synced):
    html = client.get("/", {"q": "battery"}).text
    assert (
        '<a href="/objects/3/#resource-9" class="hit">resource 9 <bdi>Battery Level</bdi></a>'
        in html
    )
    plain = client.get("/", {"q": "device"}).text
    assert 'class="hits"' not in plain  # no resource of Device is named so


@pytest.mark.parametrize(
    "text, message",
    [
        ("/3303/X", "“/3303/X” is not an LwM2M path: “X” is not an ID from 0 to 65535"),
        ("/3/" + "9" * 25, f"“/3/{'9' * 25}” is not an LwM2M path: “{'9' * 20}” is not an ID "
         "from 0 to 65535"),
        ("/1/2/3/4/" + "5" * 51, f"“/1/2/3/4/{'5' * 51}” is not an LwM2M path: it has one to "
         "four IDs, as in /3303/0/5700/1"),
        ("/1/2/3/4/" + "5" * 52, f"“/1/2/3/4/{'5' * 50}…” is not an LwM2M path: it has one to "
         "four IDs, as in /3303/0/5700/1"),
    ],
)  # fmt: skip
def test_a_bad_path_s_message_exactly(text, message):
    with pytest.raises(BadPath) as raised:
        parse_path(text)
    assert str(raised.value) == message
