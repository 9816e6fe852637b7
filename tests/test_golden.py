"""Every generated file and every answer for the full snapshot, as recorded (tests/golden.py).

With GOLDEN_UPDATE=1 (`make golden`) the test records what it finds instead, and passes."""

import os

import pytest

from tests.golden import answer_hashes, code_hashes, read_manifest, write_manifest

pytestmark = [pytest.mark.snapshot, pytest.mark.slow, pytest.mark.django_db]


def test_every_answer_is_as_recorded(client, full_registry, snapshot):
    found = {**code_hashes(snapshot), **answer_hashes(client)}
    if os.environ.get("GOLDEN_UPDATE") == "1":
        write_manifest(found)
    recorded = read_manifest()
    changed = sorted(k for k in found.keys() | recorded.keys() if found.get(k) != recorded.get(k))
    assert changed == [], (
        f"{len(changed)} answers differ from tests/golden/answers.json (first: {changed[:5]}); "
        "a change of behaviour records them with `make golden`, a move must change none"
    )
