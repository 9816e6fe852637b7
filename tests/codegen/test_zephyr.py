"""zephyr.c line by line for small definitions of our own: the storage and the create
callback's INIT_OBJ_RES_* of each data type (Zephyr's lwm2m_object.h), the sizes, the init
function and the application API on the engine's lwm2m_set_* / lwm2m_get_* (their C runs in
test_harness.py)."""

import pytest

from objects.codegen import from_bytes, generate
from tests.codegen.test_generators import definition_xml
from tests.codegen.test_wakaama import MIXED, TYPES, function

KINDS = dict(TYPES)
KINDS[0] = ("Level", "RW", "Single", "Mandatory", "Integer", "-5..5", "")  # fits 32 bits
KINDS[10] = ("Texts", "RW", "Multiple", "Optional", "String", "", "")


def zephyr(items, multiple="Multiple", name="zephyr.c", object_id=33333, version="1.1"):
    data = definition_xml(items=items, multiple=multiple, object_id=object_id, version=version)
    return generate(name, from_bytes(data))


@pytest.fixture
def kinds():
    return zephyr(KINDS)


@pytest.fixture
def mixed():
    return zephyr(MIXED, multiple="Single", version="1.2")


def test_each_value_is_kept_in_an_array_of_its_c_type(kinds):
    lines = kinds.splitlines()
    start = lines.index(
        "/* The values of each instance, wired to the engine by the create callback. */"
    )
    n, ri = "[TEST_GADGET_MAX_INSTANCES]", "[TEST_GADGET_MAX_RESOURCE_INSTANCES]"
    assert lines[start + 1 : start + 15] == [
        f"static int32_t level_data{n};",
        f"static uint32_t count_data{n};",
        f"static double ratio_data{n};",
        f"static bool on_data{n};",
        f"static time_t when_data{n};",
        f"static char text_data{n}[TEST_GADGET_STRING_SIZE];",
        f"static char link_data{n}[TEST_GADGET_STRING_SIZE];",
        f"static uint8_t blob_data{n}[TEST_GADGET_OPAQUE_SIZE];",
        f"static struct lwm2m_objlnk peer_data{n};",
        f"static uint8_t blobs_data{n}{ri}[TEST_GADGET_OPAQUE_SIZE];",
        "#ifndef LWM2M_OMIT_33333_10",
        f"static char texts_data{n}{ri}[TEST_GADGET_STRING_SIZE];",
        "#endif",
        "",
    ]


def test_the_sizes_are_each_overridable(kinds, mixed):
    lines = kinds.splitlines()
    start = lines.index("#define TEST_GADGET_OID 33333")
    assert lines[start : start + 16] == [
        "#define TEST_GADGET_OID 33333",
        "#define TEST_GADGET_VERSION_MAJOR 1",
        "#define TEST_GADGET_VERSION_MINOR 1",
        "#ifndef TEST_GADGET_MAX_INSTANCES",
        "#define TEST_GADGET_MAX_INSTANCES 4",  # a multiple-instance object
        "#endif",
        "#ifndef TEST_GADGET_MAX_RESOURCE_INSTANCES",
        "#define TEST_GADGET_MAX_RESOURCE_INSTANCES 4 /* per multiple-instance resource */",
        "#endif",
        "#ifndef TEST_GADGET_STRING_SIZE",
        "#define TEST_GADGET_STRING_SIZE 64 /* the longest String or Corelnk kept, with its NUL */",
        "#endif",
        "#ifndef TEST_GADGET_OPAQUE_SIZE",
        "#define TEST_GADGET_OPAQUE_SIZE 64 /* the longest Opaque value kept */",
        "#endif",
        "",
    ]
    assert "#define TEST_GADGET_MAX_INSTANCES 1" in mixed.splitlines()  # a single instance
    assert "#define TEST_GADGET_VERSION_MINOR 2" in mixed.splitlines()
    # A resource per field; a resource instance per single value, MAX per multiple one.
    assert "#define TEST_GADGET_RESOURCE_COUNT 11" in lines
    ones = " + ".join(["1"] * 9)
    ri = "TEST_GADGET_MAX_RESOURCE_INSTANCES"
    assert f"#define TEST_GADGET_RESOURCE_INSTANCE_COUNT ({ones} + {ri} + {ri})" in lines
    assert "#define TEST_GADGET_RESOURCE_COUNT 5" in mixed.splitlines()  # Secret, Status: none
    assert f"#define TEST_GADGET_RESOURCE_INSTANCE_COUNT (1 + {ri} + 1)" in mixed.splitlines()


def test_the_create_callback_wires_each_value_by_its_kind(kinds):
    lines = function(kinds, "static struct lwm2m_engine_obj_inst *object_33333_create(")
    start = lines.index("    (void)memset(&level_data[index], 0, sizeof(level_data[index]));")
    assert lines[start + 9 : start + 13] == [
        "    (void)memset(&blobs_data[index], 0, sizeof(blobs_data[index]));",
        "#ifndef LWM2M_OMIT_33333_10",
        "    (void)memset(&texts_data[index], 0, sizeof(texts_data[index]));",
        "#endif",
    ]
    wired = lines[start + 14 :]
    at = "res[index], i, res_inst[index], j,"
    assert wired[:4] == [
        f"    INIT_OBJ_RES_DATA(RID_LEVEL, {at}",
        "                      &level_data[index], sizeof(level_data[index]));",
        f"    INIT_OBJ_RES_DATA(RID_COUNT, {at}",
        "                      &count_data[index], sizeof(count_data[index]));",
    ]
    text = wired[wired.index(f"    INIT_OBJ_RES_DATA_LEN(RID_TEXT, {at}") :]
    assert text[:2] == [  # empty until written: a length of 0, as ipso_*.c do
        f"    INIT_OBJ_RES_DATA_LEN(RID_TEXT, {at}",
        "                          text_data[index], sizeof(text_data[index]), 0);",
    ]
    blob = wired[wired.index(f"    INIT_OBJ_RES_DATA_LEN(RID_BLOB, {at}") :]
    assert blob[:4] == [
        f"    INIT_OBJ_RES_DATA_LEN(RID_BLOB, {at}",
        "                          blob_data[index], sizeof(blob_data[index]), 0);",
        f"    INIT_OBJ_RES_DATA(RID_PEER, {at}",
        "                      &peer_data[index], sizeof(peer_data[index]));",
    ]
    assert wired[wired.index(f"    INIT_OBJ_RES_MULTI_DATA_LEN(RID_BLOBS, {at}") :] == [
        f"    INIT_OBJ_RES_MULTI_DATA_LEN(RID_BLOBS, {at}",
        "                                TEST_GADGET_MAX_RESOURCE_INSTANCES, false,",
        "                                blobs_data[index], sizeof(blobs_data[index][0]), 0);",
        "#ifndef LWM2M_OMIT_33333_10",
        f"    INIT_OBJ_RES_MULTI_DATA_LEN(RID_TEXTS, {at}",
        "                                TEST_GADGET_MAX_RESOURCE_INSTANCES, false,",
        "                                texts_data[index], sizeof(texts_data[index][0]), 0);",
        "#endif",
        "    (void)j; /* every value resource may be left out */",
        "",
        "    inst[index].resources = res[index];",
        "    inst[index].resource_count = i;",
        "    return &inst[index];",
        "}",
    ]


def test_the_create_callback_refuses_a_second_instance_of_an_id(mixed):
    lines = function(mixed, "static struct lwm2m_engine_obj_inst *object_33333_create(")
    assert lines[:23] == [
        "static struct lwm2m_engine_obj_inst *object_33333_create(uint16_t obj_inst_id)",
        "{",
        "    int index;",
        "    int i = 0;",
        "    int j = 0;",
        "",
        "    for (index = 0; index < TEST_GADGET_MAX_INSTANCES; index++) {",
        "        if (inst[index].obj && inst[index].obj_inst_id == obj_inst_id) {",
        "            return NULL; /* it exists already */",
        "        }",
        "    }",
        "    for (index = 0; index < TEST_GADGET_MAX_INSTANCES; index++) {",
        "        if (!inst[index].obj) {",
        "            break;",
        "        }",
        "    }",
        "    if (index >= TEST_GADGET_MAX_INSTANCES) {",
        "        return NULL; /* no room for another instance */",
        "    }",
        "",
        "    (void)memset(res[index], 0, sizeof(res[index]));",
        "    init_res_instance(res_inst[index], ARRAY_SIZE(res_inst[index]));",
        "    (void)memset(&level_data[index], 0, sizeof(level_data[index]));",
    ]
    wired = lines.index("    INIT_OBJ_RES_DATA(RID_LEVEL, res[index], i, res_inst[index], j,")
    start = lines.index("#ifndef LWM2M_OMIT_33333_1", wired)
    assert lines[start : start + 5] == [  # a multiple number: its own array per instance
        "#ifndef LWM2M_OMIT_33333_1",
        "    INIT_OBJ_RES_MULTI_DATA(RID_VALUES, res[index], i, res_inst[index], j,",
        "                            TEST_GADGET_MAX_RESOURCE_INSTANCES, false,",
        "                            values_data[index], sizeof(values_data[index][0]));",
        "#endif",
    ]
    start = lines.index("#ifndef LWM2M_OMIT_33333_2")
    assert lines[start : start + 3] == [
        "#ifndef LWM2M_OMIT_33333_2",
        "    INIT_OBJ_RES_EXECUTE(RID_RESET, res[index], i, reset_execute_cb);",
        "#endif",
    ]
    assert "    INIT_OBJ_RES_EXECUTE(RID_RUNS, res[index], i, runs_execute_cb);" in lines


def test_an_execute_calls_the_application(mixed):
    lines = mixed.splitlines()
    start = lines.index("#ifndef LWM2M_OMIT_33333_2")
    assert lines[start : start + 11] == [
        "#ifndef LWM2M_OMIT_33333_2",
        "static int reset_execute_cb(uint16_t obj_inst_id, uint8_t *args,",
        "                          uint16_t args_len)",
        "{",
        "    if (execute_cb == NULL) {",
        "        return -ENOTSUP; /* 5.01: see object_33333_set_execute_callback() */",
        "    }",
        "    return execute_cb(obj_inst_id, RID_RESET, args, args_len);",
        "}",
        "#endif",
        "",
    ]
    assert function(mixed, "static int runs_execute_cb(")[3:5] == [
        "    /* GAP: multiple instances; Zephyr executes the resource. */",
        "    if (execute_cb == NULL) {",
    ]
    assert function(mixed, "void object_33333_set_execute_callback(") == [
        "void object_33333_set_execute_callback(object_33333_execute_cb_t *callback)",
        "{",
        "    execute_cb = callback;",
        "}",
    ]


def test_init_registers_the_object(kinds):
    assert function(kinds, "static int object_33333_init(") == [
        "static int object_33333_init(void)",
        "{",
        "    object_33333.obj_id = TEST_GADGET_OID;",
        "    object_33333.version_major = TEST_GADGET_VERSION_MAJOR;",
        "    object_33333.version_minor = TEST_GADGET_VERSION_MINOR;",
        "    object_33333.is_core = false;",
        "    object_33333.fields = fields;",
        "    object_33333.field_count = ARRAY_SIZE(fields);",
        "    object_33333.max_instance_count = TEST_GADGET_MAX_INSTANCES;",
        "    object_33333.create_cb = object_33333_create;",
        "    lwm2m_register_obj(&object_33333);",
        "    return 0;",
        "}",
    ]
    assert "LWM2M_OBJ_INIT(object_33333_init);" in kinds.splitlines()


@pytest.mark.parametrize(
    ("object_id", "core"),
    [*((i, "true") for i in (0, 1, 2, 3, 4, 5, 6, 7, 21))]
    + [(i, "false") for i in (8, 9, 20, 22, 3303)],
)
def test_an_object_of_the_specification_is_core(object_id, core):
    # Zephyr's is_core: the objects the LwM2M specification itself defines (0-7 and 21).
    text = zephyr({}, object_id=object_id)
    assert f"    object_{object_id}.is_core = {core};" in text.splitlines()


def test_an_object_without_fields(tmp_path):
    text = zephyr({})
    lines = text.splitlines()
    assert "#define TEST_GADGET_RESOURCE_COUNT 1" in lines  # a C array needs an element
    assert "#define TEST_GADGET_RESOURCE_INSTANCE_COUNT (1)" in lines
    start = lines.index("static struct lwm2m_engine_obj object_33333;")
    assert lines[start + 1] == "/* No resource this engine can declare: see the gaps above. */"
    init = function(text, "static int object_33333_init(")
    assert init[6:8] == ["    object_33333.fields = NULL;", "    object_33333.field_count = 0;"]
    assert "    int j = 0;" not in lines and "(void)j;" not in text
    assert "/* The values of each instance" not in text


SETTERS = [
    # member, parameters, call
    ("level", "int32_t value", "lwm2m_set_s32(&path, value)"),
    ("count", "uint32_t value", "lwm2m_set_u32(&path, value)"),
    ("ratio", "double value", "lwm2m_set_f64(&path, value)"),
    ("on", "bool value", "lwm2m_set_bool(&path, value)"),
    ("when", "time_t value", "lwm2m_set_time(&path, value)"),
    ("text", "const char *value", "lwm2m_set_string(&path, value)"),
    ("link", "const char *value", "lwm2m_set_string(&path, value)"),
    (
        "blob",
        "const void *value, uint16_t length",
        "lwm2m_set_opaque(&path, (const char *)value, length)",
    ),
]


@pytest.mark.parametrize(("member", "params", "call"), SETTERS)
def test_a_setter_goes_through_the_engine(kinds, member, params, call):
    assert function(kinds, f"int object_33333_set_{member}(") == [
        f"int object_33333_set_{member}(uint16_t instance_id, {params})",
        "{",
        f"    struct lwm2m_obj_path path = LWM2M_OBJ(33333, instance_id, RID_{member.upper()});",
        f"    int ret = {call};",
        "    return ret;",
        "}",
    ]


GETTERS = [
    ("level", "int32_t *value", "lwm2m_get_s32(&path, value)"),
    ("count", "uint32_t *value", "lwm2m_get_u32(&path, value)"),
    ("ratio", "double *value", "lwm2m_get_f64(&path, value)"),
    ("on", "bool *value", "lwm2m_get_bool(&path, value)"),
    ("when", "time_t *value", "lwm2m_get_time(&path, value)"),
    ("text", "char *buffer, uint16_t size", "lwm2m_get_string(&path, buffer, size)"),
    ("blob", "void *buffer, uint16_t size", "lwm2m_get_opaque(&path, buffer, size)"),
]


@pytest.mark.parametrize(("member", "params", "call"), GETTERS)
def test_a_getter_goes_through_the_engine(kinds, member, params, call):
    assert function(kinds, f"int object_33333_get_{member}(") == [
        f"int object_33333_get_{member}(uint16_t instance_id, {params})",
        "{",
        f"    struct lwm2m_obj_path path = LWM2M_OBJ(33333, instance_id, RID_{member.upper()});",
        f"    return {call};",
        "}",
    ]


def test_an_objlnk_is_set_and_got_as_two_ids(kinds):
    path = "    struct lwm2m_obj_path path = LWM2M_OBJ(33333, instance_id, RID_PEER);"
    assert function(kinds, "int object_33333_set_peer(") == [
        "int object_33333_set_peer(uint16_t instance_id, uint16_t link_oid, uint16_t link_iid)",
        "{",
        path,
        "    struct lwm2m_objlnk link = {.obj_id = link_oid, .obj_inst = link_iid};",
        "    int ret = lwm2m_set_objlnk(&path, &link);",
        "    return ret;",
        "}",
    ]
    assert function(kinds, "int object_33333_get_peer(") == [
        "int object_33333_get_peer(uint16_t instance_id, uint16_t *link_oid, uint16_t *link_iid)",
        "{",
        path,
        "    struct lwm2m_objlnk link;",
        "    int ret = lwm2m_get_objlnk(&path, &link);",
        "    if (ret == 0) {",
        "        *link_oid = link.obj_id;",
        "        *link_iid = link.obj_inst;",
        "    }",
        "    return ret;",
        "}",
    ]


def test_a_setter_of_a_multiple_resource_makes_the_instance_it_sets(kinds):
    call = "lwm2m_set_opaque(&path, (const char *)value, length)"
    assert function(kinds, "int object_33333_set_blobs(") == [
        "int object_33333_set_blobs(uint16_t instance_id, uint16_t riid, const void *value, "
        "uint16_t length)",
        "{",
        "    struct lwm2m_obj_path path = LWM2M_OBJ(33333, instance_id, RID_BLOBS, riid);",
        f"    int ret = {call};",
        "    if (ret == -ENOENT) { /* a new resource instance */",
        "        ret = lwm2m_create_res_inst(&path);",
        "        if (ret == 0) {",
        f"            ret = {call};",
        "            if (ret != 0) { /* a refused value leaves no instance */",
        "                (void)lwm2m_delete_res_inst(&path);",
        "            }",
        "        }",
        "    }",
        "    return ret;",
        "}",
    ]
    assert function(kinds, "int object_33333_get_texts(") == [
        "int object_33333_get_texts(uint16_t instance_id, uint16_t riid, char *buffer, "
        "uint16_t size)",
        "{",
        "    struct lwm2m_obj_path path = LWM2M_OBJ(33333, instance_id, RID_TEXTS, riid);",
        "    return lwm2m_get_string(&path, buffer, size);",
        "}",
    ]


def test_the_instance_functions_go_through_the_engine(mixed):
    assert function(mixed, "int object_33333_instance_create(") == [
        "int object_33333_instance_create(uint16_t instance_id)",
        "{",
        "    return lwm2m_create_object_inst(&LWM2M_OBJ(33333, instance_id));",
        "}",
    ]
    assert function(mixed, "int object_33333_instance_remove(") == [
        "int object_33333_instance_remove(uint16_t instance_id)",
        "{",
        "    return lwm2m_delete_object_inst(&LWM2M_OBJ(33333, instance_id));",
        "}",
    ]
    level = function(mixed, "int object_33333_set_level(")  # no range: 64 bits
    assert level[0] == "int object_33333_set_level(uint16_t instance_id, int64_t value)"
    assert level[3] == "    int ret = lwm2m_set_s64(&path, value);"
    assert function(mixed, "int object_33333_get_values(")[3] == (
        "    return lwm2m_get_s64(&path, value);"
    )
    # Read-only Level: a setter only; write-only Key: a getter only; no field, no function.
    names = [line.split("(")[0] for line in mixed.splitlines() if line.startswith("int object_")]
    assert names == [
        "int object_33333_instance_create",
        "int object_33333_instance_remove",
        "int object_33333_set_level",
        "int object_33333_set_values",
        "int object_33333_get_values",
        "int object_33333_get_key",
    ]


def test_the_file_says_how_to_build_it(mixed):
    lines = mixed.splitlines()
    assert lines[2] == (
        " * Generated by the LwM2M Registry Browser for Zephyr's LwM2M client"
        " (subsys/net/lib/lwm2m)."
    )
    start = lines.index(" * Build it with the LwM2M engine's private headers on the include path:")
    assert lines[start - 1 : start + 3] == [
        "/*",
        " * Build it with the LwM2M engine's private headers on the include path:",
        " * zephyr_include_directories(${ZEPHYR_BASE}/subsys/net/lib/lwm2m)",
        " */",
    ]
    start = lines.index("#include <errno.h>")
    assert lines[start : start + 11] == [
        "#include <errno.h>",
        "#include <stdbool.h>",
        "#include <stdint.h>",
        "#include <string.h>",
        "#include <time.h>",
        "",
        "#include <zephyr/net/lwm2m.h>",
        "",
        '#include "lwm2m_object.h"',
        '#include "lwm2m_engine.h"',
        "",
    ]
    assert "static object_33333_execute_cb_t *execute_cb;" in lines


def test_the_header_declares_the_api_of_the_file():
    lines = zephyr(MIXED, name="zephyr.h").splitlines()
    assert lines[lines.index("#ifndef LWM2M_OBJECT_33333_ZEPHYR_H") :] == [
        "#ifndef LWM2M_OBJECT_33333_ZEPHYR_H",
        "#define LWM2M_OBJECT_33333_ZEPHYR_H",
        "",
        "#include <stdbool.h>",
        "#include <stdint.h>",
        "#include <time.h>",
        "",
        "#include <zephyr/net/lwm2m.h>",
        "",
        "/* An instance made or removed by the application: 0 or a negative errno. */",
        "int object_33333_instance_create(uint16_t instance_id);",
        "int object_33333_instance_remove(uint16_t instance_id);",
        "",
        "/*",
        " * Called on an Execute of any executable resource: return 0 or a negative errno.",
        " * Without one, an Execute answers 5.01 (Not Implemented).",
        " */",
        "typedef int object_33333_execute_cb_t(uint16_t instance_id, uint16_t resource_id,",
        "                                 uint8_t *args, uint16_t args_len);",
        "void object_33333_set_execute_callback(object_33333_execute_cb_t *callback);",
        "",
        "/*",
        " * Setters (through lwm2m_set_*: observers are notified) of readable resources",
        " * and getters (lwm2m_get_*) of writable ones: 0 or a negative errno.",
        " */",
        "int object_33333_set_level(uint16_t instance_id, int64_t value);",
        "int object_33333_set_values(uint16_t instance_id, uint16_t riid, int64_t value);",
        "int object_33333_get_values(uint16_t instance_id, uint16_t riid, int64_t *value);",
        "int object_33333_get_key(uint16_t instance_id, void *buffer, uint16_t size);",
        "",
        "#endif /* LWM2M_OBJECT_33333_ZEPHYR_H */",
    ]
    assert lines[2] == (
        " * Generated by the LwM2M Registry Browser for Zephyr: the application API of"
        " lwm2m_33333_zephyr.c."
    )
    bare = zephyr({}, name="zephyr.h")
    assert "Setters" not in bare
    assert bare.endswith(
        "void object_33333_set_execute_callback(object_33333_execute_cb_t *callback);\n\n"
        "#endif /* LWM2M_OBJECT_33333_ZEPHYR_H */\n"
    )


def test_the_file_and_its_header_list_zephyr_s_gaps():
    for name in ("zephyr.c", "zephyr.h"):
        lines = zephyr(MIXED, name=name).splitlines()
        start = lines.index(" * GAPS: what this definition says and zephyr cannot express:")
        assert lines[start + 1 : start + 5] == [
            " * - resource 3 (Secret) has empty Operations: Zephyr has no permission for it,"
            " so it is left out of the fields",
            " * - resource 4 (Status) is read or written but has no Type: no value is kept",
            " * - resource 6 (Runs) is executable with multiple instances: executed as one"
            " resource",
            " */",
        ], name


def test_a_resource_note_gives_zephyr_s_gap(mixed):
    lines = mixed.splitlines()
    start = lines.index(" * 3 Secret: no operations, single, optional")
    assert lines[start + 3] == (
        " * GAP: resource 3 (Secret) has empty Operations: Zephyr has no permission for it,"
        " so it is left out of the fields"
    )
