"""example/<sdk>/main.c for a selection of our own: the build line of each (the archive's
paths of the chosen objects), the glue of each object, and the objects the example leaves to
the SDK. That they compile is test_generators' test_the_example_mains_compile."""

import pytest

from objects.codegen.example import anjay_main, example_files, wakaama_main, zephyr_main
from objects.codegen.model import from_bytes
from tests.codegen.test_generators import definition_xml


@pytest.fixture
def selection():
    gadget = from_bytes(definition_xml())  # 33333, multiple instances
    data = definition_xml(multiple="Single", version="1.0", object_id=33334)
    single = from_bytes(data.replace(b"Test Gadget", b"Other Gadget"))
    server = from_bytes(definition_xml(object_id=1))  # every example takes the SDK's own
    return [(gadget, "1.1"), (single, "1.0"), (server, "1.1")]


def test_the_anjay_main(selection):
    assert anjay_main(selection) == "\n".join(
        [
            "/*",
            " * An Anjay 3 client with the generated objects of this archive.",
            " * Build it from the archive's top folder, Anjay installed:",
            " *   cc -I. -o client example/anjay/main.c 33333-1.1/lwm2m_33333_anjay.c"
            " 33334-1.0/lwm2m_33334_anjay.c -lanjay -lavs_commons",
            " *   (or with CMake: add_executable(client ...) and target_link_libraries(client",
            " *   PRIVATE anjay)); run ./client ENDPOINT_NAME coap://SERVER:5683",
            " * Left out: 1 (this example uses Anjay's own copy).",
            " */",
            "#include <stdio.h>",
            "",
            "#include <anjay/anjay.h>",
            "#include <anjay/security.h>",
            "#include <anjay/server.h>",
            "",
            '#include "33333-1.1/lwm2m_33333_anjay.h"',
            '#include "33334-1.0/lwm2m_33334_anjay.h"',
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
            "                 || anjay_security_object_add_instance(anjay, &security,"
            " &security_iid)",
            "                 || anjay_server_object_add_instance(anjay, &server, &server_iid);",
            "",
            "    /* 33333: the glue of one generated object */",
            "    const anjay_dm_object_def_t **obj_33333 = test_gadget_object_create();",
            "    result = result || !obj_33333 || anjay_register_object(anjay, obj_33333);",
            "    result = result || test_gadget_instance_create(anjay, obj_33333, 0);",
            "",
            "    /* 33334: the glue of one generated object */",
            "    const anjay_dm_object_def_t **obj_33334 = other_gadget_object_create();",
            "    result = result || !obj_33334 || anjay_register_object(anjay, obj_33334);",
            "",
            "    if (!result) {",
            "        avs_time_duration_t wait = avs_time_duration_from_scalar(1, AVS_TIME_S);",
            "        result = anjay_event_loop_run(anjay, wait);",
            "    }",
            "    anjay_delete(anjay);",
            "    test_gadget_object_release(obj_33333);",
            "    other_gadget_object_release(obj_33334);",
            "    return result ? 1 : 0;",
            "}",
            "",
        ]
    )


def test_the_zephyr_main(selection):
    assert zephyr_main(selection) == "\n".join(
        [
            "/*",
            " * A Zephyr LwM2M client with the generated objects of this archive: copy the",
            " * archive into your application (app/) and add to its CMakeLists.txt:",
            " *   target_sources(app PRIVATE 33333-1.1/lwm2m_33333_zephyr.c)",
            " *   target_sources(app PRIVATE 33334-1.0/lwm2m_33334_zephyr.c)",
            " *   target_sources(app PRIVATE example/zephyr/main.c)",
            " *   zephyr_include_directories(. ${ZEPHYR_BASE}/subsys/net/lib/lwm2m)",
            " * with CONFIG_LWM2M=y. Each object registers itself when the engine starts.",
            " * Left out: 1 (this example uses Zephyr's engine's own copy).",
            " */",
            "#include <stdint.h>",
            "",
            "#include <zephyr/net/lwm2m.h>",
            "",
            '#include "33333-1.1/lwm2m_33333_zephyr.h"',
            '#include "33334-1.0/lwm2m_33334_zephyr.h"',
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
            "    lwm2m_set_u8(&LWM2M_OBJ(0, 0, 2), 3);",  # Security Mode 3: NoSec
            "    lwm2m_set_u16(&LWM2M_OBJ(0, 0, 10), 1);",  # Short Server ID
            "    lwm2m_set_u16(&LWM2M_OBJ(1, 0, 0), 1);",
            "    object_33333_instance_create(0); /* 33333: its glue */",
            "    object_33334_instance_create(0); /* 33334: its glue */",
            "    return lwm2m_rd_client_start(&client, ENDPOINT_NAME, 0, rd_client_event, NULL);",
            "}",
            "",
        ]
    )


def test_the_wakaama_main(selection):
    text = wakaama_main(selection)
    lines = text.splitlines()
    assert lines[: lines.index(" */") + 1] == [
        "/*",
        " * A Wakaama client with the generated objects of this archive, over plain UDP",
        " * (no DTLS), using the Security and Server objects of Wakaama's example client.",
        " * Build it from the archive's top folder:",
        " *   cc -DLWM2M_CLIENT_MODE -DLWM2M_LITTLE_ENDIAN -I. -I<wakaama>/include",
        " *      -o client example/wakaama/main.c 33333-1.1/lwm2m_33333_wakaama.c"
        " 33334-1.0/lwm2m_33334_wakaama.c",
        " *      <wakaama>/examples/client/object_security.c"
        " <wakaama>/examples/client/object_server.c",
        # A build line to copy as it is: no "/ *" where a glob was meant.
        " *      $(find <wakaama>/core <wakaama>/coap <wakaama>/data -name '*.c')",
        " *      <wakaama>/examples/shared/platform.c",
        " *   or add the same files to a target of Wakaama's CMake.",
        " * Run: ./client ENDPOINT_NAME coap://SERVER:5683",
        " * Left out: 1 (this example uses Wakaama's example client's own copy).",
        " */",
    ]
    glue = lines.index('    lwm2m_object_t *server = get_server_object(1, "U", 60, false);')
    assert lines[glue + 1 : glue + 7] == [
        "    /* 33333: the glue of one generated object */",
        "    lwm2m_object_t *obj_33333 = test_gadget_object_create();",
        "    test_gadget_instance_create(obj_33333, 0);",
        "    /* 33334: the glue of one generated object */",
        "    lwm2m_object_t *obj_33334 = other_gadget_object_create();",
        "    lwm2m_object_t *objects[] = {client.security, server, obj_33333, obj_33334};",
    ]
    assert text.endswith(
        "    lwm2m_close(context);\n"
        "    clean_security_object(client.security);\n"
        "    clean_server_object(server);\n"
        "    test_gadget_object_release(obj_33333);\n"
        "    other_gadget_object_release(obj_33334);\n"
        "    return 1;\n"
        "}\n"
    )
    assert '#include "liblwm2m.h"\n\n#include "33333-1.1/lwm2m_33333_wakaama.h"\n' in text
    assert '#include "33334-1.0/lwm2m_33334_wakaama.h"\n\n/* From Wakaama' in text
    # The prototypes of Wakaama's example client, as its object_security.c and
    # object_server.c define them.
    start = lines.index(
        "/* From Wakaama's examples/client (object_security.c, object_server.c). */"
    )
    assert lines[start + 1 : start + 8] == [
        "lwm2m_object_t *get_security_object(int serverId, const char *serverUri, char *bsPskId,",
        "                                    char *psk, uint16_t pskLen, bool isBootstrap);",
        "void clean_security_object(lwm2m_object_t *objectP);",
        "char *get_server_uri(lwm2m_object_t *objectP, uint16_t secObjInstID);",
        "lwm2m_object_t *get_server_object(int serverId, const char *binding, int lifetime,",
        "                                  bool storing);",
        "void clean_server_object(lwm2m_object_t *object);",
    ]
    for comment in (
        "/* The one connection: a UDP socket to the server the Security object names. */",
        "    if (host[0] == '[') { /* an IPv6 literal */",
    ):
        assert comment in lines


def test_the_example_files_are_the_three_mains(selection):
    assert example_files(selection) == [
        ("example/anjay/main.c", anjay_main(selection)),
        ("example/wakaama/main.c", wakaama_main(selection)),
        ("example/zephyr/main.c", zephyr_main(selection)),
    ]


def test_a_folder_an_include_cannot_name_is_left_out(selection):
    gadget, _ = selection[0]
    for main in (anjay_main, wakaama_main, zephyr_main):
        text = main([(gadget, 'x"y')])
        assert "Left out: 33333 " in text
        assert "33333" not in text.replace("Left out: 33333 ", "")


def test_zephyr_leaves_its_device_object_to_the_engine():
    device = from_bytes(definition_xml(object_id=3))
    assert " * Left out: 3 (this example uses Zephyr's engine's own copy)." in zephyr_main(
        [(device, "1.1")]
    )
    assert "Left out" not in anjay_main([(device, "1.1")])
    assert "Left out" not in wakaama_main([(device, "1.1")])
    assert '#include "3-1.1/lwm2m_3_anjay.h"' in anjay_main([(device, "1.1")])


def test_the_objects_left_out_are_listed_in_the_order_chosen():
    server, security = (from_bytes(definition_xml(object_id=i)) for i in (1, 0))
    text = anjay_main([(server, "1.1"), (security, "1.1")])
    assert " * Left out: 1, 0 (this example uses Anjay's own copy).\n" in text
    assert '#include "' not in text  # no generated object's header


def test_the_wakaama_main_steps_the_client_until_lwm2m_step_fails(selection):
    """Wakaama's main as a whole: the usage its comment's Run line gives, every object checked
    before lwm2m_configure, lwm2m_step's error printed as the hex CoAP code it is, and each
    object released after lwm2m_close."""
    gadget, _ = selection[0]
    lines = wakaama_main([(gadget, "1.1")]).splitlines()
    assert lines[lines.index("int main(int argc, char *argv[]) {") :] == [
        "int main(int argc, char *argv[]) {",
        "    if (argc != 3) {",
        '        fprintf(stderr, "usage: %s ENDPOINT_NAME coap://SERVER:5683\\n", argv[0]);',
        "        return 1;",
        "    }",
        "    client_t client = {-1, NULL};",
        "    client.security = get_security_object(1, argv[2], NULL, NULL, 0, false);",
        '    lwm2m_object_t *server = get_server_object(1, "U", 60, false);',
        "    /* 33333: the glue of one generated object */",
        "    lwm2m_object_t *obj_33333 = test_gadget_object_create();",
        "    test_gadget_instance_create(obj_33333, 0);",
        "    lwm2m_object_t *objects[] = {client.security, server, obj_33333};",
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
        "    test_gadget_object_release(obj_33333);",
        "    return 1;",
        "}",
    ]
