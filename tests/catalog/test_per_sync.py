"""What a process keeps per sync (objects/catalog/per_sync.py): a value computed for a run older
than the one kept is served to its request but never kept for the newer run's."""

from datetime import UTC, datetime
from types import SimpleNamespace

from objects.catalog.per_sync import kept, per_sync


def run(number):
    """A run as per_sync keys it: its generation, end and row."""
    return SimpleNamespace(generation=number, finished=datetime(2026, 1, number, tzinfo=UTC),
                           pk=number)  # fmt: skip


def test_a_value_for_an_older_run_is_not_kept_for_the_newer():
    older, newer = run(1), run(2)
    computed = []

    @per_sync()
    def label(of_run, name):
        computed.append(of_run.pk)
        if of_run is older:
            kept.admit(newer)  # meanwhile another request reads the newer sync
        return f"{name} of run {of_run.pk}"

    assert label(older, "x") == "x of run 1"  # its own request gets it
    assert label(newer, "x") == "x of run 2"  # computed for the newer run, not the older's
    assert label(newer, "x") == "x of run 2"  # kept now
    assert computed == [1, 2]


def test_a_request_of_an_older_run_after_a_newer_one_is_kept_is_served_its_own():
    older, newer = run(1), run(2)

    @per_sync()
    def label(of_run):
        return f"run {of_run.pk}"

    assert label(newer) == "run 2"
    assert label(older) == "run 1"
    assert label(newer) == "run 2"
