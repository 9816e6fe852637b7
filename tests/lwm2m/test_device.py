"""The device reader's query parameters, in plain Python (the registry's side is
tests/catalog/test_device.py)."""

import pytest

from objects.lwm2m import device


@pytest.mark.parametrize("pct", ["%C2%B2", "%D9%A5", "9" * 5000], ids=["sup2", "arabic5", "long"])
def test_a_pct_that_is_no_ascii_number_is_a_parameter_not_a_crash(pct):
    # "²" and "٥" pass str.isdigit() yet int() refuses them, as it does 5000 digits.
    reading = device.read(f"POST /bs?ep=a&pct={pct}")
    param = next(p for p in reading.parameters if p.name == "pct")
    assert param.meaning == device.PARAMETERS["pct"]


def test_a_pct_names_its_content_format():
    reading = device.read("POST /bs?ep=a&pct=112")
    param = next(p for p in reading.parameters if p.name == "pct")
    assert param.meaning == device.PARAMETERS["pct"] + ": SenML CBOR"


@pytest.mark.parametrize("lt, problem", [("%C2%B2", "a whole number of seconds"), ("60", "")])
def test_a_lifetime_is_ascii_digits(lt, problem):
    reading = device.read(f"POST /rd?ep=a&lt={lt}")
    assert next(p for p in reading.parameters if p.name == "lt").problem == problem


# --- A pasted request or payload read whole --------------------------------------------------

# As the clients write them: Leshan's (a root link with its formats, ver= where not the default),
# Wakaama's (1.0, no root link) and Anjay's (1.1, Q alone).
LESHAN_REGISTER = (
    "CON POST coap://127.0.0.1:5683/rd?ep=leshan-client&lt=300&lwm2m=1.1&b=U\n"
    '</>;rt="oma.lwm2m";ct="60 110 112 11542 11543",</1>;ver=1.1,</1/0>,</3>;ver=1.1,</3/0>,'
    "</3303>;ver=1.1,</3303/0>,</3303/1>"
)
WAKAAMA_REGISTER = "/rd?ep=testlwm2mclient&lt=300&lwm2m=1.0&b=U\n</1/0>,</2/0>,</3/0>,</3304/0>"
ANJAY_REGISTER = (
    "POST /rd?lwm2m=1.1&ep=urn:dev:os:0023C7-000001&lt=86400&b=U&Q\n"
    "</1>;ver=1.1,</1/1>,</3/0>,</3303>;ver=1.0,</3303/0>,</31024/0>"
)
CORE_1_0 = "core object: the version LwM2M 1.0 defines it in"
CORE_1_1 = "core object: the version LwM2M 1.1 defines it in"
NO_VER = "no ver=: 1.0"
DEVICE_1_1 = "LwM2M 1.1 (2018) said 1.0, 1.1.1 says 1.1; Leshan reads 1.1"
UPDATE_VERSION = (
    "an Update does not say its LwM2M version: choose the one the client registered with "
    "(1.0 is assumed)"
)


def head(reading):
    """What a reading says of the request: kind, version and its source, method, path, root."""
    return (reading.kind, reading.lwm2m, reading.lwm2m_source, reading.method, reading.path,
            reading.root)  # fmt: skip


def objects(reading):
    return [(o.object_id, o.version, o.version_rule, o.version_note, o.instances, o.link)
            for o in reading.objects]  # fmt: skip


def warnings(reading):
    return [(w.link, w.message) for w in reading.warnings]


def test_a_leshan_register_request():
    reading = device.read(LESHAN_REGISTER)
    assert head(reading) == ("register", "1.1", "request", "POST", "/rd", "/")
    assert reading.kind_name == "Register request"
    assert [(p.name, p.value, p.problem) for p in reading.parameters] == [
        ("ep", "leshan-client", ""), ("lt", "300", ""), ("lwm2m", "1.1", ""), ("b", "U", ""),
    ]  # fmt: skip
    assert reading.parameters[3].meaning == device.PARAMETERS["b"] + ": UDP"
    assert reading.content_formats == [
        ("60", "CBOR"), ("110", "SenML JSON"), ("112", "SenML CBOR"), ("11542", "OMA TLV"),
        ("11543", "LwM2M JSON (1.0)"),
    ]  # fmt: skip
    assert objects(reading) == [
        (1, "1.1", "ver", "", [0], "</1>"),
        (3, "1.1", "ver", "", [0], "</3>"),
        (3303, "1.1", "ver", "", [0, 1], "</3303>"),
    ]
    assert warnings(reading) == []


def test_a_wakaama_register_takes_every_default_at_1_0():
    reading = device.read(WAKAAMA_REGISTER)
    assert head(reading) == ("register", "1.0", "request", "", "/rd", "/")
    assert reading.content_formats == []
    assert objects(reading) == [
        (1, "1.0", "default", CORE_1_0, [0], "</1/0>"),
        (2, "1.0", "default", CORE_1_0, [0], "</2/0>"),
        (3, "1.0", "default", CORE_1_0, [0], "</3/0>"),
        (3304, "1.0", "default", NO_VER, [0], "</3304/0>"),
    ]
    assert warnings(reading) == []


def test_an_anjay_register_with_q_alone():
    reading = device.read(ANJAY_REGISTER)
    assert head(reading) == ("register", "1.1", "request", "POST", "/rd", "/")
    q = reading.parameters[-1]
    assert (q.name, q.value, q.meaning, q.problem) == ("Q", None, device.PARAMETERS["Q"], "")
    assert objects(reading) == [
        (1, "1.1", "ver", "", [1], "</1>"),
        (3, "1.1", "default", DEVICE_1_1, [0], "</3/0>"),
        (3303, "1.0", "ver", "", [0], "</3303>"),
        (31024, "1.0", "default", NO_VER, [0], "</31024/0>"),
    ]
    assert warnings(reading) == []


@pytest.mark.parametrize(
    "lwm2m, versions",
    [
        ("1.0", {0: "1.0", 1: "1.0", 2: "1.0", 3: "1.0", 4: "1.0", 5: "1.0", 6: "1.0", 7: "1.0",
                 21: "1.0", 3303: "1.0"}),
        # As Leshan reads 1.1: 1.1.1's Device 1.1 and Connectivity Monitoring 1.2.
        ("1.1", {0: "1.1", 1: "1.1", 2: "1.0", 3: "1.1", 4: "1.2", 5: "1.0", 6: "1.0", 7: "1.0",
                 21: "1.0", 3303: "1.0"}),
        # The 1.2 Core TS's appendix E.
        ("1.2", {0: "1.2", 1: "1.2", 2: "1.1", 3: "1.2", 4: "1.3", 5: "1.1", 6: "1.0", 7: "1.0",
                 21: "2.0", 3303: "1.0"}),
    ],
)  # fmt: skip
def test_an_object_without_ver_is_at_the_version_its_release_defines(lwm2m, versions):
    links = ",".join(f"</{oid}/0>" for oid in versions)
    reading = device.read(links, lwm2m=lwm2m)
    assert head(reading) == ("links", lwm2m, "given", "", "", "/")
    assert {o.object_id: o.version for o in reading.objects} == versions
    assert {o.version_rule for o in reading.objects} == {"default"}
    assert reading.objects[-1].version_note == NO_VER
    assert warnings(reading) == []


def test_the_notes_of_the_1_1_core_versions_leshan_reads():
    reading = device.read("</2/0>,</3/0>,</4/0>", lwm2m="1.1")
    assert [o.version_note for o in reading.objects] == [
        CORE_1_1,
        DEVICE_1_1,
        "LwM2M 1.1 (2018) said 1.1, 1.1.1 says 1.2; Leshan reads 1.2",
    ]


@pytest.mark.parametrize(
    "text, request_text, lwm2m, kind, expected",
    [
        ("</3/0>", "/rd?ep=a&lwm2m=1.1", "", "", ("register", "1.1", "request", "", "/rd", "/")),
        ("</3/0>", "ep=a&lwm2m=1.2&b=U", "", "", ("register", "1.2", "request", "", "", "/")),
        ("</3/0>", "?ep=a", "", "", ("register", "1.0", "default", "", "", "/")),
        ("</3/0>", "coaps://h:5684/rd/4a5b?lt=60", "1.1", "",
         ("update", "1.1", "given", "", "/rd/4a5b", "/")),
        ("get /rd/abc?b=S", "", "1.0", "", ("update", "1.0", "given", "GET", "/rd/abc", "/")),
        ("DELETE /rd/x", "", "1.1", "", ("update", "1.1", "given", "DELETE", "/rd/x", "/")),
        ("POST /rd/\n</3/0>", "", "", "", ("register", "1.0", "default", "POST", "/rd/", "/")),
        ("PUT /bs?ep=a&pct=112", "", "", "",
         ("bootstrap-request", "1.0", "default", "PUT", "/bs", "/")),
        ("</3/0>", "", "1.1", "", ("links", "1.1", "given", "", "", "/")),
        ("</3/0>", "", " 1.2 ", "nonsense", ("links", "1.2", "given", "", "", "/")),
        ("</3/0/1>", "", "", "", ("discover", "1.0", "default", "", "", "/")),
        ("</3/0>;pmax=5", "", "", "", ("discover", "1.0", "default", "", "", "/")),
        ("</3/0>", "", "", "discover", ("discover", "1.0", "default", "", "", "/")),
        ('</3>;uri="x"', "", "", "", ("bootstrap-discover", "1.0", "default", "", "", "/")),
        ("</>;lwm2m=1.1,</3>", "", "", "",
         ("bootstrap-discover", "1.1", "request", "", "", "/")),
        # CoAP options one a line, as Wireshark and CoAP loggers print them.
        ("Uri-Path: rd\nUri-Path: 77\nUri-Query: lt=60", "", "1.1", "",
         ("update", "1.1", "given", "", "/rd/77", "/")),
        ("Uri-Path: bs\nUri-Query: ep=a", "", "", "",
         ("bootstrap-request", "1.0", "default", "", "/bs", "/")),
        ("POST\nUri-Query: ep=a\nUri-Query: lwm2m=1.2", "", "", "",
         ("register", "1.2", "request", "POST", "", "/")),
    ],
)  # fmt: skip
def test_the_request_says_its_kind_and_version(text, request_text, lwm2m, kind, expected):
    assert head(device.read(text, request_text, lwm2m, kind)) == expected


def test_coap_options_as_wireshark_prints_them():
    text = (
        "Constrained Application Protocol, Confirmable, POST, MID:1234\n"
        "    Opt Name: #1: Uri-Path: rd\n    Opt Name: #2: Uri-Query: ep=node-7\n"
        '    Opt Name: #3: Uri-Query: "lt=60"\n    Opt Name: #4: Uri-Query = lwm2m=1.1\n'
        "    Payload: </1/0>,</3/0>\n"
    )
    reading = device.read(text)
    assert head(reading) == ("register", "1.1", "request", "POST", "/rd", "/")
    assert [(p.name, p.value) for p in reading.parameters] == [
        ("ep", "node-7"), ("lt", "60"), ("lwm2m", "1.1"),
    ]  # fmt: skip
    assert [o.object_id for o in reading.objects] == [1, 3]


@pytest.mark.parametrize(
    "text, request_text, message",
    [
        ("hello there", "", "no request URI (/rd?ep=...) and no link (</3/0>) in what was pasted"),
        # Nothing at all, or only blanks, is no reading either (BadDevice says so).
        ("", "", "no request URI (/rd?ep=...) and no link (</3/0>) in what was pasted"),
        (None, None, "no request URI (/rd?ep=...) and no link (</3/0>) in what was pasted"),
        (" \r\n\t", "  ", "no request URI (/rd?ep=...) and no link (</3/0>) in what was pasted"),
        ("</3/0>", "hello", "the request is a URI (/rd?ep=...) or its query (ep=...&lt=...)"),
        # Only the first 64 KiB is read: a link past them is not there.
        ("x" * device.MAX_TEXT + "</3/0>", "",
         "no request URI (/rd?ep=...) and no link (</3/0>) in what was pasted"),
    ],
)  # fmt: skip
def test_nothing_to_read_is_refused_with_a_reason(text, request_text, message):
    with pytest.raises(device.BadDevice) as raised:
        device.read(text, request_text)
    assert str(raised.value) == message


def test_a_payload_alone_within_the_limit_is_read():
    reading = device.read(" " * (device.MAX_TEXT - 6) + "</3/0>")
    assert [o.object_id for o in reading.objects] == [3]


@pytest.mark.parametrize(
    "query, parameters, messages",
    [
        ("ep=&lt=6x&lt=5&Q=1&b=&sms=123&xyz&d=dom",
         [("ep", "", "an empty endpoint name"), ("lt", "6x", "a whole number of seconds"),
          ("lt", "5", "given twice"), ("Q", "1", "Q takes no value"),
          ("b", "", "an empty binding"), ("sms", "123", ""), ("xyz", None, ""),
          ("d", "dom", "a Register request does not carry it")],
         ["ep: an empty endpoint name", "lt: a whole number of seconds", "lt: given twice",
          "Q: Q takes no value", "b: an empty binding", "d: a Register request does not carry it"]),
        ("ep=a&lwm2m=1.0&b=UQS&Q",
         [("ep", "a", ""), ("lwm2m", "1.0", ""), ("b", "UQS", ""),
          ("Q", None, "LwM2M 1.0 has no Q parameter: queue mode is b=UQ")],
         ["Q: LwM2M 1.0 has no Q parameter: queue mode is b=UQ"]),
        ("ep=a&lwm2m=1.0&b=UT",
         [("ep", "a", ""), ("lwm2m", "1.0", ""), ("b", "UT", "LwM2M 1.0 bindings are U, UQ, S, "
                                                           "SQ, US, UQS")],
         ["b: LwM2M 1.0 bindings are U, UQ, S, SQ, US, UQS"]),
        ("ep=a&lwm2m=1.1&b=UQ",
         [("ep", "a", ""), ("lwm2m", "1.1", ""),
          ("b", "UQ", "LwM2M 1.1 binding letters are U, T, S, N; queue mode is the Q parameter")],
         ["b: LwM2M 1.1 binding letters are U, T, S, N; queue mode is the Q parameter"]),
        ("ep=a&lwm2m=1.2&b=UMHX",
         [("ep", "a", ""), ("lwm2m", "1.2", ""),
          ("b", "UMHX", "LwM2M 1.2 binding letters are U, T, S, N, M, H")],
         ["b: LwM2M 1.2 binding letters are U, T, S, N, M, H"]),
        ("ep=a&lwm2m=1.1&b=TSN", [("ep", "a", ""), ("lwm2m", "1.1", ""), ("b", "TSN", "")], []),
        # A version no release has: its bindings are not judged.
        ("ep=a&lwm2m=7.3&b=UZ", [("ep", "a", ""), ("lwm2m", "7.3", ""), ("b", "UZ", "")],
         ["LwM2M 7.3 is not a released version (1.0, 1.1, 1.2)"]),
        ("ep=a&lwm2m=one", [("ep", "a", ""), ("lwm2m", "one", "")],
         ["lwm2m='one' is not a version like 1.1"]),
        ("lt=60", [("lt", "60", "")], ["a Register request needs ep= (the endpoint name)"]),
        ("ep=a%20b&lt=%36%30&&", [("ep", "a b", ""), ("lt", "60", "")], []),
    ],
)  # fmt: skip
def test_a_register_request_s_parameters(query, parameters, messages):
    reading = device.read(f"POST /rd?{query}\n</3/0>")
    assert [(p.name, p.value, p.problem) for p in reading.parameters] == parameters
    assert warnings(reading) == [(None, message) for message in messages]


@pytest.mark.parametrize(
    "request_text, parameters",
    [
        ("/rd/5a3f?ep=a&lt=60&b=U&sms=1&Q&lwm2m=1.1&pct=11542",
         [("ep", "an Update request does not carry it"), ("lt", ""), ("b", ""), ("sms", ""),
          ("Q", ""), ("lwm2m", "an Update request does not carry it"),
          ("pct", "an Update request does not carry it")]),
        ("/bs?ep=a&pct=99999&lt=5&b=U",
         [("ep", ""), ("pct", ""), ("lt", "a Bootstrap-Request does not carry it"),
          ("b", "a Bootstrap-Request does not carry it")]),
    ],
)  # fmt: skip
def test_where_each_kind_may_carry_each_parameter(request_text, parameters):
    reading = device.read("", request_text, "1.1")
    assert [(p.name, p.problem) for p in reading.parameters] == parameters
    assert warnings(reading) == [(None, f"{n}: {problem}") for n, problem in parameters if problem]


def test_a_bootstrap_request_names_its_preferred_content_format():
    reading = device.read("POST /bs?ep=a&pct=11542")
    assert reading.kind_name == "Bootstrap-Request"
    assert reading.parameters[1].meaning == device.PARAMETERS["pct"] + ": OMA TLV"


def test_the_first_fifty_parameters_are_read():
    query = "&".join(f"p{i}=1" for i in range(60))
    reading = device.read(f"POST /rd?ep=a&{query}\n</3/0>")
    assert len(reading.parameters) == 50 and reading.parameters[-1].name == "p48"


def test_an_update_carries_no_endpoint_name_and_no_version():
    reading = device.read("</3/0>", "/rd/5a3f?ep=a&lt=60")
    assert reading.kind_name == "Update request"
    assert warnings(reading) == [
        (None, UPDATE_VERSION),
        (None, "ep: an Update request does not carry it"),
    ]
    assert warnings(device.read("</3/0>", "/rd/5a3f?lt=60", "1.1")) == []


def test_the_version_chosen_wins_over_the_request_s():
    reading = device.read("</3/0>", "/rd?ep=a&lwm2m=1.0", "1.1")
    assert head(reading)[:3] == ("register", "1.1", "given")
    assert warnings(reading) == [
        (None, "the request says lwm2m=1.0, not 1.1: read as 1.1, as chosen")
    ]
    assert warnings(device.read("</3/0>", "/rd?ep=a&lwm2m=1.1", "1.1")) == []
    # A bootstrap server's root link says the version as a request does.
    reading = device.read("</>;lwm2m=1.2,</3>", "", "1.1")
    assert warnings(reading) == [
        (None, "the request says lwm2m=1.2, not 1.1: read as 1.1, as chosen")
    ]
    # A version chosen that is none is said, and the request's read.
    reading = device.read("</3/0>", "/rd?ep=a&lwm2m=1.1", "x")
    assert head(reading)[:3] == ("register", "1.1", "request")
    assert warnings(reading) == [(None, "lwm2m='x' is not a version like 1.1")]


@pytest.mark.parametrize(
    "text, found, messages",
    [
        ("</3/0>,</a/b>,</>,</70000/0>,</6/>,</7/1/>",
         [(3, [0]), (6, []), (7, [1])],
         [("</a/b>", "names no object (/O) or object instance (/O/I)"),
          ("</70000/0>", "an ID past 65535")]),
        ("</3/0>,</3/0>,</4>,</4>,</3/2>,</3/1>",
         [(3, [0, 1, 2]), (4, [])],
         [("</3/0>", "instance 3/0 announced twice"), ("</4>", "object 4 announced twice")]),
        ("</3/0/1>,</4/0/1/2>,</5/123456>",
         [(3, []), (4, [])],
         [("</5/123456>", "names no object (/O) or object instance (/O/I)")]),
        ("POST /rd?ep=a\n</3/0/1>,</3/0>",
         [(3, [0])], [("</3/0/1>", "a registration names objects and instances, not resources")]),
        ("</" + "9" * 90 + ">", [],
         [("</" + "9" * 77 + "…", "names no object (/O) or object instance (/O/I)")]),
    ],
)  # fmt: skip
def test_what_the_links_name(text, found, messages):
    reading = device.read(text)
    assert [(o.object_id, o.instances) for o in reading.objects] == found
    assert warnings(reading) == messages


def test_versions_given_by_ver():
    reading = device.read(
        "</4>;ver=1.0,</4>;ver=1.1,</5>;ver=1.0,</5>;ver=1.0,</8/1>;ver=2.0,</9>;ver=1.10"
    )
    assert [(o.object_id, o.version, o.version_rule, o.link) for o in reading.objects] == [
        (4, "1.0", "ver", "</4>"), (5, "1.0", "ver", "</5>"), (8, "2.0", "ver", "</8/1>"),
        (9, "1.10", "ver", "</9>"),
    ]  # fmt: skip
    assert warnings(reading) == [
        ("</4>", "object 4 announced twice"),
        ("</4>", "object 4 announced at versions 1.0 and 1.1"),
        ("</5>", "object 5 announced twice"),
        ("</8/1>", "ver= on an instance link: it belongs on the object's link </8>;ver=2.0 "
                   "(Leshan refuses the registration)"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text, root, found, messages",
    [
        ("</lwm2m/1/0>,</lwm2m/3/0>", "/lwm2m/", [1, 3],
         [("</lwm2m/1/0>",
           'an alternate path needs its root link </lwm2m>;rt="oma.lwm2m" (LwM2M 1.0)')]),
        ('</lwm2m>;rt="oma.lwm2m",</lwm2m/>,</lwm2m/1/0>,</lwm2m/3/0>,</5/0>,</lwm2m/x>',
         "/lwm2m/", [1, 3],
         [("</5/0>", "not under the root path /lwm2m/: an alternate path puts every object "
                     "under it"),
          ("</lwm2m/x>", "names no object (/O) or object instance (/O/I)")]),
        ("</lwm2m>;ct=110,</lwm2m/1/0>", "/lwm2m/", [1],
         [("</lwm2m>",
           'an alternate path needs its root link </lwm2m>;rt="oma.lwm2m" (LwM2M 1.0)')]),
        ('</a/b>;rt="oma.lwm2m",</a/b/3/0>', "/a/b/", [3], []),
    ],
)  # fmt: skip
def test_an_alternate_path_and_its_root_link(text, root, found, messages):
    reading = device.read(text)
    assert reading.root == root
    assert [o.object_id for o in reading.objects] == found
    assert warnings(reading) == messages


@pytest.mark.parametrize(
    "ct, formats",
    [
        ("60", [("60", "CBOR")]),
        ('"60 999 1234567"', [("60", "CBOR"), ("999", "unknown"), ("1234567", "unknown")]),
        ('"11542 112"', [("11542", "OMA TLV"), ("112", "SenML CBOR")]),
    ],
)
def test_the_root_link_s_content_formats(ct, formats):
    assert device.read(f"</>;ct={ct},</3/0>").content_formats == formats


def test_a_malformed_link_is_a_warning_with_the_link():
    reading = device.read('</3/0>,</3303/0>;title="abc,</4/0>')
    assert warnings(reading) == [
        ('</3303/0>;title="abc', "malformed link: the quoted value of 'title' has no end")
    ]
    assert [o.object_id for o in reading.objects] == [3]


@pytest.mark.parametrize(
    "offset, link",
    [
        (0, "</3/0>"), (6, "</3/0>"), (7, '</3303/0>;title="abc'), (10, '</3303/0>;title="abc'),
        (29, "</4/0>"),
    ],
)  # fmt: skip
def test_the_link_around_an_offset(offset, link):
    assert device.link_at('</3/0>,</3303/0>;title="abc,</4/0>', offset) == link


def test_the_link_around_an_offset_is_bounded():
    assert device.link_at("abc", 1) == "abc"
    assert device.link_at("</" + "x" * 77 + ">", 3) == "</" + "x" * 77 + ">"  # 80: whole
    assert device.link_at("</" + "x" * 78 + ">", 3) == "</" + "x" * 77 + "…"


@pytest.mark.parametrize(
    "text, versions, messages",
    [
        ("3=1.1, 3303@1.0; 5 : 2.10", {3: "1.1", 3303: "1.0", 5: "2.10"}, []),
        ("3=01.1", {3: "1.1"}, []),
        ("", {}, []),
        ("   ", {}, []),
        ("hello", {}, ["versions 'hello' name none: write them as 3=1.1, 3303=1.0"]),
        ("POST /rd?ep=a&lwm2m=1.1\n</3/0>,</3303>;ver=1.1,</5/0>",
         {3: "1.1", 3303: "1.1", 5: "1.0"}, []),
        ("</3/0>", {3: "1.0"}, []),
        ("<", {}, []),  # a registration that is none: no versions
    ],
)  # fmt: skip
def test_the_versions_a_decode_reads_objects_with(text, versions, messages):
    from objects.lwm2m.payload import Findings

    findings = Findings()
    assert device.parse_versions(text, findings) == versions
    assert [f.message for f in findings] == messages
    assert all(f.severity == "warning" for f in findings)


@pytest.mark.parametrize(
    "word, article", [("Update request", "an"), ("Register request", "a"),
                      ("ostrich", "an"), ("Ibis", "an")],
)  # fmt: skip
def test_the_article_of_a_word(word, article):
    assert device.article(word) == article


def test_a_warning_as_json():
    assert device.DeviceWarning("</3/0>", "m").as_json() == {"link": "</3/0>", "message": "m"}


@pytest.mark.parametrize(
    "binding, text",
    [
        ("U", "UDP"),
        ("UQS", "UDP, queue mode (1.0; a parameter of its own from 1.1), SMS"),
        ("TNMH", "TCP, Non-IP, MQTT (1.2), HTTP (1.2)"),
        ("UX", "UDP, 'X' unknown"),
        ("", "none"),
    ],
)
def test_a_binding_s_letters_are_named(binding, text):
    reading = device.read(f"POST /rd?ep=a&lwm2m=1.2&b={binding}\n</3/0>")
    assert reading.parameters[2].meaning == f"{device.PARAMETERS['b']}: {text}"


def test_versions_that_name_none_are_quoted_up_to_40_characters():
    from objects.lwm2m.payload import Findings

    findings = Findings()
    assert device.parse_versions("abcdefghij" * 5, findings) == {}
    assert [f.message for f in findings] == [
        f"versions {'abcdefghij' * 4!r} name none: write them as 3=1.1, 3303=1.0"
    ]


def test_versions_are_read_from_the_first_4000_characters():
    from objects.lwm2m.payload import Findings

    text = "x" * 3995 + "3=1.12"  # its first 4,000 characters end in "3=1.1"
    assert device.parse_versions(text, Findings()) == {3: "1.1"}
    assert device.parse_versions(text[1:], Findings()) == {3: "1.12"}


@pytest.mark.parametrize(
    "attribute", ["pmin=1", "pmax=5", "gt=5", "lt=1", "st=1", "dim=2", "epmin=1", "epmax=5"]
)
def test_an_observe_attribute_makes_a_discover_answer(attribute):
    # Write-Attributes' notification attributes are in a Discover answer, never in a
    # registration; the root link alone, without lwm2m=, says nothing of the kind.
    assert device.read(f"</3/0>;{attribute}").kind == "discover"
    assert device.read(f"</>;ct=60,</3/0>;{attribute}").kind == "discover"
    assert device.read("</>;ct=60,</3/0>;title=x").kind == "links"


def test_an_empty_query_part_is_skipped():
    reading = device.read("POST /rd?&ep=a&&lt=60&\n</3/0>")
    assert [(p.name, p.value) for p in reading.parameters] == [("ep", "a"), ("lt", "60")]


@pytest.mark.parametrize("nines, shown", [(77, "</" + "9" * 77 + ">"), (78, "</" + "9" * 77 + "…")])
def test_a_link_is_shown_whole_up_to_80_characters(nines, shown):
    reading = device.read("</" + "9" * nines + ">")
    assert warnings(reading) == [(shown, "names no object (/O) or object instance (/O/I)")]


def test_an_unknown_parameter_and_a_binding_without_a_value():
    reading = device.read("POST /rd?ep=a&b&xyz=1\n</3/0>")
    assert [(p.name, p.value, p.meaning, p.problem) for p in reading.parameters[1:]] == [
        ("b", None, device.PARAMETERS["b"] + ": none", "an empty binding"),
        ("xyz", "1", "not a parameter LwM2M defines: servers ignore or refuse it", ""),
    ]


@pytest.mark.parametrize(
    "pct, named", [("11542", ": OMA TLV"), ("011542", ": OMA TLV"), ("0011542", "")]
)
def test_a_preferred_content_format_of_up_to_6_digits_is_named(pct, named):
    # Past 6 digits the number is not read at all (int() of 5,000 digits would raise).
    reading = device.read(f"POST /bs?ep=a&pct={pct}")
    assert reading.parameters[1].meaning == device.PARAMETERS["pct"] + named


def test_the_root_link_s_formats_a_long_number_included():
    assert device.read('</>;rt="oma.lwm2m",</3/0>').content_formats == []
    reading = device.read('</>;ct="60 ' + "9" * 5000 + '",</3/0>')
    assert reading.content_formats == [("60", "CBOR"), ("9" * 5000, "unknown")]


@pytest.mark.parametrize(
    "text, root, messages",
    [
        ('</dmX>;rt="oma.lwm2m",</dmX/3/0>', "/dmX/", []),
        ("</Xa/3/0>", "/Xa/",
         [("</Xa/3/0>", 'an alternate path needs its root link </Xa>;rt="oma.lwm2m" (LwM2M 1.0)')]),
    ],
)  # fmt: skip
def test_an_alternate_root_is_its_name_as_written(text, root, messages):
    reading = device.read(text)
    assert (reading.root, [o.object_id for o in reading.objects]) == (root, [3])
    assert warnings(reading) == messages


def test_a_bootstrap_discover_answer_may_name_resources():
    reading = device.read("</>;lwm2m=1.1,</0/0/1>,</0/1>")
    assert reading.kind == "bootstrap-discover" and warnings(reading) == []
    assert [(o.object_id, o.instances) for o in reading.objects] == [(0, [1])]


def test_a_ver_past_6_digits_is_no_version():
    # ver= is N.N in the link format; a version's parts are 6 digits at most.
    long = "1." + "0" * 20
    reading = device.read(f"</3>;ver=1.0000000,</4>;ver={long},</5/0>")
    assert warnings(reading) == [
        ("</3>", "ver='1.0000000' is not a version like 1.1"),
        ("</4>", f"ver={long[:20]!r} is not a version like 1.1"),
    ]
    assert [(o.object_id, o.version_rule) for o in reading.objects] == [
        (3, "default"), (4, "default"), (5, "default"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text, found, messages",
    [
        ("</65535/0>", [65535], []),
        ("</65536/0>", [], [("</65536/0>", "an ID past 65535")]),
        ('</>;rt="oma.lwm2m",</X3/0>', [],
         [("</X3/0>", "names no object (/O) or object instance (/O/I)")]),
        # The root link written again is skipped, as the first is.
        ('</dmX>;rt="oma.lwm2m",</dmX>,</dmX/3/0>', [3], []),
    ],
)  # fmt: skip
def test_the_ids_a_link_may_name(text, found, messages):
    reading = device.read(text)
    assert [o.object_id for o in reading.objects] == found
    assert warnings(reading) == messages


def test_a_request_given_apart_is_read_up_to_4000_characters():
    reading = device.read("</3/0>", "/rd?ep=" + "a" * 3993 + "b")
    assert reading.parameters[0].value == "a" * 3993


def test_the_links_a_reading_keeps_and_a_request_without_a_query():
    assert [link.target for link in device.read(LESHAN_REGISTER).links] == [
        "/", "/1", "/1/0", "/3", "/3/0", "/3303", "/3303/0", "/3303/1",
    ]  # fmt: skip
    assert device.read("POST /rd\n</3/0>").parameters == []


def test_a_version_that_is_none_is_quoted_up_to_20_characters():
    reading = device.read("POST /rd?ep=a&lwm2m=" + "x" * 30 + "\n</3/0>")
    assert warnings(reading) == [(None, f"lwm2m={'x' * 20!r} is not a version like 1.1")]


def test_a_bootstrap_discover_answer_without_a_root_link_takes_the_query_s_version():
    reading = device.read('</3>;uri="x"', "lwm2m=1.1")
    assert head(reading)[:3] == ("bootstrap-discover", "1.1", "request")


def test_a_link_ends_at_the_next_comma_and_angle_even_right_after_its_own():
    # "<" alone before ",<" is a link of its own as a person reads it: the parser's message
    # then says what it took for the target.
    assert device.link_at("<,</3/0>", 0) == "<"
    reading = device.read("</3/0>,<,</4/0>")
    assert warnings(reading) == [
        ("<", "malformed link: not a URI path starting with '/': ',</4/0'")
    ]


@pytest.mark.parametrize("target", ["/3/0/1X", "/3/0/X1", "/3/0/1x"])
def test_a_resource_path_is_digits_only(target):
    # Not a resource link, so no Discover answer: the payload is a registration's list.
    assert device.read(f"<{target}>").kind == "links"
    assert device.links_kind([device.Link(target, {})]) == "links"


@pytest.mark.parametrize("query", ["Xa=1&ep=a", "?Xa=1&ep=a"])
def test_a_query_alone_keeps_its_parameter_names_as_written(query):
    reading = device.read("</3/0>", query)
    assert [(p.name, p.value) for p in reading.parameters] == [("Xa", "1"), ("ep", "a")]
