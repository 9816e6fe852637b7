"""zephyr.c: a Zephyr LwM2M object in the pattern of subsys/net/lib/lwm2m/ipso_*.c.

fields[] declares each resource with OBJ_FIELD_DATA(RID, permission, type) or
OBJ_FIELD_EXECUTE(_OPT); the permission comes from Operations and Mandatory (R, W, RW, with
_OPT when optional) and the type from Type (Integer S32 when its range fits 32 bits, else S64;
Unsigned Integer U32; Float FLOAT; Boolean BOOL; Time TIME; Opaque OPAQUE; Objlnk OBJLNK;
String and Corelnk STRING). Storage per instance and type, a create_cb that wires it, and an
init function registered with LWM2M_OBJ_INIT.
"""

import re
from collections.abc import Iterable
from typing import Literal

from objects.codegen import saved_name, usage
from objects.codegen.c_common import (
    CGenerator,
    comment_block,
    file_header,
    omit_macro,
    resource_note,
)
from objects.codegen.model import CodegenObject, CodegenResource, version_numbers

_RANGE = re.compile(r"^\s*(-?\d{1,20})\s*(?:\.\.|-)\s*(-?\d{1,20})\s*$")
_C_TYPES = {
    "S32": "int32_t",
    "S64": "int64_t",
    "U32": "uint32_t",
    "FLOAT": "double",
    "BOOL": "bool",
    "TIME": "time_t",
    "OBJLNK": "struct lwm2m_objlnk",
}
# The engine's lwm2m_set_* / lwm2m_get_* suffix of each data type.
_ACCESS = {
    "S32": "s32",
    "S64": "s64",
    "U32": "u32",
    "FLOAT": "f64",
    "BOOL": "bool",
    "TIME": "time",
    "OBJLNK": "objlnk",
    "STRING": "string",
    "OPAQUE": "opaque",
}
# Objects of the LwM2M specification itself (Zephyr's is_core).
_CORE_OBJECTS = frozenset({0, 1, 2, 3, 4, 5, 6, 7, 21})

# A resource as fields[] declares it: ("data", permission, data type) or ("execute", macro).
DataField = tuple[Literal["data"], str, str]
ExecuteField = tuple[Literal["execute"], str]
Field = DataField | ExecuteField


def data_type(resource: CodegenResource) -> str:
    """The LWM2M_RES_TYPE_ suffix of a resource's Type ("" when it has none)."""
    t = resource.type
    if t == "Integer":
        match = _RANGE.match(resource.range)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
            if -(2**31) <= low <= high <= 2**31 - 1:
                return "S32"
        return "S64"
    return {
        "Unsigned Integer": "U32",
        "Float": "FLOAT",
        "Boolean": "BOOL",
        "Time": "TIME",
        "Opaque": "OPAQUE",
        "Objlnk": "OBJLNK",
        "String": "STRING",
        "Corelnk": "STRING",
    }.get(t, "")


def permission(resource: CodegenResource) -> str:
    """The LWM2M_PERM_ suffix of a data resource ("" when it cannot be one)."""
    ops = resource.operations.upper()
    if "R" in ops and "W" in ops:
        base = "RW"
    elif "R" in ops:
        base = "R"
    elif "W" in ops:
        base = "W"
    else:
        return ""
    return base if resource.mandatory else f"{base}_OPT"


def field(resource: CodegenResource) -> Field | None:
    """("data", perm, type) or ("execute", macro) or None when the resource is left out."""
    if resource.executable and not (resource.readable or resource.writable):
        return ("execute", "OBJ_FIELD_EXECUTE" if resource.mandatory else "OBJ_FIELD_EXECUTE_OPT")
    perm, kind = permission(resource), data_type(resource)
    if perm and kind:
        return ("data", perm, kind)
    return None


class ZephyrFile(CGenerator):
    def has_setter(self, resource: CodegenResource) -> bool:
        described = field(resource)
        return described is not None and described[0] == "data" and resource.readable

    def storage(self, resource: CodegenResource, kind: str) -> str:
        m = self.names[resource.id][1]
        dims = f"[{self.P}_MAX_INSTANCES]"
        if resource.multiple:
            dims += f"[{self.P}_MAX_RESOURCE_INSTANCES]"
        if kind == "STRING":
            return f"static char {m}_data{dims}[{self.P}_STRING_SIZE];"
        if kind == "OPAQUE":
            return f"static uint8_t {m}_data{dims}[{self.P}_OPAQUE_SIZE];"
        return f"static {_C_TYPES[kind]} {m}_data{dims};"

    def generate(self) -> str:
        obj, P, emit = self.obj, self.P, self.emit
        major, minor = version_numbers(obj.version)
        # Named by the object's ID: unique among objects, and never a C library's name.
        create, init = f"object_{obj.object_id}_create", f"object_{obj.object_id}_init"
        engine_obj = f"object_{obj.object_id}"
        emit(file_header(obj, "zephyr", "Zephyr's LwM2M client (subsys/net/lib/lwm2m)"))
        emit(
            comment_block(
                [
                    "Build it with the LwM2M engine's private headers on the include path:",
                    "zephyr_include_directories(${ZEPHYR_BASE}/subsys/net/lib/lwm2m)",
                ]
            )
        )
        emit(comment_block(usage.zephyr(self)))
        emit("#include <errno.h>")
        emit("#include <stdbool.h>")
        emit("#include <stdint.h>")
        emit("#include <string.h>")
        emit("#include <time.h>")
        emit()
        emit("#include <zephyr/net/lwm2m.h>")
        emit()
        emit('#include "lwm2m_object.h"')
        emit('#include "lwm2m_engine.h"')
        emit()
        self.emit_own_header("zephyr.h", f"LWM2M_OBJECT_{obj.object_id}_ZEPHYR_H", [
            f"typedef int object_{obj.object_id}_execute_cb_t(uint16_t instance_id, "
            "uint16_t resource_id,",
            "                                 uint8_t *args, uint16_t args_len);",
        ])  # fmt: skip
        emit()
        emit(f"#define {P}_OID {obj.object_id}")
        emit(f"#define {P}_VERSION_MAJOR {major}")
        emit(f"#define {P}_VERSION_MINOR {minor}")
        emit(f"#ifndef {P}_MAX_INSTANCES")
        emit(f"#define {P}_MAX_INSTANCES {4 if obj.multiple else 1}")
        emit("#endif")
        emit(f"#ifndef {P}_MAX_RESOURCE_INSTANCES")
        emit(f"#define {P}_MAX_RESOURCE_INSTANCES 4 /* per multiple-instance resource */")
        emit("#endif")
        emit(f"#ifndef {P}_STRING_SIZE")
        emit(f"#define {P}_STRING_SIZE 64 /* the longest String or Corelnk kept, with its NUL */")
        emit("#endif")
        emit(f"#ifndef {P}_OPAQUE_SIZE")
        emit(f"#define {P}_OPAQUE_SIZE 64 /* the longest Opaque value kept */")
        emit("#endif")
        emit()
        fields = []
        for resource in self.resources:
            emit(resource_note(obj, "zephyr", resource, self.names))
            emit(f"#define {self.names[resource.id][0]} {resource.id}")
            emit()
            described = field(resource)
            if described:
                fields.append((resource, described))
        data = [(r, f) for r, f in fields if f[0] == "data"]
        executes = [r for r, f in fields if f[0] == "execute"]
        instance_count = " + ".join(
            f"{P}_MAX_RESOURCE_INSTANCES" if r.multiple else "1" for r, _ in data
        )
        emit(f"#define {P}_RESOURCE_COUNT {max(len(fields), 1)}")
        emit(f"#define {P}_RESOURCE_INSTANCE_COUNT ({instance_count or '1'})")
        emit()
        if data:
            emit("/* The values of each instance, wired to the engine by the create callback. */")
        for resource, (_, _, kind) in data:
            self.unless_omitted(resource, [self.storage(resource, kind)])
        emit()
        emit(f"static struct lwm2m_engine_obj {engine_obj};")
        if fields:
            emit("static struct lwm2m_engine_obj_field fields[] = {")
            for resource, described in fields:
                macro = self.names[resource.id][0]
                if described[0] == "execute":
                    emit(f"    {described[1]}({macro}),")
                else:
                    emit(f"    OBJ_FIELD_DATA({macro}, {described[1]}, {described[2]}),")
            emit("};")
        else:
            emit("/* No resource this engine can declare: see the gaps above. */")
        emit()
        emit(f"static struct lwm2m_engine_obj_inst inst[{P}_MAX_INSTANCES];")
        emit(f"static struct lwm2m_engine_res res[{P}_MAX_INSTANCES][{P}_RESOURCE_COUNT];")
        emit(
            f"static struct lwm2m_engine_res_inst res_inst[{P}_MAX_INSTANCES]"
            f"[{P}_RESOURCE_INSTANCE_COUNT];"
        )
        emit()
        prefix = f"object_{obj.object_id}"
        emit(f"static {prefix}_execute_cb_t *execute_cb;")
        emit()
        emit(f"void {prefix}_set_execute_callback({prefix}_execute_cb_t *callback)")
        emit("{")
        emit("    execute_cb = callback;")
        emit("}")
        emit()
        for resource in executes:
            m = self.names[resource.id][1]
            if not resource.mandatory:
                emit(f"#ifndef {omit_macro(obj, resource)}")
            emit(f"static int {m}_execute_cb(uint16_t obj_inst_id, uint8_t *args,")
            emit("                          uint16_t args_len)")
            emit("{")
            if resource.multiple:
                emit("    /* GAP: multiple instances; Zephyr executes the resource. */")
            emit("    if (execute_cb == NULL) {")
            emit(f"        return -ENOTSUP; /* 5.01: see {prefix}_set_execute_callback() */")
            emit("    }")
            emit(
                f"    return execute_cb(obj_inst_id, {self.names[resource.id][0]}, args, args_len);"
            )
            emit("}")
            if not resource.mandatory:
                emit("#endif")
            emit()
        emit(f"static struct lwm2m_engine_obj_inst *{create}(uint16_t obj_inst_id)")
        emit("{")
        emit("    int index;")
        emit("    int i = 0;")
        if data:
            emit("    int j = 0;")
        emit()
        emit(f"    for (index = 0; index < {P}_MAX_INSTANCES; index++) {{")
        emit("        if (inst[index].obj && inst[index].obj_inst_id == obj_inst_id) {")
        emit("            return NULL; /* it exists already */")
        emit("        }")
        emit("    }")
        emit(f"    for (index = 0; index < {P}_MAX_INSTANCES; index++) {{")
        emit("        if (!inst[index].obj) {")
        emit("            break;")
        emit("        }")
        emit("    }")
        emit(f"    if (index >= {P}_MAX_INSTANCES) {{")
        emit("        return NULL; /* no room for another instance */")
        emit("    }")
        emit()
        emit("    (void)memset(res[index], 0, sizeof(res[index]));")
        emit("    init_res_instance(res_inst[index], ARRAY_SIZE(res_inst[index]));")
        for resource, (_, _, _kind) in data:
            m = self.names[resource.id][1]
            line = f"    (void)memset(&{m}_data[index], 0, sizeof({m}_data[index]));"
            self.unless_omitted(resource, [line])
        emit()
        for resource, described in fields:
            macro = self.names[resource.id][0]
            m = self.names[resource.id][1]
            if not resource.mandatory:  # a resource the build leaves out is never made
                emit(f"#ifndef {omit_macro(obj, resource)}")
            if described[0] == "execute":
                emit(f"    INIT_OBJ_RES_EXECUTE({macro}, res[index], i, {m}_execute_cb);")
            elif described[2] in ("STRING", "OPAQUE") and resource.multiple:
                # Empty until written: the _LEN form with a length of 0, as ipso_*.c do.
                emit(f"    INIT_OBJ_RES_MULTI_DATA_LEN({macro}, res[index], i, res_inst[index], j,")
                emit(f"                                {P}_MAX_RESOURCE_INSTANCES, false,")
                size = f"sizeof({m}_data[index][0])"
                emit(f"                                {m}_data[index], {size}, 0);")
            elif described[2] in ("STRING", "OPAQUE"):
                emit(f"    INIT_OBJ_RES_DATA_LEN({macro}, res[index], i, res_inst[index], j,")
                emit(f"                          {m}_data[index], sizeof({m}_data[index]), 0);")
            elif resource.multiple:
                emit(f"    INIT_OBJ_RES_MULTI_DATA({macro}, res[index], i, res_inst[index], j,")
                emit(f"                            {P}_MAX_RESOURCE_INSTANCES, false,")
                emit(f"                            {m}_data[index], sizeof({m}_data[index][0]));")
            else:
                emit(f"    INIT_OBJ_RES_DATA({macro}, res[index], i, res_inst[index], j,")
                emit(f"                      &{m}_data[index], sizeof({m}_data[index]));")
            if not resource.mandatory:
                emit("#endif")
        if data:
            emit("    (void)j; /* every value resource may be left out */")
        emit()
        emit("    inst[index].resources = res[index];")
        emit("    inst[index].resource_count = i;")
        emit("    return &inst[index];")
        emit("}")
        emit()
        emit(f"static int {init}(void)")
        emit("{")
        emit(f"    {engine_obj}.obj_id = {P}_OID;")
        emit(f"    {engine_obj}.version_major = {P}_VERSION_MAJOR;")
        emit(f"    {engine_obj}.version_minor = {P}_VERSION_MINOR;")
        emit(f"    {engine_obj}.is_core = {'true' if obj.object_id in _CORE_OBJECTS else 'false'};")
        if fields:
            emit(f"    {engine_obj}.fields = fields;")
            emit(f"    {engine_obj}.field_count = ARRAY_SIZE(fields);")
        else:
            emit(f"    {engine_obj}.fields = NULL;")
            emit(f"    {engine_obj}.field_count = 0;")
        emit(f"    {engine_obj}.max_instance_count = {P}_MAX_INSTANCES;")
        emit(f"    {engine_obj}.create_cb = {create};")
        emit(f"    lwm2m_register_obj(&{engine_obj});")
        emit("    return 0;")
        emit("}")
        emit()
        emit(f"LWM2M_OBJ_INIT({init});")
        emit()
        self.api(data)
        while self.out and not self.out[-1]:
            self.out.pop()
        return "\n".join(self.out) + "\n"

    def unless_omitted(self, resource: CodegenResource, lines: Iterable[str]) -> None:
        """`lines`, inside the #ifndef that leaves an optional resource out."""
        if not resource.mandatory:
            self.emit(f"#ifndef {omit_macro(self.obj, resource)}")
        for line in lines:
            self.emit(line)
        if not resource.mandatory:
            self.emit("#endif")

    def api_params(self, resource: CodegenResource, kind: str) -> tuple[str, str]:
        """(setter parameters, getter parameters) of a resource's value."""
        if kind == "STRING":
            return "const char *value", "char *buffer, uint16_t size"
        if kind == "OPAQUE":
            return "const void *value, uint16_t length", "void *buffer, uint16_t size"
        if kind == "OBJLNK":
            return ("uint16_t link_oid, uint16_t link_iid",
                    "uint16_t *link_oid, uint16_t *link_iid")  # fmt: skip
        return f"{_C_TYPES[kind]} value", f"{_C_TYPES[kind]} *value"

    def api_entries(
        self, data: list[tuple[CodegenResource, DataField]]
    ) -> list[tuple[CodegenResource, str, bool, bool]]:
        """[(resource, kind, setter?, getter?)] of the resources with a value."""
        return [
            (resource, kind, resource.readable, resource.writable)
            for resource, (_, _, kind) in data
        ]

    def api(self, data: list[tuple[CodegenResource, DataField]]) -> None:
        """The functions zephyr.h declares, on the engine's own lwm2m_* calls."""
        obj, emit = self.obj, self.emit
        prefix = f"object_{obj.object_id}"
        emit(f"int {prefix}_instance_create(uint16_t instance_id)")
        emit("{")
        emit(f"    return lwm2m_create_object_inst(&LWM2M_OBJ({obj.object_id}, instance_id));")
        emit("}")
        emit()
        emit(f"int {prefix}_instance_remove(uint16_t instance_id)")
        emit("{")
        emit(f"    return lwm2m_delete_object_inst(&LWM2M_OBJ({obj.object_id}, instance_id));")
        emit("}")
        emit()
        for resource, kind, setter, getter in self.api_entries(data):
            m, macro = self.names[resource.id][1], self.names[resource.id][0]
            riid = "uint16_t riid, " if resource.multiple else ""
            where = f"{obj.object_id}, instance_id, {macro}" + (
                ", riid" if resource.multiple else ""
            )
            set_params, get_params = self.api_params(resource, kind)
            access = _ACCESS[kind]
            if setter:
                emit(f"int {prefix}_set_{m}(uint16_t instance_id, {riid}{set_params})")
                emit("{")
                emit(f"    struct lwm2m_obj_path path = LWM2M_OBJ({where});")
                if kind == "STRING":
                    call = "lwm2m_set_string(&path, value)"
                elif kind == "OPAQUE":
                    call = "lwm2m_set_opaque(&path, (const char *)value, length)"
                elif kind == "OBJLNK":
                    emit(
                        "    struct lwm2m_objlnk link = {.obj_id = link_oid, .obj_inst = link_iid};"
                    )
                    call = "lwm2m_set_objlnk(&path, &link)"
                else:
                    call = f"lwm2m_set_{access}(&path, value)"
                emit(f"    int ret = {call};")
                if resource.multiple:
                    emit("    if (ret == -ENOENT) { /* a new resource instance */")
                    emit("        ret = lwm2m_create_res_inst(&path);")
                    emit("        if (ret == 0) {")
                    emit(f"            ret = {call};")
                    emit("            if (ret != 0) { /* a refused value leaves no instance */")
                    emit("                (void)lwm2m_delete_res_inst(&path);")
                    emit("            }")
                    emit("        }")
                    emit("    }")
                emit("    return ret;")
                emit("}")
                emit()
            if getter:
                emit(f"int {prefix}_get_{m}(uint16_t instance_id, {riid}{get_params})")
                emit("{")
                emit(f"    struct lwm2m_obj_path path = LWM2M_OBJ({where});")
                if kind in ("STRING", "OPAQUE"):
                    emit(f"    return lwm2m_get_{access}(&path, buffer, size);")
                elif kind == "OBJLNK":
                    emit("    struct lwm2m_objlnk link;")
                    emit("    int ret = lwm2m_get_objlnk(&path, &link);")
                    emit("    if (ret == 0) {")
                    emit("        *link_oid = link.obj_id;")
                    emit("        *link_iid = link.obj_inst;")
                    emit("    }")
                    emit("    return ret;")
                else:
                    emit(f"    return lwm2m_get_{access}(&path, value);")
                emit("}")
                emit()

    def header(self) -> str:
        """zephyr.h: what an application calls."""
        obj = self.obj
        prefix = f"object_{obj.object_id}"
        guard = f"LWM2M_OBJECT_{obj.object_id}_ZEPHYR_H"
        data = [(r, f) for r in self.resources if (f := field(r)) and f[0] == "data"]
        what = f"Zephyr: the application API of {saved_name('zephyr.c', obj.object_id)}"
        out = [file_header(obj, "zephyr", what)]
        out.append(comment_block(usage.zephyr(self)))
        out += [f"#ifndef {guard}", f"#define {guard}", ""]
        out += ["#include <stdbool.h>", "#include <stdint.h>", "#include <time.h>", ""]
        out += ["#include <zephyr/net/lwm2m.h>", ""]
        out.append("/* An instance made or removed by the application: 0 or a negative errno. */")
        out.append(f"int {prefix}_instance_create(uint16_t instance_id);")
        out.append(f"int {prefix}_instance_remove(uint16_t instance_id);")
        out.append("")
        out.append(comment_block([
            "Called on an Execute of any executable resource: return 0 or a negative errno.",
            "Without one, an Execute answers 5.01 (Not Implemented).",
        ]))  # fmt: skip
        out.append(f"typedef int {prefix}_execute_cb_t(uint16_t instance_id, uint16_t resource_id,")
        out.append("                                 uint8_t *args, uint16_t args_len);")
        out.append(f"void {prefix}_set_execute_callback({prefix}_execute_cb_t *callback);")
        entries = self.api_entries(data)
        if entries:
            out.append("")
            out.append(comment_block([
                "Setters (through lwm2m_set_*: observers are notified) of readable resources",
                "and getters (lwm2m_get_*) of writable ones: 0 or a negative errno.",
            ]))  # fmt: skip
        for resource, kind, setter, getter in entries:
            m = self.names[resource.id][1]
            riid = "uint16_t riid, " if resource.multiple else ""
            set_params, get_params = self.api_params(resource, kind)
            if setter:
                out.append(f"int {prefix}_set_{m}(uint16_t instance_id, {riid}{set_params});")
            if getter:
                out.append(f"int {prefix}_get_{m}(uint16_t instance_id, {riid}{get_params});")
        out += ["", f"#endif /* {guard} */"]
        return "\n".join(out) + "\n"


def generate(obj: CodegenObject) -> str:
    return ZephyrFile(obj).generate()


def header(obj: CodegenObject) -> str:
    return ZephyrFile(obj).header()


def how_to_use(obj: CodegenObject) -> list[str]:
    """The "How to use this file" lines of zephyr.c and zephyr.h."""
    return usage.zephyr(ZephyrFile(obj))
