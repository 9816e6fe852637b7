"""Each generator on small definitions of our own: what it declares, and that it compiles."""

import json
import re

import pytest

from objects.codegen import FILES, from_bytes, generate, saved_name
from objects.codegen.compatibility import compatibility, compatibility_of, sdk_copies, sdk_copy
from objects.codegen.json_schema import js_number, urn_key
from objects.codegen.names import c_identifier, member_name, rid_macro, ts_token, unique
from objects.lwm2m.definitions import parse_definition
from tests.codegen.compilers import compile_c, compile_ts

ITEMS = {
    # ID: (Name, Operations, MultipleInstances, Mandatory, Type, RangeEnumeration, Units)
    0: ("Level", "R", "Single", "Mandatory", "Integer", "0..100", "%"),
    1: ("Label", "RW", "Multiple", "Optional", "String", "", ""),
    2: ("Reset", "E", "Single", "Optional", "", "", ""),
    3: ("Secret", "", "Single", "Optional", "Float", "", ""),
    4: ("Blob", "W", "Single", "Optional", "Opaque", "0..16", ""),
    5: ("Last Seen", "R", "Single", "Optional", "Time", "", ""),
    6: ("Counter", "RW", "Single", "Optional", "Unsigned Integer", "", ""),
    7: ("Peer", "RW", "Multiple", "Optional", "Objlnk", "", ""),
    8: ("On", "RW", "Single", "Optional", "Boolean", "", ""),
    9: ("Link", "R", "Single", "Optional", "Corelnk", "", ""),
    10: ("3D default", "R", "Single", "Optional", "Integer", "", ""),
}


def definition_xml(items=ITEMS, version="1.1", multiple="Multiple", object_id=33333):
    rows = "".join(
        f'<Item ID="{rid}"><Name>{n}</Name><Operations>{o}</Operations>'
        f"<MultipleInstances>{m}</MultipleInstances><Mandatory>{md}</Mandatory>"
        f"<Type>{t}</Type><RangeEnumeration>{r}</RangeEnumeration><Units>{u}</Units>"
        f"<Description>About {n}. */ stays */ in the comment</Description></Item>"
        for rid, (n, o, m, md, t, r, u) in items.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><LWM2M><Object ObjectType="MODefinition">'
        f"<Name>Test Gadget</Name><Description1>A gadget /* for tests */.</Description1>"
        f"<ObjectID>{object_id}</ObjectID><ObjectURN>urn:oma:lwm2m:x:{object_id}:{version}"
        f"</ObjectURN><LWM2MVersion>1.1</LWM2MVersion><ObjectVersion>{version}</ObjectVersion>"
        f"<MultipleInstances>{multiple}</MultipleInstances><Mandatory>Optional</Mandatory>"
        f"<Resources>{rows}</Resources><Description2></Description2></Object></LWM2M>"
    ).encode()


@pytest.fixture
def gadget():
    return from_bytes(definition_xml())


def test_the_same_definition_gives_the_same_bytes(gadget):
    again = from_bytes(definition_xml())
    for name in FILES:
        assert generate(name, gadget) == generate(name, again)


def test_names():
    assert c_identifier("3D Position") == "threeD_Position"
    assert rid_macro("Min Measured Value") == "RID_MIN_MEASURED_VALUE"
    assert rid_macro("Énergie (kWh)") == "RID_NERGIE_KWH"
    assert member_name("Default", 7) == "default_7"
    assert member_name("", 7) == "resource_7"
    assert unique([("a", 1), ("a", 2), ("b", 3)]) == ["a", "a_2", "b"]
    assert ts_token("3D & Position (x)") == "n3DandPosition_x"


def test_anjay_declares_what_anjay_codegen_declares(gadget):
    text = generate("anjay.c", gadget)
    defines = dict(re.findall(r"^#define (RID_\w+) (\d+)$", text, re.M))
    assert defines == {
        "RID_LEVEL": "0", "RID_LABEL": "1", "RID_RESET": "2", "RID_SECRET": "3",
        "RID_BLOB": "4", "RID_LAST_SEEN": "5", "RID_COUNTER": "6", "RID_PEER": "7",
        "RID_ON": "8", "RID_LINK": "9", "RID_3D_DEFAULT": "10",
    }  # fmt: skip
    kinds = dict(re.findall(r"anjay_dm_emit_res\(ctx, (RID_\w+), ANJAY_DM_RES_(\w+),", text))
    assert kinds == {
        "RID_LEVEL": "R", "RID_LABEL": "RWM", "RID_RESET": "E", "RID_SECRET": "BS_RW",
        "RID_BLOB": "W", "RID_LAST_SEEN": "R", "RID_COUNTER": "RW", "RID_PEER": "RWM",
        "RID_ON": "RW", "RID_LINK": "R", "RID_3D_DEFAULT": "R",
    }  # fmt: skip
    assert text.count("ANJAY_DM_RES_PRESENT") == len(ITEMS)
    assert '.version = "1.1",' in text
    for call in (
        "anjay_ret_i64(ctx, inst->values.level)",  # Integer is 64-bit, as in the others
        "anjay_ret_string(ctx, inst->values.label.at[at].value)",
        "anjay_ret_i64(ctx, inst->values.last_seen)",
        "anjay_ret_u32(ctx, inst->values.counter)",
        "anjay_ret_objlnk(ctx, inst->values.peer.at[at].value_oid, "
        "inst->values.peer.at[at].value_iid)",
        "anjay_ret_bool(ctx, inst->values.on)",
        "anjay_ret_double(ctx, inst->values.secret)",
        "anjay_get_bytes(ctx, &bytes_read, &finished, value, sizeof(value))",
        "anjay_get_u32(ctx, &value)",
        "anjay_get_objlnk(ctx, &link_oid, &link_iid)",  # no local shadows the iid parameter
        ".resource_execute = resource_execute,",
        ".resource_reset = resource_reset,",
        ".list_resource_instances = list_resource_instances,",
        ".instance_create = instance_create,",
    ):
        assert call in text
    assert "*/ stays" not in text  # a description cannot end the comment


def test_anjay_version_is_left_out_for_1_0():
    text = generate("anjay.c", from_bytes(definition_xml(version="1.0")))
    assert ".version" not in text


def test_zephyr_fields_follow_operations_mandatory_and_type(gadget):
    text = generate("zephyr.c", gadget)
    fields = re.findall(r"^    (OBJ_FIELD_\w+\(.*\)),$", text, re.M)
    assert fields == [
        "OBJ_FIELD_DATA(RID_LEVEL, R, S32)",
        "OBJ_FIELD_DATA(RID_LABEL, RW_OPT, STRING)",
        "OBJ_FIELD_EXECUTE_OPT(RID_RESET)",
        "OBJ_FIELD_DATA(RID_BLOB, W_OPT, OPAQUE)",
        "OBJ_FIELD_DATA(RID_LAST_SEEN, R_OPT, TIME)",
        "OBJ_FIELD_DATA(RID_COUNTER, RW_OPT, U32)",
        "OBJ_FIELD_DATA(RID_PEER, RW_OPT, OBJLNK)",
        "OBJ_FIELD_DATA(RID_ON, RW_OPT, BOOL)",
        "OBJ_FIELD_DATA(RID_LINK, R_OPT, STRING)",
        "OBJ_FIELD_DATA(RID_3D_DEFAULT, R_OPT, S64)",
    ]
    assert "GAP: resource 3 (Secret) has empty Operations" in text
    assert "LWM2M_OBJ_INIT(object_33333_init);" in text
    assert "#define TEST_GADGET_VERSION_MINOR 1" in text


def test_wakaama_uses_the_typed_data_functions(gadget):
    text = generate("wakaama.c", gadget)
    for call in (
        "lwm2m_data_encode_int(inst->values.level, data)",
        "lwm2m_data_decode_uint(data, &value)",
        "lwm2m_data_encode_objlink(inst->values.peer.at[at].value_oid,",
        "lwm2m_data_encode_corelink(inst->values.link, data)",
        "lwm2m_data_encode_instances(children, count, data)",
        "object->objID = TEST_GADGET_OID;",
        "object->versionMinor = 1;",
        "object->discoverFunc = prv_discover;",
    ):
        assert call in text


def test_write_only_resources_get_no_read_function(gadget):
    # An unused static read_blob() failed Wakaama's -Werror build (26 of the registry's files).
    text = generate("wakaama.c", gadget)
    assert "static uint8_t read_blob(" not in text
    assert "static uint8_t write_blob(" in text
    assert "static uint8_t read_level(" in text


def test_anjay_lists_an_empty_operations_multiple_resource_as_rm():
    # Object 0's resource 16: Anjay 3 has no BS_RWM kind; its own Security object declares
    # that resource RM ("Bootstrap Server might attempt to write to it anyway").
    items = {
        16: ("Ciphersuite", "", "Multiple", "Optional", "Unsigned Integer", "", ""),
        17: ("Key", "", "Single", "Optional", "Opaque", "", ""),
    }
    obj = from_bytes(definition_xml(items=items))
    text = generate("anjay.c", obj)
    kinds = dict(re.findall(r"anjay_dm_emit_res\(ctx, (RID_\w+), ANJAY_DM_RES_(\w+),", text))
    assert kinds == {"RID_CIPHERSUITE": "RM", "RID_KEY": "BS_RW"}
    assert ".resource_write = resource_write," in text  # a Bootstrap write reaches both
    assert ".resource_reset = resource_reset," in text
    assert "declared RM" in compatibility_of(obj)["anjay"]["reason"]


def test_schema_gives_corelnk_items_nordics_description():
    items = {
        0: ("Links", "R", "Multiple", "Optional", "Corelnk", "", ""),
        1: ("Link", "R", "Single", "Optional", "Corelnk", "", ""),
    }
    schema = json.loads(generate("schema.json", from_bytes(definition_xml(items=items))))
    props = next(iter(schema["properties"].values()))["items"]["properties"]
    assert props["0"]["items"]["description"] == (
        "RFC 6690 link, see https://www.rfc-editor.org/rfc/rfc6690.html"
    )
    assert props["0"]["description"] == "About Links. */ stays */ in the comment"
    assert props["1"]["description"] == "About Link. */ stays */ in the comment"


def test_each_c_file_and_header_says_how_to_use_it(gadget):
    for sdk in ("anjay", "wakaama", "zephyr"):
        for name in (f"{sdk}.c", f"{sdk}.h"):
            text = generate(name, gadget)
            assert "How to use this file" in text, name
            assert "Never edit this file" in text, name
    header = generate("wakaama.h", gadget)
    for declaration in (
        "lwm2m_object_t *test_gadget_object_create(void);",
        "int test_gadget_instance_create(lwm2m_object_t *object, uint16_t instance_id);",
        "int test_gadget_set_level(lwm2m_context_t *context, lwm2m_object_t *object, "
        "uint16_t instance_id, int64_t value);",
        "int test_gadget_get_counter(lwm2m_object_t *object, uint16_t instance_id, "
        "uint64_t *value);",
        "int test_gadget_set_label(lwm2m_context_t *context, lwm2m_object_t *object, "
        "uint16_t instance_id, uint16_t riid, const char *value);",
        "void test_gadget_set_execute_callback(lwm2m_object_t *object, "
        "test_gadget_execute_cb_t *callback);",
    ):
        assert declaration in header
    assert "int test_gadget_get_level(" not in header  # read-only: no getter
    assert "int test_gadget_set_blob(" not in header  # write-only: no setter
    anjay_header = generate("anjay.h", gadget)
    assert "anjay_iid_t iid, int64_t value);" in anjay_header
    assert "int object_33333_set_level(uint16_t instance_id, int32_t value);" in generate(
        "zephyr.h", gadget
    )
    assert "test_gadget_set_level(lwm2mH, test_gadget, 0, 1); // on a change" in header


def test_the_sdk_copy_of_an_object_is_named_with_its_switch():
    temperature = from_bytes(definition_xml(object_id=3303))
    copies = sdk_copies(temperature)
    assert set(copies) == {"zephyr", "anjay"}
    assert "CONFIG_LWM2M_IPSO_TEMP_SENSOR" in copies["zephyr"]
    assert "anjay_ipso_basic_sensor_install(anjay, 3303, instances)" in copies["anjay"]
    assert "CONFIG_LWM2M_IPSO_TEMP_SENSOR" in generate("zephyr.c", temperature)
    assert "always built in" in sdk_copy(3, "zephyr")
    assert "object_device.c" in sdk_copy(3, "wakaama")
    assert sdk_copies(from_bytes(definition_xml())) == {}


def test_the_example_mains_compile(gadget, tmp_path):
    from objects.codegen.bundle import selection_files

    data = definition_xml(multiple="Single", version="1.0", object_id=33334)
    single = from_bytes(data.replace(b"Test Gadget", b"Other Gadget"))  # names are per object
    server = from_bytes(definition_xml(object_id=1))  # the examples take the SDK's own
    files = dict(selection_files([(gadget, "1.1"), (single, "1.0"), (server, "1.1")], "example"))
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    for sdk in ("anjay", "wakaama", "zephyr"):
        main = files[f"example/{sdk}/main.c"]
        assert '#include "33333-1.1/' in main and '#include "1-1.1/' not in main
        glue = [line for line in main.splitlines() if "test_gadget" in line or "33333" in line]
        assert 1 <= len(glue) <= 10, glue
        paths = [tmp_path / f"example/{sdk}/main.c", tmp_path / f"33333-1.1/lwm2m_33333_{sdk}.c"]
        assert compile_c(paths, f"{sdk}.c", ["-I", str(tmp_path)]) == [], sdk


def test_ids_header(gadget):
    text = generate("ids.h", gadget)
    assert "#define TEST_GADGET_33333_OID 33333" in text
    assert "#define TEST_GADGET_33333_RID_LAST_SEEN 5 /* R, Time */" in text


def write_with_header(folder, name, obj):
    """A generated file in `folder`, with its header beside it when it is a .c (it includes it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / saved_name(name, obj.object_id)
    path.write_text(generate(name, obj), encoding="utf-8")
    if name.endswith(".c"):
        header = name[:-2] + ".h"
        (folder / saved_name(header, obj.object_id)).write_text(generate(header, obj), "utf-8")
    return path


def test_every_target_compiles(gadget, tmp_path):
    single = from_bytes(definition_xml(multiple="Single", version="1.0", object_id=33334))
    empty = from_bytes(definition_xml(items={}, object_id=33335))
    names = ("anjay.c", "wakaama.c", "zephyr.c", "anjay.h", "wakaama.h", "zephyr.h", "ids.h")
    for name in names:
        paths = []
        for index, obj in enumerate((gadget, single, empty)):
            paths.append(write_with_header(tmp_path / str(index), name, obj))
        assert compile_c(paths, name) == [], name
        if name.endswith(".c"):  # and without assertions, as a release build
            assert compile_c(paths, name, ["-DNDEBUG"]) == [], name
    paths = []
    for index, obj in enumerate((gadget, single, empty)):
        path = tmp_path / f"t{index}.ts"
        path.write_text(generate("types.ts", obj), encoding="utf-8")
        paths.append(path)
    assert compile_ts(paths) == []


def test_each_c_file_also_builds_without_its_header(gadget, tmp_path):
    # Downloaded alone, a .c still builds; beside its header, it includes it (prototypes checked).
    for name in ("anjay.c", "wakaama.c", "zephyr.c"):
        path = tmp_path / name
        path.write_text(generate(name, gadget), encoding="utf-8")
        assert compile_c([path], name) == [], name
        assert f'#include "lwm2m_33333_{name[:-2]}.h"' in path.read_text()


def test_two_objects_files_share_one_folder(gadget, tmp_path):
    # Saved as wakaama.c / wakaama.h, a second object's files overwrote the first's.
    other = from_bytes(definition_xml(object_id=33334).replace(b"Test Gadget", b"Other Gadget"))
    for sdk in ("anjay", "wakaama", "zephyr"):
        folder = tmp_path / sdk
        paths = [write_with_header(folder, f"{sdk}.c", obj) for obj in (gadget, other)]
        assert sorted(p.name for p in folder.iterdir()) == [
            f"lwm2m_{i}_{sdk}.{e}" for i in (33333, 33334) for e in "ch"
        ]
        assert compile_c(paths, f"{sdk}.c") == [], sdk
        # Each .c includes its own header by that name (a header that stops the build shows it).
        (folder / f"lwm2m_33334_{sdk}.h").write_text('#error "included"\n', encoding="utf-8")
        errors = compile_c(paths[1:], f"{sdk}.c")
        assert errors and "included" in errors[0], sdk


def test_every_optional_resource_can_be_left_out(gadget, tmp_path):
    single = from_bytes(definition_xml(multiple="Single", version="1.0", object_id=33334))
    for sdk in ("anjay", "wakaama", "zephyr"):
        for obj in (gadget, single):
            optional = [r for r in obj.resources if not r.mandatory]
            assert optional
            text = generate(f"{sdk}.c", obj)
            for resource in optional:  # each one's note names its switch
                assert f"-DLWM2M_OMIT_{obj.object_id}_{resource.id} to leave it out" in text
            path = write_with_header(tmp_path / sdk / str(obj.object_id), f"{sdk}.c", obj)
            left_out = [f"-DLWM2M_OMIT_{obj.object_id}_{r.id}" for r in optional]
            assert compile_c([path], f"{sdk}.c", left_out) == [], (sdk, obj.object_id)


def test_a_broken_file_fails_the_compile(gadget, tmp_path):
    path = tmp_path / "broken.c"
    path.write_text(generate("anjay.c", gadget).replace("ANJAY_DM_RES_RWM", "ANJAY_DM_RES_X"))
    assert compile_c([path], "anjay.c") != []
    path = tmp_path / "broken.ts"
    path.write_text(generate("types.ts", gadget).replace("= number", "= numbr", 1))
    assert compile_ts([path]) != []


def test_leshan_json(gadget):
    model = json.loads(generate("leshan.json", gadget))
    keys = ("id", "instancetype", "mandatory", "version", "lwm2mversion")
    assert {k: model[k] for k in keys} == {
        "id": 33333, "instancetype": "multiple", "mandatory": False, "version": "1.1",
        "lwm2mversion": "1.1",
    }  # fmt: skip
    defs = model["resourcedefs"]
    first, secret, counter = defs[0], defs[3], defs[6]
    assert first == {
        "id": 0, "name": "Level", "operations": "R", "instancetype": "single", "mandatory": True,
        "type": "integer", "range": "0..100", "units": "%",
        "description": "About Level. */ stays */ in the comment",
    }  # fmt: skip
    assert secret["operations"] == "NONE"
    assert counter["type"] == "unsigned_integer"
    assert model["resourcedefs"][2]["type"] == "none"
    assert model["resourcedefs"][9]["type"] == "corelink"


def test_schema_and_types_in_nordic_shape(gadget):
    schema = json.loads(generate("schema.json", gadget))
    assert list(schema["properties"]) == ["33333:1.1@1.1"]
    entry = schema["properties"]["33333:1.1@1.1"]
    assert entry["type"] == "array" and entry["minItems"] == 1
    props = entry["items"]["properties"]
    assert "2" not in props  # no Type: left out, as lwm2m-types does
    assert props["0"] == {
        "type": "integer", "minimum": 0, "maximum": 100, "title": "Level",
        "description": "About Level. */ stays */ in the comment Units: %.",
    }  # fmt: skip
    assert props["4"]["minLength"] == 0 and props["4"]["maxLength"] == 16
    assert props["8"]["minimum"] == 0 and props["8"]["maximum"] == 1
    assert props["7"]["items"]["pattern"] == "^dd:dd$"
    assert entry["items"]["required"] == ["0"]
    text = generate("types.ts", gadget)
    assert "export type TestGadget_33333 = Readonly<" in text
    assert "\t\t'0': Level_0\n\t\t'1'?: Label_1\n" in text
    assert "type Label_1 = Array<string>" in text
    assert "export const objectURN = '33333:1.1@1.1'" in text


def test_js_numbers_as_the_package_reads_ranges():
    assert js_number("") == 0
    assert js_number(" 12 ") == 12
    assert js_number("0x10") == 16
    assert js_number("1e3") == 1000
    assert js_number("1.5") == 1.5
    assert js_number("abc") is None
    assert urn_key(from_bytes(definition_xml(version="1.0"))) == "33333@1.1"


@pytest.mark.snapshot
@pytest.mark.parametrize("object_id", ["6", "3202", "3303"])
def test_schema_equals_the_published_lwm2m_types(snapshot, object_id):
    from tests.conftest import FIXTURE_REGISTRY

    published = json.loads(
        (FIXTURE_REGISTRY.parent / "codegen" / "nordic-lwm2m-types-2.7.0-schema.json").read_text()
    )
    obj = from_bytes((snapshot / f"{object_id}.xml").read_bytes())
    ours = json.loads(generate("schema.json", obj))["properties"]
    assert len(ours) == 1
    key, value = next(iter(ours.items()))
    assert value == published[key]


def test_compatibility_names_each_gap():
    items = {
        0: ("Status", "R", "Single", "Mandatory", "", "", ""),  # read, no Type (10482's case)
        1: ("Run", "E", "Multiple", "Optional", "", "", ""),  # 15 v1.0's case
        2: ("Hidden", "", "Single", "Optional", "Integer", "", ""),  # object 20's case
        3: ("Go", "E", "Single", "Optional", "String", "", ""),  # executable with a Type
    }
    result = compatibility(parse_definition(definition_xml(items=items)))
    assert set(result) == {"anjay", "wakaama", "zephyr", "nordic", "leshan"}
    assert not any(entry["ok"] for entry in result.values())
    assert "resource 0 (Status) is read or written but has no Type" in result["anjay"]["reason"]
    assert "resource 1 (Run) is executable with multiple instances" in result["anjay"]["reason"]
    assert "empty Operations" not in result["anjay"]["reason"]  # Anjay has BS_RW for it
    assert "resource 2 (Hidden) has empty Operations" in result["zephyr"]["reason"]
    assert "resource 2 (Hidden) has empty Operations" in result["nordic"]["reason"]
    assert "resource 3 (Go) is executable but has a Type" in result["leshan"]["reason"]
    generated = generate("anjay.c", from_bytes(definition_xml(items=items)))
    assert "GAP: resource 0 (Status) is read or written but has no Type" in generated


def test_a_clean_definition_is_compatible_with_every_target():
    items = {0: ("Level", "R", "Single", "Mandatory", "Integer", "", "")}
    result = compatibility_of(from_bytes(definition_xml(items=items)))
    assert result == {t: {"ok": True, "reason": ""} for t in result}


@pytest.mark.snapshot
def test_compatibility_of_the_registry_files_the_issue_names(snapshot):
    def of(path):
        return compatibility(parse_definition((snapshot / path).read_bytes()))

    readable_without_type = of("10482.xml")
    assert not readable_without_type["anjay"]["ok"]
    assert "is read or written but has no Type" in readable_without_type["anjay"]["reason"]
    multiple_executable = of("version_history/15-1_0.xml")
    assert "executable with multiple instances" in multiple_executable["anjay"]["reason"]
    empty_operations = of("20.xml")
    assert not empty_operations["nordic"]["ok"]
    assert "empty Operations (lwm2m-types rejects the file)" in empty_operations["nordic"]["reason"]
    assert of("3303.xml") == {t: {"ok": True, "reason": ""} for t in readable_without_type}


@pytest.mark.snapshot
def test_types_equal_the_published_lwm2m_types(snapshot):
    from tests.conftest import FIXTURE_REGISTRY

    published = FIXTURE_REGISTRY.parent / "codegen" / "nordic-lwm2m-types-2.7.0-3303.ts"
    obj = from_bytes((snapshot / "3303.xml").read_bytes())
    assert generate("types.ts", obj) == published.read_text(encoding="utf-8")


def test_leshan_keeps_text_as_written_and_null_for_a_missing_element():
    data = definition_xml(items={0: ("Level", "R", "Single", "Mandatory", "Integer", "", "")})
    data = data.replace(b"<Units></Units>", b"").replace(b"About Level.", b"About\r\n  Level.")
    model = json.loads(generate("leshan.json", from_bytes(data)))
    assert model["resourcedefs"][0]["units"] is None
    assert model["resourcedefs"][0]["description"].startswith("About\n  Level.")
    assert model["description2"] == ""


def test_typescript_survives_hostile_text(tmp_path):
    data = definition_xml(version="1.1'\n*/x")
    data = data.replace(b"<Name>Test Gadget</Name>", b"<Name>*/ Gadget '\\ \xe2\x80\xa8</Name>")
    obj = from_bytes(data)
    path = tmp_path / "hostile.ts"
    path.write_text(generate("types.ts", obj), encoding="utf-8")
    assert compile_ts([path]) == []
    for name in ("anjay.c", "wakaama.c", "zephyr.c", "ids.h"):
        c_path = write_with_header(tmp_path / "hostile", name, obj)
        assert compile_c([c_path], name) == [], name


def test_anjay_object_definition_names_its_oid_as_anjay_codegen_does(gadget):
    assert "    .oid = 33333,\n" in generate("anjay.c", gadget)


def test_the_usage_shows_the_setter_of_a_readable_resource():
    # Key is mandatory but write-only, Run executable: neither has a setter; Level is the
    # first readable one (Max the next).
    items = {
        0: ("Key", "W", "Single", "Mandatory", "Opaque", "", ""),
        1: ("Run", "E", "Single", "Mandatory", "Integer", "", ""),
        2: ("Level", "R", "Single", "Optional", "Integer", "", ""),
        3: ("Max", "R", "Single", "Optional", "Integer", "", ""),
    }
    obj = from_bytes(definition_xml(items=items))
    examples = {
        "wakaama.h": " *      test_gadget_set_level(lwm2mH, test_gadget, 0, 1); // on a change",
        "anjay.h": " *      test_gadget_set_level(anjay, test_gadget, 0, 1); // on a change",
        "zephyr.h": " *      object_33333_set_level(0, 1); // on a change",
    }
    for name, example in examples.items():
        lines = generate(name, obj).splitlines()
        assert [line for line in lines if line.endswith("// on a change")] == [example], name
        assert not any("_set_key(" in line or "_set_run(" in line for line in lines), name


def test_each_c_file_and_header_ends_with_one_newline(gadget):
    for sdk in ("anjay", "wakaama", "zephyr"):
        for name in (f"{sdk}.c", f"{sdk}.h"):
            text = generate(name, gadget)
            assert text.endswith("\n") and not text.endswith("\n\n"), name


def test_each_c_file_declares_its_callback_type_unless_its_header_did(gadget):
    # Beside its header, the file includes it (whose guard then skips the typedef); alone,
    # it declares the one type it needs itself.
    typedefs = {
        "anjay": [
            "typedef int test_gadget_execute_cb_t(anjay_t *anjay, anjay_iid_t iid, "
            "anjay_rid_t rid,",
            "                             anjay_execute_ctx_t *ctx);",
        ],
        "wakaama": [
            "typedef uint8_t test_gadget_execute_cb_t(lwm2m_context_t *context, "
            "uint16_t instance_id,",
            "                                 uint16_t resource_id, uint8_t *args, int length);",
        ],
        "zephyr": [
            "typedef int object_33333_execute_cb_t(uint16_t instance_id, uint16_t resource_id,",
            "                                 uint8_t *args, uint16_t args_len);",
        ],
    }
    for sdk, typedef in typedefs.items():
        lines = generate(f"{sdk}.c", gadget).splitlines()
        start = lines.index("/* The application API; this file builds without it too. */")
        assert lines[start : start + 10] == [
            "/* The application API; this file builds without it too. */",
            "#if defined(__has_include)",
            f'#if __has_include("lwm2m_33333_{sdk}.h")',
            f'#include "lwm2m_33333_{sdk}.h"',
            "#endif",
            "#endif",
            f"#ifndef LWM2M_OBJECT_33333_{sdk.upper()}_H",
            *typedef,
            "#endif",
        ], sdk
        assert f"#define LWM2M_OBJECT_33333_{sdk.upper()}_H" in generate(f"{sdk}.h", gadget)
