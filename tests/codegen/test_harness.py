"""The generated C objects on the wire, without third-party code: our drivers call each
generated object the way its SDK's core does (tests/codegen/harness/, with tiny runtimes of
the SDK functions the objects call, written by us from the headers' facts), and print what
comes back; gcc builds them with the object, and the test reads the transcript."""

import subprocess

import pytest

from objects.codegen import generate, saved_name
from objects.codegen.model import from_bytes
from tests.codegen.compilers import C_FLAGS, ROOT, TARGET_FLAGS, gcc
from tests.codegen.test_generators import definition_xml

HARNESS = ROOT / "tests" / "codegen" / "harness"
METER = {
    # ID: (Name, Operations, MultipleInstances, Mandatory, Type, RangeEnumeration, Units)
    0: ("Reading", "R", "Single", "Mandatory", "Float", "", "Cel"),
    1: ("Limit", "RW", "Single", "Optional", "Integer", "", ""),
    2: ("Values", "RW", "Multiple", "Optional", "Integer", "", ""),
    3: ("Labels", "R", "Multiple", "Optional", "String", "", ""),
    4: ("Name", "RW", "Single", "Optional", "String", "", ""),
    5: ("Trigger", "E", "Single", "Optional", "", "", ""),
    6: ("Secret", "W", "Single", "Optional", "Opaque", "", ""),
    7: ("Peer", "RW", "Single", "Optional", "Objlnk", "", ""),
    8: ("Units", "R", "Single", "Optional", "String", "", ""),
}


def meter():
    data = definition_xml(items=METER, object_id=33441).replace(b"Test Gadget", b"Meter")
    return from_bytes(data)


def run(tmp_path, sdk, defines=()):
    """Build the driver of `sdk` with the generated Meter (and `defines`, -D...) and run it:
    its transcript."""
    obj = meter()
    for name in (f"{sdk}.c", f"{sdk}.h"):  # saved as a user saves them: the drivers include them
        (tmp_path / saved_name(name, obj.object_id)).write_text(generate(name, obj), "utf-8")
    c_file = tmp_path / saved_name(f"{sdk}.c", obj.object_id)
    sources = [c_file, HARNESS / f"{sdk}_driver.c", HARNESS / f"{sdk}_runtime.c"]
    flags = [flag for flag in C_FLAGS if flag != "-c"] + TARGET_FLAGS[f"{sdk}.c"]
    binary = tmp_path / "driver"
    command = [gcc(), *flags, *defines, "-I", str(tmp_path), "-o", str(binary)]
    command += map(str, sources)
    built = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[:4000]
    result = subprocess.run([str(binary)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[:4000]
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def wakaama_transcript(tmp_path_factory):
    return run(tmp_path_factory.mktemp("wakaama"), "wakaama")


def line(transcript, label):
    found = [text for text in transcript if text.startswith(label + ":")]
    assert len(found) == 1, (label, transcript)
    return found[0][len(label) + 1 :].strip()


def test_wakaama_reads_one_resource_instance_without_a_leak(wakaama_transcript):
    # /3441/0/1120/3 answered every instance and leaked the core's child element.
    assert line(wakaama_transcript, "read /0/2/9") == "45 2=[ 9=90 ] | leaked 0"
    assert line(wakaama_transcript, "read /0/2/4") == "84 | leaked 0"  # no such instance
    assert line(wakaama_transcript, "read /0/0/1") == "84 | leaked 0"  # a single resource
    assert line(wakaama_transcript, "read /0/2") == "45 2=[ 3=30 9=90 65534=7 ] | leaked 0"


def test_wakaama_whole_instance_read_leaves_out_empty_multiple_resources(wakaama_transcript):
    # Labels (3) has no instance: Wakaama's SenML JSON writer broke on the empty resource.
    assert line(wakaama_transcript, "read /0") == (
        "45 0=21.5 1=0 2=[ 3=30 9=90 65534=7 ] 4='' 7=0:0 8='Cel' | leaked 0"
    )


def test_wakaama_replace_write_resets_only_writable_resources(wakaama_transcript):
    assert line(wakaama_transcript, "replace /0") == "44"
    # Reading (0) and Units (8) are read-only: a replace keeps them; Values (2) is emptied.
    assert line(wakaama_transcript, "after replace") == (
        "45 0=21.5 1=5 4='north' 7=0:0 8='Cel' | leaked 0"
    )
    assert line(wakaama_transcript, "partial /0") == "44"
    assert line(wakaama_transcript, "after partial") == (
        "45 0=21.5 1=6 4='north' 7=0:0 8='Cel' | leaked 0"
    )
    assert line(wakaama_transcript, "write read-only /0/0") == "85"


def test_wakaama_failed_write_leaves_every_value_unchanged(wakaama_transcript):
    # A real Wakaama client answered 4.05 / 4.13 and still kept what came before the error.
    before = line(wakaama_transcript, "before failed writes")
    assert before == "45 0=21.5 1=6 2=[ 9=99 65534=-1 ] 4='north' 7=0:0 8='Cel' | leaked 0"
    assert line(wakaama_transcript, "replace /0 with a read-only") == "85"
    assert line(wakaama_transcript, "after failed replace") == before
    assert line(wakaama_transcript, "replace /0/2 with 9") == "8D"
    assert line(wakaama_transcript, "after failed 9") == before
    assert line(wakaama_transcript, "set labels too long") == "-1"
    assert line(wakaama_transcript, "set values 65535") == "-1"
    assert line(wakaama_transcript, "after failed sets") == before


def test_wakaama_keeps_resource_instance_ids_up_to_65534(wakaama_transcript):
    assert line(wakaama_transcript, "set values 65534") == "0"
    assert line(wakaama_transcript, "write /0/2/9") == "44"
    assert line(wakaama_transcript, "write /0/2/65534") == "44"
    assert line(wakaama_transcript, "read /0/2 after") == "45 2=[ 9=99 65534=-1 ] | leaked 0"
    assert line(wakaama_transcript, "get values 9") == "0 99"
    assert line(wakaama_transcript, "get values 4") == "-1"


def test_wakaama_execute_answers_not_implemented_until_a_callback(wakaama_transcript):
    executes = [text for text in wakaama_transcript if text.startswith("execute:")]
    assert executes == ["execute: A1", "execute: 44"]  # 5.01, then the callback's 2.04
    assert "executed /0/5 with 0 bytes" in wakaama_transcript
    assert line(wakaama_transcript, "execute /0/1") == "85"


def test_wakaama_api_creates_sets_notifies_and_releases(wakaama_transcript):
    assert line(wakaama_transcript, "create 0") == "0"
    assert line(wakaama_transcript, "create 0 again") == "-1"
    assert line(wakaama_transcript, "changed") == "/33441/0/8"  # a context was given
    assert line(wakaama_transcript, "get limit") == "0 6"
    assert line(wakaama_transcript, "create /1") == "41"
    assert line(wakaama_transcript, "read /1/1") == "45 1=12 | leaked 0"
    assert line(wakaama_transcript, "delete /1") == "42"
    assert line(wakaama_transcript, "delete /1 again") == "84"
    assert line(wakaama_transcript, "read /1") == "84 | leaked 0"
    assert line(wakaama_transcript, "remove 0") == "0"
    assert line(wakaama_transcript, "left after release") == "0"


@pytest.fixture(scope="module")
def anjay_transcript(tmp_path_factory):
    return run(tmp_path_factory.mktemp("anjay"), "anjay")


def test_anjay_reads_resource_instances_by_id(anjay_transcript):
    assert line(anjay_transcript, "read /0/2/9") == "ok 90"
    assert line(anjay_transcript, "read /0/2/4") == "4.04"
    assert line(anjay_transcript, "read /0/0/1") == "4.04"
    assert line(anjay_transcript, "read /0") == (
        "0=21.5 1=0 2=[ 3=30 9=90 65534=7 ] 3=[ ] 4='' 7=0:0 8='Cel'"
    )


def test_anjay_integer_is_64_bit(anjay_transcript):
    # It was int32_t in anjay.c and int64_t in wakaama.c for the same unbounded range.
    assert line(anjay_transcript, "read /0/1 with a big value") == "ok 5000000000"


def test_anjay_replace_write_resets_only_writable_resources(anjay_transcript):
    assert line(anjay_transcript, "replace /0") == "ok"
    assert line(anjay_transcript, "after replace") == (
        "0=21.5 1=5 2=[ ] 3=[ ] 4='north' 7=0:0 8='Cel'"
    )
    assert line(anjay_transcript, "after partial") == (
        "0=21.5 1=6 2=[ ] 3=[ ] 4='north' 7=0:0 8='Cel'"
    )


def test_anjay_failed_write_leaves_every_value_unchanged(anjay_transcript):
    # The transaction handlers were NOOPs: Anjay's rollback after a 4.05 restored nothing.
    before = line(anjay_transcript, "before failed writes")
    assert before == "0=21.5 1=6 2=[ 9=99 65534=-1 ] 3=[ ] 4='north' 7=3:1 8='Cel'"
    assert line(anjay_transcript, "replace /0 with a read-only") == "4.05"
    assert line(anjay_transcript, "after failed replace") == before
    assert line(anjay_transcript, "replace /0/2 with 9") == "5.00"
    assert line(anjay_transcript, "after failed 9") == before
    assert line(anjay_transcript, "create /1 with a read-only") == "4.05"
    assert line(anjay_transcript, "read /1 after failed create") == "4.04"
    assert line(anjay_transcript, "set labels too long") == "-1"
    assert line(anjay_transcript, "after failed sets") == before


def test_anjay_keeps_resource_instance_ids_up_to_65534(anjay_transcript):
    assert line(anjay_transcript, "set values 65534") == "0"
    assert line(anjay_transcript, "write /0/2/9") == "ok"  # it was 5.00 (no room past 8)
    assert line(anjay_transcript, "write /0/2/65534") == "ok"
    assert line(anjay_transcript, "read after writes") == (
        "0=21.5 1=6 2=[ 9=99 65534=-1 ] 3=[ ] 4='north' 7=3:1 8='Cel'"
    )
    assert line(anjay_transcript, "get peer") == "0 3:1"


def test_anjay_execute_answers_not_implemented_until_a_callback(anjay_transcript):
    executes = [text for text in anjay_transcript if text.startswith("execute:")]
    assert executes == ["execute: 5.01", "execute: ok"]
    assert "executed /0/5" in anjay_transcript


def test_anjay_api_creates_notifies_and_releases(anjay_transcript):
    assert line(anjay_transcript, "create 0") == "0"
    assert line(anjay_transcript, "create 0 again") == "-1"
    # The instance list changed, then Reading (set with an anjay); Units was set without one.
    assert line(anjay_transcript, "notified") == "/33441 /33441/0/0"
    assert line(anjay_transcript, "write read-only /0/0") == "4.05"
    assert line(anjay_transcript, "get limit") == "0 6"
    assert line(anjay_transcript, "create /1") == "ok"
    assert line(anjay_transcript, "read /1") == "0=0 1=12 2=[ ] 3=[ ] 4='' 7=0:0 8=''"
    assert line(anjay_transcript, "delete /1") == "ok"
    assert line(anjay_transcript, "read /1 after delete") == "4.04"
    assert line(anjay_transcript, "left after release") == "0"


@pytest.fixture(scope="module")
def zephyr_transcript(tmp_path_factory):
    return run(tmp_path_factory.mktemp("zephyr"), "zephyr")


def test_zephyr_strings_and_opaques_start_empty(zephyr_transcript):
    # INIT_OBJ_RES_DATA(buf, sizeof buf) made an unset String read as 63 NUL bytes.
    assert line(zephyr_transcript, "resource 4") == "[made len 0 of 64]"  # Name, String
    assert line(zephyr_transcript, "resource 6") == "[made len 0 of 64]"  # Secret, Opaque
    assert line(zephyr_transcript, "resource 3") == " ".join(["[unmade len 0 of 64]"] * 4)
    assert line(zephyr_transcript, "resource 1") == "[made len 8 of 8]"  # Limit, Integer S64


def test_zephyr_execute_answers_not_implemented_until_a_callback(zephyr_transcript):
    assert line(zephyr_transcript, "resource 5") == "execute -ENOTSUP"  # 5.01 on the wire
    assert "executed /0/5 with 3 bytes" in zephyr_transcript
    assert line(zephyr_transcript, "execute with a callback") == "0"
    assert line(zephyr_transcript, "set name") == "0"
    assert "engine call /33441/0/4" in zephyr_transcript


def test_zephyr_failed_set_adds_no_resource_instance(zephyr_transcript):
    # The setter made the new resource instance, then the engine refused the value: an
    # empty label stayed behind.
    assert line(zephyr_transcript, "set labels 5 too long") == "-12"  # -ENOMEM
    unmade = " ".join(["[unmade len 0 of 64]"] * 4)
    assert line(zephyr_transcript, "labels after failed set") == unmade
    assert line(zephyr_transcript, "set labels 5") == "0"
    made = "[5 len 3 of 64] " + " ".join(["[unmade len 0 of 64]"] * 3)
    assert line(zephyr_transcript, "labels after set") == made


# Units (8), Labels (3) and Trigger (5) are optional: a build may leave them out.
LEFT_OUT = ["-DLWM2M_OMIT_33441_8", "-DLWM2M_OMIT_33441_3", "-DLWM2M_OMIT_33441_5"]


def test_wakaama_announces_only_what_the_build_keeps(wakaama_transcript, tmp_path):
    assert line(wakaama_transcript, "discover /0") == "45 0 1 2 3 4 5 6 7 8"
    assert line(wakaama_transcript, "read /0/8") == "45 8='Cel' | leaked 0"
    left_out = run(tmp_path, "wakaama", LEFT_OUT)
    assert line(left_out, "discover /0") == "45 0 1 2 4 6 7"
    assert (
        line(left_out, "read /0") == "45 0=21.5 1=0 2=[ 3=30 9=90 65534=7 ] 4='' 7=0:0 | leaked 0"
    )
    assert line(left_out, "read /0/8") == "84 | leaked 0"
    assert [text for text in left_out if text.startswith("execute:")] == ["execute: 84"] * 2


def test_anjay_lists_what_the_build_leaves_out_as_absent(anjay_transcript, tmp_path):
    assert line(anjay_transcript, "read /0").endswith(" 8='Cel'")
    left_out = run(tmp_path, "anjay", LEFT_OUT)
    # Anjay's core reads, writes and discovers only the present resources.
    assert line(left_out, "read /0") == "0=21.5 1=0 2=[ 3=30 9=90 65534=7 ] 4='' 7=0:0"
    assert line(left_out, "absent") == "3 5 8"


def test_zephyr_never_makes_what_the_build_leaves_out(zephyr_transcript, tmp_path):
    assert line(zephyr_transcript, "resource 8") == "[made len 0 of 64]"
    left_out = run(tmp_path, "zephyr", LEFT_OUT)
    made = [text.split(":")[0] for text in left_out if text.startswith("resource ")]
    assert made == [f"resource {rid}" for rid in (0, 1, 2, 4, 6, 7)]
