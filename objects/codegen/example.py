"""example/<sdk>/main.c of a selection: a whole client per SDK that registers every chosen
object and makes its instance 0, with the glue a user writes (a few lines an object) marked.

Each main builds from the archive's top folder, where each object's files are under
<ID>-<version>/, with the line its opening comment gives."""

import re
from collections.abc import Sequence

from objects.codegen import anjay, saved_name, wakaama
from objects.codegen.c_common import comment_block
from objects.codegen.model import CodegenObject

# [(CodegenObject, version label)]: the objects chosen, each with the label of its folder.
Selection = Sequence[tuple[CodegenObject, str]]

# A folder an #include can name (a header name has no escapes): the zip's <ID>-<version>.
_SAFE_FOLDER = re.compile(r"^[0-9]+-[0-9A-Za-z._]+$")

# Objects the example itself takes from the SDK (a generated copy would register them twice).
_OWN: dict[str, set[int]] = {"anjay": {0, 1}, "wakaama": {0, 1}, "zephyr": {0, 1, 3}}


def _selection(objects: Selection, sdk: str) -> tuple[list[tuple[CodegenObject, str]], list[int]]:
    """[(CodegenObject, folder)] the example registers, and the IDs it leaves to the SDK."""
    kept: list[tuple[CodegenObject, str]] = []
    skipped: list[int] = []
    for obj, label in objects:
        if obj.object_id in _OWN[sdk] or not _SAFE_FOLDER.match(f"{obj.object_id}-{label}"):
            skipped.append(obj.object_id)
        else:
            kept.append((obj, f"{obj.object_id}-{label}"))
    return kept, skipped


def _paths(kept: list[tuple[CodegenObject, str]], name: str) -> list[str]:
    """Each kept object's file `name` (a FILES name) as the archive holds it."""
    return [f"{folder}/{saved_name(name, obj.object_id)}" for obj, folder in kept]


def _skipped_note(skipped: list[int], sdk: str) -> list[str]:
    if not skipped:
        return []
    ids = ", ".join(map(str, skipped))
    return [f"Left out: {ids} (this example uses {sdk}'s own copy)."]


def anjay_main(objects: Selection) -> str:
    kept, skipped = _selection(objects, "anjay")
    sources = " ".join(_paths(kept, "anjay.c"))
    out = [
        comment_block(
            [
                "An Anjay 3 client with the generated objects of this archive.",
                "Build it from the archive's top folder, Anjay installed:",
                f"  cc -I. -o client example/anjay/main.c {sources} -lanjay -lavs_commons",
                "  (or with CMake: add_executable(client ...) and target_link_libraries(client",
                "  PRIVATE anjay)); run ./client ENDPOINT_NAME coap://SERVER:5683",
                *_skipped_note(skipped, "Anjay"),
            ]
        ),
        "#include <stdio.h>",
        "",
        "#include <anjay/anjay.h>",
        "#include <anjay/security.h>",
        "#include <anjay/server.h>",
        "",
    ]
    out += [f'#include "{path}"' for path in _paths(kept, "anjay.h")]
    out += [
        "",
        "int main(int argc, char *argv[]) {",
        "    if (argc != 3) {",
        '        fprintf(stderr, "usage: %s ENDPOINT_NAME coap://SERVER:5683\\n", argv[0]);',
        "        return 1;",
        "    }",
        "    const anjay_configuration_t config = {",
        "        .endpoint_name = argv[1],",
        "        .in_buffer_size = 4000,",
        "        .out_buffer_size = 4000,",
        "        .msg_cache_size = 4000",
        "    };",
        "    anjay_t *anjay = anjay_new(&config);",
        "    if (!anjay) {",
        "        return 1;",
        "    }",
        "    const anjay_security_instance_t security = {",
        "        .ssid = 1,",
        "        .server_uri = argv[2],",
        "        .security_mode = ANJAY_SECURITY_NOSEC",
        "    };",
        "    const anjay_server_instance_t server = {",
        "        .ssid = 1,",
        "        .lifetime = 60,",
        "        .default_min_period = -1,",
        "        .default_max_period = -1,",
        "        .disable_timeout = -1,",
        '        .binding = "U"',
        "    };",
        "    anjay_iid_t security_iid = ANJAY_ID_INVALID;",
        "    anjay_iid_t server_iid = ANJAY_ID_INVALID;",
        "    int result = anjay_security_object_install(anjay)",
        "                 || anjay_server_object_install(anjay)",
        "                 || anjay_security_object_add_instance(anjay, &security, &security_iid)",
        "                 || anjay_server_object_add_instance(anjay, &server, &server_iid);",
    ]
    for obj, _ in kept:
        p = anjay.AnjayFile(obj).p
        v = f"obj_{obj.object_id}"
        out.append("")
        out.append(f"    /* {obj.object_id}: the glue of one generated object */")
        out.append(f"    const anjay_dm_object_def_t **{v} = {p}_object_create();")
        out.append(f"    result = result || !{v} || anjay_register_object(anjay, {v});")
        if obj.multiple:
            out.append(f"    result = result || {p}_instance_create(anjay, {v}, 0);")
    out += [
        "",
        "    if (!result) {",
        "        avs_time_duration_t wait = avs_time_duration_from_scalar(1, AVS_TIME_S);",
        "        result = anjay_event_loop_run(anjay, wait);",
        "    }",
        "    anjay_delete(anjay);",
    ]
    for obj, _ in kept:
        p = anjay.AnjayFile(obj).p
        out.append(f"    {p}_object_release(obj_{obj.object_id});")
    out += ["    return result ? 1 : 0;", "}"]
    return "\n".join(out) + "\n"


def wakaama_main(objects: Selection) -> str:
    kept, skipped = _selection(objects, "wakaama")
    sources = " ".join(_paths(kept, "wakaama.c"))
    client = "<wakaama>/examples/client"
    out = [
        comment_block(
            [
                "A Wakaama client with the generated objects of this archive, over plain UDP",
                "(no DTLS), using the Security and Server objects of Wakaama's example client.",
                "Build it from the archive's top folder:",
                "  cc -DLWM2M_CLIENT_MODE -DLWM2M_LITTLE_ENDIAN -I. -I<wakaama>/include",
                f"     -o client example/wakaama/main.c {sources}",
                f"     {client}/object_security.c {client}/object_server.c",
                # No glob: "/*" cannot stand in a C comment, and c_comment would break it.
                "     $(find <wakaama>/core <wakaama>/coap <wakaama>/data -name '*.c')",
                "     <wakaama>/examples/shared/platform.c",
                "  or add the same files to a target of Wakaama's CMake.",
                "Run: ./client ENDPOINT_NAME coap://SERVER:5683",
                *_skipped_note(skipped, "Wakaama's example client"),
            ]
        ),
        "#define _POSIX_C_SOURCE 200112L",
        "",
        "#include <netdb.h>",
        "#include <stdbool.h>",
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "#include <string.h>",
        "#include <sys/select.h>",
        "#include <sys/socket.h>",
        "#include <sys/types.h>",
        "#include <time.h>",
        "#include <unistd.h>",
        "",
        '#include "liblwm2m.h"',
        "",
    ]
    out += [f'#include "{path}"' for path in _paths(kept, "wakaama.h")]
    out += [
        "",
        "/* From Wakaama's examples/client (object_security.c, object_server.c). */",
        "lwm2m_object_t *get_security_object(int serverId, const char *serverUri, char *bsPskId,",
        "                                    char *psk, uint16_t pskLen, bool isBootstrap);",
        "void clean_security_object(lwm2m_object_t *objectP);",
        "char *get_server_uri(lwm2m_object_t *objectP, uint16_t secObjInstID);",
        "lwm2m_object_t *get_server_object(int serverId, const char *binding, int lifetime,",
        "                                  bool storing);",
        "void clean_server_object(lwm2m_object_t *object);",
        "",
        "/* The one connection: a UDP socket to the server the Security object names. */",
        "typedef struct {",
        "    int sock;",
        "    lwm2m_object_t *security;",
        "} client_t;",
        "",
        "void *lwm2m_connect_server(uint16_t secObjInstID, void *userData) {",
        "    client_t *client = (client_t *) userData;",
        "    char *uri = get_server_uri(client->security, secObjInstID);",
        '    if (uri == NULL || strncmp(uri, "coap://", 7) != 0) {',
        "        lwm2m_free(uri);",
        "        return NULL;",
        "    }",
        "    char *host = uri + 7;",
        '    const char *port = "5683";',
        "    char *colon = strrchr(host, ':');",
        "    if (colon != NULL && strchr(colon, ']') == NULL) {",
        "        *colon = '\\0';",
        "        port = colon + 1;",
        "    }",
        "    if (host[0] == '[') { /* an IPv6 literal */",
        "        host++;",
        "        host[strcspn(host, \"]\")] = '\\0';",
        "    }",
        "    struct addrinfo hints;",
        "    memset(&hints, 0, sizeof(hints));",
        "    hints.ai_family = AF_UNSPEC;",
        "    hints.ai_socktype = SOCK_DGRAM;",
        "    struct addrinfo *found = NULL;",
        "    int failed = getaddrinfo(host, port, &hints, &found);",
        "    lwm2m_free(uri);",
        "    if (failed || found == NULL) {",
        "        return NULL;",
        "    }",
        "    client->sock = socket(found->ai_family, found->ai_socktype, found->ai_protocol);",
        "    if (client->sock >= 0 && connect(client->sock, found->ai_addr, found->ai_addrlen)) {",
        "        close(client->sock);",
        "        client->sock = -1;",
        "    }",
        "    freeaddrinfo(found);",
        "    return client->sock >= 0 ? client : NULL;",
        "}",
        "",
        "void lwm2m_close_connection(void *sessionH, void *userData) {",
        "    (void) userData;",
        "    client_t *client = (client_t *) sessionH;",
        "    if (client->sock >= 0) {",
        "        close(client->sock);",
        "        client->sock = -1;",
        "    }",
        "}",
        "",
        "uint8_t lwm2m_buffer_send(void *sessionH, uint8_t *buffer, size_t length,",
        "                          void *userData) {",
        "    (void) userData;",
        "    client_t *client = (client_t *) sessionH;",
        "    ssize_t sent = send(client->sock, buffer, length, 0);",
        "    return sent == (ssize_t) length ? COAP_NO_ERROR : COAP_500_INTERNAL_SERVER_ERROR;",
        "}",
        "",
        "bool lwm2m_session_is_equal(void *session1, void *session2, void *userData) {",
        "    (void) userData;",
        "    return session1 == session2;",
        "}",
        "",
        "int main(int argc, char *argv[]) {",
        "    if (argc != 3) {",
        '        fprintf(stderr, "usage: %s ENDPOINT_NAME coap://SERVER:5683\\n", argv[0]);',
        "        return 1;",
        "    }",
        "    client_t client = {-1, NULL};",
        "    client.security = get_security_object(1, argv[2], NULL, NULL, 0, false);",
        '    lwm2m_object_t *server = get_server_object(1, "U", 60, false);',
    ]
    names = ["client.security", "server"]
    for obj, _ in kept:
        p = wakaama.WakaamaFile(obj).p
        out.append(f"    /* {obj.object_id}: the glue of one generated object */")
        v = f"obj_{obj.object_id}"
        out.append(f"    lwm2m_object_t *{v} = {p}_object_create();")
        if obj.multiple:
            out.append(f"    {p}_instance_create({v}, 0);")
        names.append(v)
    out += [
        f"    lwm2m_object_t *objects[] = {{{', '.join(names)}}};",
        "    for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {",
        "        if (objects[i] == NULL) {",
        '            fprintf(stderr, "out of memory\\n");',
        "            return 1;",
        "        }",
        "    }",
        "    lwm2m_context_t *context = lwm2m_init(&client);",
        "    if (context == NULL",
        "        || lwm2m_configure(context, argv[1], NULL, NULL,",
        "                           (uint16_t) (sizeof(objects) / sizeof(objects[0])), objects)) {",
        "        return 1;",
        "    }",
        "    for (;;) {",
        "        time_t timeout = 60;",
        "        int result = lwm2m_step(context, &timeout);",
        "        if (result != 0) {",
        '            fprintf(stderr, "lwm2m_step: 0x%02X\\n", (unsigned) result);',
        "            break;",
        "        }",
        "        fd_set readfds;",
        "        FD_ZERO(&readfds);",
        "        if (client.sock >= 0) {",
        "            FD_SET(client.sock, &readfds);",
        "        }",
        "        struct timeval wait = {timeout, 0};",
        "        if (select(client.sock + 1, &readfds, NULL, NULL, &wait) > 0",
        "            && FD_ISSET(client.sock, &readfds)) {",
        "            uint8_t buffer[2048];",
        "            ssize_t got = recv(client.sock, buffer, sizeof(buffer), 0);",
        "            if (got > 0) {",
        "                lwm2m_handle_packet(context, buffer, (size_t) got, &client);",
        "            }",
        "        }",
        "    }",
        "    lwm2m_close(context);",
        "    clean_security_object(client.security);",
        "    clean_server_object(server);",
    ]
    for obj, _ in kept:
        p = wakaama.WakaamaFile(obj).p
        out.append(f"    {p}_object_release(obj_{obj.object_id});")
    out += ["    return 1;", "}"]
    return "\n".join(out) + "\n"


def zephyr_main(objects: Selection) -> str:
    kept, skipped = _selection(objects, "zephyr")
    out = [
        comment_block(
            [
                "A Zephyr LwM2M client with the generated objects of this archive: copy the",
                "archive into your application (app/) and add to its CMakeLists.txt:",
                *[f"  target_sources(app PRIVATE {path})" for path in _paths(kept, "zephyr.c")],
                "  target_sources(app PRIVATE example/zephyr/main.c)",
                "  zephyr_include_directories(. ${ZEPHYR_BASE}/subsys/net/lib/lwm2m)",
                "with CONFIG_LWM2M=y. Each object registers itself when the engine starts.",
                *_skipped_note(skipped, "Zephyr's engine"),
            ]
        ),
        "#include <stdint.h>",
        "",
        "#include <zephyr/net/lwm2m.h>",
        "",
    ]
    out += [f'#include "{path}"' for path in _paths(kept, "zephyr.h")]
    out += [
        "",
        '#define SERVER_URI "coap://192.0.2.1:5683" /* your server */',
        '#define ENDPOINT_NAME "zephyr-example"',
        "",
        "static struct lwm2m_ctx client;",
        "",
        "static void rd_client_event(struct lwm2m_ctx *ctx, enum lwm2m_rd_client_event event)",
        "{",
        "    (void)ctx;",
        "    (void)event;",
        "}",
        "",
        "int main(void)",
        "{",
        "    /* Security and Server instance 0 (the engine's own objects): NoSec, SSID 1. */",
        "    lwm2m_set_string(&LWM2M_OBJ(0, 0, 0), SERVER_URI);",
        "    lwm2m_set_u8(&LWM2M_OBJ(0, 0, 2), 3);",
        "    lwm2m_set_u16(&LWM2M_OBJ(0, 0, 10), 1);",
        "    lwm2m_set_u16(&LWM2M_OBJ(1, 0, 0), 1);",
    ]
    for obj, _ in kept:
        out.append(
            f"    object_{obj.object_id}_instance_create(0); /* {obj.object_id}: its glue */"
        )
    out += [
        "    return lwm2m_rd_client_start(&client, ENDPOINT_NAME, 0, rd_client_event, NULL);",
        "}",
    ]
    return "\n".join(out) + "\n"


def example_files(objects: Selection) -> list[tuple[str, str]]:
    """[(path, text)] of the three example mains for [(CodegenObject, version label)]."""
    return [
        ("example/anjay/main.c", anjay_main(objects)),
        ("example/wakaama/main.c", wakaama_main(objects)),
        ("example/zephyr/main.c", zephyr_main(objects)),
    ]
