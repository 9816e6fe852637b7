"""wakaama.c line by line for small definitions of our own: each Type's read and write
functions on Wakaama's typed lwm2m_data_encode_* / lwm2m_data_decode_* (liblwm2m.h), the
callbacks' cases and guards, and the comments a user reads (their C runs in test_harness.py)."""

import pytest

from objects.codegen import from_bytes, generate
from tests.codegen.test_generators import definition_xml

TYPES = {
    # ID: (Name, Operations, MultipleInstances, Mandatory, Type, RangeEnumeration, Units)
    0: ("Level", "RW", "Single", "Mandatory", "Integer", "", ""),
    1: ("Count", "RW", "Single", "Mandatory", "Unsigned Integer", "", ""),
    2: ("Ratio", "RW", "Single", "Mandatory", "Float", "", ""),
    3: ("On", "RW", "Single", "Mandatory", "Boolean", "", ""),
    4: ("When", "RW", "Single", "Mandatory", "Time", "", ""),
    5: ("Text", "RW", "Single", "Mandatory", "String", "", ""),
    6: ("Link", "RW", "Single", "Mandatory", "Corelnk", "", ""),
    7: ("Blob", "RW", "Single", "Mandatory", "Opaque", "", ""),
    8: ("Peer", "RW", "Single", "Mandatory", "Objlnk", "", ""),
    9: ("Blobs", "RW", "Multiple", "Mandatory", "Opaque", "", ""),
}


def wakaama(items, multiple="Single", name="wakaama.c"):
    return generate(name, from_bytes(definition_xml(items=items, multiple=multiple)))


def function(text, start):
    """The lines of the C function whose first line starts with `start`, up to its `}`."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = lines.index("}", first)
    return lines[first : last + 1]


def comment_before(text, start):
    """The comment lines just above the line that starts with `start`."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(start))
    end = at
    while not lines[end - 1].startswith("/*"):
        end -= 1
    return lines[end - 1 : at]


@pytest.fixture
def typed():
    return wakaama(TYPES)


NUMBERS = [
    # member, C type, encode, decode
    ("level", "int64_t", "lwm2m_data_encode_int", "lwm2m_data_decode_int"),
    ("count", "uint64_t", "lwm2m_data_encode_uint", "lwm2m_data_decode_uint"),
    ("ratio", "double", "lwm2m_data_encode_float", "lwm2m_data_decode_float"),
    ("on", "bool", "lwm2m_data_encode_bool", "lwm2m_data_decode_bool"),
    ("when", "int64_t", "lwm2m_data_encode_int", "lwm2m_data_decode_int"),  # Time: seconds
]


@pytest.mark.parametrize(("member", "c_type", "encode", "decode"), NUMBERS)
def test_a_number_is_read_and_written_with_its_typed_function(
    typed, member, c_type, encode, decode
):
    assert function(typed, f"static uint8_t read_{member}(") == [
        f"static uint8_t read_{member}(test_gadget_instance_t *inst, lwm2m_data_t *data) {{",
        "    if (data->type == LWM2M_TYPE_MULTIPLE_RESOURCE) {",
        "        return COAP_404_NOT_FOUND; /* a single resource has no instances */",
        "    }",
        f"    {encode}(inst->values.{member}, data);",
        "    return COAP_205_CONTENT;",
        "}",
    ]
    assert function(typed, f"static uint8_t write_{member}(") == [
        f"static uint8_t write_{member}(test_gadget_instance_t *inst, lwm2m_data_t *data, "
        "bool replace) {",
        "    (void) replace;",
        "    if (data->type == LWM2M_TYPE_MULTIPLE_RESOURCE) {",
        "        return COAP_400_BAD_REQUEST;",
        "    }",
        f"    {c_type} value;",
        f"    if (1 != {decode}(data, &value)) {{",  # the decoders answer 1 on success
        "        return COAP_400_BAD_REQUEST;",
        "    }",
        f"    inst->values.{member} = value;",
        "    return COAP_204_CHANGED;",
        "}",
    ]


def text_write(member, accepted, bound, keep):
    check = " && ".join(f"data->type != LWM2M_TYPE_{a}" for a in accepted)
    return [
        f"static uint8_t write_{member}(test_gadget_instance_t *inst, lwm2m_data_t *data, "
        "bool replace) {",
        "    (void) replace;",
        "    if (data->type == LWM2M_TYPE_MULTIPLE_RESOURCE) {",
        "        return COAP_400_BAD_REQUEST;",
        "    }",
        f"    if ({check}) {{",
        "        return COAP_400_BAD_REQUEST;",
        "    }",
        f"    if (data->value.asBuffer.length > {bound}) {{",
        "        return COAP_413_ENTITY_TOO_LARGE;",
        "    }",
        "    if (data->value.asBuffer.length > 0) {",
        f"        memcpy(inst->values.{member}, data->value.asBuffer.buffer, "
        "data->value.asBuffer.length);",
        "    }",
        keep,
        "    return COAP_204_CHANGED;",
        "}",
    ]


def test_a_string_keeps_room_for_its_nul(typed):
    assert function(typed, "static uint8_t write_text(") == text_write(
        "text",
        ["STRING", "OPAQUE"],
        "TEST_GADGET_STRING_SIZE - 1",
        "    inst->values.text[data->value.asBuffer.length] = '\\0';",
    )
    assert "    lwm2m_data_encode_string(inst->values.text, data);" in typed.splitlines()


def test_a_corelnk_also_takes_a_core_link_value(typed):
    assert function(typed, "static uint8_t write_link(") == text_write(
        "link",
        ["STRING", "OPAQUE", "CORE_LINK"],
        "TEST_GADGET_STRING_SIZE - 1",
        "    inst->values.link[data->value.asBuffer.length] = '\\0';",
    )
    assert "    lwm2m_data_encode_corelink(inst->values.link, data);" in typed.splitlines()


def test_an_opaque_keeps_its_length_and_every_byte_of_its_size(typed):
    assert function(typed, "static uint8_t write_blob(") == text_write(
        "blob",
        ["STRING", "OPAQUE"],
        "TEST_GADGET_OPAQUE_SIZE",
        "    inst->values.blob_length = data->value.asBuffer.length;",
    )
    assert (
        "    lwm2m_data_encode_opaque(inst->values.blob, inst->values.blob_length, data);"
        in typed.splitlines()
    )


def test_an_objlnk_is_two_ids(typed):
    assert function(typed, "static uint8_t write_peer(")[5:] == [
        "    if (data->type != LWM2M_TYPE_OBJECT_LINK) {",
        "        return COAP_400_BAD_REQUEST;",
        "    }",
        "    inst->values.peer_oid = data->value.asObjLink.objectId;",
        "    inst->values.peer_iid = data->value.asObjLink.objectInstanceId;",
        "    return COAP_204_CHANGED;",
        "}",
    ]
    assert (
        "    lwm2m_data_encode_objlink(inst->values.peer_oid, inst->values.peer_iid, data);"
        in typed.splitlines()
    )


def test_a_multiple_resource_reads_the_children_the_core_asks_for(typed):
    at = "inst->values.blobs.at[at]"
    assert function(typed, "static uint8_t read_blobs(") == [
        "static uint8_t read_blobs(test_gadget_instance_t *inst, lwm2m_data_t *data) {",
        "    if (data->type == LWM2M_TYPE_MULTIPLE_RESOURCE) {",
        "        for (size_t i = 0; i < data->value.asChildren.count; i++) {",
        "            lwm2m_data_t *child = data->value.asChildren.array + i;",
        "            int at = find_blobs(inst, child->id);",
        "            if (at < 0) {",
        "                return COAP_404_NOT_FOUND;",
        "            }",
        f"            lwm2m_data_encode_opaque({at}.value, {at}.value_length, child);",
        "        }",
        "        return COAP_205_CONTENT;",
        "    }",
        "    size_t count = inst->values.blobs.count;",
        "    lwm2m_data_t *children = NULL;",
        "    if (count > 0) {",
        "        children = lwm2m_data_new((int) count);",
        "        if (children == NULL) {",
        "            return COAP_500_INTERNAL_SERVER_ERROR;",
        "        }",
        "    }",
        "    for (size_t at = 0; at < count; at++) {",
        "        children[at].id = inst->values.blobs.at[at].riid;",
        f"        lwm2m_data_encode_opaque({at}.value, {at}.value_length, children + at);",
        "    }",
        "    lwm2m_data_encode_instances(children, count, data);",
        "    return COAP_205_CONTENT;",
        "}",
    ]
    lines = typed.splitlines()
    comment = lines.index(
        "static uint8_t read_blobs(test_gadget_instance_t *inst, lwm2m_data_t *data) {"
    )
    assert lines[comment - 4 : comment] == [
        "/*",
        " * A read of the resource (every instance) or, when the core gives children",
        " * (a read of /O/I/R/RI), of exactly those instances.",
        " */",
    ]


def test_a_multiple_resource_write_checks_each_child_before_it_takes_room(typed):
    at = "inst->values.blobs.at[at]"
    assert function(typed, "static uint8_t write_blobs(") == [
        "static uint8_t write_blobs(test_gadget_instance_t *inst, lwm2m_data_t *data, "
        "bool replace) {",
        "    if (data->type != LWM2M_TYPE_MULTIPLE_RESOURCE) {",
        "        return COAP_400_BAD_REQUEST;",
        "    }",
        "    if (replace) {",
        "        inst->values.blobs.count = 0;",
        "    }",
        "    for (size_t i = 0; i < data->value.asChildren.count; i++) {",
        "        lwm2m_data_t *child = data->value.asChildren.array + i;",
        "        if (child->id == LWM2M_MAX_ID) {",  # 65535 is no resource instance ID
        "            return COAP_400_BAD_REQUEST;",
        "        }",
        "        if (child->type != LWM2M_TYPE_STRING && child->type != LWM2M_TYPE_OPAQUE) {",
        "            return COAP_400_BAD_REQUEST;",
        "        }",
        "        if (child->value.asBuffer.length > TEST_GADGET_OPAQUE_SIZE) {",
        "            return COAP_413_ENTITY_TOO_LARGE;",
        "        }",
        "        int at = add_blobs(inst, child->id);",
        "        if (at < 0) {",
        "            return COAP_413_ENTITY_TOO_LARGE; /* no room for another */",
        "        }",
        "        if (child->value.asBuffer.length > 0) {",
        f"            memcpy({at}.value, child->value.asBuffer.buffer, "
        "child->value.asBuffer.length);",
        "        }",
        f"        {at}.value_length = child->value.asBuffer.length;",
        "    }",
        "    return COAP_204_CHANGED;",
        "}",
    ]


MIXED = {
    0: ("Level", "R", "Single", "Mandatory", "Integer", "", ""),
    1: ("Values", "RW", "Multiple", "Optional", "Integer", "", ""),
    2: ("Reset", "E", "Single", "Optional", "", "", ""),
    3: ("Secret", "", "Single", "Optional", "Float", "", ""),  # written by a Bootstrap Server
    4: ("Status", "R", "Single", "Optional", "", "", ""),  # read, but no Type: a gap
    5: ("Key", "W", "Single", "Mandatory", "Opaque", "", ""),
    6: ("Runs", "E", "Multiple", "Mandatory", "", "", ""),
}


@pytest.fixture
def mixed():
    return wakaama(MIXED, multiple="Multiple")


def test_omitted_names_each_optional_resource_with_its_switch(mixed):
    lines = function(mixed, "static bool omitted(")
    assert lines[:2] == ["static bool omitted(uint16_t resource_id) {", "    (void) resource_id;"]
    switches = [line for line in lines if line.startswith("#ifdef")]
    assert switches == [f"#ifdef LWM2M_OMIT_33333_{rid}" for rid in (1, 2, 3, 4)]
    assert lines[2:7] == [
        "#ifdef LWM2M_OMIT_33333_1",
        "    if (resource_id == RID_VALUES) {",
        "        return true;",
        "    }",
        "#endif",
    ]
    assert lines[-2:] == ["    return false;", "}"]
    comment = mixed.splitlines().index(lines[0])
    assert mixed.splitlines()[comment - 4 : comment] == [
        "/*",
        " * Whether the build leaves this optional resource out (-DLWM2M_OMIT_<object>_<id>):",
        " * then it is not announced and every operation on it answers 4.04 Not Found.",
        " */",
    ]


def test_a_whole_instance_read_lists_the_readable_resources_with_a_value(mixed):
    lines = function(mixed, "static uint8_t prv_read(")
    start = lines.index(
        "    if (*numDataP == 0) { /* the whole instance: every readable resource */"
    )
    assert lines[start + 1 : start + 15] == [
        "        uint16_t readable[2];",  # Level and Values: Status has no value to read
        "        int readable_count = 0;",
        "        readable[readable_count++] = RID_LEVEL;",
        "        if (inst->values.values.count > 0) {",  # an empty one breaks Wakaama's writers
        "            readable[readable_count++] = RID_VALUES;",
        "        }",
        "        int readable_kept = 0;",
        "        for (int i = 0; i < readable_count; i++) {",
        "            if (!omitted(readable[i])) {",
        "                readable[readable_kept++] = readable[i];",
        "            }",
        "        }",
        "        readable_count = readable_kept;",
        "        if (readable_count == 0) {",
    ]


def test_read_answers_each_resource_by_what_it_allows(mixed):
    lines = function(mixed, "static uint8_t prv_read(")
    start = lines.index("        switch (data->id) {")
    assert lines[start - 4 : start] == [
        "        if (omitted(data->id)) {",
        "            return COAP_404_NOT_FOUND;",
        "        }",
        "        uint8_t result = COAP_205_CONTENT;",
    ]
    assert lines[start + 1 : start + 20] == [
        "        case RID_LEVEL:",
        "            result = read_level(inst, data);",
        "            break;",
        "        case RID_VALUES:",
        "            result = read_values(inst, data);",
        "            break;",
        "        case RID_RESET:",
        "            return COAP_405_METHOD_NOT_ALLOWED;",
        "        case RID_SECRET:",  # bootstrap-written: never read
        "            return COAP_405_METHOD_NOT_ALLOWED;",
        "        case RID_STATUS:",
        "            return COAP_501_NOT_IMPLEMENTED; /* GAP: no Type */",
        "        case RID_KEY:",
        "            return COAP_405_METHOD_NOT_ALLOWED;",
        "        case RID_RUNS:",
        "            return COAP_405_METHOD_NOT_ALLOWED;",
        "        default:",
        "            return COAP_404_NOT_FOUND;",
        "        }",
    ]


def test_discover_announces_every_resource_with_operations(mixed):
    lines = function(mixed, "static uint8_t prv_discover(")
    start = lines.index("        uint16_t known[] = {")
    assert lines[start : start + 16] == [
        "        uint16_t known[] = {",
        "            RID_LEVEL,",
        "            RID_VALUES,",
        "            RID_RESET,",
        "            RID_STATUS,",
        "            RID_KEY,",
        "            RID_RUNS,",
        "        };",
        "        int known_count = 6;",
        "        int known_kept = 0;",
        "        for (int i = 0; i < known_count; i++) {",
        "            if (!omitted(known[i])) {",
        "                known[known_kept++] = known[i];",
        "            }",
        "        }",
        "        known_count = known_kept;",
    ]
    start = lines.index("        switch ((*dataArrayP)[i].id) {")
    assert lines[start - 3 : start + 11] == [
        "        if (omitted((*dataArrayP)[i].id)) {",
        "            return COAP_404_NOT_FOUND;",
        "        }",
        "        switch ((*dataArrayP)[i].id) {",
        "        case RID_LEVEL:",
        "        case RID_VALUES:",
        "        case RID_RESET:",
        "        case RID_STATUS:",
        "        case RID_KEY:",
        "        case RID_RUNS:",
        "            break;",
        "        default:",
        "            return COAP_404_NOT_FOUND;",
        "        }",
    ]


def test_a_write_keeps_what_a_server_may_write_and_a_create_anything_kept(mixed):
    lines = function(mixed, "static uint8_t apply_values(")
    start = lines.index("        switch (data->id) {")
    assert lines[start - 4 : start] == [
        "        if (omitted(data->id)) {",
        "            return COAP_404_NOT_FOUND;",
        "        }",
        "        uint8_t result = COAP_204_CHANGED;",
    ]
    assert lines[start + 1 : start + 28] == [
        "        case RID_LEVEL:",
        "            if (!any) {",  # read-only: a create only
        "                return COAP_405_METHOD_NOT_ALLOWED;",
        "            }",
        "            result = write_level(inst, data, replace);",
        "            break;",
        "        case RID_VALUES:",
        "            result = write_values(inst, data, replace);",
        "            break;",
        "        case RID_RESET:",
        "            return COAP_405_METHOD_NOT_ALLOWED;",
        "        case RID_SECRET:",
        "            result = write_secret(inst, data, replace);",
        "            break;",
        "        case RID_STATUS:",
        "            return COAP_405_METHOD_NOT_ALLOWED;",
        "        case RID_KEY:",
        "            result = write_key(inst, data, replace);",
        "            break;",
        "        case RID_RUNS:",
        "            return COAP_405_METHOD_NOT_ALLOWED;",
        "        default:",
        "            (void) inst;",
        "            (void) replace;",
        "            (void) any;",
        "            return COAP_404_NOT_FOUND;",
        "        }",
    ]
    assert function(mixed, "static void reset_writable(") == [
        "static void reset_writable(test_gadget_instance_t *inst) {",
        "    inst->values.values.count = 0;",
        "    memset(&inst->values.secret, 0, sizeof(inst->values.secret));",
        "    memset(&inst->values.key, 0, sizeof(inst->values.key));",
        "    memset(&inst->values.key_length, 0, sizeof(inst->values.key_length));",
        "}",
    ]


def test_a_write_of_an_unknown_type_is_not_implemented():
    items = {0: ("Status", "RW", "Single", "Mandatory", "", "", "")}
    lines = function(wakaama(items), "static uint8_t apply_values(")
    start = lines.index("        case RID_STATUS:")
    assert lines[start + 1] == "            return COAP_501_NOT_IMPLEMENTED; /* GAP: no Type */"


def test_execute_calls_the_application_for_each_executable_resource(mixed):
    lines = function(mixed, "static uint8_t prv_execute(")
    start = lines.index("    switch (resourceId) {")
    assert lines[start - 3 : start] == [
        "    if (omitted(resourceId)) {",
        "        return COAP_404_NOT_FOUND;",
        "    }",
    ]
    called = [
        "        if (callback == NULL) {",
        "            return COAP_501_NOT_IMPLEMENTED; /* test_gadget_set_execute_callback() */",
        "        }",
        "        return callback(contextP, instanceId, resourceId, buffer, length);",
    ]
    assert lines[start + 1 :] == [
        "    case RID_LEVEL:",
        "        return COAP_405_METHOD_NOT_ALLOWED;",
        "    case RID_VALUES:",
        "        return COAP_405_METHOD_NOT_ALLOWED;",
        "    case RID_RESET:",
        *called,
        "    case RID_SECRET:",
        "        return COAP_405_METHOD_NOT_ALLOWED;",
        "    case RID_STATUS:",
        "        return COAP_405_METHOD_NOT_ALLOWED;",
        "    case RID_KEY:",
        "        return COAP_405_METHOD_NOT_ALLOWED;",
        "    case RID_RUNS:",
        "        /* GAP: multiple instances; Wakaama executes the resource. */",
        *called,
        "    default:",
        "        (void) contextP;",
        "        (void) buffer;",
        "        (void) length;",
        "        (void) callback;",
        "        return COAP_404_NOT_FOUND;",
        "    }",
        "}",
    ]


def test_a_single_instance_object_has_instance_0_and_refuses_another():
    text = wakaama({0: ("Level", "R", "Single", "Mandatory", "Integer", "", "")})
    create = function(text, "static uint8_t prv_create(")
    assert create[4:10] == [
        "    if (lwm2m_list_find(objectP->instanceList, instanceId) != NULL) {",
        "        return COAP_400_BAD_REQUEST;",
        "    }",
        "    if (objectP->instanceList != NULL) {",
        "        return COAP_405_METHOD_NOT_ALLOWED; /* a single-instance object */",
        "    }",
    ]
    made = function(text, "lwm2m_object_t *test_gadget_object_create(")
    assert made[-8:] == [
        "    object->deleteFunc = prv_delete;",
        "    /* its one instance, 0 */",
        "    if (prv_create(NULL, 0, 0, NULL, object) != COAP_201_CREATED) {",
        "        lwm2m_free(state);",
        "        return NULL;",
        "    }",
        "    return object;",
        "}",
    ]
    # Nothing optional: nothing to leave out, so no omitted() and no list is filtered.
    assert "omitted(" not in text and "_kept" not in text and "LWM2M_OMIT_" not in text
    many = wakaama({0: ("Level", "R", "Single", "Mandatory", "Integer", "", "")}, "Multiple")
    assert "a single-instance object" not in many
    assert "its one instance" not in many


def test_an_object_without_resources_still_has_its_lists():
    text = wakaama({})
    assert "        uint16_t readable[1];" in text.splitlines()  # a C array needs an element
    lines = function(text, "static uint8_t prv_discover(")
    start = lines.index("        uint16_t known[] = {")
    assert lines[start : start + 4] == [
        "        uint16_t known[] = {",
        "            0, /* none: the count below is 0 */",
        "        };",
        "        int known_count = 0;",
    ]
    assert function(text, "static void reset_writable(") == [
        "static void reset_writable(test_gadget_instance_t *inst) {",
        "    (void) inst; /* no resource is writable */",
        "}",
    ]
    assert "omitted(" not in text  # nothing to leave out


def test_the_comments_say_what_the_code_does(mixed):
    lines = mixed.splitlines()

    def before(start):
        return comment_before(mixed, start)

    assert before("typedef struct {") == [
        "/* The object and what the application registered with it. */"
    ]
    assert before("static void reset_writable(") == [
        "/* A replace of the instance: its writable resources return to empty. */"
    ]
    assert before("static uint8_t apply_values(") == [
        "/*",
        " * Keeps the values of a write or a create: `any` lets a create set read-only",
        " * resources too; `replace` replaces a multiple-instance resource's instances.",
        " */",
    ]
    assert before("static uint8_t prv_write(") == [
        "/*",
        " * A write is all or nothing: it is made on a copy of the values, kept only",
        " * when every value was accepted, so an error answer leaves the instance as",
        " * it was.",
        " */",
    ]
    assert before("lwm2m_object_t *test_gadget_object_create(") == [
        "/*",
        " * Add the object this returns to the objects of lwm2m_configure();",
        " * free it with test_gadget_object_release() after lwm2m_close().",
        " */",
    ]
    assert lines[1:3] == [
        " * LwM2M object 33333 version 1.1: Test Gadget",
        " * Generated by the LwM2M Registry Browser for Eclipse Wakaama (liblwm2m.h, built with"
        " LWM2M_CLIENT_MODE).",
    ]


def test_the_header_declares_the_api_of_the_file():
    header = wakaama(MIXED, name="wakaama.h")
    lines = header.splitlines()
    assert lines[lines.index("#ifndef LWM2M_OBJECT_33333_WAKAAMA_H") :] == [
        "#ifndef LWM2M_OBJECT_33333_WAKAAMA_H",
        "#define LWM2M_OBJECT_33333_WAKAAMA_H",
        "",
        "#include <stdbool.h>",
        "#include <stddef.h>",
        "#include <stdint.h>",
        "",
        '#include "liblwm2m.h"',
        "",
        "/* The object, for lwm2m_configure(); free it after lwm2m_close(). */",
        "lwm2m_object_t *test_gadget_object_create(void);",
        "void test_gadget_object_release(lwm2m_object_t *object);",
        "",
        "/* An instance made or removed by the application: 0, or -1 on an error. */",
        "int test_gadget_instance_create(lwm2m_object_t *object, uint16_t instance_id);",
        "int test_gadget_instance_remove(lwm2m_object_t *object, uint16_t instance_id);",
        "",
        "/*",
        " * Called on an Execute of any executable resource: answer COAP_204_CHANGED or an",
        " * error code. Without one, an Execute answers 5.01 (Not Implemented).",
        " */",
        "typedef uint8_t test_gadget_execute_cb_t(lwm2m_context_t *context, uint16_t instance_id,",
        "                                 uint16_t resource_id, uint8_t *args, int length);",
        "void test_gadget_set_execute_callback(lwm2m_object_t *object, "
        "test_gadget_execute_cb_t *callback);",
        "",
        "/*",
        " * Setters of readable resources: 0, or -1 (no such instance, too long, no room).",
        " * They tell the core the value changed (observers are notified); context may",
        " * be NULL before lwm2m_init().",
        " */",
        "int test_gadget_set_level(lwm2m_context_t *context, lwm2m_object_t *object, "
        "uint16_t instance_id, int64_t value);",
        "int test_gadget_set_values(lwm2m_context_t *context, lwm2m_object_t *object, "
        "uint16_t instance_id, uint16_t riid, int64_t value);",
        "",
        "/* Getters of writable resources (the value a server wrote): 0, or -1. */",
        "int test_gadget_get_values(lwm2m_object_t *object, uint16_t instance_id, "
        "uint16_t riid, int64_t *value);",
        "int test_gadget_get_secret(lwm2m_object_t *object, uint16_t instance_id, double *value);",
        "int test_gadget_get_key(lwm2m_object_t *object, uint16_t instance_id, "
        "const uint8_t **value, size_t *length);",
        "",
        "#endif /* LWM2M_OBJECT_33333_WAKAAMA_H */",
    ]
    assert lines[2] == (
        " * Generated by the LwM2M Registry Browser for Eclipse Wakaama: the application API"
        " of lwm2m_33333_wakaama.c."
    )
    bare = wakaama({}, name="wakaama.h")
    assert "Setters" not in bare and "Getters" not in bare
    assert bare.endswith("\n#endif /* LWM2M_OBJECT_33333_WAKAAMA_H */\n")


@pytest.mark.parametrize(
    "items, tail",
    [
        # A write-only resource: a getter and no setter.
        ({0: ("Code", "W", "Single", "Mandatory", "Integer", "", "")}, [
            "/* Getters of writable resources (the value a server wrote): 0, or -1. */",
            "int test_gadget_get_code(lwm2m_object_t *object, uint16_t instance_id, "
            "int64_t *value);",
            "",
            "#endif /* LWM2M_OBJECT_33333_WAKAAMA_H */",
        ]),
        # An executable resource alone: neither.
        ({0: ("Reset", "E", "Single", "Mandatory", "", "", "")}, [
            "#endif /* LWM2M_OBJECT_33333_WAKAAMA_H */",
        ]),
    ],
)  # fmt: skip
def test_a_header_without_setters_has_one_blank_line_between_parts(items, tail):
    lines = wakaama(items, name="wakaama.h").splitlines()
    callback = "void test_gadget_set_execute_callback("
    start = next(i for i, line in enumerate(lines) if line.startswith(callback))
    assert lines[start + 1 :] == ["", *tail]


def test_a_setter_checks_before_it_adds_a_resource_instance(mixed):
    assert function(mixed, "int test_gadget_set_values(") == [
        "int test_gadget_set_values(lwm2m_context_t *context, lwm2m_object_t *object,",
        "        uint16_t instance_id, uint16_t riid, int64_t value) {",
        "    test_gadget_instance_t *inst = object == NULL ? NULL",
        "        : (test_gadget_instance_t *) lwm2m_list_find(object->instanceList, instance_id);",
        "    if (inst == NULL) {",
        "        return -1;",
        "    }",
        "    int at = riid == LWM2M_MAX_ID ? -1 : add_values(inst, riid);",
        "    if (at < 0) {",
        "        return -1;",
        "    }",
        "    inst->values.values.at[at].value = value;",
        "    value_changed(context, instance_id, RID_VALUES);",
        "    return 0;",
        "}",
    ]
    assert function(mixed, "static void value_changed(") == [
        "static void value_changed(lwm2m_context_t *context, uint16_t instance_id,",
        "                          uint16_t resource_id) {",
        "    if (context == NULL) {",
        "        return;",
        "    }",
        "    lwm2m_uri_t uri;",
        "    LWM2M_URI_RESET(&uri);",
        "    uri.objectId = TEST_GADGET_OID;",
        "    uri.instanceId = instance_id;",
        "    uri.resourceId = resource_id;",
        "    lwm2m_resource_value_changed(context, &uri);",
        "}",
    ]
    key = function(mixed, "int test_gadget_get_key(")
    assert key[:2] == [
        "int test_gadget_get_key(lwm2m_object_t *object, uint16_t instance_id,",
        "        const uint8_t **value, size_t *length) {",
    ]
    assert "value_changed(" not in wakaama({2: MIXED[2]})  # nothing readable to set


def test_the_file_and_its_header_list_wakaama_s_gaps():
    for name in ("wakaama.c", "wakaama.h"):
        lines = wakaama(MIXED, name=name).splitlines()
        start = lines.index(" * GAPS: what this definition says and wakaama cannot express:")
        assert lines[start + 1 : start + 5] == [
            " * - resource 3 (Secret) has empty Operations: Wakaama has no bootstrap-only"
            " resource, so it is kept and written but never read",
            " * - resource 4 (Status) is read or written but has no Type: no value is kept",
            " * - resource 6 (Runs) is executable with multiple instances: executed as one"
            " resource",
            " */",
        ], name


def test_a_resource_note_gives_wakaama_s_gap(mixed):
    lines = mixed.splitlines()
    start = lines.index(" * 3 Secret: no operations, single, optional")
    assert lines[start + 3] == (
        " * GAP: resource 3 (Secret) has empty Operations: Wakaama has no bootstrap-only"
        " resource, so it is kept and written but never read"
    )
