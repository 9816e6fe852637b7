"""anjay.c line by line for small definitions of our own: the kind each resource is listed
with (Anjay 3's ANJAY_DM_RES_* of anjay/dm.h), and the handlers' exact statements (their C
runs in test_harness.py)."""

import pytest

from objects.codegen import from_bytes, generate
from objects.codegen.anjay import kind
from objects.codegen.model import CodegenResource
from tests.codegen.test_generators import definition_xml
from tests.codegen.test_wakaama import MIXED, TYPES, comment_before, function


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
        ("EX", "E", "E"),  # an unknown letter beside E: still executable
        # Empty Operations: written by a Bootstrap Server only. Anjay 3 has no BS_RWM: its
        # own Security object declares such a multiple resource (0/16) RM.
        ("", "BS_RW", "RM"),
        ("X", "BS_RW", "RM"),  # nothing Anjay knows: as if empty
    ],
)
def test_the_kind_of_each_operations_value(operations, single, multiple):
    assert kind(res(operations)) == single
    assert kind(res(operations, multiple=True)) == multiple


def anjay(items, multiple="Single", name="anjay.c", version="1.1"):
    data = definition_xml(items=items, multiple=multiple, version=version)
    return generate(name, from_bytes(data))


@pytest.fixture
def typed():
    return anjay(TYPES)


@pytest.fixture
def mixed():
    return anjay(MIXED, version="1.2")


def case(lines, macro):
    """The lines of `case <macro>: {` up to its closing `    }`."""
    start = lines.index(f"    case {macro}: {{")
    return lines[start : lines.index("    }", start) + 1]


SINGLE = "        assert(riid == ANJAY_ID_INVALID);"


@pytest.mark.parametrize(
    ("macro", "returned"),
    [
        ("RID_LEVEL", ["        return anjay_ret_i64(ctx, inst->values.level);"]),
        (
            "RID_COUNT",  # anjay_ret_u32 only where Anjay has it (LwM2M 1.1)
            [
                "#ifdef ANJAY_WITH_LWM2M11",
                "        return anjay_ret_u32(ctx, inst->values.count);",
                "#else",
                "        return anjay_ret_i64(ctx, (int64_t) inst->values.count);",
                "#endif",
            ],
        ),
        ("RID_RATIO", ["        return anjay_ret_double(ctx, inst->values.ratio);"]),
        ("RID_ON", ["        return anjay_ret_bool(ctx, inst->values.on);"]),
        ("RID_WHEN", ["        return anjay_ret_i64(ctx, inst->values.when);"]),
        ("RID_TEXT", ["        return anjay_ret_string(ctx, inst->values.text);"]),
        ("RID_LINK", ["        return anjay_ret_string(ctx, inst->values.link);"]),
        (
            "RID_BLOB",
            ["        return anjay_ret_bytes(ctx, inst->values.blob, inst->values.blob_length);"],
        ),
        (
            "RID_PEER",
            ["        return anjay_ret_objlnk(ctx, inst->values.peer_oid, inst->values.peer_iid);"],
        ),
    ],
)
def test_each_type_is_read_with_its_anjay_ret_function(typed, macro, returned):
    lines = function(typed, "static int resource_read(")
    assert case(lines, macro) == [f"    case {macro}: {{", SINGLE, *returned, "    }"]


def test_a_resource_instance_is_read_by_its_id(typed):
    lines = function(typed, "static int resource_read(")
    at = "inst->values.blobs.at[at]"
    assert case(lines, "RID_BLOBS") == [
        "    case RID_BLOBS: {",
        "        int at = find_blobs(inst, riid);",
        "        if (at < 0) {",
        "            return ANJAY_ERR_NOT_FOUND;",
        "        }",
        f"        return anjay_ret_bytes(ctx, {at}.value, {at}.value_length);",
        "    }",
    ]
    assert lines[-4:] == [
        "    default:",
        "        return ANJAY_ERR_METHOD_NOT_ALLOWED;",
        "    }",
        "}",
    ]


def kept(*stores):
    return ["        if (!result) {", *stores, "        }", "        return result;", "    }"]


@pytest.mark.parametrize(
    ("macro", "read", "stores"),
    [
        (
            "RID_LEVEL",
            ["        int64_t value;", "        int result = anjay_get_i64(ctx, &value);"],
            ["            inst->values.level = value;"],
        ),
        (
            "RID_COUNT",  # without anjay_get_u32, an i64 checked to fit 32 bits unsigned
            [
                "#ifdef ANJAY_WITH_LWM2M11",
                "        uint32_t value;",
                "        int result = anjay_get_u32(ctx, &value);",
                "#else",
                "        int64_t wide;",
                "        int result = anjay_get_i64(ctx, &wide);",
                "        if (!result && (wide < 0 || wide > (int64_t) UINT32_MAX)) {",
                "            result = ANJAY_ERR_BAD_REQUEST;",
                "        }",
                "        uint32_t value = (uint32_t) wide;",
                "#endif",
            ],
            ["            inst->values.count = value;"],
        ),
        (
            "RID_RATIO",
            ["        double value;", "        int result = anjay_get_double(ctx, &value);"],
            ["            inst->values.ratio = value;"],
        ),
        (
            "RID_ON",
            ["        bool value;", "        int result = anjay_get_bool(ctx, &value);"],
            ["            inst->values.on = value;"],
        ),
        (
            "RID_TEXT",  # a string longer than kept is refused, not cut
            [
                "        char value[TEST_GADGET_STRING_SIZE];",
                "        int result = anjay_get_string(ctx, value, sizeof(value));",
                "        if (result == ANJAY_BUFFER_TOO_SHORT) {",
                "            result = ANJAY_ERR_BAD_REQUEST;",
                "        }",
            ],
            ["            memcpy(inst->values.text, value, sizeof(value));"],
        ),
        (
            "RID_LINK",  # a Corelnk is a string too
            [
                "        char value[TEST_GADGET_STRING_SIZE];",
                "        int result = anjay_get_string(ctx, value, sizeof(value));",
                "        if (result == ANJAY_BUFFER_TOO_SHORT) {",
                "            result = ANJAY_ERR_BAD_REQUEST;",
                "        }",
            ],
            ["            memcpy(inst->values.link, value, sizeof(value));"],
        ),
        (
            "RID_BLOB",
            [
                "        uint8_t value[TEST_GADGET_OPAQUE_SIZE];",
                "        size_t bytes_read = 0;",
                "        bool finished = false;",
                "        int result = anjay_get_bytes(ctx, &bytes_read, &finished, value, "
                "sizeof(value));",
                "        if (!result && !finished) {",
                "            result = ANJAY_ERR_BAD_REQUEST; /* longer than kept */",
                "        }",
            ],
            [
                "            memcpy(inst->values.blob, value, bytes_read);",
                "            inst->values.blob_length = bytes_read;",
            ],
        ),
        (
            "RID_PEER",
            [
                "        anjay_oid_t link_oid;",
                "        anjay_iid_t link_iid;",
                "        int result = anjay_get_objlnk(ctx, &link_oid, &link_iid);",
            ],
            [
                "            inst->values.peer_oid = link_oid;",
                "            inst->values.peer_iid = link_iid;",
            ],
        ),
    ],
)
def test_each_type_is_written_with_its_anjay_get_function(typed, macro, read, stores):
    lines = function(typed, "static int resource_write(")
    assert case(lines, macro) == [f"    case {macro}: {{", SINGLE, *read, *kept(*stores)]


def test_a_resource_instance_is_added_only_for_a_value_read_whole(typed):
    lines = function(typed, "static int resource_write(")
    assert case(lines, "RID_BLOBS")[5:] == [
        "        if (!result && !finished) {",
        "            result = ANJAY_ERR_BAD_REQUEST; /* longer than kept */",
        "        }",
        *kept(
            "            int at = add_blobs(inst, riid);",
            "            if (at < 0) {",
            "                return ANJAY_ERR_INTERNAL; /* no room for another */",
            "            }",
            "            memcpy(inst->values.blobs.at[at].value, value, bytes_read);",
            "            inst->values.blobs.at[at].value_length = bytes_read;",
        ),
    ]


def test_the_handlers_answer_each_resource_by_its_kind(mixed):
    read = function(mixed, "static int resource_read(")
    assert [line for line in read if line.startswith("    case")] == [
        "    case RID_LEVEL: {",
        "    case RID_VALUES: {",
        "    case RID_SECRET: {",  # BS_RW: a Bootstrap Server reads it
        "    case RID_STATUS: {",
    ]
    assert case(read, "RID_STATUS") == [
        "    case RID_STATUS: {",
        "        /* GAP: no Type, so no value to read. */",
        "        return ANJAY_ERR_NOT_IMPLEMENTED;",
        "    }",
    ]
    write = function(mixed, "static int resource_write(")
    assert [line for line in write if line.startswith("    case")] == [
        "    case RID_VALUES: {",
        "    case RID_SECRET: {",
        "    case RID_KEY: {",
    ]
    execute = function(mixed, "static int resource_execute(")
    called = [
        "        if (!callback) {",
        "            return ANJAY_ERR_NOT_IMPLEMENTED; /* no callback registered */",
        "        }",
        "        return callback(anjay, iid, rid, arg_ctx);",
    ]
    assert execute[execute.index("    switch (rid) {") - 1 :] == [
        "    test_gadget_execute_cb_t *callback = get_obj(obj_ptr)->execute_cb;",
        "    switch (rid) {",
        "    case RID_RESET:",
        *called,
        "    case RID_RUNS:",
        "        /* GAP: multiple instances; Anjay executes the resource. */",
        *called,
        "    default:",
        "        return ANJAY_ERR_METHOD_NOT_ALLOWED;",
        "    }",
        "}",
    ]


def test_a_write_of_a_resource_without_a_type_is_not_implemented():
    text = anjay({0: ("Status", "RW", "Multiple", "Mandatory", "", "", "")})
    write = function(text, "static int resource_write(")
    assert case(write, "RID_STATUS") == [
        "    case RID_STATUS: {",
        "        /* GAP: no Type, so no value to write. */",
        "        return ANJAY_ERR_NOT_IMPLEMENTED;",
        "    }",
    ]
    reset = function(text, "static int resource_reset(")
    assert reset[reset.index("    case RID_STATUS:") + 1] == (
        "        return ANJAY_ERR_NOT_IMPLEMENTED; /* GAP: no Type */"
    )
    listed = function(text, "static int list_resource_instances(")
    assert listed[listed.index("    case RID_STATUS:") + 1 :][:2] == [
        "        /* GAP: no Type, so no instances are kept. */",
        "        return 0;",
    ]
    removed = function(text, "static int resource_instance_remove(")
    assert removed[removed.index("    case RID_STATUS:") + 1 :][:2] == [
        "        (void) riid;",
        "        return ANJAY_ERR_NOT_IMPLEMENTED; /* GAP: no Type */",
    ]
    assert "static bool remove_" not in text


def test_a_multiple_resource_lists_resets_and_removes_its_instances(mixed):
    assert function(mixed, "static int resource_reset(")[-8:] == [
        "    switch (rid) {",
        "    case RID_VALUES:",
        "        inst->values.values.count = 0;",
        "        return 0;",
        "    default:",
        "        return ANJAY_ERR_METHOD_NOT_ALLOWED;",
        "    }",
        "}",
    ]
    listed = function(mixed, "static int list_resource_instances(")
    assert listed[listed.index("    switch (rid) {") :] == [
        "    switch (rid) {",
        "    case RID_VALUES:",
        "        for (size_t at = 0; at < inst->values.values.count; at++) {",
        "            anjay_dm_emit(ctx, inst->values.values.at[at].riid); /* ascending */",
        "        }",
        "        return 0;",
        "    default:",
        "        return ANJAY_ERR_METHOD_NOT_ALLOWED;",
        "    }",
        "}",
    ]
    lines = mixed.splitlines()
    start = lines.index("#ifdef ANJAY_WITH_LWM2M12")
    assert (
        lines[start + 1]
        == "static bool remove_values(test_gadget_instance_t *inst, uint16_t riid) {"
    )
    removed = function(mixed, "static int resource_instance_remove(")
    assert removed[removed.index("    switch (rid) {") :] == [
        "    switch (rid) {",
        "    case RID_VALUES:",
        "        return remove_values(inst, riid)",
        "                   ? 0 : ANJAY_ERR_NOT_FOUND;",
        "    default:",
        "        return ANJAY_ERR_METHOD_NOT_ALLOWED;",
        "    }",
        "}",
    ]
    assert lines[lines.index(removed[-1], lines.index(removed[0])) + 1] == (
        "#endif /* ANJAY_WITH_LWM2M12 */"
    )


def test_list_resources_gives_each_kind_and_what_the_build_leaves_out(mixed):
    lines = function(mixed, "static int list_resources(")
    assert lines[7:21] == [
        "    anjay_dm_emit_res(ctx, RID_LEVEL, ANJAY_DM_RES_R,",
        "                      ANJAY_DM_RES_PRESENT); /* mandatory */",
        "#ifdef LWM2M_OMIT_33333_1",
        "    anjay_dm_emit_res(ctx, RID_VALUES, ANJAY_DM_RES_RWM,",
        "                      ANJAY_DM_RES_ABSENT); /* left out by the build */",
        "#else",
        "    anjay_dm_emit_res(ctx, RID_VALUES, ANJAY_DM_RES_RWM,",
        "                      ANJAY_DM_RES_PRESENT); /* optional */",
        "#endif",
        "#ifdef LWM2M_OMIT_33333_2",
        "    anjay_dm_emit_res(ctx, RID_RESET, ANJAY_DM_RES_E,",
        "                      ANJAY_DM_RES_ABSENT); /* left out by the build */",
        "#else",
        "    anjay_dm_emit_res(ctx, RID_RESET, ANJAY_DM_RES_E,",
    ]
    assert lines[-4:] == [
        "    anjay_dm_emit_res(ctx, RID_RUNS, ANJAY_DM_RES_E,",
        "                      ANJAY_DM_RES_PRESENT); /* mandatory */",
        "    return 0;",
        "}",
    ]
    bare = function(anjay({}), "static int list_resources(")
    assert bare[4:] == [
        "    (void) anjay;",
        "    (void) obj_ptr;",
        "    (void) iid;",
        "    (void) ctx; /* no resources */",
        "    return 0;",
        "}",
    ]


def test_the_object_definition_names_every_handler(mixed):
    lines = mixed.splitlines()
    start = lines.index("static const anjay_dm_object_def_t OBJ_DEF = {")
    assert lines[start : lines.index("};", start) + 1] == [
        "static const anjay_dm_object_def_t OBJ_DEF = {",
        "    .oid = 33333,",
        '    .version = "1.2",',
        "    .handlers = {",
        "        .list_instances = list_instances,",
        "        .instance_create = instance_create,",
        "        .instance_remove = instance_remove,",
        "        .instance_reset = instance_reset,",
        "        .list_resources = list_resources,",
        "        .resource_read = resource_read,",
        "        .resource_write = resource_write,",
        "        .resource_execute = resource_execute,",
        "        .resource_reset = resource_reset,",
        "        .list_resource_instances = list_resource_instances,",
        "        .transaction_begin = transaction_begin,",
        "        .transaction_validate = anjay_dm_transaction_NOOP,",
        "        .transaction_commit = transaction_commit,",
        "        .transaction_rollback = transaction_rollback,",
        "#ifdef ANJAY_WITH_LWM2M12",
        "        .resource_instance_remove = resource_instance_remove,",
        "#endif /* ANJAY_WITH_LWM2M12 */",
        "    }",
        "};",
    ]
    bare = anjay({}, version="1.0").splitlines()
    start = bare.index("static const anjay_dm_object_def_t OBJ_DEF = {")
    assert bare[start : bare.index("};", start) + 1] == [
        "static const anjay_dm_object_def_t OBJ_DEF = {",
        "    .oid = 33333,",  # 1.0 is Anjay's default version: left out as anjay_codegen does
        "    .handlers = {",
        "        .list_instances = list_instances,",
        "        .instance_create = instance_create,",
        "        .instance_remove = instance_remove,",
        "        .instance_reset = instance_reset,",
        "        .list_resources = list_resources,",
        "        .transaction_begin = transaction_begin,",
        "        .transaction_validate = anjay_dm_transaction_NOOP,",
        "        .transaction_commit = transaction_commit,",
        "        .transaction_rollback = transaction_rollback,",
        "    }",
        "};",
    ]
    for handler in ("resource_read", "resource_write", "resource_execute", "resource_reset"):
        assert f"static int {handler}(" not in "\n".join(bare)


def test_a_transaction_keeps_a_copy_to_roll_back_to(mixed):
    assert function(mixed, "static int transaction_begin(") == [
        "static int transaction_begin(anjay_t *anjay,",
        "                             const anjay_dm_object_def_t *const *obj_ptr) {",
        "    (void) anjay;",
        "    test_gadget_object_t *obj = get_obj(obj_ptr);",
        "    free_instances(obj->backup);",
        "    obj->in_transaction = false;",
        "    if (copy_instances(obj->instances, &obj->backup)) {",
        "        return ANJAY_ERR_INTERNAL;",
        "    }",
        "    obj->in_transaction = true;",
        "    return 0;",
        "}",
    ]
    assert function(mixed, "static int transaction_commit(") == [
        "static int transaction_commit(anjay_t *anjay,",
        "                              const anjay_dm_object_def_t *const *obj_ptr) {",
        "    (void) anjay;",
        "    test_gadget_object_t *obj = get_obj(obj_ptr);",
        "    free_instances(obj->backup);",
        "    obj->backup = NULL;",
        "    obj->in_transaction = false;",
        "    return 0;",
        "}",
    ]
    assert function(mixed, "static int transaction_rollback(") == [
        "static int transaction_rollback(anjay_t *anjay,",
        "                                const anjay_dm_object_def_t *const *obj_ptr) {",
        "    (void) anjay;",
        "    test_gadget_object_t *obj = get_obj(obj_ptr);",
        "    if (obj->in_transaction) { /* the instances as they were */",
        "        free_instances(obj->instances);",
        "        obj->instances = obj->backup;",
        "        obj->backup = NULL;",
        "        obj->in_transaction = false;",
        "    }",
        "    return 0;",
        "}",
    ]


def test_the_comments_say_what_the_code_does(mixed):
    lines = mixed.splitlines()

    def before(start):
        return comment_before(mixed, start)

    assert before("static test_gadget_object_t *get_obj(") == [
        "/* The object around its def (by address: no cast drops a qualifier). */"
    ]
    assert before("static int copy_instances(") == [
        "/* A copy of the list in `*out`: 0, or -1 (nothing copied) when out of memory. */"
    ]
    assert before("static int instance_reset(") == [
        "/* A replace of the instance: its writable resources return to empty. */"
    ]
    assert before("const anjay_dm_object_def_t **test_gadget_object_create(") == [
        "/*",
        " * Register with anjay_register_object(anjay, test_gadget_object_create());",
        " * release with test_gadget_object_release() after anjay_delete().",
        " */",
    ]
    assert lines[2] == (
        " * Generated by the LwM2M Registry Browser for Anjay 3 (its data-model API,"
        " anjay/dm.h and anjay/io.h)."
    )
    assert (
        "    test_gadget_instance_t *backup; /* the instances as the transaction began */" in lines
    )


def test_a_single_instance_object_makes_instance_0_and_refuses_another(mixed):
    create = function(mixed, "static int instance_create(")
    assert create[4:8] == [
        "    test_gadget_object_t *obj = get_obj(obj_ptr);",
        "    if (obj->instances) {",
        "        return ANJAY_ERR_METHOD_NOT_ALLOWED; /* a single-instance object */",
        "    }",
    ]
    made = function(mixed, "const anjay_dm_object_def_t **test_gadget_object_create(")
    assert made[-7:] == [
        "    obj->def = &OBJ_DEF;",
        "    if (instance_create(NULL, &obj->def, 0)) { /* its one instance */",
        "        avs_free(obj);",
        "        return NULL;",
        "    }",
        "    return &obj->def;",
        "}",
    ]
    many = anjay(MIXED, multiple="Multiple")
    assert "a single-instance object" not in many and "its one instance" not in many


def test_a_setter_notifies_anjay_of_the_change(mixed):
    assert function(mixed, "int test_gadget_set_values(") == [
        "int test_gadget_set_values(anjay_t *anjay, const anjay_dm_object_def_t *const *def,",
        "        anjay_iid_t iid, anjay_riid_t riid, int64_t value) {",
        "    test_gadget_instance_t *inst = def ? find_instance(get_obj(def), iid) : NULL;",
        "    if (!inst) {",
        "        return -1;",
        "    }",
        "    int at = riid == ANJAY_ID_INVALID ? -1 : add_values(inst, riid);",
        "    if (at < 0) {",
        "        return -1;",
        "    }",
        "    inst->values.values.at[at].value = value;",
        "    if (anjay) {",
        "        anjay_notify_changed(anjay, TEST_GADGET_OID, iid, RID_VALUES);",
        "    }",
        "    return 0;",
        "}",
    ]
    names = [line.split("(")[0] for line in mixed.splitlines() if line.startswith("int test_")]
    assert names == [
        "int test_gadget_instance_create",
        "int test_gadget_instance_remove",
        "int test_gadget_set_level",
        "int test_gadget_set_values",
        "int test_gadget_get_values",
        "int test_gadget_set_secret",  # BS_RW: read by a Bootstrap Server, so set
        "int test_gadget_get_secret",
        "int test_gadget_get_key",
    ]


def test_the_header_declares_the_api_of_the_file():
    lines = anjay(MIXED, name="anjay.h").splitlines()
    def_ = "const anjay_dm_object_def_t *const *def"
    assert lines[lines.index("#ifndef LWM2M_OBJECT_33333_ANJAY_H") :] == [
        "#ifndef LWM2M_OBJECT_33333_ANJAY_H",
        "#define LWM2M_OBJECT_33333_ANJAY_H",
        "",
        "#include <stdbool.h>",
        "#include <stddef.h>",
        "#include <stdint.h>",
        "",
        "#include <anjay/anjay.h>",
        "",
        "/* The object, for anjay_register_object(); release it after anjay_delete(). */",
        "const anjay_dm_object_def_t **test_gadget_object_create(void);",
        "void test_gadget_object_release(const anjay_dm_object_def_t **def);",
        "",
        "/* An instance made or removed by the application: 0, or -1 on an error. */",
        f"int test_gadget_instance_create(anjay_t *anjay, {def_}, anjay_iid_t iid);",
        f"int test_gadget_instance_remove(anjay_t *anjay, {def_}, anjay_iid_t iid);",
        "",
        "/*",
        " * Called on an Execute of any executable resource: return 0 or an ANJAY_ERR_*",
        " * code; anjay_execute_get_next_arg() reads the arguments. Without one, an",
        " * Execute answers 5.01 (Not Implemented).",
        " */",
        "typedef int test_gadget_execute_cb_t(anjay_t *anjay, anjay_iid_t iid, anjay_rid_t rid,",
        "                             anjay_execute_ctx_t *ctx);",
        f"void test_gadget_set_execute_callback({def_}, test_gadget_execute_cb_t *callback);",
        "",
        "/*",
        " * Setters of readable resources: 0, or -1 (no such instance, too long, no room).",
        " * They call anjay_notify_changed() (anjay may be NULL before anjay_new()).",
        " */",
        f"int test_gadget_set_level(anjay_t *anjay, {def_}, anjay_iid_t iid, int64_t value);",
        f"int test_gadget_set_values(anjay_t *anjay, {def_}, anjay_iid_t iid, "
        "anjay_riid_t riid, int64_t value);",
        f"int test_gadget_set_secret(anjay_t *anjay, {def_}, anjay_iid_t iid, double value);",
        "",
        "/* Getters of writable resources (the value a server wrote): 0, or -1. */",
        f"int test_gadget_get_values({def_}, anjay_iid_t iid, anjay_riid_t riid, int64_t *value);",
        f"int test_gadget_get_secret({def_}, anjay_iid_t iid, double *value);",
        f"int test_gadget_get_key({def_}, anjay_iid_t iid, const uint8_t **value, size_t *length);",
        "",
        "#endif /* LWM2M_OBJECT_33333_ANJAY_H */",
    ]
    assert lines[2] == (
        " * Generated by the LwM2M Registry Browser for Anjay 3: the application API of"
        " lwm2m_33333_anjay.c."
    )
    bare = anjay({}, name="anjay.h")
    assert "Setters" not in bare and "Getters" not in bare


def test_each_handler_finds_its_instance_first(mixed):
    found = [
        "    (void) anjay;",
        "    test_gadget_instance_t *inst = find_instance(get_obj(obj_ptr), iid);",
        "    if (!inst) {",
        "        return ANJAY_ERR_NOT_FOUND;",
        "    }",
        "    (void) inst; /* a case without a value does not read it */",
    ]
    # With NDEBUG, a single resource's assert(riid == ANJAY_ID_INVALID) is gone: riid unused.
    riid = "    (void) riid; /* without assertions, a single resource ignores it */"
    read = function(mixed, "static int resource_read(")
    assert read[:9] == [
        "static int resource_read(anjay_t *anjay, const anjay_dm_object_def_t *const *obj_ptr,",
        "        anjay_iid_t iid, anjay_rid_t rid, anjay_riid_t riid, anjay_output_ctx_t *ctx) {",
        *found,
        riid,
    ]
    write = function(mixed, "static int resource_write(")
    assert write[1:9] == [
        "        anjay_iid_t iid, anjay_rid_t rid, anjay_riid_t riid, anjay_input_ctx_t *ctx) {",
        *found,
        riid,
    ]
    reset = function(mixed, "static int resource_reset(")
    assert reset[1:9] == [
        "        anjay_iid_t iid, anjay_rid_t rid) {",
        *found,
        "    switch (rid) {",
    ]
    execute = function(mixed, "static int resource_execute(")
    assert execute[1:8] == [
        "        anjay_iid_t iid, anjay_rid_t rid, anjay_execute_ctx_t *arg_ctx) {",
        *found,
    ]
    assert execute[8] != riid


def test_the_file_and_its_header_list_anjay_s_gaps():
    # Anjay has BS_RW for empty Operations (Secret): no gap for it.
    for name in ("anjay.c", "anjay.h"):
        lines = anjay(MIXED, name=name).splitlines()
        start = lines.index(" * GAPS: what this definition says and anjay cannot express:")
        assert lines[start + 1 : start + 4] == [
            " * - resource 4 (Status) is read or written but has no Type: no value is kept",
            " * - resource 6 (Runs) is executable with multiple instances: executed as one"
            " resource",
            " */",
        ], name


def test_a_resource_note_gives_anjay_s_gap(mixed):
    lines = mixed.splitlines()
    start = lines.index(" * 4 Status: R, single, optional")
    assert lines[start + 3] == (
        " * GAP: resource 4 (Status) is read or written but has no Type: no value is kept"
    )
    secret = lines.index(" * 3 Secret: no operations, single, optional")  # BS_RW: no gap
    assert not lines[secret + 3].startswith(" * GAP:")
