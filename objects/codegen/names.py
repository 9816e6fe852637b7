"""Identifiers made from the names in a definition, for C and for TypeScript.

Registry names are free text ("Min Measured Value", "3D Position", "Énergie", "Default"), so
each becomes a valid identifier the same way every time, and the ones a file declares together
are made unique (a suffix with the resource ID) without depending on anything else.
"""

import re
from collections.abc import Iterable

from objects.codegen.model import CodegenObject

_NON_ALNUM = re.compile(r"[^a-zA-Z0-9]+")
_DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# Words a C member, variable or function name may not be: keywords, and the macros of the
# standard headers the generated files include (stdbool's bool/true/false, assert, NULL...).
C_RESERVED = frozenset(
    [
        "auto",
        "break",
        "case",
        "char",
        "const",
        "continue",
        "default",
        "do",
        "double",
        "else",
        "enum",
        "extern",
        "float",
        "for",
        "goto",
        "if",
        "inline",
        "int",
        "long",
        "register",
        "restrict",
        "return",
        "short",
        "signed",
        "sizeof",
        "static",
        "struct",
        "switch",
        "typedef",
        "union",
        "unsigned",
        "void",
        "volatile",
        "while",
        "bool",
        "true",
        "false",
        "assert",
        "errno",
        "offsetof",
        "NULL",
        "EOF",
        "alignas",
        "alignof",
        "noreturn",
        "static_assert",
        "thread_local",
        "complex",
        "imaginary",
    ]
)


def c_identifier(text: str) -> str:
    """A C identifier from free text, in the rule of Anjay's own generator: each run of other
    characters becomes one underscore, none at either end, and a leading digit is spelled out."""
    identifier = _NON_ALNUM.sub("_", text).strip("_")
    if not identifier:
        return ""
    if identifier[0].isdigit():
        identifier = _DIGIT_WORDS[int(identifier[0])] + identifier[1:]
    return identifier


def rid_macro(name: str) -> str:
    """A resource's ID constant as Anjay's generator names it: RID_ and the upper-case name."""
    return c_identifier("RID_" + name.upper())


def object_prefix(obj: CodegenObject) -> str:
    """The lower-case prefix of an object's C types and functions (temperature_object_t)."""
    return c_identifier(obj.name).lower() or f"object_{obj.object_id}"


def member_name(name: str, resource_id: int) -> str:
    """A lower-case C member for a resource; a reserved word or an empty name gets its ID."""
    identifier = c_identifier(name).lower()
    if not identifier:
        return f"resource_{resource_id}"
    if identifier in C_RESERVED:
        return f"{identifier}_{resource_id}"
    return identifier


def unique(names_and_ids: Iterable[tuple[str, int]]) -> list[str]:
    """Names made unique in order: a later resource whose name is taken gets _<ID> appended."""
    seen: set[str] = set()
    result: list[str] = []
    for name, resource_id in names_and_ids:
        candidate = name
        if candidate in seen:
            candidate = f"{name}_{resource_id}"
        while candidate in seen:
            candidate += "_"
        seen.add(candidate)
        result.append(candidate)
    return result


def ts_token(name: str) -> str:
    """A name as lwm2m-types tokenizes it: no spaces, & as "and", a leading digit behind an n,
    every other character an underscore, runs of them one, none at the end."""
    token = name.replace(" ", "").replace("&", "and")
    token = re.sub(r"^(\d)(.+)", r"n\1\2", token, flags=re.S)
    token = re.sub(r"[^a-zA-Z0-9]", "_", token)
    token = re.sub(r"_{2,}", "_", token)
    return re.sub(r"_+$", "", token).strip()


def ts_type_name(identifier: int, name: str) -> str:
    """The TypeScript type of an object or a resource in lwm2m-types: Temperature_3303."""
    return f"{ts_token(name)}_{identifier}"


def wrap(text: str, width: int = 76) -> list[str]:
    """Words joined into lines of at most `width` characters (a longer word keeps its line)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            if current and len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
    return lines
