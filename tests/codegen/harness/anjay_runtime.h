/* The harness's contexts behind Anjay's opaque types (declared by us for the tests). */
#ifndef HARNESS_ANJAY_RUNTIME_H
#define HARNESS_ANJAY_RUNTIME_H

#include <anjay/anjay.h>

#define HARNESS_MAX_IDS 64

struct anjay_dm_list_ctx_struct {
    int count;
    uint16_t ids[HARNESS_MAX_IDS];
};

struct anjay_dm_resource_list_ctx_struct {
    int count;
    anjay_rid_t rids[HARNESS_MAX_IDS];
    anjay_dm_resource_kind_t kinds[HARNESS_MAX_IDS];
    bool present[HARNESS_MAX_IDS];
};

struct anjay_output_ctx_struct {
    char text[512];
};

struct anjay_input_ctx_struct {
    int64_t integer;
    double number;
    const char *text;
};

struct anjay_execute_ctx_struct {
    int unused;
};

extern long harness_live_allocations;
extern char harness_notified[1024];

#endif /* HARNESS_ANJAY_RUNTIME_H */
