"""The files of a selection of objects: each object's files, one combined ids.h, one combined
schema. A zip of them has the same bytes for the same definitions (fixed dates, fixed order)."""

import io
import zipfile
from collections.abc import Iterable

from objects.codegen import FILES, generate
from objects.codegen.c_ids import header
from objects.codegen.example import Selection, example_files
from objects.codegen.json_schema import document, dumps

TARGETS: dict[str, list[str]] = {}
for _name, (_target, _module, _function) in FILES.items():
    TARGETS.setdefault(_target, []).append(_name)
# "example": each object's C files and headers for every SDK, and a main.c per SDK that uses them.
TARGET_CHOICES: tuple[str, ...] = (*TARGETS, "example", "all")
EXAMPLE_FILES: tuple[str, ...] = (
    "anjay.c",
    "anjay.h",
    "wakaama.c",
    "wakaama.h",
    "zephyr.c",
    "zephyr.h",
)
ZIP_DATE: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)


def file_names(target: str) -> list[str]:
    """The per-object file names of a target word (anjay, ..., all); KeyError for another."""
    if target == "all":
        return list(FILES)
    if target == "example":
        return list(EXAMPLE_FILES)
    return list(TARGETS[target])


def selection_files(objects: Selection, target: str) -> list[tuple[str, str]]:
    """[(path, text)] for [(CodegenObject, version label)]: each object's files under
    <ID>-<version>/, then the combined ids.h and schema.json at the top when the target has
    them (ids, schema or all), and example/<sdk>/main.c (example or all)."""
    files: list[tuple[str, str]] = []
    for obj, label in objects:
        for name in file_names(target):
            files.append((f"{obj.object_id}-{label}/{name}", generate(name, obj)))
    plain = [obj for obj, _ in objects]
    if target in ("ids", "all"):
        files.append(("ids.h", header(plain, "LWM2M_OBJECT_IDS_H")))
    if target in ("schema", "all"):
        files.append(("schema.json", dumps(document(plain))))
    if target in ("example", "all"):
        files.extend(example_files(objects))
    return files


def zip_bytes(files: Iterable[tuple[str, str]]) -> bytes:
    """A zip archive of [(path, text)], the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in files:
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
