"""wakaama.c: a Wakaama client object (lwm2m_object_t) with its instances in a list.

Each instance keeps a field per resource that has a value; the read, write, execute, discover,
create and delete callbacks use Wakaama's typed lwm2m_data_encode_* / lwm2m_data_decode_*
(Integer and Time int, Unsigned Integer uint, Float, Boolean, String, Corelnk, Opaque, Objlnk).
"""

from objects.codegen.c_common import CGenerator, comment_block, file_header
from objects.codegen.model import version_numbers

_NUMBERS = {
    # type: (C type, encode, decode)
    "Integer": ("int64_t", "lwm2m_data_encode_int", "lwm2m_data_decode_int"),
    "Time": ("int64_t", "lwm2m_data_encode_int", "lwm2m_data_decode_int"),
    "Unsigned Integer": ("uint64_t", "lwm2m_data_encode_uint", "lwm2m_data_decode_uint"),
    "Float": ("double", "lwm2m_data_encode_float", "lwm2m_data_decode_float"),
    "Boolean": ("bool", "lwm2m_data_encode_bool", "lwm2m_data_decode_bool"),
}


def _stored(resource):
    if not resource.type:
        return False
    return resource.readable or resource.writable or not resource.operations


class _Gen(CGenerator):
    def member(self, resource):
        return self.names[resource.id][1]

    def members(self, resource):
        m = self.member(resource)
        dim = f"[{self.P}_MAX_RESOURCE_INSTANCES]" if resource.multiple else ""
        t = resource.type
        if t in _NUMBERS:
            lines = [f"{_NUMBERS[t][0]} {m}{dim};"]
        elif t in ("String", "Corelnk"):
            lines = [f"char {m}{dim}[{self.P}_STRING_SIZE];"]
        elif t == "Opaque":
            lines = [f"uint8_t {m}{dim}[{self.P}_OPAQUE_SIZE];", f"size_t {m}_length{dim};"]
        else:  # Objlnk
            lines = [f"uint16_t {m}_oid{dim};", f"uint16_t {m}_iid{dim};"]
        if resource.multiple:
            lines.append(f"bool {m}_present{dim};")
        return lines

    def encode(self, resource, ref, data):
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

    def decode(self, resource, data, store):
        """Statements that decode `data` and keep it; `store(suffix)` names where."""
        t = resource.type
        lines = []
        if t in _NUMBERS:
            c_type, _, decode = _NUMBERS[t]
            lines.append(f"{c_type} value;")
            lines.append(f"if (1 != {decode}({data}, &value)) {{")
            lines.append("    return COAP_400_BAD_REQUEST;")
            lines.append("}")
            lines.append(f"{store('')} = value;")
        elif t in ("String", "Corelnk", "Opaque"):
            accepted = ["LWM2M_TYPE_STRING", "LWM2M_TYPE_OPAQUE"]
            if t == "Corelnk":
                accepted.append("LWM2M_TYPE_CORE_LINK")
            check = " && ".join(f"{data}->type != {a}" for a in accepted)
            lines.append(f"if ({check}) {{")
            lines.append("    return COAP_400_BAD_REQUEST;")
            lines.append("}")
            size = f"{self.P}_OPAQUE_SIZE" if t == "Opaque" else f"{self.P}_STRING_SIZE - 1"
            lines.append(f"if ({data}->value.asBuffer.length > {size}) {{")
            lines.append("    return COAP_413_ENTITY_TOO_LARGE;")
            lines.append("}")
            lines.append(
                f"memcpy({store('')}, {data}->value.asBuffer.buffer, "
                f"{data}->value.asBuffer.length);"
            )
            if t == "Opaque":
                lines.append(f"{store('_length')} = {data}->value.asBuffer.length;")
            else:
                lines.append(f"{store('')}[{data}->value.asBuffer.length] = '\\0';")
        else:  # Objlnk
            lines.append(f"if ({data}->type != LWM2M_TYPE_OBJECT_LINK) {{")
            lines.append("    return COAP_400_BAD_REQUEST;")
            lines.append("}")
            lines.append(f"{store('_oid')} = {data}->value.asObjLink.objectId;")
            lines.append(f"{store('_iid')} = {data}->value.asObjLink.objectInstanceId;")
        return lines

    def accessors(self, resource):
        """read_<member>() and write_<member>() of one resource with a value."""
        p, P, m = self.p, self.P, self.member(resource)
        emit = self.emit
        if resource.multiple:

            def at(suffix):
                return f"inst->values.{m}{suffix}[index]"

            emit(f"static uint8_t read_{m}({p}_instance_t *inst, lwm2m_data_t *data) {{")
            emit("    int count = 0;")
            emit(f"    for (int index = 0; index < {P}_MAX_RESOURCE_INSTANCES; index++) {{")
            emit(f"        count += inst->values.{m}_present[index] ? 1 : 0;")
            emit("    }")
            emit("    lwm2m_data_t *children = lwm2m_data_new(count);")
            emit("    if (count > 0 && children == NULL) {")
            emit("        return COAP_500_INTERNAL_SERVER_ERROR;")
            emit("    }")
            emit("    int n = 0;")
            emit(f"    for (int index = 0; index < {P}_MAX_RESOURCE_INSTANCES; index++) {{")
            emit(f"        if (!inst->values.{m}_present[index]) {{")
            emit("            continue;")
            emit("        }")
            emit("        children[n].id = (uint16_t) index;")
            emit(f"        {self.encode(resource, at, 'children + n')}")
            emit("        n++;")
            emit("    }")
            emit("    lwm2m_data_encode_instances(children, (size_t) count, data);")
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
            emit(f"        memset(inst->values.{m}_present, 0, sizeof(inst->values.{m}_present));")
            emit("    }")
            emit("    for (size_t i = 0; i < data->value.asChildren.count; i++) {")
            emit("        lwm2m_data_t *child = data->value.asChildren.array + i;")
            emit("        uint16_t index = child->id;")
            emit(f"        if (index >= {P}_MAX_RESOURCE_INSTANCES) {{")
            emit("            return COAP_500_INTERNAL_SERVER_ERROR; /* no room for it */")
            emit("        }")
            emit("        {")
            for line in self.decode(resource, "child", at):
                emit(f"            {line}")
            emit("        }")
            emit(f"        inst->values.{m}_present[index] = true;")
            emit("    }")
            emit("    return COAP_204_CHANGED;")
            emit("}")
            emit()
            return

        def here(suffix):
            return f"inst->values.{m}{suffix}"

        emit(f"static uint8_t read_{m}({p}_instance_t *inst, lwm2m_data_t *data) {{")
        emit(f"    {self.encode(resource, here, 'data')}")
        emit("    return COAP_205_CONTENT;")
        emit("}")
        emit()
        emit(f"static uint8_t write_{m}({p}_instance_t *inst, lwm2m_data_t *data, bool replace) {{")
        emit("    (void) replace;")
        emit("    if (data->type == LWM2M_TYPE_MULTIPLE_RESOURCE) {")
        emit("        return COAP_400_BAD_REQUEST;")
        emit("    }")
        for line in self.decode(resource, "data", here):
            emit(f"    {line}")
        emit("    return COAP_204_CHANGED;")
        emit("}")
        emit()

    def id_list(self, name, resources):
        """A static list of resource IDs (an array needs one entry: 0 resources get a dummy)."""
        self.emit(f"        static const uint16_t {name}[] = {{")
        for resource in resources:
            self.emit(f"            {self.names[resource.id][0]},")
        if not resources:
            self.emit("            0, /* none: the count below is 0 */")
        self.emit("        };")
        self.emit(f"        const int {name}_count = {len(resources)};")

    def generate(self):
        obj, p, P, emit = self.obj, self.p, self.P, self.emit
        major, minor = version_numbers(obj.version)
        sdk = "Eclipse Wakaama (liblwm2m.h, built with LWM2M_CLIENT_MODE)"
        emit(file_header(obj, "wakaama", sdk))
        emit("#include <stdbool.h>")
        emit("#include <stddef.h>")
        emit("#include <stdint.h>")
        emit("#include <string.h>")
        emit()
        emit('#include "liblwm2m.h"')
        emit()
        self.emit_sizes_and_ids("wakaama")
        stored = [r for r in self.resources if _stored(r)]
        head = (f"struct {p}_instance_struct *next; /* lwm2m_list_t's next */",
                "uint16_t instance_id;             /* lwm2m_list_t's id */")  # fmt: skip
        self.emit_instance_struct(stored, head)
        emit(f"lwm2m_object_t *{p}_object_create(void);")
        emit(f"void {p}_object_release(lwm2m_object_t *object);")
        emit()
        for resource in stored:
            self.accessors(resource)

        def find():
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
        self.id_list("readable", readable)
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
        emit("        uint8_t result = COAP_204_CHANGED;")
        emit("        switch (data->id) {")
        for resource in self.resources:
            emit(f"        case {self.names[resource.id][0]}:")
            if resource in stored:
                if not (resource.writable or not resource.operations):
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

        emit("static uint8_t prv_write(lwm2m_context_t *contextP, uint16_t instanceId,")
        emit("                         int numData, lwm2m_data_t *dataArray,")
        emit("                         lwm2m_object_t *objectP, lwm2m_write_type_t writeType) {")
        emit("    (void) contextP;")
        find()
        emit("    if (writeType == LWM2M_WRITE_REPLACE_INSTANCE) {")
        emit("        memset(&inst->values, 0, sizeof(inst->values));")
        emit("    }")
        emit("    return apply_values(inst, numData, dataArray,")
        emit("                        writeType != LWM2M_WRITE_PARTIAL_UPDATE, false);")
        emit("}")
        emit()

        emit("static uint8_t prv_execute(lwm2m_context_t *contextP, uint16_t instanceId,")
        emit("                           uint16_t resourceId, uint8_t *buffer, int length,")
        emit("                           lwm2m_object_t *objectP) {")
        emit("    (void) contextP;")
        emit("    (void) buffer; /* the arguments, `length` bytes */")
        emit("    (void) length;")
        find()
        emit("    (void) inst;")
        emit("    switch (resourceId) {")
        for resource in self.resources:
            emit(f"    case {self.names[resource.id][0]}:")
            if resource.executable:
                if resource.multiple:
                    emit("        /* GAP: multiple instances; Wakaama executes the resource. */")
                emit("        return COAP_204_CHANGED; /* TODO: act on it */")
            else:
                emit("        return COAP_405_METHOD_NOT_ALLOWED;")
        emit("    default:")
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
        emit("    lwm2m_object_t *object =")
        emit("        (lwm2m_object_t *) lwm2m_malloc(sizeof(lwm2m_object_t));")
        emit("    if (object == NULL) {")
        emit("        return NULL;")
        emit("    }")
        emit("    memset(object, 0, sizeof(lwm2m_object_t));")
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
            emit("        lwm2m_free(object);")
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
        emit("    lwm2m_free(object);")
        emit("}")
        return "\n".join(self.out) + "\n"


def generate(obj):
    return _Gen(obj).generate()
