"""The gaps of each target, sentence by sentence, for resources and objects written here, and
the SDKs' own copies of an object."""

import pytest

from objects.codegen.compatibility import (
    compatibility,
    compatibility_of,
    object_gaps,
    resource_gaps,
    sdk_copies,
    sdk_copy,
)
from objects.codegen.model import CodegenResource, from_definition
from objects.lwm2m.definitions import Definition
from tests.codegen.test_model import item


def res(operations, type_="", raw_type=None, multiple=False, name="N", description="d"):
    return CodegenResource(
        id=1, name=name, operations=operations, multiple=multiple, mandatory=False,
        raw_type=type_ if raw_type is None else raw_type, type=type_, range="", units="",
        description=description,
    )  # fmt: skip


def obj(**fields):
    fields.setdefault("object_id", 9)
    return from_definition(Definition(**fields))


L = "resource 1 (N)"
NO_VALUE = f"{L} is read or written but has no Type: no value is kept"
MULTI_E = f"{L} is executable with multiple instances: executed as one resource"
ANJAY_RM = (
    f"{L} has empty Operations and multiple instances: Anjay 3 has no bootstrap-only multiple"
    " kind, so it is declared RM (readable; a Bootstrap Server writes it), as Anjay's own"
    " Security object declares its resource 16"
)
WAKAAMA_EMPTY = (
    f"{L} has empty Operations: Wakaama has no bootstrap-only resource, so it is kept and"
    " written but never read"
)
ZEPHYR_EMPTY = (
    f"{L} has empty Operations: Zephyr has no permission for it, so it is left out of the fields"
)


@pytest.mark.parametrize(
    ("resource", "anjay", "wakaama", "zephyr"),
    [
        (res("R", "Integer"), [], [], []),
        (res("R"), [NO_VALUE], [NO_VALUE], [NO_VALUE]),
        (res("W"), [NO_VALUE], [NO_VALUE], [NO_VALUE]),
        (res("E"), [], [], []),
        (res("RW", raw_type="Double"), *[[f"{L} is read or written but has the Type 'Double':"
                                          " no value is kept"]] * 3),
        (res("E", multiple=True), [MULTI_E], [MULTI_E], [MULTI_E]),
        (res("RWE", "String"), *[[f"{L} has the Operations 'RWE'"]] * 3),
        (res("", "Integer"), [], [WAKAAMA_EMPTY], [ZEPHYR_EMPTY]),
        (res("", "Integer", multiple=True), [ANJAY_RM], [WAKAAMA_EMPTY], [ZEPHYR_EMPTY]),
        (res("", ""), [], [WAKAAMA_EMPTY], [ZEPHYR_EMPTY]),
    ],
)  # fmt: skip
def test_the_gaps_of_a_resource_in_each_sdk(resource, anjay, wakaama, zephyr):
    bare = obj()
    assert resource_gaps(bare, "anjay", resource) == anjay
    assert resource_gaps(bare, "wakaama", resource) == wakaama
    assert resource_gaps(bare, "zephyr", resource) == zephyr


@pytest.mark.parametrize(
    ("resource", "gaps"),
    [
        (res("R", "Integer"), []),
        (res("E"), []),  # an executable needs no Type
        (res("", "Integer"), [f"{L} has empty Operations (lwm2m-types rejects the file)"]),
        (res("RWE", "Integer"), [f"{L} has the Operations 'RWE'"]),
        (res("R"), [f"{L} has no Type: left out of the types and the schema"]),
        (res("R", raw_type="  "), [f"{L} has no Type: left out of the types and the schema"]),
        (res("R", raw_type=" Double "), [f"{L} has the Type ' Double '"]),
        (res("R", "Integer", raw_type=" Integer "), []),
        (res("R", "Integer", description=" "), [f"{L} has no Name or no Description"]),
        (res("R", "Integer", name=" "), ["resource 1 ( ) has no Name or no Description"]),
        (res("R", "Integer", name=""), ["resource 1 (no name) has no Name or no Description"]),
    ],
)
def test_the_gaps_of_a_resource_in_lwm2m_types(resource, gaps):
    assert resource_gaps(obj(), "nordic", resource) == gaps


@pytest.mark.parametrize(
    ("resource", "gaps"),
    [
        (res("R", "Integer"), []),
        (res("E"), []),
        (res("E", raw_type=" "), []),
        (res("E", "String"), [f"{L} is executable but has a Type"]),
        (res("R"), [f"{L} is read or written but has no known Type"]),
        (res("W", raw_type="Double"), [f"{L} is read or written but has no known Type"]),
        (res("", ""), []),
        (
            res("RE", "String"),
            [f"{L} is executable but has a Type", f"{L} has the Operations 'RE'"],
        ),
    ],
)
def test_the_gaps_of_a_resource_in_leshan(resource, gaps):
    assert resource_gaps(obj(), "leshan", resource) == gaps


def complete(**fields):
    values = {
        "name": "G", "description1": "D", "object_version": "1.0", "lwm2m_version": "1.1",
        "multiple_instances": "Single", "mandatory": "Optional",
    }  # fmt: skip
    values.update(fields)
    definition = Definition(object_id=9, **values)
    definition.resources = [item(3), item(1, type_=""), item(3, name="Again")]
    return from_definition(definition)


def test_the_gaps_of_an_object_in_order():
    gadget = complete()
    twice = "resource 3 is given twice: the first is used"
    no_type = "resource 1 (R) is read or written but has no Type: no value is kept"
    assert object_gaps(gadget, "anjay") == [twice, no_type]
    assert object_gaps(gadget, "nordic") == [
        twice,
        "resource 1 (R) has no Type: left out of the types and the schema",
    ]
    assert object_gaps(gadget, "leshan") == [
        twice,
        "resource 1 (R) is read or written but has no known Type",
    ]


def test_what_lwm2m_types_and_leshan_need_of_an_object():
    bare = complete(name=" ", description1="", object_version="", lwm2m_version="")
    assert object_gaps(bare, "nordic")[1:5] == [
        f"the object has no {label} (lwm2m-types rejects the file)"
        for label in ("Name", "Description1", "ObjectVersion", "LWM2MVersion")
    ]
    assert object_gaps(bare, "leshan")[1] == "the object has no Name"
    assert "the object has no" not in " ".join(object_gaps(bare, "anjay"))
    assert "the object has no" not in " ".join(object_gaps(complete(), "nordic"))


def test_compatibility_joins_the_gaps_of_each_target():
    result = compatibility_of(complete())
    assert list(result) == ["anjay", "wakaama", "zephyr", "nordic", "leshan"]
    assert result["anjay"] == {
        "ok": False,
        "reason": "resource 3 is given twice: the first is used; resource 1 (R) is read or"
        " written but has no Type: no value is kept",
    }
    definition = Definition(object_id=9, name="G", description1="D", object_version="1.0")
    definition.lwm2m_version = "1.1"
    definition.resources = [item(0)]
    assert compatibility(definition) == {t: {"ok": True, "reason": ""} for t in result}


def test_the_sdks_own_copies():
    assert sdk_copy(3303, "zephyr") == (
        "Zephyr ships object 3303 itself: CONFIG_LWM2M_IPSO_TEMP_SENSOR (ipso_temp_sensor.c)."
        " Use that copy or this file, never both (the object would be registered twice)."
    )
    assert sdk_copy(3303, "wakaama") is None
    assert sdk_copy(3303, "nordic") is None
    assert sdk_copy(33333, "anjay") is None
    assert list(sdk_copies(obj(object_id=0))) == ["zephyr", "anjay", "wakaama"]
    assert sdk_copies(obj(object_id=3303)) == {
        "zephyr": sdk_copy(3303, "zephyr"),
        "anjay": sdk_copy(3303, "anjay"),
    }
    assert sdk_copies(obj(object_id=33333)) == {}
