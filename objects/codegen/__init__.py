"""Code generated from an object definition: client objects for Anjay, Wakaama and Zephyr, C ID
constants, TypeScript types and a JSON Schema in the shape of Nordic's lwm2m-types, and Leshan's
model JSON. Plain Python on top of objects.lwm2m: the same bytes in, the same bytes out."""

import importlib
from collections.abc import Callable

from objects.codegen.model import CodegenObject, from_bytes, from_definition

# Each downloadable file: its name -> (the selection's target word, the generator's module, the
# module's function). Each C object comes with its header, the application's API of it.
FILES: dict[str, tuple[str, str, str]] = {
    "anjay.c": ("anjay", "anjay", "generate"),
    "anjay.h": ("anjay", "anjay", "header"),
    "wakaama.c": ("wakaama", "wakaama", "generate"),
    "wakaama.h": ("wakaama", "wakaama", "header"),
    "zephyr.c": ("zephyr", "zephyr", "generate"),
    "zephyr.h": ("zephyr", "zephyr", "header"),
    "ids.h": ("ids", "c_ids", "generate"),
    "types.ts": ("ts", "typescript", "generate"),
    "schema.json": ("schema", "json_schema", "generate"),
    "leshan.json": ("leshan", "leshan_json", "generate"),
}

__all__ = [
    "FILES",
    "CodegenObject",
    "from_bytes",
    "from_definition",
    "generate",
    "how_to_use",
]


def generate(file_name: str, obj: CodegenObject) -> str:
    """The text of one file (a name of FILES) for a CodegenObject."""
    _, module_name, function = FILES[file_name]
    module = importlib.import_module(f"objects.codegen.{module_name}")
    generator: Callable[[CodegenObject], str] = getattr(module, function)
    return generator(obj)


def how_to_use(file_name: str, obj: CodegenObject) -> list[str] | None:
    """The lines that say how to use a C object's file (where it goes, the build line, the
    lines of main), or None for a file without them."""
    _, module_name, _ = FILES[file_name]
    module = importlib.import_module(f"objects.codegen.{module_name}")
    how: Callable[[CodegenObject], list[str]] | None = getattr(module, "how_to_use", None)
    return how(obj) if how else None
