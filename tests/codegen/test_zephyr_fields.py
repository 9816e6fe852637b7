"""How a resource becomes a Zephyr field: the data type from Type (an Integer's range picks 32
or 64 bits), the permission from Operations and Mandatory, or an execute field."""

import pytest

from objects.codegen.model import CodegenResource
from objects.codegen.zephyr import data_type, field, permission


def res(operations="R", type_="Integer", rng="", mandatory=False):
    return CodegenResource(
        id=1, name="N", operations=operations, multiple=False, mandatory=mandatory,
        raw_type=type_, type=type_, range=rng, units="", description="",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rng", "kind"),
    [
        ("0..100", "S32"),
        (" -5 .. -1 ", "S32"),
        ("1-10", "S32"),
        ("-2147483648..2147483647", "S32"),
        ("-2147483649..0", "S64"),
        ("0..2147483648", "S64"),
        ("5..1", "S64"),
        ("7..7", "S32"),  # a range of one value
        ("", "S64"),
        ("1..10x", "S64"),
        ("0.." + "1" * 21, "S64"),
    ],
)
def test_an_integer_is_32_bits_when_its_range_fits(rng, kind):
    assert data_type(res(rng=rng)) == kind


@pytest.mark.parametrize(
    ("type_", "kind"),
    [
        ("Unsigned Integer", "U32"), ("Float", "FLOAT"), ("Boolean", "BOOL"), ("Time", "TIME"),
        ("Opaque", "OPAQUE"), ("Objlnk", "OBJLNK"), ("String", "STRING"),
        ("Corelnk", "STRING"), ("", ""),
    ],
)  # fmt: skip
def test_the_data_type_of_each_type(type_, kind):
    assert data_type(res(type_=type_, rng="0..1")) == kind


@pytest.mark.parametrize(
    ("operations", "mandatory", "perm"),
    [
        ("R", True, "R"), ("R", False, "R_OPT"), ("W", True, "W"), ("W", False, "W_OPT"),
        ("RW", True, "RW"), ("RW", False, "RW_OPT"), ("rw", True, "RW"), ("WR", True, "RW"),
        ("E", True, ""), ("", False, ""),
    ],
)  # fmt: skip
def test_permission(operations, mandatory, perm):
    assert permission(res(operations, mandatory=mandatory)) == perm


def test_field():
    assert field(res("E", "", mandatory=True)) == ("execute", "OBJ_FIELD_EXECUTE")
    assert field(res("E", "")) == ("execute", "OBJ_FIELD_EXECUTE_OPT")
    assert field(res("RE", "String")) == ("data", "R_OPT", "STRING")
    assert field(res("RW", "Integer", mandatory=True)) == ("data", "RW", "S64")
    assert field(res("R", "")) is None
    assert field(res("", "Integer")) is None
