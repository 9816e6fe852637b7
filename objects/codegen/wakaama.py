"""wakaama.c: a Wakaama client object (lwm2m_object_t) with its instances in a list.

Each instance keeps a field per resource that has a value; the read, write, execute, discover,
create and delete callbacks use Wakaama's typed lwm2m_data_encode_* / lwm2m_data_decode_*
(Integer and Time int, Unsigned Integer uint, Float, Boolean, String, Corelnk, Opaque, Objlnk).
"""

from collections.abc import Sequence

from objects.codegen import saved_name, usage
from objects.codegen.c_common import CGenerator, Ref, comment_block, file_header, omit_macro
from objects.codegen.model import CodegenObject, CodegenResource, version_numbers

_NUMBERS = {
    # type: (C type, encode, decode)
    "Integer": ("int64_t", "lwm2m_data_encode_int", "lwm2m_data_decode_int"),
    "Time": ("int64_t", "lwm2m_data_encode_int", "lwm2m_data_decode_int"),
    "Unsigned Integer": ("uint64_t", "lwm2m_data_encode_uint", "lwm2m_data_decode_uint"),
    "Float": ("double", "lwm2m_data_encode_float", "lwm2m_data_decode_float"),
    "Boolean": ("bool", "lwm2m_data_encode_bool", "lwm2m_data_decode_bool"),
}


def _stored(resource: CodegenResource) -> bool:
    if not resource.type:
        return False
    return resource.readable or resource.writable or not resource.operations


def _app_writable(resource: CodegenResource) -> bool:
    """Written by a server: W, or empty Operations (a bootstrap write)."""
    return resource.writable or not resource.operations


class WakaamaFile(CGenerator):
    NUMBER_TYPES = {t: c_type for t, (c_type, _, _) in _NUMBERS.items()}

    def member(self, resource: CodegenResource) -> str:
        return self.names[resource.id][1]

    def has_setter(self, resource: CodegenResource) -> bool:
        return _stored(resource) and resource.readable

    def encode(self, resource: CodegenResource, ref: Ref, data: str) -> str:
        """The statement that encodes the value kept at `ref(suffix)` into `data`."""
        t = resource.type
        if t in _NUMBERS:
            return f"{_NUMBERS[t][1]}({ref('')}, {data});"
        if t == "String":
            return f"lwm2m_data_encode_string({ref('')}, {data});"
        if t == "Corelnk":
            return f"lwm2m_data_encode_corelink({ref('')}, {data});"
        if t == "Opaque":
            return f"lwm2m_data_encode_opaque({ref('')}, {ref('_length')}, {data});"
        return f"lwm2m_data_encode_objlink({ref('_oid')}, {ref('_iid')}, {data});"

    def decode(
        self, resource: CodegenResource, data: str, store: Ref
    ) -> tuple[list[str], list[str]]:
        """(checks, stores): statements that check `data` (returning on an error) and then
        keep it; `store(suffix)` names where. Nothing is kept before every check passed."""
        t = resource.type
        checks, stores = [], []
        if t in _NUMBERS:
            c_type, _, decode = _NUMBERS[t]
            checks.append(f"{c_type} value;")
            checks.append(f"if (1 != {decode}({data}, &value)) {{")
            checks.append("    return COAP_400_BAD_REQUEST;")
            checks.append("}")
            stores.append(f"{store('')} = value;")
        elif t in ("String", "Corelnk", "Opaque"):
            accepted = ["LWM2M_TYPE_STRING", "LWM2M_TYPE_OPAQUE"]
            if t == "Corelnk":
                accepted.append("LWM2M_TYPE_CORE_LINK")
            check = " && ".join(f"{data}->type != {a}" for a in accepted)
            checks.append(f"if ({check}) {{")
            checks.append("    return COAP_400_BAD_REQUEST;")
            checks.append("}")
            size = f"{self.P}_OPAQUE_SIZE" if t == "Opaque" else f"{self.P}_STRING_SIZE - 1"
            checks.append(f"if ({data}->value.asBuffer.length > {size}) {{")
            checks.append("    return COAP_413_ENTITY_TOO_LARGE;")
            checks.append("}")
            stores.append(f"if ({data}->value.asBuffer.length > 0) {{")
            stores.append(
                f"    memcpy({store('')}, {data}->value.asBuffer.buffer, "
                f"{data}->value.asBuffer.length);"
            )
            stores.append("}")
            if t == "Opaque":
                stores.append(f"{store('_length')} = {data}->value.asBuffer.length;")
            else:
                stores.append(f"{store('')}[{data}->value.asBuffer.length] = '\\0';")
        else:  # Objlnk
            checks.append(f"if ({data}->type != LWM2M_TYPE_OBJECT_LINK) {{")
            checks.append("    return COAP_400_BAD_REQUEST;")
            checks.append("}")
            stores.append(f"{store('_oid')} = {data}->value.asObjLink.objectId;")
            stores.append(f"{store('_iid')} = {data}->value.asObjLink.objectInstanceId;")
        return checks, stores

    def accessors(self, resource: CodegenResource) -> None:
        """read_<member>() (for a readable resource) and write_<member>() of one resource."""
        p, m = self.p, self.member(resource)
        emit = self.emit
        if resource.multiple:
            at = self.ref(resource)
            self.emit_entry_helpers(resource)
            if resource.readable:
                emit(comment_block([
                    "A read of the resource (every instance) or, when the core gives children",
                    "(a read of /O/I/R/RI), of exactly those instances.",
                ]))  # fmt: skip
                emit(f"static uint8_t read_{m}({p}_instance_t *inst, lwm2m_data_t *data) {{")
                emit("    if (data->type == LWM2M_TYPE_MULTIPLE_RESOURCE) {")
                emit("        for (size_t i = 0; i < data->value.asChildren.count; i++) {")
                emit("            lwm2m_data_t *child = data->value.asChildren.array + i;")
                emit(f"            int at = find_{m}(inst, child->id);")
                emit("            if (at < 0) {")
                emit("                return COAP_404_NOT_FOUND;")
                emit("            }")
                emit(f"            {self.encode(resource, at, 'child')}")
                emit("        }")
                emit("        return COAP_205_CONTENT;")
                emit("    }")
                emit(f"    size_t count = inst->values.{m}.count;")
                emit("    lwm2m_data_t *children = NULL;")
                emit("    if (count > 0) {")
                emit("        children = lwm2m_data_new((int) count);")
                emit("        if (children == NULL) {")
                emit("            return COAP_500_INTERNAL_SERVER_ERROR;")
                emit("        }")
                emit("    }")
                emit("    for (size_t at = 0; at < count; at++) {")
                emit(f"        children[at].id = inst->values.{m}.at[at].riid;")
                emit(f"        {self.encode(resource, at, 'children + at')}")
                emit("    }")
                emit("    lwm2m_data_encode_instances(children, count, data);")
                emit("    return COAP_205_CONTENT;")
                emit("}")
                emit()
            emit(
                f"static uint8_t write_{m}({p}_instance_t *inst, lwm2m_data_t *data, "
                "bool replace) {"
            )
            emit("    if (data->type != LWM2M_TYPE_MULTIPLE_RESOURCE) {")
            emit("        return COAP_400_BAD_REQUEST;")
            emit("    }")
            emit("    if (replace) {")
            emit(f"        inst->values.{m}.count = 0;")
            emit("    }")
            emit("    for (size_t i = 0; i < data->value.asChildren.count; i++) {")
            emit("        lwm2m_data_t *child = data->value.asChildren.array + i;")
            emit("        if (child->id == LWM2M_MAX_ID) {")
            emit("            return COAP_400_BAD_REQUEST;")
            emit("        }")
            checks, stores = self.decode(resource, "child", at)
            for line in checks:
                emit(f"        {line}")
            emit(f"        int at = add_{m}(inst, child->id);")
            emit("        if (at < 0) {")
            emit("            return COAP_413_ENTITY_TOO_LARGE; /* no room for another */")
            emit("        }")
            for line in stores:
                emit(f"        {line}")
            emit("    }")
            emit("    return COAP_204_CHANGED;")
            emit("}")
            emit()
            return

        here = self.ref(resource)
        if resource.readable:
            emit(f"static uint8_t read_{m}({p}_instance_t *inst, lwm2m_data_t *data) {{")
            emit("    if (data->type == LWM2M_TYPE_MULTIPLE_RESOURCE) {")
            emit("        return COAP_404_NOT_FOUND; /* a single resource has no instances */")
            emit("    }")
            emit(f"    {self.encode(resource, here, 'data')}")
            emit("    return COAP_205_CONTENT;")
            emit("}")
            emit()
        emit(f"static uint8_t write_{m}({p}_instance_t *inst, lwm2m_data_t *data, bool replace) {{")
        emit("    (void) replace;")
        emit("    if (data->type == LWM2M_TYPE_MULTIPLE_RESOURCE) {")
        emit("        return COAP_400_BAD_REQUEST;")
        emit("    }")
        checks, stores = self.decode(resource, "data", here)
        for line in checks + stores:
            emit(f"    {line}")
        emit("    return COAP_204_CHANGED;")
        emit("}")
        emit()

    def readable_list(self, readable: Sequence[CodegenResource]) -> None:
        """The IDs of a whole-instance read: each readable resource with a value, a
        multiple-instance one only when it has instances (Wakaama's writers need one)."""
        emit = self.emit
        emit(f"        uint16_t readable[{max(len(readable), 1)}];")
        emit("        int readable_count = 0;")
        for resource in readable:
            macro = self.names[resource.id][0]
            if resource.multiple:
                emit(f"        if (inst->values.{self.member(resource)}.count > 0) {{")
                emit(f"            readable[readable_count++] = {macro};")
                emit("        }")
            else:
                emit(f"        readable[readable_count++] = {macro};")
        if any(not r.mandatory for r in readable):
            self.drop_omitted("readable")

    def id_list(self, name: str, resources: Sequence[CodegenResource]) -> None:
        """A list of resource IDs (an array needs one entry: 0 resources get a dummy), less
        the optional ones the build leaves out."""
        self.emit(f"        uint16_t {name}[] = {{")
        for resource in resources:
            self.emit(f"            {self.names[resource.id][0]},")
        if not resources:
            self.emit("            0, /* none: the count below is 0 */")
        self.emit("        };")
        self.emit(f"        int {name}_count = {len(resources)};")
        if any(not r.mandatory for r in resources):
            self.drop_omitted(name)

    def drop_omitted(self, name: str) -> None:
        """Statements that drop the omitted resources from the list `name` of IDs."""
        emit = self.emit
        emit(f"        int {name}_kept = 0;")
        emit(f"        for (int i = 0; i < {name}_count; i++) {{")
        emit(f"            if (!omitted({name}[i])) {{")
        emit(f"                {name}[{name}_kept++] = {name}[i];")
        emit("            }")
        emit("        }")
        emit(f"        {name}_count = {name}_kept;")

    def emit_omitted(self, optional: Sequence[CodegenResource]) -> None:
        """omitted(): whether the build leaves an optional resource out (-DLWM2M_OMIT_...)."""
        emit = self.emit
        emit(comment_block([
            "Whether the build leaves this optional resource out (-DLWM2M_OMIT_<object>_<id>):",
            "then it is not announced and every operation on it answers 4.04 Not Found.",
        ]))  # fmt: skip
        emit("static bool omitted(uint16_t resource_id) {")
        emit("    (void) resource_id;")
        for resource in optional:
            emit(f"#ifdef {omit_macro(self.obj, resource)}")
            emit(f"    if (resource_id == {self.names[resource.id][0]}) {{")
            emit("        return true;")
            emit("    }")
            emit("#endif")
        emit("    return false;")
        emit("}")
        emit()

    def api(self, stored: Sequence[CodegenResource]) -> None:
        """The setters, getters and instance functions wakaama.h declares."""
        p, P, emit = self.p, self.P, self.emit
        setters = [r for r in stored if r.readable]
        getters = [r for r in stored if _app_writable(r)]
        emit(f"int {p}_instance_create(lwm2m_object_t *object, uint16_t instance_id) {{")
        emit("    if (object == NULL || instance_id == LWM2M_MAX_ID) {")
        emit("        return -1;")
        emit("    }")
        emit("    uint8_t result = prv_create(NULL, instance_id, 0, NULL, object);")
        emit("    return result == COAP_201_CREATED ? 0 : -1;")
        emit("}")
        emit()
        emit(f"int {p}_instance_remove(lwm2m_object_t *object, uint16_t instance_id) {{")
        emit("    if (object == NULL) {")
        emit("        return -1;")
        emit("    }")
        emit("    return prv_delete(NULL, instance_id, object) == COAP_202_DELETED ? 0 : -1;")
        emit("}")
        emit()
        emit(
            f"void {p}_set_execute_callback(lwm2m_object_t *object, {p}_execute_cb_t *callback) {{"
        )
        emit("    if (object != NULL) {")
        emit(f"        (({p}_object_t *) object)->execute_cb = callback;")
        emit("    }")
        emit("}")
        emit()
        if setters:
            emit("static void value_changed(lwm2m_context_t *context, uint16_t instance_id,")
            emit("                          uint16_t resource_id) {")
            emit("    if (context == NULL) {")
            emit("        return;")
            emit("    }")
            emit("    lwm2m_uri_t uri;")
            emit("    LWM2M_URI_RESET(&uri);")
            emit(f"    uri.objectId = {P}_OID;")
            emit("    uri.instanceId = instance_id;")
            emit("    uri.resourceId = resource_id;")
            emit("    lwm2m_resource_value_changed(context, &uri);")
            emit("}")
            emit()

        def find() -> None:
            emit(f"    {p}_instance_t *inst = object == NULL ? NULL")
            emit(
                f"        : ({p}_instance_t *) lwm2m_list_find(object->instanceList, instance_id);"
            )
            emit("    if (inst == NULL) {")
            emit("        return -1;")
            emit("    }")

        for resource in setters:
            m, macro = self.member(resource), self.names[resource.id][0]
            riid = "uint16_t riid, " if resource.multiple else ""
            emit(f"int {p}_set_{m}(lwm2m_context_t *context, lwm2m_object_t *object,")
            emit(f"        uint16_t instance_id, {riid}{self.api_value_params(resource)}) {{")
            find()
            checks, stores = self.api_store(resource, self.ref(resource))
            for line in checks:  # before a new resource instance is added
                emit(f"    {line}")
            if resource.multiple:
                emit(f"    int at = riid == LWM2M_MAX_ID ? -1 : add_{m}(inst, riid);")
                emit("    if (at < 0) {")
                emit("        return -1;")
                emit("    }")
            for line in stores:
                emit(f"    {line}")
            emit(f"    value_changed(context, instance_id, {macro});")
            emit("    return 0;")
            emit("}")
            emit()
        for resource in getters:
            signature = (
                f"int {p}_get_{self.member(resource)}(lwm2m_object_t *object, uint16_t instance_id,"
            )
            self.emit_api_getter(resource, signature, "uint16_t", find)

    def header(self) -> str:
        """wakaama.h: what an application calls."""
        obj, p = self.obj, self.p
        stored = [r for r in self.resources if _stored(r)]
        guard = f"LWM2M_OBJECT_{obj.object_id}_WAKAAMA_H"
        what = f"Eclipse Wakaama: the application API of {saved_name('wakaama.c', obj.object_id)}"
        out = [file_header(obj, "wakaama", what)]
        out.append(comment_block(usage.wakaama(self)))
        out += [f"#ifndef {guard}", f"#define {guard}", ""]
        out += ["#include <stdbool.h>", "#include <stddef.h>", "#include <stdint.h>", ""]
        out += ['#include "liblwm2m.h"', ""]
        out.append("/* The object, for lwm2m_configure(); free it after lwm2m_close(). */")
        out.append(f"lwm2m_object_t *{p}_object_create(void);")
        out.append(f"void {p}_object_release(lwm2m_object_t *object);")
        out.append("")
        out.append("/* An instance made or removed by the application: 0, or -1 on an error. */")
        out.append(f"int {p}_instance_create(lwm2m_object_t *object, uint16_t instance_id);")
        out.append(f"int {p}_instance_remove(lwm2m_object_t *object, uint16_t instance_id);")
        out.append("")
        out.append(comment_block([
            "Called on an Execute of any executable resource: answer COAP_204_CHANGED or an",
            "error code. Without one, an Execute answers 5.01 (Not Implemented).",
        ]))  # fmt: skip
        out.append(
            f"typedef uint8_t {p}_execute_cb_t(lwm2m_context_t *context, uint16_t instance_id,"
        )
        out.append(
            "                                 uint16_t resource_id, uint8_t *args, int length);"
        )
        out.append(
            f"void {p}_set_execute_callback(lwm2m_object_t *object, {p}_execute_cb_t *callback);"
        )
        out.append("")
        setters = [r for r in stored if r.readable]
        getters = [r for r in stored if _app_writable(r)]
        if setters:
            out.append(comment_block([
                "Setters of readable resources: 0, or -1 (no such instance, too long, no room).",
                "They tell the core the value changed (observers are notified); context may",
                "be NULL before lwm2m_init().",
            ]))  # fmt: skip
        for resource in setters:
            riid = "uint16_t riid, " if resource.multiple else ""
            out.append(
                f"int {p}_set_{self.member(resource)}(lwm2m_context_t *context, "
                f"lwm2m_object_t *object, uint16_t instance_id, {riid}"
                f"{self.api_value_params(resource)});"
            )
        if getters:
            if setters:
                out.append("")
            out.append("/* Getters of writable resources (the value a server wrote): 0, or -1. */")
        for resource in getters:
            riid = "uint16_t riid, " if resource.multiple else ""
            out.append(
                f"int {p}_get_{self.member(resource)}(lwm2m_object_t *object, "
                f"uint16_t instance_id, {riid}{self.api_out_params(resource)});"
            )
        if setters or getters:
            out.append("")
        out.append(f"#endif /* {guard} */")
        return "\n".join(out) + "\n"

    def generate(self) -> str:
        obj, p, P, emit = self.obj, self.p, self.P, self.emit
        major, minor = version_numbers(obj.version)
        sdk = "Eclipse Wakaama (liblwm2m.h, built with LWM2M_CLIENT_MODE)"
        emit(file_header(obj, "wakaama", sdk))
        emit(comment_block(usage.wakaama(self)))
        emit("#include <stdbool.h>")
        emit("#include <stddef.h>")
        emit("#include <stdint.h>")
        emit("#include <string.h>")
        emit()
        emit('#include "liblwm2m.h"')
        emit()
        self.emit_own_header("wakaama.h", f"LWM2M_OBJECT_{obj.object_id}_WAKAAMA_H", [
            f"typedef uint8_t {p}_execute_cb_t(lwm2m_context_t *context, uint16_t instance_id,",
            "                                 uint16_t resource_id, uint8_t *args, int length);",
        ])  # fmt: skip
        emit()
        self.emit_sizes_and_ids("wakaama")
        stored = [r for r in self.resources if _stored(r)]
        head = (f"struct {p}_instance_struct *next; /* lwm2m_list_t's next */",
                "uint16_t instance_id;             /* lwm2m_list_t's id */")  # fmt: skip
        self.emit_instance_struct(stored, head)
        emit("/* The object and what the application registered with it. */")
        emit("typedef struct {")
        emit("    lwm2m_object_t object; /* first: a pointer to it is one to this */")
        emit(f"    {p}_execute_cb_t *execute_cb;")
        emit(f"}} {p}_object_t;")
        emit()
        for resource in stored:
            self.accessors(resource)
        optional = [r for r in self.resources if not r.mandatory]
        if optional:
            self.emit_omitted(optional)

        def refuse_omitted(rid: str, indent: str = "        ") -> None:
            """The 4.04 of an omitted resource, where a request names one."""
            if optional:
                emit(f"{indent}if (omitted({rid})) {{")
                emit(f"{indent}    return COAP_404_NOT_FOUND;")
                emit(f"{indent}}}")

        def find() -> None:
            emit(f"    {p}_instance_t *inst =")
            emit(f"        ({p}_instance_t *) lwm2m_list_find(objectP->instanceList, instanceId);")
            emit("    if (inst == NULL) {")
            emit("        return COAP_404_NOT_FOUND;")
            emit("    }")

        readable = [r for r in stored if r.readable]
        emit("static uint8_t prv_read(lwm2m_context_t *contextP, uint16_t instanceId,")
        emit("                        int *numDataP, lwm2m_data_t **dataArrayP,")
        emit("                        lwm2m_object_t *objectP) {")
        emit("    (void) contextP;")
        find()
        emit("    if (*numDataP == 0) { /* the whole instance: every readable resource */")
        self.readable_list(readable)
        emit("        if (readable_count == 0) {")
        emit("            return COAP_205_CONTENT;")
        emit("        }")
        emit("        *dataArrayP = lwm2m_data_new(readable_count);")
        emit("        if (*dataArrayP == NULL) {")
        emit("            return COAP_500_INTERNAL_SERVER_ERROR;")
        emit("        }")
        emit("        *numDataP = readable_count;")
        emit("        for (int i = 0; i < readable_count; i++) {")
        emit("            (*dataArrayP)[i].id = readable[i];")
        emit("        }")
        emit("    }")
        emit("    for (int i = 0; i < *numDataP; i++) {")
        emit("        lwm2m_data_t *data = *dataArrayP + i;")
        refuse_omitted("data->id")
        emit("        uint8_t result = COAP_205_CONTENT;")
        emit("        switch (data->id) {")
        for resource in self.resources:
            emit(f"        case {self.names[resource.id][0]}:")
            if resource in readable:
                emit(f"            result = read_{self.member(resource)}(inst, data);")
                emit("            break;")
            elif resource.readable:
                emit("            return COAP_501_NOT_IMPLEMENTED; /* GAP: no Type */")
            else:
                emit("            return COAP_405_METHOD_NOT_ALLOWED;")
        emit("        default:")
        emit("            return COAP_404_NOT_FOUND;")
        emit("        }")
        emit("        if (result != COAP_205_CONTENT) {")
        emit("            return result;")
        emit("        }")
        emit("    }")
        emit("    return COAP_205_CONTENT;")
        emit("}")
        emit()

        emit("static uint8_t prv_discover(lwm2m_context_t *contextP, uint16_t instanceId,")
        emit("                            int *numDataP, lwm2m_data_t **dataArrayP,")
        emit("                            lwm2m_object_t *objectP) {")
        emit("    (void) contextP;")
        emit("    (void) instanceId;")
        emit("    (void) objectP;")
        emit("    if (*numDataP == 0) { /* every resource of the object */")
        present = [r for r in self.resources if r.operations]
        self.id_list("known", present)
        emit("        if (known_count == 0) {")
        emit("            return COAP_205_CONTENT;")
        emit("        }")
        emit("        *dataArrayP = lwm2m_data_new(known_count);")
        emit("        if (*dataArrayP == NULL) {")
        emit("            return COAP_500_INTERNAL_SERVER_ERROR;")
        emit("        }")
        emit("        *numDataP = known_count;")
        emit("        for (int i = 0; i < known_count; i++) {")
        emit("            (*dataArrayP)[i].id = known[i];")
        emit("        }")
        emit("        return COAP_205_CONTENT;")
        emit("    }")
        emit("    for (int i = 0; i < *numDataP; i++) {")
        refuse_omitted("(*dataArrayP)[i].id")
        emit("        switch ((*dataArrayP)[i].id) {")
        for resource in present:
            emit(f"        case {self.names[resource.id][0]}:")
        if present:
            emit("            break;")
        emit("        default:")
        emit("            return COAP_404_NOT_FOUND;")
        emit("        }")
        emit("    }")
        emit("    return COAP_205_CONTENT;")
        emit("}")
        emit()

        emit(
            comment_block(
                [
                    "Keeps the values of a write or a create: `any` lets a create set read-only",
                    "resources too; `replace` replaces a multiple-instance resource's instances.",
                ]
            )
        )
        emit(f"static uint8_t apply_values({p}_instance_t *inst, int numData,")
        emit("                            lwm2m_data_t *dataArray, bool replace, bool any) {")
        emit("    for (int i = 0; i < numData; i++) {")
        emit("        lwm2m_data_t *data = dataArray + i;")
        refuse_omitted("data->id")
        emit("        uint8_t result = COAP_204_CHANGED;")
        emit("        switch (data->id) {")
        for resource in self.resources:
            emit(f"        case {self.names[resource.id][0]}:")
            if resource in stored:
                if not _app_writable(resource):
                    emit("            if (!any) {")
                    emit("                return COAP_405_METHOD_NOT_ALLOWED;")
                    emit("            }")
                emit(f"            result = write_{self.member(resource)}(inst, data, replace);")
                emit("            break;")
            elif resource.writable:
                emit("            return COAP_501_NOT_IMPLEMENTED; /* GAP: no Type */")
            else:
                emit("            return COAP_405_METHOD_NOT_ALLOWED;")
        emit("        default:")
        emit("            (void) inst;")
        emit("            (void) replace;")
        emit("            (void) any;")
        emit("            return COAP_404_NOT_FOUND;")
        emit("        }")
        emit("        if (result != COAP_204_CHANGED) {")
        emit("            return result;")
        emit("        }")
        emit("    }")
        emit("    return COAP_204_CHANGED;")
        emit("}")
        emit()

        resettable = [r for r in stored if _app_writable(r)]
        emit("/* A replace of the instance: its writable resources return to empty. */")
        emit(f"static void reset_writable({p}_instance_t *inst) {{")
        if not resettable:
            emit("    (void) inst; /* no resource is writable */")
        for resource in resettable:
            for line in self.reset_lines(resource):
                emit(f"    {line}")
        emit("}")
        emit()

        emit(
            comment_block(
                [
                    "A write is all or nothing: it is made on a copy of the values, kept only",
                    "when every value was accepted, so an error answer leaves the instance as",
                    "it was.",
                ]
            )
        )
        emit("static uint8_t prv_write(lwm2m_context_t *contextP, uint16_t instanceId,")
        emit("                         int numData, lwm2m_data_t *dataArray,")
        emit("                         lwm2m_object_t *objectP, lwm2m_write_type_t writeType) {")
        emit("    (void) contextP;")
        find()
        emit(f"    {p}_instance_t *scratch =")
        emit(f"        ({p}_instance_t *) lwm2m_malloc(sizeof({p}_instance_t));")
        emit("    if (scratch == NULL) {")
        emit("        return COAP_500_INTERNAL_SERVER_ERROR;")
        emit("    }")
        emit("    memcpy(scratch, inst, sizeof(*scratch));")
        emit("    if (writeType == LWM2M_WRITE_REPLACE_INSTANCE) {")
        emit("        reset_writable(scratch);")
        emit("    }")
        emit("    uint8_t result = apply_values(scratch, numData, dataArray,")
        emit("                                  writeType != LWM2M_WRITE_PARTIAL_UPDATE, false);")
        emit("    if (result == COAP_204_CHANGED) {")
        emit("        memcpy(&inst->values, &scratch->values, sizeof(inst->values));")
        emit("    }")
        emit("    lwm2m_free(scratch);")
        emit("    return result;")
        emit("}")
        emit()

        emit("static uint8_t prv_execute(lwm2m_context_t *contextP, uint16_t instanceId,")
        emit("                           uint16_t resourceId, uint8_t *buffer, int length,")
        emit("                           lwm2m_object_t *objectP) {")
        find()
        emit("    (void) inst;")
        emit(f"    {p}_execute_cb_t *callback = (({p}_object_t *) objectP)->execute_cb;")
        refuse_omitted("resourceId", "    ")
        emit("    switch (resourceId) {")
        for resource in self.resources:
            emit(f"    case {self.names[resource.id][0]}:")
            if resource.executable:
                if resource.multiple:
                    emit("        /* GAP: multiple instances; Wakaama executes the resource. */")
                emit("        if (callback == NULL) {")
                emit(
                    f"            return COAP_501_NOT_IMPLEMENTED; /* {p}_set_execute_callback() */"
                )
                emit("        }")
                emit("        return callback(contextP, instanceId, resourceId, buffer, length);")
            else:
                emit("        return COAP_405_METHOD_NOT_ALLOWED;")
        emit("    default:")
        emit("        (void) contextP;")
        emit("        (void) buffer;")
        emit("        (void) length;")
        emit("        (void) callback;")
        emit("        return COAP_404_NOT_FOUND;")
        emit("    }")
        emit("}")
        emit()

        emit("static uint8_t prv_create(lwm2m_context_t *contextP, uint16_t instanceId,")
        emit("                          int numData, lwm2m_data_t *dataArray,")
        emit("                          lwm2m_object_t *objectP) {")
        emit("    (void) contextP;")
        emit("    if (lwm2m_list_find(objectP->instanceList, instanceId) != NULL) {")
        emit("        return COAP_400_BAD_REQUEST;")
        emit("    }")
        if not obj.multiple:
            emit("    if (objectP->instanceList != NULL) {")
            emit("        return COAP_405_METHOD_NOT_ALLOWED; /* a single-instance object */")
            emit("    }")
        emit(f"    {p}_instance_t *inst = ({p}_instance_t *) lwm2m_malloc(sizeof({p}_instance_t));")
        emit("    if (inst == NULL) {")
        emit("        return COAP_500_INTERNAL_SERVER_ERROR;")
        emit("    }")
        emit("    memset(inst, 0, sizeof(*inst));")
        emit("    inst->instance_id = instanceId;")
        emit("    uint8_t result = apply_values(inst, numData, dataArray, true, true);")
        emit("    if (result != COAP_204_CHANGED) {")
        emit("        lwm2m_free(inst);")
        emit("        return result;")
        emit("    }")
        emit("    objectP->instanceList =")
        emit("        lwm2m_list_add(objectP->instanceList, (lwm2m_list_t *) inst);")
        emit("    return COAP_201_CREATED;")
        emit("}")
        emit()

        emit("static uint8_t prv_delete(lwm2m_context_t *contextP, uint16_t instanceId,")
        emit("                          lwm2m_object_t *objectP) {")
        emit("    (void) contextP;")
        emit("    lwm2m_list_t *removed = NULL;")
        emit("    objectP->instanceList =")
        emit("        lwm2m_list_remove(objectP->instanceList, instanceId, &removed);")
        emit("    if (removed == NULL) {")
        emit("        return COAP_404_NOT_FOUND;")
        emit("    }")
        emit("    lwm2m_free(removed);")
        emit("    return COAP_202_DELETED;")
        emit("}")
        emit()

        emit(
            comment_block(
                [
                    "Add the object this returns to the objects of lwm2m_configure();",
                    f"free it with {p}_object_release() after lwm2m_close().",
                ]
            )
        )
        emit(f"lwm2m_object_t *{p}_object_create(void) {{")
        emit(f"    {p}_object_t *state = ({p}_object_t *) lwm2m_malloc(sizeof({p}_object_t));")
        emit("    if (state == NULL) {")
        emit("        return NULL;")
        emit("    }")
        emit(f"    memset(state, 0, sizeof({p}_object_t));")
        emit("    lwm2m_object_t *object = &state->object;")
        emit(f"    object->objID = {P}_OID;")
        emit(f"    object->versionMajor = {major};")
        emit(f"    object->versionMinor = {minor};")
        emit("    object->readFunc = prv_read;")
        emit("    object->writeFunc = prv_write;")
        emit("    object->executeFunc = prv_execute;")
        emit("    object->discoverFunc = prv_discover;")
        emit("    object->createFunc = prv_create;")
        emit("    object->deleteFunc = prv_delete;")
        if not obj.multiple:
            emit("    /* its one instance, 0 */")
            emit("    if (prv_create(NULL, 0, 0, NULL, object) != COAP_201_CREATED) {")
            emit("        lwm2m_free(state);")
            emit("        return NULL;")
            emit("    }")
        emit("    return object;")
        emit("}")
        emit()
        emit(f"void {p}_object_release(lwm2m_object_t *object) {{")
        emit("    if (object == NULL) {")
        emit("        return;")
        emit("    }")
        emit("    while (object->instanceList != NULL) {")
        emit("        lwm2m_list_t *next = object->instanceList->next;")
        emit("        lwm2m_free(object->instanceList);")
        emit("        object->instanceList = next;")
        emit("    }")
        emit(f"    lwm2m_free(({p}_object_t *) object);")
        emit("}")
        emit()
        self.api(stored)
        while self.out and not self.out[-1]:
            self.out.pop()
        return "\n".join(self.out) + "\n"


def generate(obj: CodegenObject) -> str:
    return WakaamaFile(obj).generate()


def header(obj: CodegenObject) -> str:
    return WakaamaFile(obj).header()


def how_to_use(obj: CodegenObject) -> list[str]:
    """The "How to use this file" lines of wakaama.c and wakaama.h."""
    return usage.wakaama(WakaamaFile(obj))
