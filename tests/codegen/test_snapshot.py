"""Every target for every definition of the full registry snapshot: the C compiles for real
(gcc -c -Wall -Wextra -Werror -Wshadow, with each SDK's own warnings) against Wakaama's real
liblwm2m.h and our declarations of Anjay's and Zephyr's API, the TypeScript with tsc --strict,
the JSON parses."""

import json

import pytest

from objects.codegen import FILES, from_bytes, generate, saved_name
from objects.codegen.c_ids import header
from objects.lwm2m.definitions import InvalidDefinition
from tests.codegen.compilers import compile_c, compile_ts

pytestmark = [pytest.mark.slow, pytest.mark.snapshot]


def definitions(snapshot):
    """(file stem, CodegenObject) of every definition file in the snapshot."""
    found = []
    paths = sorted(snapshot.glob("*.xml")) + sorted((snapshot / "version_history").glob("*.xml"))
    for path in paths:
        try:
            obj = from_bytes(path.read_bytes())
        except (InvalidDefinition, ValueError):
            continue  # DDF.xml, Common.xml, the units list: no object in them
        stem = path.stem.replace("-", "_").replace(".", "_")
        found.append((f"{stem}_vh" if path.parent.name == "version_history" else stem, obj))
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from tests.conftest import SNAPSHOT

    if not (SNAPSHOT / "DDF.xml").is_file():
        pytest.skip("no snapshot")
    folder = tmp_path_factory.mktemp("generated")
    files = {name: [] for name in FILES}
    objects = definitions(SNAPSHOT)
    for stem, obj in objects:
        # One folder a definition: each .c includes its header from beside it.
        (folder / stem).mkdir()
        for name in FILES:  # by their saved names, as the .c includes its header
            path = folder / stem / saved_name(name, obj.object_id)
            path.write_text(generate(name, obj), encoding="utf-8")
            files[name].append(path)
    return folder, files, objects


def test_the_snapshot_has_its_definitions(snapshot, generated):
    _, files, objects = generated
    assert len(objects) > 700
    assert all(len(paths) == len(objects) for paths in files.values())


@pytest.mark.parametrize("file_name", ["anjay.c", "wakaama.c", "zephyr.c", "ids.h"])
def test_every_c_file_compiles(snapshot, generated, file_name):
    _, files, _ = generated
    assert compile_c(files[file_name], file_name) == []


@pytest.mark.parametrize("file_name", ["anjay.c", "wakaama.c", "zephyr.c"])
def test_every_c_file_compiles_with_its_optional_resources_left_out(snapshot, generated, file_name):
    # One -D list for every file: a macro names its object, so each file sees only its own
    # (a mandatory resource has no switch: its macro changes nothing).
    _, files, objects = generated
    ids = {(obj.object_id, r.id) for _, obj in objects for r in obj.resources}
    left_out = [f"-DLWM2M_OMIT_{oid}_{rid}" for oid, rid in sorted(ids)]
    assert compile_c(files[file_name], file_name, left_out) == []


def test_anjay_compiles_without_assertions_and_without_lwm2m_1_1(snapshot, generated):
    _, files, _ = generated
    assert compile_c(files["anjay.c"], "anjay.c", ["-DNDEBUG", "-DFIXTURE_ANJAY_LWM2M10"]) == []


def test_the_ids_of_every_latest_object_go_in_one_header(snapshot, generated, tmp_path):
    _, _, objects = generated
    latest = {}
    for stem, obj in objects:
        if not stem.endswith("_vh"):
            latest[obj.object_id] = obj
    path = tmp_path / "ids.h"
    path.write_text(header(list(latest.values()), "ALL_IDS_H"), encoding="utf-8")
    assert compile_c([path], "ids.h") == []


def test_every_typescript_file_compiles_strict(snapshot, generated):
    _, files, _ = generated
    assert compile_ts(files["types.ts"]) == []


def test_every_json_file_parses(snapshot, generated):
    _, files, objects = generated
    for path in files["schema.json"]:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert len(schema["properties"]) == 1
    for path, (_, obj) in zip(files["leshan.json"], objects, strict=True):
        model = json.loads(path.read_text(encoding="utf-8"))
        assert model["id"] == obj.object_id
        assert [r["id"] for r in model["resourcedefs"]] == [r.id for r in obj.resources]
