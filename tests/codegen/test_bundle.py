"""The files of a selection and their zip: which files each target word gives, and a zip with
the same bytes for the same files (fixed dates, modes and order)."""

import io
import zipfile

import pytest

from objects.codegen import FILES, generate
from objects.codegen.bundle import file_names, selection_files, zip_bytes
from objects.codegen.c_ids import header
from objects.codegen.json_schema import document, dumps
from objects.codegen.model import from_bytes
from tests.codegen.test_generators import definition_xml


def test_file_names_of_each_target_word():
    assert file_names("all") == list(FILES)
    assert file_names("example") == [
        "anjay.c", "anjay.h", "wakaama.c", "wakaama.h", "zephyr.c", "zephyr.h",
    ]  # fmt: skip
    assert file_names("anjay") == ["anjay.c", "anjay.h"]
    assert file_names("ids") == ["ids.h"]
    assert file_names("ts") == ["types.ts"]
    assert file_names("schema") == ["schema.json"]
    assert file_names("leshan") == ["leshan.json"]
    with pytest.raises(KeyError):
        file_names("cobol")


def test_the_files_of_a_selection():
    one = from_bytes(definition_xml(items={}, object_id=1))
    two = from_bytes(definition_xml(items={}, object_id=2, version="1.0"))
    selection = [(one, "1.1"), (two, "1.0")]
    assert selection_files(selection, "ids") == [
        ("1-1.1/ids.h", generate("ids.h", one)),
        ("2-1.0/ids.h", generate("ids.h", two)),
        ("ids.h", header([one, two], "LWM2M_OBJECT_IDS_H")),
    ]
    assert selection_files(selection, "schema") == [
        ("1-1.1/schema.json", generate("schema.json", one)),
        ("2-1.0/schema.json", generate("schema.json", two)),
        ("schema.json", dumps(document([one, two]))),
    ]
    assert [path for path, _ in selection_files(selection, "leshan")] == [
        "1-1.1/leshan.json",
        "2-1.0/leshan.json",
    ]
    paths = [path for path, _ in selection_files([(one, "1.1")], "all")]
    assert "ids.h" in paths and "schema.json" in paths
    assert [p for p in paths if p.startswith("example/")] == [
        "example/anjay/main.c", "example/wakaama/main.c", "example/zephyr/main.c",
    ]  # fmt: skip
    example = [path for path, _ in selection_files([(one, "1.1")], "example")]
    assert "ids.h" not in example and "schema.json" not in example
    assert len([p for p in example if p.startswith("example/")]) == 3


def test_a_zip_has_the_same_bytes_for_the_same_files():
    files = [("a/x.txt", "é\n"), ("b.txt", "two")]
    data = zip_bytes(files)
    assert zip_bytes(list(files)) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["a/x.txt", "b.txt"]
        assert [i.date_time for i in infos] == [(1980, 1, 1, 0, 0, 0)] * 2
        assert [i.compress_type for i in infos] == [zipfile.ZIP_DEFLATED] * 2
        assert [i.external_attr >> 16 for i in infos] == [0o644] * 2
        assert archive.read("a/x.txt") == "é\n".encode()
        assert archive.read("b.txt") == b"two"
