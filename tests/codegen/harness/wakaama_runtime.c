/*
 * The part of Wakaama's core a generated object calls, written by us for the harness from
 * liblwm2m.h's declarations and documented behaviour (not Wakaama's code): memory, lists, the
 * lwm2m_data_t helpers, and lwm2m_resource_value_changed, which records what it is told.
 * Every allocation is counted, so a driver can tell a leak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "liblwm2m.h"

long harness_live_allocations = 0;
char harness_changed[1024];

void *lwm2m_malloc(size_t s) {
    void *p = malloc(s);
    if (p != NULL) {
        harness_live_allocations++;
    }
    return p;
}

void lwm2m_free(void *p) {
    if (p != NULL) {
        harness_live_allocations--;
        free(p);
    }
}

lwm2m_list_t *lwm2m_list_add(lwm2m_list_t *head, lwm2m_list_t *node) {
    /* kept sorted by id, as Wakaama's list is */
    if (head == NULL || head->id > node->id) {
        node->next = head;
        return node;
    }
    lwm2m_list_t *it = head;
    while (it->next != NULL && it->next->id < node->id) {
        it = it->next;
    }
    node->next = it->next;
    it->next = node;
    return head;
}

lwm2m_list_t *lwm2m_list_find(lwm2m_list_t *head, uint16_t id) {
    while (head != NULL && head->id != id) {
        head = head->next;
    }
    return head;
}

lwm2m_list_t *lwm2m_list_remove(lwm2m_list_t *head, uint16_t id, lwm2m_list_t **nodeP) {
    lwm2m_list_t **link = &head;
    while (*link != NULL && (*link)->id != id) {
        link = &(*link)->next;
    }
    if (nodeP != NULL) {
        *nodeP = *link;
    }
    if (*link != NULL) {
        *link = (*link)->next;
    }
    return head;
}

lwm2m_data_t *lwm2m_data_new(int size) {
    if (size <= 0) {
        return NULL;
    }
    lwm2m_data_t *data = (lwm2m_data_t *) lwm2m_malloc((size_t) size * sizeof(lwm2m_data_t));
    if (data != NULL) {
        memset(data, 0, (size_t) size * sizeof(lwm2m_data_t));
    }
    return data;
}

void lwm2m_data_free(int size, lwm2m_data_t *dataP) {
    if (dataP == NULL) {
        return;
    }
    for (int i = 0; i < size; i++) {
        switch (dataP[i].type) {
        case LWM2M_TYPE_MULTIPLE_RESOURCE:
        case LWM2M_TYPE_OBJECT_INSTANCE:
        case LWM2M_TYPE_OBJECT:
            lwm2m_data_free((int) dataP[i].value.asChildren.count, dataP[i].value.asChildren.array);
            break;
        case LWM2M_TYPE_STRING:
        case LWM2M_TYPE_OPAQUE:
        case LWM2M_TYPE_CORE_LINK:
            lwm2m_free(dataP[i].value.asBuffer.buffer);
            break;
        default:
            break;
        }
    }
    lwm2m_free(dataP);
}

static void set_buffer(lwm2m_data_t *dataP, lwm2m_data_type_t type, const void *bytes,
                       size_t length) {
    dataP->type = type;
    dataP->value.asBuffer.length = length;
    dataP->value.asBuffer.buffer = (uint8_t *) lwm2m_malloc(length + 1);
    if (length > 0) {
        memcpy(dataP->value.asBuffer.buffer, bytes, length);
    }
}

void lwm2m_data_encode_string(const char *string, lwm2m_data_t *dataP) {
    set_buffer(dataP, LWM2M_TYPE_STRING, string, strlen(string));
}

void lwm2m_data_encode_corelink(const char *corelink, lwm2m_data_t *dataP) {
    set_buffer(dataP, LWM2M_TYPE_CORE_LINK, corelink, strlen(corelink));
}

void lwm2m_data_encode_opaque(const uint8_t *buffer, size_t length, lwm2m_data_t *dataP) {
    set_buffer(dataP, LWM2M_TYPE_OPAQUE, buffer, length);
}

void lwm2m_data_encode_int(int64_t value, lwm2m_data_t *dataP) {
    dataP->type = LWM2M_TYPE_INTEGER;
    dataP->value.asInteger = value;
}

void lwm2m_data_encode_uint(uint64_t value, lwm2m_data_t *dataP) {
    dataP->type = LWM2M_TYPE_UNSIGNED_INTEGER;
    dataP->value.asUnsigned = value;
}

void lwm2m_data_encode_float(double value, lwm2m_data_t *dataP) {
    dataP->type = LWM2M_TYPE_FLOAT;
    dataP->value.asFloat = value;
}

void lwm2m_data_encode_bool(bool value, lwm2m_data_t *dataP) {
    dataP->type = LWM2M_TYPE_BOOLEAN;
    dataP->value.asBoolean = value;
}

void lwm2m_data_encode_objlink(uint16_t objectId, uint16_t objectInstanceId,
                               lwm2m_data_t *dataP) {
    dataP->type = LWM2M_TYPE_OBJECT_LINK;
    dataP->value.asObjLink.objectId = objectId;
    dataP->value.asObjLink.objectInstanceId = objectInstanceId;
}

/* As the core's: the children become the resource's (any it had are not freed). */
void lwm2m_data_encode_instances(lwm2m_data_t *subDataP, size_t count, lwm2m_data_t *dataP) {
    dataP->type = LWM2M_TYPE_MULTIPLE_RESOURCE;
    dataP->value.asChildren.count = count;
    dataP->value.asChildren.array = subDataP;
}

int lwm2m_data_decode_int(const lwm2m_data_t *dataP, int64_t *valueP) {
    if (dataP->type != LWM2M_TYPE_INTEGER) {
        return 0;
    }
    *valueP = dataP->value.asInteger;
    return 1;
}

int lwm2m_data_decode_uint(const lwm2m_data_t *dataP, uint64_t *valueP) {
    if (dataP->type != LWM2M_TYPE_UNSIGNED_INTEGER) {
        return 0;
    }
    *valueP = dataP->value.asUnsigned;
    return 1;
}

int lwm2m_data_decode_float(const lwm2m_data_t *dataP, double *valueP) {
    if (dataP->type != LWM2M_TYPE_FLOAT) {
        return 0;
    }
    *valueP = dataP->value.asFloat;
    return 1;
}

int lwm2m_data_decode_bool(const lwm2m_data_t *dataP, bool *valueP) {
    if (dataP->type != LWM2M_TYPE_BOOLEAN) {
        return 0;
    }
    *valueP = dataP->value.asBoolean;
    return 1;
}

void lwm2m_resource_value_changed(lwm2m_context_t *contextP, lwm2m_uri_t *uriP) {
    (void) contextP;
    size_t used = strlen(harness_changed);
    snprintf(harness_changed + used, sizeof(harness_changed) - used, " /%u/%u/%u",
             (unsigned) uriP->objectId, (unsigned) uriP->instanceId, (unsigned) uriP->resourceId);
}
