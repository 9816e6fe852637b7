"""anjay.c: an Anjay 3 object on its data-model API, with dynamic instances kept in a list.

Per resource it declares what Anjay's own anjay_codegen.py declares for the same file: an
RID_<NAME> constant, the resource kind (R, W, RW, E, BS_RW for empty Operations, and the M forms
for multiple-instance resources) with ANJAY_DM_RES_PRESENT, and the anjay_ret_* / anjay_get_*
pair of its type (Integer and Time i64, Unsigned Integer u32, Float double, Boolean bool,
String and Corelnk string, Opaque bytes, Objlnk objlnk). Unlike that script it keeps each value
in the instance, and it still writes a compiling file where the script stops (a readable
resource without a Type, a multiple-instance executable one): the gap is marked in a comment.
"""

from collections.abc import Sequence

from objects.codegen import saved_name, usage
from objects.codegen.c_common import (
    CGenerator,
    comment_block,
    file_header,
    omit_macro,
    version_literal,
)
from objects.codegen.escape import c_string
from objects.codegen.model import CodegenObject, CodegenResource

_SCALARS = {
    # type: (C type, ret function, get function)
    "Integer": ("int64_t", "anjay_ret_i64", "anjay_get_i64"),
    "Time": ("int64_t", "anjay_ret_i64", "anjay_get_i64"),
    "Float": ("double", "anjay_ret_double", "anjay_get_double"),
    "Boolean": ("bool", "anjay_ret_bool", "anjay_get_bool"),
}


def kind(resource: CodegenResource) -> str:
    """The resource's kind suffix as Anjay names it (R, W, RW, E, BS_RW; M when multiple)."""
    ops = resource.operations.upper()
    if not ops:
        base = "BS_RW"
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
    if resource.multiple and base == "BS_RW":
        # Anjay 3 has no bootstrap-only multiple kind; its own Security object declares such a
        # resource (0/16) RM: "Bootstrap Server might attempt to write to it anyway".
        base = "RM"
    return base


def _read_ops(resource: CodegenResource) -> bool:
    return "R" in kind(resource)


def _write_ops(resource: CodegenResource) -> bool:
    """Written by a server: a W kind, or empty Operations (a Bootstrap Server's write)."""
    return "W" in kind(resource) or not resource.operations.strip()


def _exec_ops(resource: CodegenResource) -> bool:
    return kind(resource) == "E"


def _stored(resource: CodegenResource) -> bool:
    return bool(resource.type) and (_read_ops(resource) or _write_ops(resource))


class AnjayFile(CGenerator):
    def has_setter(self, resource: CodegenResource) -> bool:
        return _stored(resource) and _read_ops(resource)

    NUMBER_TYPES = {
        "Integer": "int64_t",
        "Time": "int64_t",
        "Float": "double",
        "Boolean": "bool",
        "Unsigned Integer": "uint32_t",
    }

    # -- handler bodies --------------------------------------------------------------------
    def read_case(self, resource: CodegenResource) -> list[str]:
        macro = self.names[resource.id][0]
        lines = [f"    case {macro}: {{"]
        if not _stored(resource):
            lines.append("        /* GAP: no Type, so no value to read. */")
            lines.append("        return ANJAY_ERR_NOT_IMPLEMENTED;")
            lines.append("    }")
            return lines
        if resource.multiple:
            lines.append(f"        int at = find_{self.names[resource.id][1]}(inst, riid);")
            lines.append("        if (at < 0) {")
            lines.append("            return ANJAY_ERR_NOT_FOUND;")
            lines.append("        }")
        else:
            lines.append("        assert(riid == ANJAY_ID_INVALID);")
        t = resource.type
        ref = self.ref(resource)
        value = ref("")
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
            lines.append(f"        return anjay_ret_bytes(ctx, {value}, {ref('_length')});")
        elif t == "Objlnk":
            lines.append(f"        return anjay_ret_objlnk(ctx, {ref('_oid')}, {ref('_iid')});")
        lines.append("    }")
        return lines

    def write_case(self, resource: CodegenResource) -> list[str]:
        macro = self.names[resource.id][0]
        lines = [f"    case {macro}: {{"]
        if not _stored(resource):
            lines.append("        /* GAP: no Type, so no value to write. */")
            lines.append("        return ANJAY_ERR_NOT_IMPLEMENTED;")
            lines.append("    }")
            return lines
        if not resource.multiple:
            lines.append("        assert(riid == ANJAY_ID_INVALID);")
        t = resource.type
        ref = self.ref(resource)
        value = ref("")
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
            store.append(f"{ref('_length')} = bytes_read;")
        elif t == "Objlnk":
            lines.append("        anjay_oid_t link_oid;")
            lines.append("        anjay_iid_t link_iid;")
            lines.append("        int result = anjay_get_objlnk(ctx, &link_oid, &link_iid);")
            store.append(f"{ref('_oid')} = link_oid;")
            store.append(f"{ref('_iid')} = link_iid;")
        lines.append("        if (!result) {")
        if resource.multiple:
            lines.append(f"            int at = add_{self.names[resource.id][1]}(inst, riid);")
            lines.append("            if (at < 0) {")
            lines.append("                return ANJAY_ERR_INTERNAL; /* no room for another */")
            lines.append("            }")
        lines.extend(f"            {line}" for line in store)
        lines.append("        }")
        lines.append("        return result;")
        lines.append("    }")
        return lines

    def emit_transaction(self) -> None:
        """Anjay's transaction: begin keeps a copy of every instance, rollback puts it back,
        commit drops it. Anjay rolls back on any error of a write or a create (a read-only
        resource in a replace, no room for another resource instance), so an error answer
        leaves the object as it was."""
        p, emit = self.p, self.emit
        emit(f"static void free_instances({p}_instance_t *list) {{")
        emit("    while (list) {")
        emit(f"        {p}_instance_t *next = list->next;")
        emit("        avs_free(list);")
        emit("        list = next;")
        emit("    }")
        emit("}")
        emit()
        emit("/* A copy of the list in `*out`: 0, or -1 (nothing copied) when out of memory. */")
        emit(f"static int copy_instances(const {p}_instance_t *list, {p}_instance_t **out) {{")
        emit("    *out = NULL;")
        emit(f"    {p}_instance_t **tail = out;")
        emit("    for (; list; list = list->next) {")
        emit(f"        {p}_instance_t *copy = ({p}_instance_t *) avs_malloc(sizeof(*copy));")
        emit("        if (!copy) {")
        emit("            free_instances(*out);")
        emit("            *out = NULL;")
        emit("            return -1;")
        emit("        }")
        emit("        memcpy(copy, list, sizeof(*copy));")
        emit("        copy->next = NULL;")
        emit("        *tail = copy;")
        emit("        tail = &copy->next;")
        emit("    }")
        emit("    return 0;")
        emit("}")
        emit()
        for name in ("begin", "commit", "rollback"):
            emit(f"static int transaction_{name}(anjay_t *anjay,")
            emit(f"{' ' * (24 + len(name))}const anjay_dm_object_def_t *const *obj_ptr) {{")
            emit("    (void) anjay;")
            emit(f"    {p}_object_t *obj = get_obj(obj_ptr);")
            if name == "begin":
                emit("    free_instances(obj->backup);")
                emit("    obj->in_transaction = false;")
                emit("    if (copy_instances(obj->instances, &obj->backup)) {")
                emit("        return ANJAY_ERR_INTERNAL;")
                emit("    }")
                emit("    obj->in_transaction = true;")
            elif name == "commit":
                emit("    free_instances(obj->backup);")
                emit("    obj->backup = NULL;")
                emit("    obj->in_transaction = false;")
            else:
                emit("    if (obj->in_transaction) { /* the instances as they were */")
                emit("        free_instances(obj->instances);")
                emit("        obj->instances = obj->backup;")
                emit("        obj->backup = NULL;")
                emit("        obj->in_transaction = false;")
                emit("    }")
            emit("    return 0;")
            emit("}")
            emit()

    def handler_start(self, name: str, params: str) -> None:
        """A handler's signature and its instance lookup."""
        signature = f"static int {name}(anjay_t *anjay, const anjay_dm_object_def_t *const *obj_ptr"
        self.emit(f"{signature},")
        self.emit(f"        {params}) {{")
        self.emit("    (void) anjay;")
        self.emit(f"    {self.p}_instance_t *inst = find_instance(get_obj(obj_ptr), iid);")
        self.emit("    if (!inst) {")
        self.emit("        return ANJAY_ERR_NOT_FOUND;")
        self.emit("    }")
        self.emit("    (void) inst; /* a case without a value does not read it */")
        if "anjay_riid_t riid" in params:
            self.emit("    (void) riid; /* without assertions, a single resource ignores it */")

    def switch_end(self) -> None:
        self.emit("    default:")
        self.emit("        return ANJAY_ERR_METHOD_NOT_ALLOWED;")
        self.emit("    }")
        self.emit("}")
        self.emit()

    # -- the file --------------------------------------------------------------------------
    def api(self, stored: Sequence[CodegenResource]) -> None:
        """The instance functions, setters and getters anjay.h declares."""
        p, P, emit = self.p, self.P, self.emit
        emit(f"int {p}_instance_create(anjay_t *anjay, const anjay_dm_object_def_t *const *def,")
        emit("                         anjay_iid_t iid) {")
        emit("    if (!def || iid == ANJAY_ID_INVALID || instance_create(anjay, def, iid)) {")
        emit("        return -1;")
        emit("    }")
        emit("    if (anjay) {")
        emit(f"        anjay_notify_instances_changed(anjay, {P}_OID);")
        emit("    }")
        emit("    return 0;")
        emit("}")
        emit()
        emit(f"int {p}_instance_remove(anjay_t *anjay, const anjay_dm_object_def_t *const *def,")
        emit("                         anjay_iid_t iid) {")
        emit("    if (!def || instance_remove(anjay, def, iid)) {")
        emit("        return -1;")
        emit("    }")
        emit("    if (anjay) {")
        emit(f"        anjay_notify_instances_changed(anjay, {P}_OID);")
        emit("    }")
        emit("    return 0;")
        emit("}")
        emit()
        emit(f"void {p}_set_execute_callback(const anjay_dm_object_def_t *const *def,")
        emit(f"                              {p}_execute_cb_t *callback) {{")
        emit("    if (def) {")
        emit("        get_obj(def)->execute_cb = callback;")
        emit("    }")
        emit("}")
        emit()

        def find() -> None:
            emit(f"    {p}_instance_t *inst = def ? find_instance(get_obj(def), iid) : NULL;")
            emit("    if (!inst) {")
            emit("        return -1;")
            emit("    }")

        for resource in stored:
            m, macro = self.names[resource.id][1], self.names[resource.id][0]
            riid = "anjay_riid_t riid, " if resource.multiple else ""
            if _read_ops(resource):
                emit(f"int {p}_set_{m}(anjay_t *anjay, const anjay_dm_object_def_t *const *def,")
                emit(f"        anjay_iid_t iid, {riid}{self.api_value_params(resource)}) {{")
                find()
                checks, stores = self.api_store(resource, self.ref(resource))
                for line in checks:  # before a new resource instance is added
                    emit(f"    {line}")
                if resource.multiple:
                    emit(f"    int at = riid == ANJAY_ID_INVALID ? -1 : add_{m}(inst, riid);")
                    emit("    if (at < 0) {")
                    emit("        return -1;")
                    emit("    }")
                for line in stores:
                    emit(f"    {line}")
                emit("    if (anjay) {")
                emit(f"        anjay_notify_changed(anjay, {P}_OID, iid, {macro});")
                emit("    }")
                emit("    return 0;")
                emit("}")
                emit()
            if _write_ops(resource):
                signature = (
                    f"int {p}_get_{m}(const anjay_dm_object_def_t *const *def, anjay_iid_t iid,"
                )
                self.emit_api_getter(resource, signature, "anjay_riid_t", find)

    def header(self) -> str:
        """anjay.h: what an application calls."""
        obj, p = self.obj, self.p
        stored = [r for r in self.resources if _stored(r)]
        guard = f"LWM2M_OBJECT_{obj.object_id}_ANJAY_H"
        what = f"Anjay 3: the application API of {saved_name('anjay.c', obj.object_id)}"
        out = [file_header(obj, "anjay", what)]
        out.append(comment_block(usage.anjay(self)))
        out += [f"#ifndef {guard}", f"#define {guard}", ""]
        out += ["#include <stdbool.h>", "#include <stddef.h>", "#include <stdint.h>", ""]
        out += ["#include <anjay/anjay.h>", ""]
        out.append(
            "/* The object, for anjay_register_object(); release it after anjay_delete(). */"
        )
        out.append(f"const anjay_dm_object_def_t **{p}_object_create(void);")
        out.append(f"void {p}_object_release(const anjay_dm_object_def_t **def);")
        out.append("")
        out.append("/* An instance made or removed by the application: 0, or -1 on an error. */")
        for verb in ("create", "remove"):
            out.append(
                f"int {p}_instance_{verb}(anjay_t *anjay, const anjay_dm_object_def_t *const *def,"
                " anjay_iid_t iid);"
            )
        out.append("")
        out.append(comment_block([
            "Called on an Execute of any executable resource: return 0 or an ANJAY_ERR_*",
            "code; anjay_execute_get_next_arg() reads the arguments. Without one, an",
            "Execute answers 5.01 (Not Implemented).",
        ]))  # fmt: skip
        out.append(
            f"typedef int {p}_execute_cb_t(anjay_t *anjay, anjay_iid_t iid, anjay_rid_t rid,"
        )
        out.append("                             anjay_execute_ctx_t *ctx);")
        out.append(
            f"void {p}_set_execute_callback(const anjay_dm_object_def_t *const *def, "
            f"{p}_execute_cb_t *callback);"
        )
        setters = [r for r in stored if _read_ops(r)]
        getters = [r for r in stored if _write_ops(r)]
        if setters:
            out.append("")
            out.append(comment_block([
                "Setters of readable resources: 0, or -1 (no such instance, too long, no room).",
                "They call anjay_notify_changed() (anjay may be NULL before anjay_new()).",
            ]))  # fmt: skip
        for resource in setters:
            riid = "anjay_riid_t riid, " if resource.multiple else ""
            out.append(
                f"int {p}_set_{self.names[resource.id][1]}(anjay_t *anjay, "
                f"const anjay_dm_object_def_t *const *def, anjay_iid_t iid, {riid}"
                f"{self.api_value_params(resource)});"
            )
        if getters:
            out.append("")
            out.append("/* Getters of writable resources (the value a server wrote): 0, or -1. */")
        for resource in getters:
            riid = "anjay_riid_t riid, " if resource.multiple else ""
            out.append(
                f"int {p}_get_{self.names[resource.id][1]}(const anjay_dm_object_def_t *const *def,"
                f" anjay_iid_t iid, {riid}{self.api_out_params(resource)});"
            )
        out += ["", f"#endif /* {guard} */"]
        return "\n".join(out) + "\n"

    def generate(self) -> str:
        obj, p = self.obj, self.p
        emit = self.emit
        emit(file_header(obj, "anjay", "Anjay 3 (its data-model API, anjay/dm.h and anjay/io.h)"))
        emit(comment_block(usage.anjay(self)))
        emit("#include <assert.h>")
        emit("#include <stdbool.h>")
        emit("#include <stddef.h>")
        emit("#include <stdint.h>")
        emit("#include <string.h>")
        emit()
        emit("#include <anjay/anjay.h>")
        emit("#include <avsystem/commons/avs_memory.h>")
        emit()
        self.emit_own_header("anjay.h", f"LWM2M_OBJECT_{obj.object_id}_ANJAY_H", [
            f"typedef int {p}_execute_cb_t(anjay_t *anjay, anjay_iid_t iid, anjay_rid_t rid,",
            "                             anjay_execute_ctx_t *ctx);",
        ])  # fmt: skip
        emit()
        self.emit_sizes_and_ids("anjay")
        stored = [r for r in self.resources if _stored(r)]
        head = (f"struct {p}_instance_struct *next; /* the list is kept sorted by iid */",
                "anjay_iid_t iid;")  # fmt: skip
        self.emit_instance_struct(stored, head)
        emit(f"typedef struct {p}_object_struct {{")
        emit("    const anjay_dm_object_def_t *def;")
        emit(f"    {p}_instance_t *instances;")
        emit(f"    {p}_instance_t *backup; /* the instances as the transaction began */")
        emit("    bool in_transaction;")
        emit(f"    {p}_execute_cb_t *execute_cb;")
        emit(f"}} {p}_object_t;")
        emit()
        emit("/* The object around its def (by address: no cast drops a qualifier). */")
        emit(f"static {p}_object_t *get_obj(const anjay_dm_object_def_t *const *obj_ptr) {{")
        emit("    assert(obj_ptr);")
        emit(f"    return ({p}_object_t *) (uintptr_t) ((uintptr_t) obj_ptr")
        emit(f"                                         - offsetof({p}_object_t, def));")
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
        self.emit_transaction()
        multiple_stored = [r for r in stored if r.multiple]
        for resource in multiple_stored:
            self.emit_entry_helpers(resource)
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
        resettable = [r for r in stored if _write_ops(r)]
        emit("/* A replace of the instance: its writable resources return to empty. */")
        emit("static int instance_reset(anjay_t *anjay,")
        emit("                          const anjay_dm_object_def_t *const *obj_ptr,")
        emit("                          anjay_iid_t iid) {")
        emit("    (void) anjay;")
        emit(f"    {p}_instance_t *inst = find_instance(get_obj(obj_ptr), iid);")
        emit("    if (!inst) {")
        emit("        return ANJAY_ERR_NOT_FOUND;")
        emit("    }")
        for resource in resettable:
            for line in self.reset_lines(resource):
                emit(f"    {line}")
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
        if not self.resources:
            emit("    (void) ctx; /* no resources */")
        for resource in self.resources:
            call = f"    anjay_dm_emit_res(ctx, {self.names[resource.id][0]}, "
            call += f"ANJAY_DM_RES_{kind(resource)},"
            if resource.mandatory:
                emit(call)
                emit("                      ANJAY_DM_RES_PRESENT); /* mandatory */")
                continue
            # Left out by the build: absent, so Anjay's core answers 4.04 and never lists it.
            emit(f"#ifdef {omit_macro(obj, resource)}")
            emit(call)
            emit("                      ANJAY_DM_RES_ABSENT); /* left out by the build */")
            emit("#else")
            emit(call)
            emit("                      ANJAY_DM_RES_PRESENT); /* optional */")
            emit("#endif")
        emit("    return 0;")
        emit("}")
        emit()

        readable = [r for r in self.resources if _read_ops(r)]
        writable = [r for r in self.resources if _write_ops(r) and not _exec_ops(r)]
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
            emit(f"    {p}_execute_cb_t *callback = get_obj(obj_ptr)->execute_cb;")
            emit("    switch (rid) {")
            for resource in executable:
                emit(f"    case {self.names[resource.id][0]}:")
                if resource.multiple:
                    emit("        /* GAP: multiple instances; Anjay executes the resource. */")
                emit("        if (!callback) {")
                emit("            return ANJAY_ERR_NOT_IMPLEMENTED; /* no callback registered */")
                emit("        }")
                emit("        return callback(anjay, iid, rid, arg_ctx);")
            self.switch_end()
        if multiple_writable:
            self.handler_start("resource_reset", "anjay_iid_t iid, anjay_rid_t rid")
            emit("    switch (rid) {")
            for resource in multiple_writable:
                emit(f"    case {self.names[resource.id][0]}:")
                if _stored(resource):
                    emit(f"        inst->values.{self.names[resource.id][1]}.count = 0;")
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
                    entries = f"inst->values.{self.names[resource.id][1]}"
                    emit(f"        for (size_t at = 0; at < {entries}.count; at++) {{")
                    emit(f"            anjay_dm_emit(ctx, {entries}.at[at].riid); /* ascending */")
                    emit("        }")
                else:
                    emit("        /* GAP: no Type, so no instances are kept. */")
                emit("        return 0;")
            self.switch_end()
        if multiple_writable:
            emit("#ifdef ANJAY_WITH_LWM2M12")
            for resource in multiple_writable:
                if _stored(resource):
                    self.emit_remove_helper(resource)
            self.handler_start(
                "resource_instance_remove",
                "anjay_iid_t iid, anjay_rid_t rid, anjay_riid_t riid",
            )
            emit("    switch (rid) {")
            for resource in multiple_writable:
                emit(f"    case {self.names[resource.id][0]}:")
                if _stored(resource):
                    emit(f"        return remove_{self.names[resource.id][1]}(inst, riid)")
                    emit("                   ? 0 : ANJAY_ERR_NOT_FOUND;")
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
        handlers.append(("transaction_begin", "transaction_begin"))
        handlers.append(("transaction_validate", "anjay_dm_transaction_NOOP"))
        handlers.append(("transaction_commit", "transaction_commit"))
        handlers.append(("transaction_rollback", "transaction_rollback"))
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
        emit("    free_instances(obj->backup);")
        emit("    avs_free(obj);")
        emit("}")
        emit()
        self.api(stored)
        while self.out and not self.out[-1]:
            self.out.pop()
        return "\n".join(self.out) + "\n"


def generate(obj: CodegenObject) -> str:
    return AnjayFile(obj).generate()


def header(obj: CodegenObject) -> str:
    return AnjayFile(obj).header()


def how_to_use(obj: CodegenObject) -> list[str]:
    """The "How to use this file" lines of anjay.c and anjay.h."""
    return usage.anjay(AnjayFile(obj))
