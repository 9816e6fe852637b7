"""Code generated from an object definition: client objects for Anjay, Wakaama and Zephyr, C ID
constants, TypeScript types and a JSON Schema in the shape of Nordic's lwm2m-types, and Leshan's
model JSON. Plain Python on top of objects.lwm2m: the same bytes in, the same bytes out."""

import importlib

from objects.codegen.model import CodegenObject, from_bytes, from_definition

# Each downloadable file: its name -> (the selection's target word, the generator's module).
FILES = {
    "anjay.c": ("anjay", "anjay"),
    "wakaama.c": ("wakaama", "wakaama"),
    "zephyr.c": ("zephyr", "zephyr"),
    "ids.h": ("ids", "c_ids"),
    "types.ts": ("ts", "typescript"),
    "schema.json": ("schema", "json_schema"),
    "leshan.json": ("leshan", "leshan_json"),
}

__all__ = ["FILES", "CodegenObject", "from_bytes", "from_definition", "generate"]


def generate(file_name, obj):
    """The text of one file (a name of FILES) for a CodegenObject."""
    module = importlib.import_module(f"objects.codegen.{FILES[file_name][1]}")
    return module.generate(obj)
