/*
 * The part of Anjay 3 a generated object calls, written by us for the harness from the
 * declarations in tests/fixtures/sdk/anjay (not Anjay's code): the list and output contexts
 * record what the object emits and returns, the input context hands it one value the driver
 * chose, the allocator counts, anjay_notify_* record what they are told.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <anjay/anjay.h>
#include <avsystem/commons/avs_memory.h>

#include "anjay_runtime.h"

long harness_live_allocations = 0;
char harness_notified[1024];

void *avs_malloc(size_t size) {
    void *p = malloc(size);
    harness_live_allocations += p != NULL;
    return p;
}

void *avs_calloc(size_t nmemb, size_t size) {
    void *p = calloc(nmemb, size);
    harness_live_allocations += p != NULL;
    return p;
}

void *avs_realloc(void *ptr, size_t size) {
    return realloc(ptr, size);
}

void avs_free(void *ptr) {
    if (ptr != NULL) {
        harness_live_allocations--;
        free(ptr);
    }
}

void anjay_dm_emit(anjay_dm_list_ctx_t *ctx, uint16_t id) {
    if (ctx->count < HARNESS_MAX_IDS) {
        ctx->ids[ctx->count++] = id;
    }
}

void anjay_dm_emit_res(anjay_dm_resource_list_ctx_t *ctx, anjay_rid_t rid,
                       anjay_dm_resource_kind_t kind, anjay_dm_resource_presence_t presence) {
    if (ctx->count < HARNESS_MAX_IDS) {
        ctx->rids[ctx->count] = rid;
        ctx->kinds[ctx->count] = kind;
        ctx->present[ctx->count] = presence == ANJAY_DM_RES_PRESENT;
        ctx->count++;
    }
}

int anjay_dm_transaction_NOOP(anjay_t *anjay, const anjay_dm_object_def_t *const *obj_ptr) {
    (void) anjay;
    (void) obj_ptr;
    return 0;
}

int anjay_ret_bytes(anjay_output_ctx_t *ctx, const void *data, size_t length) {
    snprintf(ctx->text, sizeof(ctx->text), "bytes %zu", length);
    (void) data;
    return 0;
}

int anjay_ret_string(anjay_output_ctx_t *ctx, const char *value) {
    snprintf(ctx->text, sizeof(ctx->text), "'%s'", value);
    return 0;
}

int anjay_ret_i64(anjay_output_ctx_t *ctx, int64_t value) {
    snprintf(ctx->text, sizeof(ctx->text), "%lld", (long long) value);
    return 0;
}

int anjay_ret_u64(anjay_output_ctx_t *ctx, uint64_t value) {
    snprintf(ctx->text, sizeof(ctx->text), "%llu", (unsigned long long) value);
    return 0;
}

int anjay_ret_double(anjay_output_ctx_t *ctx, double value) {
    snprintf(ctx->text, sizeof(ctx->text), "%g", value);
    return 0;
}

int anjay_ret_bool(anjay_output_ctx_t *ctx, bool value) {
    snprintf(ctx->text, sizeof(ctx->text), "%s", value ? "true" : "false");
    return 0;
}

int anjay_ret_objlnk(anjay_output_ctx_t *ctx, anjay_oid_t oid, anjay_iid_t iid) {
    snprintf(ctx->text, sizeof(ctx->text), "%u:%u", (unsigned) oid, (unsigned) iid);
    return 0;
}

int anjay_get_i64(anjay_input_ctx_t *ctx, int64_t *out) {
    *out = ctx->integer;
    return 0;
}

int anjay_get_i32(anjay_input_ctx_t *ctx, int32_t *out) {
    if (ctx->integer < INT32_MIN || ctx->integer > INT32_MAX) {
        return ANJAY_ERR_BAD_REQUEST;
    }
    *out = (int32_t) ctx->integer;
    return 0;
}

int anjay_get_u64(anjay_input_ctx_t *ctx, uint64_t *out) {
    *out = (uint64_t) ctx->integer;
    return 0;
}

int anjay_get_u32(anjay_input_ctx_t *ctx, uint32_t *out) {
    *out = (uint32_t) ctx->integer;
    return 0;
}

int anjay_get_double(anjay_input_ctx_t *ctx, double *out) {
    *out = ctx->number;
    return 0;
}

int anjay_get_bool(anjay_input_ctx_t *ctx, bool *out) {
    *out = ctx->integer != 0;
    return 0;
}

int anjay_get_string(anjay_input_ctx_t *ctx, char *out_buf, size_t buf_size) {
    size_t length = strlen(ctx->text);
    if (length >= buf_size) {
        return ANJAY_BUFFER_TOO_SHORT;
    }
    memcpy(out_buf, ctx->text, length + 1);
    return 0;
}

int anjay_get_bytes(anjay_input_ctx_t *ctx, size_t *out_bytes_read, bool *out_message_finished,
                    void *out_buf, size_t buf_size) {
    size_t length = strlen(ctx->text);
    *out_bytes_read = length < buf_size ? length : buf_size;
    *out_message_finished = length <= buf_size;
    memcpy(out_buf, ctx->text, *out_bytes_read);
    return 0;
}

int anjay_get_objlnk(anjay_input_ctx_t *ctx, anjay_oid_t *out_oid, anjay_iid_t *out_iid) {
    *out_oid = (anjay_oid_t) (ctx->integer >> 16);
    *out_iid = (anjay_iid_t) (ctx->integer & 0xFFFF);
    return 0;
}

int anjay_notify_changed(anjay_t *anjay, anjay_oid_t oid, anjay_iid_t iid, anjay_rid_t rid) {
    (void) anjay;
    size_t used = strlen(harness_notified);
    snprintf(harness_notified + used, sizeof(harness_notified) - used, " /%u/%u/%u",
             (unsigned) oid, (unsigned) iid, (unsigned) rid);
    return 0;
}

int anjay_notify_instances_changed(anjay_t *anjay, anjay_oid_t oid) {
    (void) anjay;
    size_t used = strlen(harness_notified);
    snprintf(harness_notified + used, sizeof(harness_notified) - used, " /%u", (unsigned) oid);
    return 0;
}
