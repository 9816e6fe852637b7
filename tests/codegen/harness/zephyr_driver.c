/*
 * Drives a generated zephyr.c (object "Meter", see test_harness.py) as Zephyr's engine does:
 * runs the init LWM2M_OBJ_INIT registered, creates instance 0 through zephyr.h (the engine
 * calls the create callback), then prints how each resource's buffer was wired and what an
 * Execute answers, one line a resource, for the test to compare.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <zephyr/net/lwm2m.h>

#include "lwm2m_engine.h"
#include "lwm2m_object.h"
#include "lwm2m_33441_zephyr.h"

extern const struct lwm2m_init_func lwm2m_obj_init_object_33441_init;
extern struct lwm2m_engine_obj_inst *harness_instances[8];

/* How each instance of resource `rid` stands: made or not, its length and buffer. */
static void print_resource(const struct lwm2m_engine_obj_inst *inst, uint16_t rid,
                           const char *label) {
    for (int i = 0; i < inst->resource_count; i++) {
        const struct lwm2m_engine_res *res = inst->resources + i;
        if (res->res_id != rid) {
            continue;
        }
        printf("%s:", label);
        for (int n = 0; n < res->res_inst_count; n++) {
            const struct lwm2m_engine_res_inst *ri = res->res_instances + n;
            if (ri->res_inst_id == RES_INSTANCE_NOT_CREATED) {
                printf(" [unmade len %u of %u]", (unsigned) ri->data_len,
                       (unsigned) ri->max_data_len);
            } else {
                printf(" [%u len %u of %u]", (unsigned) ri->res_inst_id, (unsigned) ri->data_len,
                       (unsigned) ri->max_data_len);
            }
        }
        printf("\n");
    }
}

static int on_execute(uint16_t instance_id, uint16_t resource_id, uint8_t *args, uint16_t length) {
    (void) args;
    printf("executed /%u/%u with %u bytes\n", (unsigned) instance_id, (unsigned) resource_id,
           (unsigned) length);
    return 0;
}

int main(void) {
    lwm2m_obj_init_object_33441_init.f();
    printf("create 0: %d\n", object_33441_instance_create(0));
    struct lwm2m_engine_obj_inst *inst = harness_instances[0];
    for (int i = 0; i < inst->resource_count; i++) {
        struct lwm2m_engine_res *res = inst->resources + i;
        printf("resource %u:", (unsigned) res->res_id);
        if (res->execute_cb != NULL) {
            int result = res->execute_cb(0, NULL, 0);
            printf(" execute %s\n", result == -ENOTSUP ? "-ENOTSUP" : "0");
            continue;
        }
        for (int n = 0; n < res->res_inst_count; n++) {
            struct lwm2m_engine_res_inst *ri = res->res_instances + n;
            printf(" [%s len %u of %u]",
                   ri->res_inst_id == RES_INSTANCE_NOT_CREATED ? "unmade" : "made",
                   (unsigned) ri->data_len, (unsigned) ri->max_data_len);
        }
        printf("\n");
    }
    object_33441_set_execute_callback(on_execute);
    for (int i = 0; i < inst->resource_count; i++) {
        if (inst->resources[i].execute_cb != NULL) {
            printf("execute with a callback: %d\n", inst->resources[i].execute_cb(0, NULL, 3));
        }
    }
    printf("set name: %d\n", object_33441_set_name(0, "north"));
    printf("set values 9: %d\n", object_33441_set_values(0, 9, 90));

    /* A new label too long for its buffer adds no empty instance; a short one does. */
    char too_long[300];
    memset(too_long, 'x', sizeof(too_long) - 1);
    too_long[sizeof(too_long) - 1] = '\0';
    printf("set labels 5 too long: %d\n", object_33441_set_labels(0, 5, too_long));
    print_resource(inst, 3, "labels after failed set");
    printf("set labels 5: %d\n", object_33441_set_labels(0, 5, "ab"));
    print_resource(inst, 3, "labels after set");
    return 0;
}
