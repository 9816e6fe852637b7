"""anjay.c line by line for small definitions of our own: the kind each resource is listed
with (Anjay 3's ANJAY_DM_RES_* of anjay/dm.h), and the handlers' exact statements (their C
runs in test_harness.py)."""

import pytest

from objects.codegen.anjay import kind
from objects.codegen.model import CodegenResource


def res(operations, multiple=False):
    return CodegenResource(
        id=1, name="N", operations=operations, multiple=multiple, mandatory=False,
        raw_type="Integer", type="Integer", range="", units="", description="",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("operations", "single", "multiple"),
    [
        ("R", "R", "RM"),
        ("W", "W", "WM"),
        ("RW", "RW", "RWM"),
        ("E", "E", "E"),  # an executable resource has no M form
        ("rw", "RW", "RWM"),  # Operations in lower case read as upper case
        ("WR", "RW", "RWM"),
        ("RWE", "RW", "RWM"),  # not a registry value: what is read and written wins
        ("RE", "R", "RM"),
        ("WE", "W", "WM"),
        # Empty Operations: written by a Bootstrap Server only. Anjay 3 has no BS_RWM: its
        # own Security object declares such a multiple resource (0/16) RM.
        ("", "BS_RW", "RM"),
        ("X", "BS_RW", "RM"),  # nothing Anjay knows: as if empty
    ],
)
def test_the_kind_of_each_operations_value(operations, single, multiple):
    assert kind(res(operations)) == single
    assert kind(res(operations, multiple=True)) == multiple
