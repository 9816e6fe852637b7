from django.http import QueryDict

from objects.catalog.list_params import DEFAULT_PER, ListParams
from objects.catalog.list_rows import Row, load_rows
from objects.catalog.search import exact_object_id, run_search
from objects.models import ObjectVersion, SyncRun


def params(query=""):
    return ListParams.from_query(QueryDict(query))


ALL_STATUSES = "status=defined&status=placeholder&status=missing&status=invalid"


def search(query=""):
    return run_search(load_rows(SyncRun.last_successful()), params(query))


def ids(result):
    return [row.object_id for row in result.rows]


def test_defaults():
    p = params()
    assert (p.q, p.labels, p.owners, p.sort, p.page, p.per, p.all_versions) == (
        "", (), (), "id", 1, DEFAULT_PER, False,
    )  # fmt: skip
    assert p.query_string() == ""


def test_invalid_parameters_are_clamped_not_errors():
    p = params("page=-1&per=1000000000&sort=drop+table&label=zz&label=oma&lwm2m=abc&lwm2m=1")
    assert (p.page, p.per, p.sort, p.labels, p.lwm2m) == (1, 200, "id", ("oma",), ("1.0",))
    assert params("page=99999999999999999999").page == 10_000
    assert params("page=1.5&per=x").page == 1
    assert params("page=50000").page == 10_000
    assert params("per=3").per == 25


def test_query_text_is_cleaned_and_bounded():
    assert params("q=%00temp%0Aerature%00").q == "temp erature"
    assert len(params("q=" + "x" * 100_000).q) == 200
    assert params("owner=" + "y" * 5000).owners == ("y" * 255,)
    assert len(params("&".join(f"owner=o{i}" for i in range(100))).owners) == 20


def test_relevance_sort_only_when_searching():
    assert params("sort=relevance").sort == "id"
    assert params("q=x").sort == "relevance"
    assert params("q=x&sort=name").sort == "name"


def test_query_string_is_canonical():
    p = params("q=ipso&owner=Acme+Sensors&label=x&label=oma&versions=all&sort=name&per=100&page=3")
    assert p.query_string() == (
        "?q=ipso&label=oma&label=x&owner=Acme+Sensors&versions=all&sort=name&per=100&page=3"
    )
    assert p.query_string(page=1, labels=()) == (
        "?q=ipso&owner=Acme+Sensors&versions=all&sort=name&per=100"
    )


def test_exact_object_id():
    assert exact_object_id("3303") == 3303
    assert exact_object_id(" URN:oma:lwm2m:ext:3303:1.1 ") == 3303
    assert exact_object_id("urn:oma:lwm2m:x:10241") == 10241
    assert exact_object_id("temperature") is None
    assert exact_object_id("urn:oma:lwm2m:ext:") is None


def test_latest_versions_by_default_every_version_on_request(synced):
    assert ids(search()) == [3, 3303, 3304, 10241, 10300]  # placeholders left out
    every = search(f"versions=all&{ALL_STATUSES}")
    assert [(r.object_id, r.ver) for r in every.rows][:3] == [(3, "1.0"), (3, "1.1"), (2048, "1.0")]
    assert len(every.rows) == 9
    device = search().rows[0]
    assert (device.ver, device.other_versions) == ("1.1", ["1.0"])


def test_search_matches_every_word_in_any_field(synced):
    assert ids(search("q=temperature")) == [3303]
    assert ids(search("q=ipso+humidity")) == [3304]
    assert ids(search("q=acme")) == [10241, 10300]
    assert ids(search("q=extdevinfo")) == [3]  # a resource name
    assert ids(search("q=ipso+pressure")) == []


def test_exact_id_or_urn_comes_first(synced):
    assert ids(search("q=3303"))[0] == 3303
    assert ids(search("q=urn:oma:lwm2m:ext:3303")) == [3303]
    assert ids(search("q=urn:oma:lwm2m:x:10300:1.10")) == [10300]


def row(object_id, name, owner="", description="", resources=None):
    text = " ".join(f"{object_id} {name} {owner} {description}".lower().split())
    made = Row(object_id, "1.0", True, name, owner, 2, "", "1.0", description, "ok", text, 0)
    made.list_status, made.resources = "defined", resources or {}
    return made


def test_name_matches_rank_above_owner_and_description_matches():
    by_description = row(1, "Gauge", description="reads a sensor")
    by_owner = row(2, "Gauge", owner="Sensor Works")
    by_name = row(3, "Humidity Sensor")
    named = row(4, "Gauge", resources={5700: "Sensor Value"})
    rows = [by_description, by_owner, by_name, named]
    assert list(run_search(rows, params("q=sensor")).rows) == [by_name, by_owner, by_description]
    assert list(run_search(rows, params("q=sensor&sort=id")).rows) == rows[:3]
    assert list(run_search(rows, params("q=sensor+pressure")).rows) == []
    assert list(run_search(rows, params("q=5700")).rows) == [named]
    assert list(run_search(rows, params("q=2")).rows) == [by_owner]  # the ObjectID itself
    assert list(run_search(rows, params("q=humidity+sensor")).rows) == [by_name]


def test_words_match_where_a_word_begins():
    rows = [row(1, "Humidity"), row(2, "Multisensor"), row(3, "Light Sensor")]
    assert ids(run_search(rows, params("q=humid"))) == [1]
    assert ids(run_search(rows, params("q=sens"))) == [3]  # not inside "multisensor"
    assert ids(run_search(rows, params("q=light-sens"))) == [3]  # each part of a word
    assert ids(run_search(rows, params("q=%2B%2B"))) == []  # nothing to match


def test_pages_are_read_lazily_in_order():
    rows = [row(i, f"Sensor {i}") for i in range(1, 1001)]
    found = run_search(rows, params("q=sensor&sort=name")).rows
    assert len(found) == 1000
    assert [r.object_id for r in found[:3]] == [1, 10, 100]  # "sensor 1", "sensor 10"...
    assert [r.object_id for r in found[998:]] == [998, 999]
    assert found[-1].object_id == 999
    assert found[0].object_id == 1
    ranked = run_search(rows + [row(2000, "Gauge", description="sensor")], params("q=sensor"))
    every = list(ranked.rows)
    assert every[-1].object_id == 2000  # a tier of its own, after the names
    assert ranked.rows[990:1001] == every[990:1001]  # a page across two tiers
    assert ranked.rows[1000:1005] == every[1000:1005] == [every[-1]]


def test_an_exact_id_brings_every_version_first():
    old, new, other = row(5, "Gauge"), row(5, "Gauge"), row(6, "5 Star Sensor")
    new.ver = "1.1"
    found = run_search([old, new, other], params("q=5&versions=all")).rows
    assert list(found) == [old, new, other]


def test_search_ranks_owner_matches_above_resource_matches(synced):
    # "sensor": the owner of 10241 and 10300 (Acme Sensors), a resource of 3303 and 3304.
    assert ids(search("q=sensor")) == [10241, 10300, 3303, 3304]
    assert ids(search("q=sensor&sort=id")) == [3303, 3304, 10241, 10300]


def test_filters_combine(synced):
    assert ids(search("label=ext")) == [3303, 3304]
    every_status = f"label=ext&label=x&{ALL_STATUSES}"
    assert ids(search(every_status)) == [2048, 3303, 3304, 10241, 10300]
    assert ids(search("owner=IPSO+Alliance&owner=OMA")) == [3, 3303, 3304]
    assert ids(search("label=ext&owner=TBD")) == []
    assert ids(search("label=ext&owner=TBD&status=placeholder")) == [2048]
    assert ids(search("lwm2m=1.1")) == [3, 10241]
    assert ids(search("lwm2m=1.1&label=x")) == [10241]
    assert ids(search("q=acme&owner=OMA")) == []


def test_facets_count_under_the_other_filters(synced):
    facets = search("label=x").facets
    labels = {f.value: (f.count, f.selected) for f in facets["label"]}
    # The label facet ignores its own filter, so the other labels stay choosable.
    assert labels == {"oma": (1, False), "ext": (2, False), "x": (2, True)}
    owners = {f.value: f.count for f in facets["owner"]}
    assert owners == {"Acme Sensors": 2}
    lwm2m = {f.value: f.count for f in facets["lwm2m"]}
    assert lwm2m == {"1.0": 1, "1.1": 1}


def test_a_selected_owner_with_no_match_stays_in_its_facet(synced):
    facets = search("owner=Nobody").facets
    assert [(f.value, f.count, f.selected) for f in facets["owner"] if f.selected] == [
        ("Nobody", 0, True)
    ]
    assert len({f.key for f in facets["owner"]}) == len(facets["owner"])


def test_sorts(synced):
    assert ids(search("sort=name")) == [10300, 10241, 3, 3304, 3303]
    assert ids(search("sort=owner"))[:2] == [10241, 10300]
    assert ids(search(f"sort=owner&{ALL_STATUSES}"))[-1] == 2048


def test_rows_are_reused_until_the_next_sync(synced):
    run = SyncRun.last_successful()
    assert load_rows(run) is load_rows(run)


def test_the_unfiltered_facets_are_counted_once_per_sync(synced):
    rows = load_rows(SyncRun.last_successful())
    first = search().facets
    assert rows.index.unfiltered  # kept
    rows.index.unfiltered[(False, params().statuses)]["label"]["oma"] = 99
    assert search().facets["label"][0].count == 99  # read back, not counted again
    assert search("label=x").facets["label"][0].count == first["label"][0].count


def test_placeholders_are_left_out_by_default_and_counted(synced):
    facets = {f.value: (f.count, f.selected) for f in search().facets["status"]}
    assert facets == {
        "defined": (5, True),
        "placeholder": (1, False),
        "missing": (0, True),
        "invalid": (0, True),
    }
    assert ids(search("status=placeholder")) == [2048]
    assert params("status=defined&status=missing&status=invalid").pairs() == []
    assert params("status=placeholder").pairs() == [("status", "placeholder")]
    assert params("status=bogus").statuses == params("").statuses  # nothing valid: the default


def test_parameters_users_type_are_case_insensitive(synced):
    assert ids(search("label=EXT")) == ids(search("label=ext")) == [3303, 3304]
    assert ids(search("owner=ipso+alliance")) == [3303, 3304]
    assert ids(search("owner=IPSO+ALLIANCE,+Inc.")) == [3303, 3304]
    assert params("sort=NAME").sort == "name"
    assert params("versions=ALL").all_versions
    assert params("quality=Error&status=Placeholder").pairs() == [
        ("quality", "error"),
        ("status", "placeholder"),
    ]


def test_owner_spellings_are_one_facet_entry(synced):
    latest = ObjectVersion.objects.filter(object_id=10300, is_latest=True)
    latest.update(owner="acme  SENSORS, Inc.")
    owners = {f.value: (f.count, f.spellings) for f in search().facets["owner"]}
    assert owners["Acme Sensors"] == (2, ["Acme Sensors", "acme  SENSORS, Inc."])
    assert "acme  SENSORS, Inc." not in owners
    assert ids(search("owner=acme+sensors+ltd")) == [10241, 10300]
    selected = [f.value for f in search("owner=ACME+SENSORS").facets["owner"] if f.selected]
    assert selected == ["Acme Sensors"]
