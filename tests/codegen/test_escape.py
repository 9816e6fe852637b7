"""The escaping functions, read by the tools that read the generated files: gcc's preprocessor
(with trigraphs on) for the C comment and string, node for the TypeScript string."""

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from objects.codegen.escape import c_comment, c_string, ts_comment, ts_string
from tests.codegen.compilers import gcc

# Texts an attacker would try: every way a line can be spliced or a comment closed.
HOSTILE = [
    "Cel *\\\n/ int pwn(void) { return 1; } /\\\n*",
    "Cel *\\\r/ int pwn(void); /\\\r*",
    "Cel *\\\r\n/ int pwn(void); /\\\r\n*",
    "Cel *\\   \n/ int pwn(void); /\\ \t\n*",
    "Cel *??/\n/ int pwn(void); /??/\n*",
    "*/ int pwn(void); /*",
    "a \\",
    "a \\ \t ",
    "??/",
    "\u202e int pwn; \u2066",
    "line\u2028int pwn;\u2029",
    "tab\there\x0bvt\x0cff\x85nel",
]

TEXTS = st.lists(
    st.one_of(
        st.sampled_from(["*", "/", "\\", "?", "\n", "\r", " ", "\t", '"', "'", "??/", "*/", "/*"]),
        st.text(max_size=4),
    ),
    max_size=12,
).map("".join)


def preprocess(source, tmp_path):
    """What gcc's preprocessor leaves of a C file (comments gone), trigraphs on."""
    path = tmp_path / "probe.c"
    path.write_bytes(source.encode("utf-8", "surrogatepass"))
    result = subprocess.run(
        [gcc(), "-E", "-P", "-trigraphs", "-std=c99", "-Wall", "-Werror", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def comment_probe(texts):
    """Each text in a comment (both as a block's own line and as a one-line comment), each
    followed by a declaration: the preprocessor must leave exactly the declarations."""
    lines, expected = [], []
    for index, text in enumerate(texts):
        lines += ["/*", f" * {c_comment(text)}", " */", f"int kept_{index}a;"]
        lines += [f"int kept_{index}b; /* {c_comment(text)} */"]
        expected += ["int", f"kept_{index}a;", "int", f"kept_{index}b;"]
    return "\n".join(lines) + "\n", expected


def test_hostile_text_stays_inside_a_c_comment(tmp_path):
    source, expected = comment_probe(HOSTILE)
    assert preprocess(source, tmp_path) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=20))
def test_any_text_stays_inside_a_c_comment(tmp_path_factory, texts):
    source, expected = comment_probe(texts)
    assert preprocess(source, tmp_path_factory.mktemp("c")) == expected


def test_a_c_comment_is_one_visible_line():
    assert c_comment("a\nb\rc\u2028d") == "a b c d"
    assert c_comment("x \u202e y") == "x <U+202E> y"
    assert c_comment("Cel *\\\n/") == "Cel *\\ /"
    assert not c_comment("end \\ ").endswith("\\")
    assert "*/" not in c_comment("**//*/*/")
    assert "??" not in c_comment("???/")
    assert c_comment("Sensor Value (°C)") == "Sensor Value (°C)"  # plain text as written


def strings_program(texts):
    """A C program that writes each literal's length, a colon and its bytes."""
    body = [
        f'    printf("%zu:", sizeof {c_string(t)} - 1);'
        f" fwrite({c_string(t)}, 1, sizeof {c_string(t)} - 1, stdout);"
        for t in texts
    ]
    return "#include <stdio.h>\nint main(void) {\n" + "\n".join(body) + "\n    return 0;\n}\n"


def run_strings(texts, tmp_path):
    source = tmp_path / "strings.c"
    source.write_text(strings_program(texts), encoding="utf-8")
    binary = tmp_path / "strings"
    flags = ["-std=c99", "-trigraphs", "-Wall", "-Wextra", "-Werror"]
    subprocess.run([gcc(), *flags, "-o", str(binary), str(source)], check=True, timeout=120)
    output = subprocess.run([str(binary)], capture_output=True, check=True, timeout=30).stdout
    values = []
    while output:
        length, _, output = output.partition(b":")
        values.append(output[: int(length)])
        output = output[int(length) :]
    return values


def test_a_c_string_holds_any_text_exactly(tmp_path):
    texts = [*HOSTILE, '"); system("x', "??=??/??'", "é\u202e\x00\x7f", "1.0"]
    assert run_strings(texts, tmp_path) == [t.encode("utf-8") for t in texts]


@settings(max_examples=30, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=20))
def test_any_text_is_exactly_a_c_string(tmp_path_factory, texts):
    got = run_strings(texts, tmp_path_factory.mktemp("s"))
    assert got == [t.encode("utf-8", "surrogatepass") for t in texts]


def node():
    path = shutil.which("node")
    if path is None:
        pytest.fail("node is needed to read the generated TypeScript's literals")
    return path


def test_a_typescript_string_and_comment_hold_any_text(tmp_path):
    texts = [*HOSTILE, "it's", "\\'", "</script>", "${x}`"]
    lines = ["const out = [];"]
    for text in texts:
        lines.append(f"/** {ts_comment(text)} */")
        lines.append(f"out.push({ts_string(text)});")
    lines.append("process.stdout.write(JSON.stringify(out));")
    script = tmp_path / "probe.js"
    script.write_text("\n".join(lines), encoding="utf-8")
    result = subprocess.run([node(), str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == texts


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a\tb\r\nc\x0bd\x0ce\x85f\u2028g\u2029h", "a b  c d e f g h"),
        ("nul\x00 del\x7f", "nul<U+0000> del<U+007F>"),
        (
            "zero\u200bwidth \ue000 \u0378 \U000e0001",
            "zero<U+200B>width <U+E000> <U+0378> <U+E0001>",
        ),
        ("???", "? ? ?"),
        ("*/*/", "* / * /"),
        ("/**/", "/ ** /"),
        ("x\\", "x`\\`"),
        ("end \\ \t", "end `\\`"),
        ("  lead", "  lead"),
        ("é ° ✓", "é ° ✓"),
    ],
)
def test_c_comment_exact(text, line):
    assert c_comment(text) == line


def test_c_string_exact():
    assert c_string("") == '""'
    assert c_string("plain TEXT ~") == '"plain TEXT ~"'  # only " \\ ? are escaped
    assert c_string('q"b\\t?') == '"q\\"b\\\\t\\?"'
    assert c_string("é\n\x00\x7f\x1f ") == '"\\303\\251\\012\\000\\177\\037 "'


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("one\r\ntwo\nthree\u2028four\u2029five", "one two three four five"),
        ("a\rb", "ab"),
        ("a */ b /* c", "a * / b / * c"),
        ("*/*/", "* / * /"),
        ("/* open", "/ * open"),
        ("??/", "? ?/"),
        ("it's \\ é \t", "it's \\ é \t"),  # kept as written
    ],
)
def test_ts_comment_exact(text, line):
    assert ts_comment(text) == line


def test_ts_string_exact():
    assert ts_string("") == "''"
    assert ts_string("it's\\\n\r\u2028\u2029\"`${x}") == "'it\\'s\\\\\\n\\r\\u2028\\u2029\"`${x}'"
