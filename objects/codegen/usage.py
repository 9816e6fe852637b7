"""How to use a generated C object: where its files go, the build line, the few lines of main
that register the object and make instance 0. The same text opens each file and its header, and
the code page shows it; example.py builds a whole main.c from the same calls."""

from typing import Protocol

from objects.codegen.c_common import Naming
from objects.codegen.compatibility import sdk_copy
from objects.codegen.model import CodegenObject, CodegenResource

# A value to show in a setter's example call, per Type.
_EXAMPLE_VALUES = {
    "String": '"text"',
    "Corelnk": '"</3/0>"',
    "Opaque": '"\\x01", 1',
    "Objlnk": "3, 0",
    "Boolean": "true",
    "Float": "21.5",
}


class ObjectFile(Protocol):
    """What these lines read of a C file's generator (c_common.CGenerator with its SDK's
    has_setter)."""

    obj: CodegenObject
    p: str
    names: Naming
    resources: tuple[CodegenResource, ...]

    def has_setter(self, resource: CodegenResource) -> bool: ...


def example_value(resource: CodegenResource) -> str:
    return _EXAMPLE_VALUES.get(resource.type, "1")


def first_setter(gen: ObjectFile) -> CodegenResource | None:
    """The resource to show a setter of (gen.has_setter): the first mandatory one (a sensor's
    value rather than its timestamp), else the first; None without one."""
    settable = [resource for resource in gen.resources if gen.has_setter(resource)]
    mandatory = [resource for resource in settable if resource.mandatory]
    candidates = mandatory or settable
    return candidates[0] if candidates else None


def _copy_lines(obj: CodegenObject, target: str) -> list[str]:
    sentence = sdk_copy(obj.object_id, target)
    return ["", f"NOTE: {sentence}"] if sentence else []


def _riid(resource: CodegenResource) -> str:
    return "0, " if resource.multiple else ""


def wakaama_main(gen: ObjectFile) -> list[str]:
    """The lines of main() for Wakaama (the object in `obj`, the context in `lwm2mH`)."""
    p = gen.p
    lines = [f"lwm2m_object_t *{p} = {p}_object_create(); // into lwm2m_configure()'s array"]
    if gen.obj.multiple:
        lines.append(f"{p}_instance_create({p}, 0);")
    setter = first_setter(gen)
    if setter is not None:
        m = gen.names[setter.id][1]
        value = example_value(setter)
        lines.append(f"{p}_set_{m}(lwm2mH, {p}, 0, {_riid(setter)}{value}); // on a change")
    if any(r.executable for r in gen.resources):
        lines.append(f"{p}_set_execute_callback({p}, on_execute); // your function")
    lines.append(f"{p}_object_release({p}); // after lwm2m_close()")
    return lines


def wakaama(gen: ObjectFile) -> list[str]:
    """The "How to use this file" lines of wakaama.c and wakaama.h."""
    lines = [
        "How to use this file (Wakaama):",
        "1. Put wakaama.c and wakaama.h beside your client's sources (for Wakaama's example,",
        "   examples/client/) and compile wakaama.c with them, e.g. in CMake",
        "   target_sources(lwm2mclient PRIVATE wakaama.c), or by hand:",
        "   cc -DLWM2M_CLIENT_MODE -I<wakaama>/include -c wakaama.c",
        '2. In main(), #include "wakaama.h" and:',
    ]
    lines.extend(f"     {line}" for line in wakaama_main(gen))
    if not gen.obj.multiple:
        lines.append("   (a single-instance object: instance 0 exists from the start)")
    lines.append("   Never edit this file: the header's functions are its whole API.")
    return lines + _copy_lines(gen.obj, "wakaama")


def anjay_main(gen: ObjectFile) -> list[str]:
    """The lines of main() for Anjay (after anjay_new(): `anjay`)."""
    p = gen.p
    lines = [
        f"const anjay_dm_object_def_t **{p} = {p}_object_create();",
        f"anjay_register_object(anjay, {p});",
    ]
    if gen.obj.multiple:
        lines.append(f"{p}_instance_create(anjay, {p}, 0);")
    setter = first_setter(gen)
    if setter is not None:
        m = gen.names[setter.id][1]
        value = example_value(setter)
        lines.append(f"{p}_set_{m}(anjay, {p}, 0, {_riid(setter)}{value}); // on a change")
    if any(r.executable for r in gen.resources):
        lines.append(f"{p}_set_execute_callback({p}, on_execute); // your function")
    lines.append(f"{p}_object_release({p}); // after anjay_delete()")
    return lines


def anjay(gen: ObjectFile) -> list[str]:
    """The "How to use this file" lines of anjay.c and anjay.h."""
    lines = [
        "How to use this file (Anjay 3):",
        "1. Put anjay.c and anjay.h beside your application's sources and compile anjay.c",
        "   with them, e.g. in CMake add_executable(app main.c anjay.c) with",
        "   target_link_libraries(app PRIVATE anjay), or by hand:",
        "   cc -I<anjay>/include_public -I<avs_commons>/include_public -c anjay.c",
        '2. In main(), after anjay_new(), #include "anjay.h" and:',
    ]
    lines.extend(f"     {line}" for line in anjay_main(gen))
    if not gen.obj.multiple:
        lines.append("   (a single-instance object: instance 0 exists from the start)")
    lines.append("   Never edit this file: the header's functions are its whole API.")
    return lines + _copy_lines(gen.obj, "anjay")


def zephyr_main(gen: ObjectFile) -> list[str]:
    """The lines of main() for Zephyr (before lwm2m_rd_client_start())."""
    prefix = f"object_{gen.obj.object_id}"
    lines = [f"{prefix}_instance_create(0);"]
    setter = first_setter(gen)
    if setter is not None:
        m = gen.names[setter.id][1]
        value = example_value(setter)
        if setter.type == "Opaque":
            value = '"\\x01", 1'
        lines.append(f"{prefix}_set_{m}(0, {_riid(setter)}{value}); // on a change")
    if any(r.executable for r in gen.resources):
        lines.append(f"{prefix}_set_execute_callback(on_execute); // your function")
    return lines


def zephyr(gen: ObjectFile) -> list[str]:
    """The "How to use this file" lines of zephyr.c and zephyr.h."""
    lines = [
        "How to use this file (Zephyr):",
        "1. Put zephyr.c and zephyr.h in your application's src/ and add to CMakeLists.txt:",
        "   target_sources(app PRIVATE src/zephyr.c)",
        "   zephyr_include_directories(${ZEPHYR_BASE}/subsys/net/lib/lwm2m)",
        "   The object registers itself when the engine starts (LWM2M_OBJ_INIT).",
        '2. In main(), before lwm2m_rd_client_start(), #include "zephyr.h" and:',
    ]
    lines.extend(f"     {line}" for line in zephyr_main(gen))
    lines.append("   Never edit this file: the header's functions are its whole API.")
    return lines + _copy_lines(gen.obj, "zephyr")
