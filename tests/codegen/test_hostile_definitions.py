"""Hostile definition text delivered as an attacker would: in a registry clone the site syncs.

Every field that reaches a generated file carries text built to close its comment or string
and leave a function behind (line splices by LF, CR, CRLF and blanks, a trigraph, a plain
comment end). The files are downloaded from the site and read as the tools read them: gcc's
preprocessor with trigraphs on, gcc itself with warnings as errors, tsc, a JSON parser. No
marker may survive outside a comment."""

import json
import re
import shutil
import subprocess
import zipfile
from io import BytesIO

import pytest

from objects.sync.pipeline import sync_registry
from tests.codegen.compilers import TARGET_FLAGS, compile_c, gcc, tsc
from tests.conftest import FIXTURE_REGISTRY

pytestmark = pytest.mark.slow

# How each payload breaks its line: as the XML writes it (&#13; survives the parser as a CR).
SPLICES = {
    "lf": "\\\n",
    "cr": "\\&#13;",
    "crlf": "\\&#13;\n",
    "blank": "\\  \n",
    "trigraph": "??/\n",
}


def payload(marker, kind):
    """Text that, written into a C comment as it is, closes the comment, defines a function
    named `marker` and opens a new comment to swallow the rest of the line."""
    if kind == "plain":
        return f"Cel */ int {marker}(void) {{ return 1; }} /*"
    splice = SPLICES[kind]
    return f"Cel *{splice}/ int {marker}(void) {{ return 1; }} /{splice}*"


# Where each payload goes in 3303.xml: (the text replaced, the text put there).
FIELDS = {
    "object_name": ("<Name>Temperature</Name>", "<Name>{}</Name>", "lf"),
    "urn": (
        "<ObjectURN>urn:oma:lwm2m:ext:3303:1.1</ObjectURN>",
        "<ObjectURN>urn:oma:lwm2m:ext:3303:1.1 {}</ObjectURN>",
        "cr",
    ),
    "description1": ("<Description1>", "<Description1>{} ", "trigraph"),
    "units": (
        "<Units></Units>\n        <Description>Last",
        "<Units>{}</Units>\n        <Description>Last",
        "lf",
    ),
    "resource_name": ("<Name>Sensor Units</Name>", "<Name>{}</Name>", "crlf"),
    "range": (
        "<RangeEnumeration></RangeEnumeration>",
        "<RangeEnumeration>{}</RangeEnumeration>",
        "blank",
    ),
    "description": ("<Description>The application", "<Description>{} The application", "plain"),
}
# A payload's marker as a token of its own: what an escape leaves in the code.
ESCAPED = re.compile(r"\bpwn_")
MARKERS = [f"pwn_{field}" for field in FIELDS] + ["pwn_type"]


@pytest.fixture
def hostile_clone(tmp_path):
    clone = tmp_path / "clone"
    shutil.copytree(FIXTURE_REGISTRY, clone)
    path = clone / "3303.xml"
    text = path.read_text(encoding="utf-8")
    # Type holds 40 characters: room for a splice around a declaration.
    text = text.replace(
        "<Type>String</Type>\n        <Units></Units>\n        <Description>Measurement",
        "<Type>*\\\n/int pwn_type;/\\\n*</Type>\n        <Units></Units>\n"
        "        <Description>Measurement",
        1,
    )
    for field, (old, new, kind) in FIELDS.items():
        assert old in text, field
        text = text.replace(old, new.format(payload(f"pwn_{field}", kind)), 1)
    # Operations hold 10: enough to open a nested comment (an error under -Wall -Werror).
    text = text.replace("<Operations>RW</Operations>", "<Operations>RW/*</Operations>", 1)
    assert "pwn_type" in text
    assert "RW/*" in text
    path.write_text(text, encoding="utf-8")
    return clone


@pytest.fixture
def hostile_site(db, hostile_clone):
    report = sync_registry(str(hostile_clone))
    assert report.run.outcome == "ok"
    return report


def download(client, name):
    response = client.get(f"/objects/3303/1.1/code/{name}")
    assert response.status_code == 200, name
    return b"".join(response.streaming_content) if response.streaming else response.content


def saved_as(client, name):
    """The file name a download is saved under (its Content-Disposition's)."""
    disposition = client.get(f"/objects/3303/1.1/code/{name}")["Content-Disposition"]
    return re.fullmatch(r'attachment; filename="([^"/]+)"', disposition).group(1)


def preprocessed(path, name):
    """The tokens gcc's preprocessor leaves of a generated C file, trigraphs on."""
    command = [gcc(), "-E", "-P", "-trigraphs", "-std=c99", *TARGET_FLAGS[name], str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[:2000]
    return result.stdout


@pytest.mark.parametrize(
    "name", ["anjay.c", "wakaama.c", "zephyr.c", "anjay.h", "wakaama.h", "zephyr.h", "ids.h"]
)
def test_no_hostile_text_leaves_a_c_comment(client, hostile_site, tmp_path, name):
    data = download(client, name)
    text = data.decode("utf-8")
    path = tmp_path / saved_as(client, name)  # saved as a browser saves it
    path.write_bytes(data)
    if name.endswith(".c"):  # the .c includes its header, from beside it
        header = name[:-2] + ".h"
        assert f'#include "{saved_as(client, header)}"' in text
        (tmp_path / saved_as(client, header)).write_bytes(download(client, header))
    # The payloads reached the file (inside comments)...
    carried = [marker for marker in MARKERS if marker in text]
    assert carried, "the hostile text never reached the file"
    if name.endswith(".c"):  # the full notes: every field (a header has the object's)
        assert sorted(carried) == sorted(MARKERS)
    # ...and the preprocessor, which drops comments, sees none of them.
    # (A name made into an identifier, cel_int_pwn_..., is a name, not the payload.)
    assert not ESCAPED.search(preprocessed(path, name))
    for line in text.splitlines():
        assert not line.rstrip().endswith("\\"), line
    assert "\r" not in text
    flags = ["-trigraphs", "-Wextra"] if name != "ids.h" else ["-trigraphs"]
    assert compile_c([path], name, flags) == []


def test_the_zip_carries_the_same_safe_files(client, hostile_site, tmp_path):
    response = client.get("/code.zip?id=3303&target=all")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(BytesIO(body)) as archive:
        names = archive.namelist()
        for member in names:
            if member.endswith((".c", ".h")):
                path = tmp_path / member  # as unpacked: a .c finds its header beside it
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(archive.read(member))
        for member in names:
            if member.endswith((".c", ".h")):
                target = re.sub(r"^lwm2m_[0-9]+_", "", member.rsplit("/", 1)[-1])
                path = tmp_path / member
                flags = TARGET_FLAGS.get(target, ["-x", "c"])
                if member.startswith("example/"):  # example/<sdk>/main.c, built from the top
                    flags = [*TARGET_FLAGS[member.split("/")[1] + ".c"], "-I", str(tmp_path)]
                command = [gcc(), "-E", "-P", "-trigraphs", "-std=c99", *flags, str(path)]
                result = subprocess.run(command, capture_output=True, text=True, timeout=120)
                assert result.returncode == 0, result.stderr[:2000]
                assert not ESCAPED.search(result.stdout), member
    assert any(n.endswith("ids.h") for n in names)


def test_typescript_and_json_keep_the_text_as_data(client, hostile_site, tmp_path):
    source = tmp_path / "types.ts"
    source.write_bytes(download(client, "types.ts"))
    out = tmp_path / "js"
    result = subprocess.run(
        [
            tsc(),
            "--strict",
            "--removeComments",
            "--target",
            "es2020",
            "--outDir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[:4000]
    assert not ESCAPED.search((out / "types.js").read_text(encoding="utf-8"))
    for name in ("schema.json", "leshan.json"):
        document = json.loads(download(client, name))
        assert "pwn_units" in json.dumps(document)  # kept as text, as data
