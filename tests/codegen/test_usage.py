"""The "How to use this file" lines of each C object, whole, for small definitions of our own:
where the files go, the build line, the lines of main() (the setter shown is the first
mandatory settable resource, else the first settable one), how to leave optional resources out,
and the SDK's own copy of the object."""

import pytest

from objects.codegen import how_to_use
from objects.codegen.model import from_bytes
from objects.codegen.usage import example_value, first_setter
from objects.codegen.wakaama import WakaamaFile
from tests.codegen.test_generators import definition_xml

# ID: (Name, Operations, MultipleInstances, Mandatory, Type, RangeEnumeration, Units)
GADGET = {
    0: ("Label", "RW", "Multiple", "Optional", "String", "", ""),
    1: ("Level", "R", "Single", "Mandatory", "Integer", "", ""),
    2: ("Reset", "E", "Single", "Optional", "", "", ""),
}
NEVER_EDIT = "   Never edit this file: the header's functions are its whole API."
OMIT = [
    "3. An optional resource the device does not have: compile with",
    "   -DLWM2M_OMIT_<object>_<resource> (e.g. -DLWM2M_OMIT_33333_0) to leave it out:",
    "   Discover and reads no longer announce it, and it answers 4.04.",
]


def gadget(items=GADGET, **fields):
    return from_bytes(definition_xml(items=items, **fields))


def test_wakaama_of_a_multiple_instance_object():
    assert how_to_use("wakaama.c", gadget()) == [
        "How to use this file (Wakaama):",
        "1. Put lwm2m_33333_wakaama.c and lwm2m_33333_wakaama.h beside your client's sources (for",
        "   Wakaama's example, examples/client/) and compile lwm2m_33333_wakaama.c with them,",
        "   e.g. in CMake target_sources(lwm2mclient PRIVATE lwm2m_33333_wakaama.c), or by hand:",
        "   cc -DLWM2M_CLIENT_MODE -I<wakaama>/include -c lwm2m_33333_wakaama.c",
        "   (each object's files are named by its ID: several objects share a folder)",
        '2. In main(), #include "lwm2m_33333_wakaama.h" and:',
        "     lwm2m_object_t *test_gadget = test_gadget_object_create();"
        " // into lwm2m_configure()'s array",
        "     test_gadget_instance_create(test_gadget, 0);",
        "     test_gadget_set_level(lwm2mH, test_gadget, 0, 1); // on a change",
        "     test_gadget_set_execute_callback(test_gadget, on_execute); // your function",
        "     test_gadget_object_release(test_gadget); // after lwm2m_close()",
        NEVER_EDIT,
        *OMIT,
    ]
    assert how_to_use("wakaama.h", gadget()) == how_to_use("wakaama.c", gadget())


def test_anjay_of_a_multiple_instance_object():
    assert how_to_use("anjay.h", gadget()) == [
        "How to use this file (Anjay 3):",
        "1. Put lwm2m_33333_anjay.c and lwm2m_33333_anjay.h beside your application's sources"
        " and compile",
        "   lwm2m_33333_anjay.c with them, e.g. in CMake add_executable(app main.c"
        " lwm2m_33333_anjay.c)",
        "   with target_link_libraries(app PRIVATE anjay), or by hand:",
        "   cc -I<anjay>/include_public -I<avs_commons>/include_public -c lwm2m_33333_anjay.c",
        "   (each object's files are named by its ID: several objects share a folder)",
        '2. In main(), after anjay_new(), #include "lwm2m_33333_anjay.h" and:',
        "     const anjay_dm_object_def_t **test_gadget = test_gadget_object_create();",
        "     anjay_register_object(anjay, test_gadget);",
        "     test_gadget_instance_create(anjay, test_gadget, 0);",
        "     test_gadget_set_level(anjay, test_gadget, 0, 1); // on a change",
        "     test_gadget_set_execute_callback(test_gadget, on_execute); // your function",
        "     test_gadget_object_release(test_gadget); // after anjay_delete()",
        NEVER_EDIT,
        *OMIT,
    ]


def test_zephyr_of_a_multiple_instance_object():
    assert how_to_use("zephyr.c", gadget()) == [
        "How to use this file (Zephyr):",
        "1. Put lwm2m_33333_zephyr.c and lwm2m_33333_zephyr.h in your application's src/ and"
        " add to",
        "   CMakeLists.txt: target_sources(app PRIVATE src/lwm2m_33333_zephyr.c)",
        "   zephyr_include_directories(${ZEPHYR_BASE}/subsys/net/lib/lwm2m)",
        "   The object registers itself when the engine starts (LWM2M_OBJ_INIT).",
        "   (each object's files are named by its ID: several objects share a folder)",
        '2. In main(), before lwm2m_rd_client_start(), #include "lwm2m_33333_zephyr.h" and:',
        "     object_33333_instance_create(0);",
        "     object_33333_set_level(0, 1); // on a change",
        "     object_33333_set_execute_callback(on_execute); // your function",
        NEVER_EDIT,
        *OMIT,
    ]


def test_a_single_instance_object_the_sdk_ships_itself():
    # 3303 (Temperature): Anjay's basic sensor and Zephyr's IPSO sensor serve it already.
    # Nothing settable, nothing optional, nothing executable: the bare lines.
    items = {0: ("Secret", "W", "Single", "Mandatory", "String", "", "")}
    obj = gadget(items, multiple="Single", object_id=3303)
    anjay = how_to_use("anjay.c", obj)
    assert anjay[7:] == [
        "     const anjay_dm_object_def_t **test_gadget = test_gadget_object_create();",
        "     anjay_register_object(anjay, test_gadget);",
        "     test_gadget_object_release(test_gadget); // after anjay_delete()",
        "   (a single-instance object: instance 0 exists from the start)",
        NEVER_EDIT,
        "",
        "NOTE: Anjay ships object 3303 itself: ANJAY_WITH_MODULE_IPSO_OBJECTS:"
        " anjay_ipso_basic_sensor_install(anjay, 3303, instances). Use that copy or this file,"
        " never both (the object would be registered twice).",
    ]
    wakaama = how_to_use("wakaama.c", obj)
    assert wakaama[7:] == [
        "     lwm2m_object_t *test_gadget = test_gadget_object_create();"
        " // into lwm2m_configure()'s array",
        "     test_gadget_object_release(test_gadget); // after lwm2m_close()",
        "   (a single-instance object: instance 0 exists from the start)",
        NEVER_EDIT,
    ]
    zephyr = how_to_use("zephyr.h", obj)
    assert zephyr[7:] == [
        "     object_3303_instance_create(0);",
        NEVER_EDIT,
        "",
        "NOTE: Zephyr ships object 3303 itself: CONFIG_LWM2M_IPSO_TEMP_SENSOR"
        " (ipso_temp_sensor.c). Use that copy or this file, never both (the object would be"
        " registered twice).",
    ]


def test_the_setter_shown_is_of_a_resource_instance_when_multiple():
    items = {4: ("Blob", "R", "Multiple", "Optional", "Opaque", "", "")}
    obj = gadget(items)
    assert '     test_gadget_set_blob(lwm2mH, test_gadget, 0, 0, "\\x01", 1); // on a change' in (
        how_to_use("wakaama.c", obj)
    )
    assert '     test_gadget_set_blob(anjay, test_gadget, 0, 0, "\\x01", 1); // on a change' in (
        how_to_use("anjay.c", obj)
    )
    assert '     object_33333_set_blob(0, 0, "\\x01", 1); // on a change' in how_to_use(
        "zephyr.c", obj
    )


def test_zephyr_shows_each_type_its_own_example_value():
    items = {0: ("On", "R", "Single", "Mandatory", "Boolean", "", "")}
    assert "     object_33333_set_on(0, true); // on a change" in how_to_use(
        "zephyr.c", gadget(items)
    )


def test_the_first_mandatory_settable_resource_is_shown_else_the_first():
    items = {
        0: ("Stamp", "R", "Single", "Optional", "Time", "", ""),
        1: ("Hidden", "W", "Single", "Mandatory", "Integer", "", ""),  # no setter: not read
        2: ("Value", "R", "Single", "Mandatory", "Float", "", ""),
        3: ("Other", "R", "Single", "Mandatory", "Float", "", ""),
    }
    assert first_setter(WakaamaFile(gadget(items))).id == 2
    del items[2], items[3]
    assert first_setter(WakaamaFile(gadget(items))).id == 0
    del items[0]
    assert first_setter(WakaamaFile(gadget(items))) is None


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("String", '"text"'),
        ("Corelnk", '"</3/0>"'),
        ("Opaque", '"\\x01", 1'),
        ("Objlnk", "3, 0"),
        ("Boolean", "true"),
        ("Float", "21.5"),
        ("Integer", "1"),
        ("Unsigned Integer", "1"),
        ("Time", "1"),
    ],
)
def test_example_values_are_c_arguments_of_the_setter(type_, value):
    items = {0: ("V", "R", "Single", "Mandatory", type_, "", "")}
    assert example_value(gadget(items).resources[0]) == value


def test_a_file_without_how_to_use_lines():
    assert how_to_use("ids.h", gadget()) is None
    assert how_to_use("schema.json", gadget()) is None


def test_wakaama_names_its_example_clients_copy():
    # 3 (Device): Wakaama's example client registers its own object_device.c.
    assert how_to_use("wakaama.c", gadget(object_id=3))[-2:] == [
        "",
        "NOTE: Wakaama ships object 3 itself: Wakaama's example client registers its own"
        " (object_device.c, examples/client). Use that copy or this file, never both (the object"
        " would be registered twice).",
    ]
