"""anjay.c: an Anjay 3 object on its data-model API, with dynamic instances kept in a list.

Per resource it declares what Anjay's own anjay_codegen.py declares for the same file: an
RID_<NAME> constant, the resource kind (R, W, RW, E, BS_RW for empty Operations, and the M forms
for multiple-instance resources) with ANJAY_DM_RES_PRESENT, and the anjay_ret_* / anjay_get_*
pair of its type (Integer i32, Time i64, Unsigned Integer u32, Float double, Boolean bool,
String and Corelnk string, Opaque bytes, Objlnk objlnk). Unlike that script it keeps each value
in the instance, and it still writes a compiling file where the script stops (a readable
resource without a Type, a multiple-instance executable one): the gap is marked in a comment.
"""

from objects.codegen.c_common import (
    CGenerator,
    comment_block,
    file_header,
    version_literal,
)
from objects.codegen.escape import c_string

_SCALARS = {
    # type: (C type, ret function, get function)
    "Integer": ("int32_t", "anjay_ret_i32", "anjay_get_i32"),
    "Time": ("int64_t", "anjay_ret_i64", "anjay_get_i64"),
    "Float": ("double", "anjay_ret_double", "anjay_get_double"),
    "Boolean": ("bool", "anjay_ret_bool", "anjay_get_bool"),
}


def kind(resource):
    """The resource's kind suffix as Anjay names it (R, W, RW, E, BS_RW; M when multiple)."""
    ops = resource.operations.upper()
    if not ops:
        base = "BS_RW"
    elif ops in ("R", "W", "RW", "E"):
        base = ops
    elif "R" in ops and "W" in ops:
        base = "RW"
    elif "R" in ops:
        base = "R"
    elif "W" in ops:
        base = "W"
    elif "E" in ops:
        base = "E"
    else:
        base = "BS_RW"
    if resource.multiple and base in ("R", "W", "RW"):
        base += "M"
    return base


def _read_ops(resource):
    return "R" in kind(resource)


def _write_ops(resource):
    return "W" in kind(resource)


def _exec_ops(resource):
    return kind(resource) == "E"


def _stored(resource):
    return bool(resource.type) and (_read_ops(resource) or _write_ops(resource))


class _Gen(CGenerator):
    # -- storage ---------------------------------------------------------------------------
    def members(self, resource):
        member = self.names[resource.id][1]
        dim = f"[{self.P}_MAX_RESOURCE_INSTANCES]" if resource.multiple else ""
        t = resource.type
        lines = []
        if t in _SCALARS:
            lines.append(f"{_SCALARS[t][0]} {member}{dim};")
        elif t == "Unsigned Integer":
            lines.append(f"uint32_t {member}{dim};")
        elif t in ("String", "Corelnk"):
            lines.append(f"char {member}{dim}[{self.P}_STRING_SIZE];")
        elif t == "Opaque":
            lines.append(f"uint8_t {member}{dim}[{self.P}_OPAQUE_SIZE];")
            lines.append(f"size_t {member}_length{dim};")
        elif t == "Objlnk":
            lines.append(f"anjay_oid_t {member}_oid{dim};")
            lines.append(f"anjay_iid_t {member}_iid{dim};")
        if resource.multiple:
            lines.append(f"bool {member}_present{dim};")
        return lines

    def slot(self, resource, suffix=""):
        member = self.names[resource.id][1]
        index = "[riid]" if resource.multiple else ""
        return f"inst->values.{member}{suffix}{index}"

    # -- handler bodies --------------------------------------------------------------------
    def read_case(self, resource):
        macro = self.names[resource.id][0]
        lines = [f"    case {macro}:"]
        if not _stored(resource):
            lines.append("        /* GAP: no Type, so no value to read. */")
            lines.append("        return ANJAY_ERR_NOT_IMPLEMENTED;")
            return lines
        if resource.multiple:
            present = self.slot(resource, "_present")
            lines.append(f"        if (riid >= {self.P}_MAX_RESOURCE_INSTANCES || !{present}) {{")
            lines.append("            return ANJAY_ERR_NOT_FOUND;")
            lines.append("        }")
        else:
            lines.append("        assert(riid == ANJAY_ID_INVALID);")
        t = resource.type
        value = self.slot(resource)
        if t in _SCALARS:
            lines.append(f"        return {_SCALARS[t][1]}(ctx, {value});")
        elif t == "Unsigned Integer":
            lines.append("#ifdef ANJAY_WITH_LWM2M11")
            lines.append(f"        return anjay_ret_u32(ctx, {value});")
            lines.append("#else")
            lines.append(f"        return anjay_ret_i64(ctx, (int64_t) {value});")
            lines.append("#endif")
        elif t in ("String", "Corelnk"):
            lines.append(f"        return anjay_ret_string(ctx, {value});")
        elif t == "Opaque":
            lines.append(
                f"        return anjay_ret_bytes(ctx, {value}, {self.slot(resource, '_length')});"
            )
        elif t == "Objlnk":
            lines.append(
                f"        return anjay_ret_objlnk(ctx, {self.slot(resource, '_oid')}, "
                f"{self.slot(resource, '_iid')});"
            )
        return lines

    def write_case(self, resource):
        macro = self.names[resource.id][0]
        lines = [f"    case {macro}: {{"]
        if not _stored(resource):
            lines.append("        /* GAP: no Type, so no value to write. */")
            lines.append("        return ANJAY_ERR_NOT_IMPLEMENTED;")
            lines.append("    }")
            return lines
        if resource.multiple:
            lines.append(f"        if (riid >= {self.P}_MAX_RESOURCE_INSTANCES) {{")
            lines.append("            return ANJAY_ERR_INTERNAL; /* no room for another */")
            lines.append("        }")
        else:
            lines.append("        assert(riid == ANJAY_ID_INVALID);")
        t = resource.type
        value = self.slot(resource)
        store = []
        if t in _SCALARS:
            c_type, _, get = _SCALARS[t]
            lines.append(f"        {c_type} value;")
            lines.append(f"        int result = {get}(ctx, &value);")
            store.append(f"{value} = value;")
        elif t == "Unsigned Integer":
            lines.append("#ifdef ANJAY_WITH_LWM2M11")
            lines.append("        uint32_t value;")
            lines.append("        int result = anjay_get_u32(ctx, &value);")
            lines.append("#else")
            lines.append("        int64_t wide;")
            lines.append("        int result = anjay_get_i64(ctx, &wide);")
            lines.append("        if (!result && (wide < 0 || wide > (int64_t) UINT32_MAX)) {")
            lines.append("            result = ANJAY_ERR_BAD_REQUEST;")
            lines.append("        }")
            lines.append("        uint32_t value = (uint32_t) wide;")
            lines.append("#endif")
            store.append(f"{value} = value;")
        elif t in ("String", "Corelnk"):
            lines.append(f"        char value[{self.P}_STRING_SIZE];")
            lines.append("        int result = anjay_get_string(ctx, value, sizeof(value));")
            lines.append("        if (result == ANJAY_BUFFER_TOO_SHORT) {")
            lines.append("            result = ANJAY_ERR_BAD_REQUEST;")
            lines.append("        }")
            store.append(f"memcpy({value}, value, sizeof(value));")
        elif t == "Opaque":
            lines.append(f"        uint8_t value[{self.P}_OPAQUE_SIZE];")
            lines.append("        size_t bytes_read = 0;")
            lines.append("        bool finished = false;")
            lines.append(
                "        int result = anjay_get_bytes(ctx, &bytes_read, &finished, "
                "value, sizeof(value));"
            )
            lines.append("        if (!result && !finished) {")
            lines.append("            result = ANJAY_ERR_BAD_REQUEST; /* longer than kept */")
            lines.append("        }")
            store.append(f"memcpy({value}, value, bytes_read);")
            store.append(f"{self.slot(resource, '_length')} = bytes_read;")
        elif t == "Objlnk":
            lines.append("        anjay_oid_t oid;")
            lines.append("        anjay_iid_t iid;")
            lines.append("        int result = anjay_get_objlnk(ctx, &oid, &iid);")
            store.append(f"{self.slot(resource, '_oid')} = oid;")
            store.append(f"{self.slot(resource, '_iid')} = iid;")
        if resource.multiple:
            store.append(f"{self.slot(resource, '_present')} = true;")
        lines.append("        if (!result) {")
        lines.extend(f"            {line}" for line in store)
        lines.append("        }")
        lines.append("        return result;")
        lines.append("    }")
        return lines

    def handler_start(self, name, params):
        """A handler's signature and its instance lookup."""
        signature = f"static int {name}(anjay_t *anjay, const anjay_dm_object_def_t *const *obj_ptr"
        self.emit(f"{signature},")
        self.emit(f"        {params}) {{")
        self.emit("    (void) anjay;")
        self.emit(f"    {self.p}_instance_t *inst = find_instance(get_obj(obj_ptr), iid);")
        self.emit("    if (!inst) {")
        self.emit("        return ANJAY_ERR_NOT_FOUND;")
        self.emit("    }")

    def switch_end(self):
        self.emit("    default:")
        self.emit("        return ANJAY_ERR_METHOD_NOT_ALLOWED;")
        self.emit("    }")
        self.emit("}")
        self.emit()

    # -- the file --------------------------------------------------------------------------
    def generate(self):
        obj, p, P = self.obj, self.p, self.P
        emit = self.emit
        emit(file_header(obj, "anjay", "Anjay 3 (its data-model API, anjay/dm.h and anjay/io.h)"))
        emit("#include <assert.h>")
        emit("#include <stdbool.h>")
        emit("#include <stddef.h>")
        emit("#include <stdint.h>")
        emit("#include <string.h>")
        emit()
        emit("#include <anjay/anjay.h>")
        emit("#include <avsystem/commons/avs_memory.h>")
        emit()
        self.emit_sizes_and_ids("anjay")
        stored = [r for r in self.resources if _stored(r)]
        head = (f"struct {p}_instance_struct *next; /* the list is kept sorted by iid */",
                "anjay_iid_t iid;")  # fmt: skip
        self.emit_instance_struct(stored, head)
        emit(f"typedef struct {p}_object_struct {{")
        emit("    const anjay_dm_object_def_t *def;")
        emit(f"    {p}_instance_t *instances;")
        emit(f"}} {p}_object_t;")
        emit()
        emit(f"const anjay_dm_object_def_t **{p}_object_create(void);")
        emit(f"void {p}_object_release(const anjay_dm_object_def_t **def);")
        emit()
        emit(f"static {p}_object_t *get_obj(const anjay_dm_object_def_t *const *obj_ptr) {{")
        emit("    assert(obj_ptr);")
        emit(f"    return ({p}_object_t *) (void *) ((const char *) obj_ptr")
        emit(f"                                      - offsetof({p}_object_t, def));")
        emit("}")
        emit()
        emit(f"static {p}_instance_t *find_instance({p}_object_t *obj, anjay_iid_t iid) {{")
        emit(f"    for ({p}_instance_t *it = obj->instances; it && it->iid <= iid;")
        emit("         it = it->next) {")
        emit("        if (it->iid == iid) {")
        emit("            return it;")
        emit("        }")
        emit("    }")
        emit("    return NULL;")
        emit("}")
        emit()
        emit("static int list_instances(anjay_t *anjay,")
        emit("                          const anjay_dm_object_def_t *const *obj_ptr,")
        emit("                          anjay_dm_list_ctx_t *ctx) {")
        emit("    (void) anjay;")
        emit(f"    for ({p}_instance_t *it = get_obj(obj_ptr)->instances; it; it = it->next) {{")
        emit("        anjay_dm_emit(ctx, it->iid);")
        emit("    }")
        emit("    return 0;")
        emit("}")
        emit()
        emit("static int instance_create(anjay_t *anjay,")
        emit("                           const anjay_dm_object_def_t *const *obj_ptr,")
        emit("                           anjay_iid_t iid) {")
        emit("    (void) anjay;")
        emit(f"    {p}_object_t *obj = get_obj(obj_ptr);")
        if not obj.multiple:
            emit("    if (obj->instances) {")
            emit("        return ANJAY_ERR_METHOD_NOT_ALLOWED; /* a single-instance object */")
            emit("    }")
        emit(f"    {p}_instance_t **link = &obj->instances;")
        emit("    while (*link && (*link)->iid < iid) {")
        emit("        link = &(*link)->next;")
        emit("    }")
        emit("    if (*link && (*link)->iid == iid) {")
        emit("        return ANJAY_ERR_BAD_REQUEST;")
        emit("    }")
        emit(f"    {p}_instance_t *created = ({p}_instance_t *) avs_calloc(1, sizeof(*created));")
        emit("    if (!created) {")
        emit("        return ANJAY_ERR_INTERNAL;")
        emit("    }")
        emit("    created->iid = iid;")
        emit("    created->next = *link;")
        emit("    *link = created;")
        emit("    return 0;")
        emit("}")
        emit()
        emit("static int instance_remove(anjay_t *anjay,")
        emit("                           const anjay_dm_object_def_t *const *obj_ptr,")
        emit("                           anjay_iid_t iid) {")
        emit("    (void) anjay;")
        emit(f"    {p}_instance_t **link = &get_obj(obj_ptr)->instances;")
        emit("    while (*link && (*link)->iid != iid) {")
        emit("        link = &(*link)->next;")
        emit("    }")
        emit("    if (!*link) {")
        emit("        return ANJAY_ERR_NOT_FOUND;")
        emit("    }")
        emit(f"    {p}_instance_t *removed = *link;")
        emit("    *link = removed->next;")
        emit("    avs_free(removed);")
        emit("    return 0;")
        emit("}")
        emit()
        emit("static int instance_reset(anjay_t *anjay,")
        emit("                          const anjay_dm_object_def_t *const *obj_ptr,")
        emit("                          anjay_iid_t iid) {")
        emit("    (void) anjay;")
        emit(f"    {p}_instance_t *inst = find_instance(get_obj(obj_ptr), iid);")
        emit("    if (!inst) {")
        emit("        return ANJAY_ERR_NOT_FOUND;")
        emit("    }")
        emit("    memset(&inst->values, 0, sizeof(inst->values));")
        emit("    return 0;")
        emit("}")
        emit()
        emit("static int list_resources(anjay_t *anjay,")
        emit("                          const anjay_dm_object_def_t *const *obj_ptr,")
        emit("                          anjay_iid_t iid,")
        emit("                          anjay_dm_resource_list_ctx_t *ctx) {")
        emit("    (void) anjay;")
        emit("    (void) obj_ptr;")
        emit("    (void) iid;")
        for resource in self.resources:
            note = "mandatory" if resource.mandatory else "optional: ANJAY_DM_RES_ABSENT if unused"
            emit(
                f"    anjay_dm_emit_res(ctx, {self.names[resource.id][0]}, "
                f"ANJAY_DM_RES_{kind(resource)},"
            )
            emit(f"                      ANJAY_DM_RES_PRESENT); /* {note} */")
        emit("    return 0;")
        emit("}")
        emit()

        readable = [r for r in self.resources if _read_ops(r)]
        writable = [r for r in self.resources if _write_ops(r)]
        executable = [r for r in self.resources if _exec_ops(r)]
        multiple = [r for r in self.resources if r.multiple and kind(r).endswith("M")]
        multiple_writable = [r for r in multiple if _write_ops(r)]

        if readable:
            self.handler_start(
                "resource_read",
                "anjay_iid_t iid, anjay_rid_t rid, anjay_riid_t riid, anjay_output_ctx_t *ctx",
            )
            emit("    switch (rid) {")
            for resource in readable:
                for line in self.read_case(resource):
                    emit(line)
            self.switch_end()
        if writable:
            self.handler_start(
                "resource_write",
                "anjay_iid_t iid, anjay_rid_t rid, anjay_riid_t riid, anjay_input_ctx_t *ctx",
            )
            emit("    switch (rid) {")
            for resource in writable:
                for line in self.write_case(resource):
                    emit(line)
            self.switch_end()
        if executable:
            self.handler_start(
                "resource_execute",
                "anjay_iid_t iid, anjay_rid_t rid, anjay_execute_ctx_t *arg_ctx",
            )
            emit("    (void) inst;")
            emit("    (void) arg_ctx; /* anjay_execute_get_next_arg() reads the arguments */")
            emit("    switch (rid) {")
            for resource in executable:
                emit(f"    case {self.names[resource.id][0]}:")
                if resource.multiple:
                    emit("        /* GAP: multiple instances; Anjay executes the resource. */")
                emit("        return ANJAY_ERR_NOT_IMPLEMENTED; /* TODO: act on it */")
            self.switch_end()
        if multiple_writable:
            self.handler_start("resource_reset", "anjay_iid_t iid, anjay_rid_t rid")
            emit("    switch (rid) {")
            for resource in multiple_writable:
                emit(f"    case {self.names[resource.id][0]}:")
                if _stored(resource):
                    present = f"inst->values.{self.names[resource.id][1]}_present"
                    emit(f"        memset({present}, 0, sizeof({present}));")
                    emit("        return 0;")
                else:
                    emit("        return ANJAY_ERR_NOT_IMPLEMENTED; /* GAP: no Type */")
            self.switch_end()
        if multiple:
            self.handler_start(
                "list_resource_instances",
                "anjay_iid_t iid, anjay_rid_t rid, anjay_dm_list_ctx_t *ctx",
            )
            emit("    switch (rid) {")
            for resource in multiple:
                emit(f"    case {self.names[resource.id][0]}:")
                if _stored(resource):
                    present = f"inst->values.{self.names[resource.id][1]}_present"
                    emit(f"        for (anjay_riid_t riid = 0; riid < {P}_MAX_RESOURCE_INSTANCES;")
                    emit("             riid++) {")
                    emit(f"            if ({present}[riid]) {{")
                    emit("                anjay_dm_emit(ctx, riid);")
                    emit("            }")
                    emit("        }")
                else:
                    emit("        /* GAP: no Type, so no instances are kept. */")
                emit("        return 0;")
            self.switch_end()
        if multiple_writable:
            emit("#ifdef ANJAY_WITH_LWM2M12")
            self.handler_start(
                "resource_instance_remove",
                "anjay_iid_t iid, anjay_rid_t rid, anjay_riid_t riid",
            )
            emit("    switch (rid) {")
            for resource in multiple_writable:
                emit(f"    case {self.names[resource.id][0]}:")
                if _stored(resource):
                    present = f"inst->values.{self.names[resource.id][1]}_present"
                    emit(f"        if (riid >= {P}_MAX_RESOURCE_INSTANCES || !{present}[riid]) {{")
                    emit("            return ANJAY_ERR_NOT_FOUND;")
                    emit("        }")
                    emit(f"        {present}[riid] = false;")
                    emit("        return 0;")
                else:
                    emit("        (void) riid;")
                    emit("        return ANJAY_ERR_NOT_IMPLEMENTED; /* GAP: no Type */")
            self.switch_end()
            self.out[-1:] = ["#endif /* ANJAY_WITH_LWM2M12 */", ""]

        emit("static const anjay_dm_object_def_t OBJ_DEF = {")
        emit(f"    .oid = {obj.object_id},")
        version = version_literal(obj.version)
        if version != "1.0":
            emit(f"    .version = {c_string(version)},")
        emit("    .handlers = {")
        handlers = [
            ("list_instances", "list_instances"),
            ("instance_create", "instance_create"),
            ("instance_remove", "instance_remove"),
            ("instance_reset", "instance_reset"),
            ("list_resources", "list_resources"),
        ]
        if readable:
            handlers.append(("resource_read", "resource_read"))
        if writable:
            handlers.append(("resource_write", "resource_write"))
        if executable:
            handlers.append(("resource_execute", "resource_execute"))
        if multiple_writable:
            handlers.append(("resource_reset", "resource_reset"))
        if multiple:
            handlers.append(("list_resource_instances", "list_resource_instances"))
        for name in ("begin", "validate", "commit", "rollback"):
            handlers.append((f"transaction_{name}", "anjay_dm_transaction_NOOP"))
        for field, value in handlers:
            emit(f"        .{field} = {value},")
        if multiple_writable:
            emit("#ifdef ANJAY_WITH_LWM2M12")
            emit("        .resource_instance_remove = resource_instance_remove,")
            emit("#endif /* ANJAY_WITH_LWM2M12 */")
        emit("    }")
        emit("};")
        emit()
        emit(
            comment_block(
                [
                    f"Register with anjay_register_object(anjay, {p}_object_create());",
                    f"release with {p}_object_release() after anjay_delete().",
                ]
            )
        )
        emit(f"const anjay_dm_object_def_t **{p}_object_create(void) {{")
        emit(f"    {p}_object_t *obj = ({p}_object_t *) avs_calloc(1, sizeof({p}_object_t));")
        emit("    if (!obj) {")
        emit("        return NULL;")
        emit("    }")
        emit("    obj->def = &OBJ_DEF;")
        if not obj.multiple:
            emit("    if (instance_create(NULL, &obj->def, 0)) { /* its one instance */")
            emit("        avs_free(obj);")
            emit("        return NULL;")
            emit("    }")
        emit("    return &obj->def;")
        emit("}")
        emit()
        emit(f"void {p}_object_release(const anjay_dm_object_def_t **def) {{")
        emit("    if (!def) {")
        emit("        return;")
        emit("    }")
        emit(f"    {p}_object_t *obj = get_obj(def);")
        emit("    while (obj->instances) {")
        emit(f"        {p}_instance_t *next = obj->instances->next;")
        emit("        avs_free(obj->instances);")
        emit("        obj->instances = next;")
        emit("    }")
        emit("    avs_free(obj);")
        emit("}")
        return "\n".join(self.out) + "\n"


def generate(obj):
    return _Gen(obj).generate()
