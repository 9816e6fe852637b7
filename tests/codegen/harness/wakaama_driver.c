/*
 * Drives a generated wakaama.c (object "Meter", see test_harness.py) the way Wakaama's core
 * calls an object (core/objects.c: object_readData, object_write, object_create, object_delete,
 * object_execute), through the object's callbacks and wakaama.h's API, and prints what comes
 * back, one line a step, for the test to compare.
 */
#include <stdio.h>
#include <string.h>

#include "liblwm2m.h"
#include "lwm2m_33441_wakaama.h"

extern long harness_live_allocations;
extern char harness_changed[1024];

static void print_data(const lwm2m_data_t *data, int count) {
    for (int i = 0; i < count; i++) {
        const lwm2m_data_t *d = data + i;
        printf(" %u=", (unsigned) d->id);
        switch (d->type) {
        case LWM2M_TYPE_MULTIPLE_RESOURCE:
            printf("[");
            print_data(d->value.asChildren.array, (int) d->value.asChildren.count);
            printf(" ]");
            break;
        case LWM2M_TYPE_INTEGER:
            printf("%lld", (long long) d->value.asInteger);
            break;
        case LWM2M_TYPE_FLOAT:
            printf("%g", d->value.asFloat);
            break;
        case LWM2M_TYPE_STRING:
            printf("'%.*s'", (int) d->value.asBuffer.length, (const char *) d->value.asBuffer.buffer);
            break;
        case LWM2M_TYPE_OBJECT_LINK:
            printf("%u:%u", (unsigned) d->value.asObjLink.objectId,
                   (unsigned) d->value.asObjLink.objectInstanceId);
            break;
        default:
            printf("type%d", (int) d->type);
        }
    }
}

/* A read as object_readData does it: of an instance (rid < 0), a resource, or one instance. */
static void do_read(lwm2m_object_t *object, const char *label, uint16_t iid, int rid, int riid) {
    long before = harness_live_allocations;
    int size = 0;
    lwm2m_data_t *data = NULL;
    if (rid >= 0) {
        size = 1;
        data = lwm2m_data_new(1);
        data->id = (uint16_t) rid;
        if (riid >= 0) {
            lwm2m_data_t *sub = lwm2m_data_new(1);
            sub->id = (uint16_t) riid;
            lwm2m_data_encode_instances(sub, 1, data);
        }
    }
    uint8_t result = object->readFunc(NULL, iid, &size, &data, object);
    printf("%s: %02X", label, (unsigned) result);
    if (result == COAP_205_CONTENT) {
        print_data(data, size);
    }
    lwm2m_data_free(size, data);
    printf(" | leaked %ld\n", harness_live_allocations - before);
}

static lwm2m_data_t *values(int count) {
    return lwm2m_data_new(count);
}

static void do_write(lwm2m_object_t *object, const char *label, uint16_t iid, lwm2m_data_t *data,
                  int count, lwm2m_write_type_t type) {
    uint8_t result = object->writeFunc(NULL, iid, count, data, object, type);
    printf("%s: %02X\n", label, (unsigned) result);
    lwm2m_data_free(count, data);
}

static uint8_t on_execute(lwm2m_context_t *context, uint16_t instance_id, uint16_t resource_id,
                          uint8_t *args, int length) {
    (void) context;
    printf("executed /%u/%u with %d bytes\n", (unsigned) instance_id, (unsigned) resource_id,
           length);
    (void) args;
    return COAP_204_CHANGED;
}

int main(void) {
    lwm2m_object_t *object = meter_object_create();
    long baseline = harness_live_allocations;
    printf("create 0: %d\n", meter_instance_create(object, 0));
    printf("create 0 again: %d\n", meter_instance_create(object, 0));
    meter_set_reading(NULL, object, 0, 21.5);
    meter_set_units((lwm2m_context_t *) object, object, 0, "Cel"); /* any non-NULL context */
    printf("changed:%s\n", harness_changed);
    printf("set values 3: %d\n", meter_set_values(NULL, object, 0, 3, 30));
    printf("set values 9: %d\n", meter_set_values(NULL, object, 0, 9, 90));
    printf("set values 65534: %d\n", meter_set_values(NULL, object, 0, 65534, 7));

    do_read(object, "read /0/2/9", 0, 2, 9);
    do_read(object, "read /0/2/4", 0, 2, 4);
    do_read(object, "read /0/2", 0, 2, -1);
    do_read(object, "read /0/0/1", 0, 0, 1);
    do_read(object, "read /0", 0, -1, -1);
    do_read(object, "read /0/6", 0, 6, -1);
    do_read(object, "read /0/8", 0, 8, -1);

    /* DISCOVER /0 as object_discover asks it: the object names its resources. */
    int size = 0;
    lwm2m_data_t *found = NULL;
    uint8_t answer = object->discoverFunc(NULL, 0, &size, &found, object);
    printf("discover /0: %02X", (unsigned) answer);
    for (int i = 0; i < size; i++) {
        printf(" %u", (unsigned) found[i].id);
    }
    printf("\n");
    lwm2m_data_free(size, found);

    /* PUT /0 with the writable resources: Limit, Name (Values not given: emptied). */
    lwm2m_data_t *data = values(2);
    data[0].id = 1;
    lwm2m_data_encode_int(5, data + 0);
    data[1].id = 4;
    lwm2m_data_encode_string("north", data + 1);
    do_write(object, "replace /0", 0, data, 2, LWM2M_WRITE_REPLACE_INSTANCE);
    do_read(object, "after replace", 0, -1, -1);

    /* POST /0 with Limit only: Name stays. */
    data = values(1);
    data[0].id = 1;
    lwm2m_data_encode_int(6, data + 0);
    do_write(object, "partial /0", 0, data, 1, LWM2M_WRITE_PARTIAL_UPDATE);
    do_read(object, "after partial", 0, -1, -1);

    /* PUT /0/2/9 as object_write hands it: the resource with the one instance, partial. */
    data = values(1);
    data[0].id = 2;
    lwm2m_data_t *child = lwm2m_data_new(1);
    child->id = 9;
    lwm2m_data_encode_int(99, child);
    lwm2m_data_encode_instances(child, 1, data);
    do_write(object, "write /0/2/9", 0, data, 1, LWM2M_WRITE_PARTIAL_UPDATE);
    data = values(1);
    data[0].id = 2;
    child = lwm2m_data_new(1);
    child->id = 65534;
    lwm2m_data_encode_int(-1, child);
    lwm2m_data_encode_instances(child, 1, data);
    do_write(object, "write /0/2/65534", 0, data, 1, LWM2M_WRITE_PARTIAL_UPDATE);
    do_read(object, "read /0/2 after", 0, 2, -1);

    data = values(1);
    data[0].id = 0;
    lwm2m_data_encode_float(1.0, data + 0);
    do_write(object, "write read-only /0/0", 0, data, 1, LWM2M_WRITE_PARTIAL_UPDATE);

    /* A failed write keeps nothing: each is read back whole, to compare with this. */
    do_read(object, "before failed writes", 0, -1, -1);
    /* PUT /0 with a writable (Limit) and a read-only (Reading) resource: 4.05. */
    data = values(2);
    data[0].id = 1;
    lwm2m_data_encode_int(77, data + 0);
    data[1].id = 0;
    lwm2m_data_encode_float(2.0, data + 1);
    do_write(object, "replace /0 with a read-only", 0, data, 2, LWM2M_WRITE_REPLACE_INSTANCE);
    do_read(object, "after failed replace", 0, -1, -1);
    /* PUT /0/2 with 9 instances where 8 fit: 4.13. */
    data = values(1);
    data[0].id = 2;
    child = lwm2m_data_new(9);
    for (int i = 0; i < 9; i++) {
        child[i].id = (uint16_t) (100 + i);
        lwm2m_data_encode_int(100 + i, child + i);
    }
    lwm2m_data_encode_instances(child, 9, data);
    do_write(object, "replace /0/2 with 9", 0, data, 1, LWM2M_WRITE_REPLACE_RESOURCES);
    do_read(object, "after failed 9", 0, -1, -1);
    /* The API: a new label too long to keep adds no empty instance. */
    char too_long[300];
    memset(too_long, 'x', sizeof(too_long) - 1);
    too_long[sizeof(too_long) - 1] = '\0';
    printf("set labels too long: %d\n", meter_set_labels(NULL, object, 0, 5, too_long));
    printf("set values 65535: %d\n", meter_set_values(NULL, object, 0, 65535, 1));
    do_read(object, "after failed sets", 0, -1, -1);

    int64_t limit = 0;
    int got = meter_get_limit(object, 0, &limit);
    printf("get limit: %d %lld\n", got, (long long) limit);
    int64_t value = 0;
    got = meter_get_values(object, 0, 9, &value);
    printf("get values 9: %d %lld\n", got, (long long) value);
    printf("get values 4: %d\n", meter_get_values(object, 0, 4, &value));

    printf("execute: %02X\n", (unsigned) object->executeFunc(NULL, 0, 5, NULL, 0, object));
    meter_set_execute_callback(object, on_execute);
    printf("execute: %02X\n", (unsigned) object->executeFunc(NULL, 0, 5, NULL, 0, object));
    printf("execute /0/1: %02X\n", (unsigned) object->executeFunc(NULL, 0, 1, NULL, 0, object));

    /* CREATE /1 with a value, as object_create hands it; then DELETE it. */
    data = values(1);
    data[0].id = 1;
    lwm2m_data_encode_int(12, data + 0);
    printf("create /1: %02X\n", (unsigned) object->createFunc(NULL, 1, 1, data, object));
    lwm2m_data_free(1, data);
    do_read(object, "read /1/1", 1, 1, -1);
    printf("delete /1: %02X\n", (unsigned) object->deleteFunc(NULL, 1, object));
    printf("delete /1 again: %02X\n", (unsigned) object->deleteFunc(NULL, 1, object));
    do_read(object, "read /1", 1, -1, -1);

    printf("remove 0: %d\n", meter_instance_remove(object, 0));
    printf("left after remove: %ld\n", harness_live_allocations - baseline);
    meter_object_release(object);
    printf("left after release: %ld\n", harness_live_allocations);
    return 0;
}
