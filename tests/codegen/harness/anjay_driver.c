/*
 * Drives a generated anjay.c (object "Meter", see test_harness.py) the way Anjay's core walks
 * an object's handlers (list_instances, list_resources, list_resource_instances, then
 * resource_read / resource_write / resource_execute; instance_reset before a replace;
 * instance_create / instance_remove), through the object's definition and anjay.h's API, and
 * prints what comes back, one line a step, for the test to compare.
 */
#include <stdio.h>
#include <string.h>

#include <anjay/anjay.h>

#include "lwm2m_33441_anjay.h"
#include "anjay_runtime.h"

static const anjay_dm_object_def_t *const *def;

static const char *coap(int result) {
    static char text[16];
    if (result == 0) {
        return "ok";
    }
    int code = -result;
    snprintf(text, sizeof(text), "%d.%02d", code >> 5, code & 0x1F);
    return text;
}

static bool has_instance(anjay_iid_t iid) {
    anjay_dm_list_ctx_t list = {0};
    (*def)->handlers.list_instances(NULL, def, &list);
    for (int i = 0; i < list.count; i++) {
        if (list.ids[i] == iid) {
            return true;
        }
    }
    return false;
}

static bool is_multiple(anjay_dm_resource_kind_t kind) {
    return kind == ANJAY_DM_RES_RM || kind == ANJAY_DM_RES_WM || kind == ANJAY_DM_RES_RWM;
}

static bool is_readable(anjay_dm_resource_kind_t kind) {
    return kind == ANJAY_DM_RES_R || kind == ANJAY_DM_RES_RW || kind == ANJAY_DM_RES_RM
           || kind == ANJAY_DM_RES_RWM;
}

/* Prints a resource's value, or its instances' (riid=value ...), as a read would. */
static int print_resource(anjay_iid_t iid, anjay_rid_t rid, anjay_dm_resource_kind_t kind) {
    anjay_output_ctx_t out = {{0}};
    if (!is_multiple(kind)) {
        int result = (*def)->handlers.resource_read(NULL, def, iid, rid, ANJAY_ID_INVALID, &out);
        if (!result) {
            printf(" %u=%s", (unsigned) rid, out.text);
        }
        return result;
    }
    anjay_dm_list_ctx_t list = {0};
    (*def)->handlers.list_resource_instances(NULL, def, iid, rid, &list);
    printf(" %u=[", (unsigned) rid);
    for (int i = 0; i < list.count; i++) {
        int result = (*def)->handlers.resource_read(NULL, def, iid, rid, list.ids[i], &out);
        if (result) {
            return result;
        }
        printf(" %u=%s", (unsigned) list.ids[i], out.text);
    }
    printf(" ]");
    return 0;
}

static void read_instance(const char *label, anjay_iid_t iid) {
    printf("%s:", label);
    if (!has_instance(iid)) {
        printf(" 4.04\n");
        return;
    }
    anjay_dm_resource_list_ctx_t resources = {0};
    (*def)->handlers.list_resources(NULL, def, iid, &resources);
    for (int i = 0; i < resources.count; i++) {
        if (resources.present[i] && is_readable(resources.kinds[i])) {
            int result = print_resource(iid, resources.rids[i], resources.kinds[i]);
            if (result) {
                printf(" %s", coap(result));
            }
        }
    }
    printf("\n");
}

static void read_instance_of(const char *label, anjay_iid_t iid, anjay_rid_t rid,
                             anjay_riid_t riid) {
    anjay_dm_resource_list_ctx_t resources = {0};
    (*def)->handlers.list_resources(NULL, def, iid, &resources);
    for (int i = 0; i < resources.count; i++) {
        if (resources.rids[i] != rid) {
            continue;
        }
        if (!is_multiple(resources.kinds[i])) {
            printf("%s: 4.04\n", label); /* a single resource has no instances */
            return;
        }
        anjay_dm_list_ctx_t list = {0};
        (*def)->handlers.list_resource_instances(NULL, def, iid, rid, &list);
        for (int j = 0; j < list.count; j++) {
            if (list.ids[j] == riid) {
                anjay_output_ctx_t out = {{0}};
                int result = (*def)->handlers.resource_read(NULL, def, iid, rid, riid, &out);
                printf("%s: %s %s\n", label, coap(result), result ? "" : out.text);
                return;
            }
        }
    }
    printf("%s: 4.04\n", label);
}

static int write_value(anjay_iid_t iid, anjay_rid_t rid, anjay_riid_t riid, int64_t integer,
                       double number, const char *text) {
    anjay_input_ctx_t in = {integer, number, text};
    return (*def)->handlers.resource_write(NULL, def, iid, rid, riid, &in);
}

/* The end of a transaction as _anjay_dm_transaction_finish does it: validate when all went
 * well, then commit, or roll back on any error. */
static int finish(int result) {
    if (!result) {
        result = (*def)->handlers.transaction_validate(NULL, def);
    }
    if (result) {
        (*def)->handlers.transaction_rollback(NULL, def);
    } else {
        result = (*def)->handlers.transaction_commit(NULL, def);
    }
    return result;
}

static int on_execute(anjay_t *anjay, anjay_iid_t iid, anjay_rid_t rid, anjay_execute_ctx_t *ctx) {
    (void) anjay;
    (void) ctx;
    printf("executed /%u/%u\n", (unsigned) iid, (unsigned) rid);
    return 0;
}

int main(void) {
    const anjay_dm_object_def_t **object = meter_object_create();
    def = object;
    anjay_t *anjay = (anjay_t *) &def; /* any non-NULL handle: the runtime only records */
    long baseline = harness_live_allocations;
    printf("create 0: %d\n", meter_instance_create(anjay, def, 0));
    printf("create 0 again: %d\n", meter_instance_create(anjay, def, 0));
    meter_set_reading(anjay, def, 0, 21.5);
    meter_set_units(NULL, def, 0, "Cel"); /* no anjay yet: nothing to notify */
    printf("notified:%s\n", harness_notified);
    printf("set values 3: %d\n", meter_set_values(NULL, def, 0, 3, 30));
    printf("set values 9: %d\n", meter_set_values(NULL, def, 0, 9, 90));
    printf("set values 65534: %d\n", meter_set_values(NULL, def, 0, 65534, 7));

    anjay_dm_resource_list_ctx_t resources = {0};
    (*def)->handlers.list_resources(NULL, def, 0, &resources);
    printf("kinds:");
    for (int i = 0; i < resources.count; i++) {
        printf(" %u=%d", (unsigned) resources.rids[i], (int) resources.kinds[i]);
    }
    printf("\nabsent:");
    for (int i = 0; i < resources.count; i++) {
        if (!resources.present[i]) {
            printf(" %u", (unsigned) resources.rids[i]);
        }
    }
    printf("\n");

    read_instance_of("read /0/2/9", 0, 2, 9);
    read_instance_of("read /0/2/4", 0, 2, 4);
    read_instance_of("read /0/0/1", 0, 0, 1);
    read_instance("read /0", 0);
    anjay_output_ctx_t out = {{0}};
    printf("read /0/1 with a big value: %s", coap(write_value(0, 1, ANJAY_ID_INVALID,
                                                              INT64_C(5000000000), 0, "")));
    (*def)->handlers.resource_read(NULL, def, 0, 1, ANJAY_ID_INVALID, &out);
    printf(" %s\n", out.text);

    /* PUT /0 with Limit and Name: in a transaction, instance_reset, then each value. */
    int result = (*def)->handlers.transaction_begin(NULL, def);
    result = result ? result : (*def)->handlers.instance_reset(NULL, def, 0);
    result = result ? result : write_value(0, 1, ANJAY_ID_INVALID, 5, 0, "");
    result = result ? result : write_value(0, 4, ANJAY_ID_INVALID, 0, 0, "north");
    printf("replace /0: %s\n", coap(finish(result)));
    read_instance("after replace", 0);
    printf("partial /0: %s\n", coap(write_value(0, 1, ANJAY_ID_INVALID, 6, 0, "")));
    read_instance("after partial", 0);

    printf("write /0/2/9: %s\n", coap(write_value(0, 2, 9, 99, 0, "")));
    printf("write /0/2/65534: %s\n", coap(write_value(0, 2, 65534, -1, 0, "")));
    printf("write /0/7: %s\n", coap(write_value(0, 7, ANJAY_ID_INVALID, (3 << 16) | 1, 0, "")));
    read_instance("read after writes", 0);
    printf("write read-only /0/0: %s\n", coap(write_value(0, 0, ANJAY_ID_INVALID, 0, 1.0, "")));

    /* A failed write keeps nothing: each is read back whole, to compare with this. */
    read_instance("before failed writes", 0);
    /* PUT /0 with a writable (Limit) and a read-only (Reading) resource: 4.05. */
    result = (*def)->handlers.transaction_begin(NULL, def);
    result = result ? result : (*def)->handlers.instance_reset(NULL, def, 0);
    result = result ? result : write_value(0, 1, ANJAY_ID_INVALID, 77, 0, "");
    result = result ? result : write_value(0, 0, ANJAY_ID_INVALID, 0, 2.0, "");
    printf("replace /0 with a read-only: %s\n", coap(finish(result)));
    read_instance("after failed replace", 0);
    /* PUT /0/2 with 9 instances where 8 fit: resource_reset, then each instance. */
    result = (*def)->handlers.transaction_begin(NULL, def);
    result = result ? result : (*def)->handlers.resource_reset(NULL, def, 0, 2);
    for (anjay_riid_t riid = 100; !result && riid < 109; riid++) {
        result = write_value(0, 2, riid, riid, 0, "");
    }
    printf("replace /0/2 with 9: %s\n", coap(finish(result)));
    read_instance("after failed 9", 0);
    /* CREATE /1 with a read-only value: the new instance goes too. */
    result = (*def)->handlers.transaction_begin(NULL, def);
    result = result ? result : (*def)->handlers.instance_create(NULL, def, 1);
    result = result ? result : write_value(1, 0, ANJAY_ID_INVALID, 0, 2.0, "");
    printf("create /1 with a read-only: %s\n", coap(finish(result)));
    read_instance("read /1 after failed create", 1);
    /* The API: a new label too long to keep adds no empty instance. */
    char too_long[300];
    memset(too_long, 'x', sizeof(too_long) - 1);
    too_long[sizeof(too_long) - 1] = '\0';
    printf("set labels too long: %d\n", meter_set_labels(NULL, def, 0, 5, too_long));
    read_instance("after failed sets", 0);

    int64_t limit = 0;
    int got = meter_get_limit(def, 0, &limit);
    printf("get limit: %d %lld\n", got, (long long) limit);
    uint16_t link_oid = 0;
    uint16_t link_iid = 0;
    got = meter_get_peer(def, 0, &link_oid, &link_iid);
    printf("get peer: %d %u:%u\n", got, (unsigned) link_oid, (unsigned) link_iid);

    printf("execute: %s\n", coap((*def)->handlers.resource_execute(NULL, def, 0, 5, NULL)));
    meter_set_execute_callback(def, on_execute);
    printf("execute: %s\n", coap((*def)->handlers.resource_execute(NULL, def, 0, 5, NULL)));

    printf("create /1: %s\n", coap((*def)->handlers.instance_create(NULL, def, 1)));
    printf("write /1/1: %s\n", coap(write_value(1, 1, ANJAY_ID_INVALID, 12, 0, "")));
    read_instance("read /1", 1);
    printf("delete /1: %s\n", coap((*def)->handlers.instance_remove(NULL, def, 1)));
    read_instance("read /1 after delete", 1);
    printf("remove 0: %d\n", meter_instance_remove(anjay, def, 0));
    printf("left after remove: %ld\n", harness_live_allocations - baseline);
    meter_object_release(object);
    printf("left after release: %ld\n", harness_live_allocations);
    return 0;
}
