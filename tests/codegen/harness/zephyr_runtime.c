/*
 * The part of Zephyr's LwM2M engine a generated object calls, written by us for the harness
 * from the declarations in tests/fixtures/sdk/zephyr (not Zephyr's code): registration keeps
 * the object, lwm2m_create_object_inst runs its create callback as the engine does, resource
 * instances are made and deleted in the object's own tables, lwm2m_set_string keeps a string
 * as lwm2m_engine_set does (-ENOENT without the instance, -ENOMEM when longer than its
 * buffer), and the other value functions only record their calls.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <zephyr/net/lwm2m.h>

#include "lwm2m_engine.h"
#include "lwm2m_object.h"

struct lwm2m_engine_obj *harness_object;
struct lwm2m_engine_obj_inst *harness_instances[8];

void lwm2m_register_obj(struct lwm2m_engine_obj *obj) {
    harness_object = obj;
}

int lwm2m_create_object_inst(const struct lwm2m_obj_path *path) {
    if (harness_object == NULL || path->obj_id != harness_object->obj_id) {
        return -ENOENT;
    }
    struct lwm2m_engine_obj_inst *made = harness_object->create_cb(path->obj_inst_id);
    if (made == NULL) {
        return -ENOMEM;
    }
    made->obj = harness_object;
    made->obj_inst_id = path->obj_inst_id;
    harness_instances[path->obj_inst_id % 8] = made;
    return 0;
}

int lwm2m_delete_object_inst(const struct lwm2m_obj_path *path) {
    harness_instances[path->obj_inst_id % 8] = NULL;
    return 0;
}

static int recorded(const struct lwm2m_obj_path *path) {
    printf("engine call /%u/%u/%u\n", (unsigned) path->obj_id, (unsigned) path->obj_inst_id,
           (unsigned) path->res_id);
    return 0;
}

static struct lwm2m_engine_res *find_res(const struct lwm2m_obj_path *path) {
    struct lwm2m_engine_obj_inst *made = harness_instances[path->obj_inst_id % 8];
    if (made == NULL || made->obj_inst_id != path->obj_inst_id) {
        return NULL;
    }
    for (int i = 0; i < made->resource_count; i++) {
        if (made->resources[i].res_id == path->res_id) {
            return made->resources + i;
        }
    }
    return NULL;
}

/* The made instance a path names (a path of 3 IDs: the resource's one instance). */
static struct lwm2m_engine_res_inst *find_res_inst(const struct lwm2m_obj_path *path,
                                                   uint16_t riid) {
    struct lwm2m_engine_res *res = find_res(path);
    for (int n = 0; res != NULL && n < res->res_inst_count; n++) {
        if (res->res_instances[n].res_inst_id == riid) {
            return res->res_instances + n;
        }
    }
    return NULL;
}

static uint16_t riid_of(const struct lwm2m_obj_path *path) {
    return path->level >= 4 ? path->res_inst_id : 0;
}

int lwm2m_create_res_inst(const struct lwm2m_obj_path *path) {
    recorded(path);
    if (find_res(path) == NULL) {
        return -ENOENT;
    }
    if (find_res_inst(path, riid_of(path)) != NULL) {
        return -EEXIST;
    }
    struct lwm2m_engine_res_inst *free_slot = find_res_inst(path, RES_INSTANCE_NOT_CREATED);
    if (free_slot == NULL) {
        return -ENOMEM;
    }
    free_slot->res_inst_id = riid_of(path);
    free_slot->data_len = 0;
    return 0;
}

int lwm2m_delete_res_inst(const struct lwm2m_obj_path *path) {
    printf("engine delete /%u/%u/%u/%u\n", (unsigned) path->obj_id,
           (unsigned) path->obj_inst_id, (unsigned) path->res_id, (unsigned) path->res_inst_id);
    struct lwm2m_engine_res_inst *made = find_res_inst(path, riid_of(path));
    if (made == NULL) {
        return -ENOENT;
    }
    made->res_inst_id = RES_INSTANCE_NOT_CREATED;
    made->data_len = 0;
    return 0;
}

int lwm2m_register_exec_callback(const struct lwm2m_obj_path *path, lwm2m_engine_execute_cb_t cb) {
    (void) cb;
    return recorded(path);
}
int lwm2m_set_opaque(const struct lwm2m_obj_path *path, const char *data_ptr, uint16_t data_len) {
    (void) data_ptr;
    (void) data_len;
    return recorded(path);
}
int lwm2m_set_string(const struct lwm2m_obj_path *path, const char *data_ptr) {
    recorded(path);
    struct lwm2m_engine_res_inst *made = find_res_inst(path, riid_of(path));
    if (made == NULL) {
        return -ENOENT;
    }
    size_t length = strlen(data_ptr) + 1; /* a String keeps its NUL */
    if (length > made->max_data_len) {
        return -ENOMEM;
    }
    memcpy(made->data_ptr, data_ptr, length);
    made->data_len = (uint16_t) length;
    return 0;
}
int lwm2m_set_u8(const struct lwm2m_obj_path *path, uint8_t value) { (void) value; return recorded(path); }
int lwm2m_set_u16(const struct lwm2m_obj_path *path, uint16_t value) { (void) value; return recorded(path); }
int lwm2m_set_u32(const struct lwm2m_obj_path *path, uint32_t value) { (void) value; return recorded(path); }
int lwm2m_set_s32(const struct lwm2m_obj_path *path, int32_t value) { (void) value; return recorded(path); }
int lwm2m_set_s64(const struct lwm2m_obj_path *path, int64_t value) { (void) value; return recorded(path); }
int lwm2m_set_bool(const struct lwm2m_obj_path *path, bool value) { (void) value; return recorded(path); }
int lwm2m_set_f64(const struct lwm2m_obj_path *path, const double value) { (void) value; return recorded(path); }
int lwm2m_set_objlnk(const struct lwm2m_obj_path *path, const struct lwm2m_objlnk *value) {
    (void) value;
    return recorded(path);
}
int lwm2m_set_time(const struct lwm2m_obj_path *path, time_t value) { (void) value; return recorded(path); }
int lwm2m_get_opaque(const struct lwm2m_obj_path *path, void *buf, uint16_t buflen) {
    (void) buf;
    (void) buflen;
    return recorded(path);
}
int lwm2m_get_string(const struct lwm2m_obj_path *path, void *str, uint16_t buflen) {
    (void) str;
    (void) buflen;
    return recorded(path);
}
int lwm2m_get_u32(const struct lwm2m_obj_path *path, uint32_t *value) { *value = 0; return recorded(path); }
int lwm2m_get_s32(const struct lwm2m_obj_path *path, int32_t *value) { *value = 0; return recorded(path); }
int lwm2m_get_s64(const struct lwm2m_obj_path *path, int64_t *value) { *value = 0; return recorded(path); }
int lwm2m_get_bool(const struct lwm2m_obj_path *path, bool *value) { *value = false; return recorded(path); }
int lwm2m_get_f64(const struct lwm2m_obj_path *path, double *value) { *value = 0; return recorded(path); }
int lwm2m_get_objlnk(const struct lwm2m_obj_path *path, struct lwm2m_objlnk *buf) {
    buf->obj_id = 0;
    buf->obj_inst = 0;
    return recorded(path);
}
int lwm2m_get_time(const struct lwm2m_obj_path *path, time_t *buf) { *buf = 0; return recorded(path); }
