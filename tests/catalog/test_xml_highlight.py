"""The definition page's XML highlighter, its decoding, and its template.

The definitions are untrusted upstream files: whatever they hold, the highlighter must not
raise, must escape everything (its only markup is the fixed <span class="x-..."> tags), must
keep each line balanced HTML, must lose or duplicate no character, and must take time linear
in the size of the file. No database is needed.
"""

import html
import random
import re
import time
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from objects.catalog.xml_highlight import decode_definition, highlight_xml
from objects.models import ObjectVersion
from tests.conftest import FIXTURE_REGISTRY

FIXTURES = FIXTURE_REGISTRY
CLASSES = ("tag", "attr", "val", "comment", "cdata", "pi", "doctype", "entity")
# A line is text and spans side by side, never nested; the text holds no markup character
# and no '&' that does not start one of the references escape() (or the CR rule) writes.
CHAR = r"(?:[^<>\"'&]|&(?:amp|lt|gt|quot|#x27|#13);)"
LINE = re.compile(rf'(?:{CHAR}++|<span class="x-(?:{"|".join(CLASSES)})">{CHAR}*+</span>)*+')
MB = 1 << 20


class SpanReader(HTMLParser):
    """Reads one line of output as a browser would: its text, and its tags' balance."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.depth, self.problems = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag != "span" or len(attrs) != 1 or attrs[0][0] != "class":
            self.problems.append(f"foreign tag: {tag} {attrs}")
        elif attrs[0][1] not in {f"x-{name}" for name in CLASSES}:
            self.problems.append(f"foreign class: {attrs}")
        self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1
        if tag != "span" or self.depth < 0:
            self.problems.append(f"unbalanced </{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.problems.append(f"foreign tag: <{tag}/>")

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.problems.append("a comment")

    def handle_decl(self, decl):
        self.problems.append("a declaration")

    def handle_pi(self, data):
        self.problems.append("a processing instruction")

    def unknown_decl(self, data):
        self.problems.append("an unknown declaration")


def read_line(line):
    """The text a browser shows for one line; asserts it is balanced, with our spans only."""
    reader = SpanReader()
    reader.feed(line)
    reader.close()
    assert not reader.problems, (reader.problems, line[:300])
    assert reader.depth == 0, line[:300]
    return "".join(reader.text)


def expected_text(text):
    """What the page should show: the lines split on \\n, a trailing \\r dropped."""
    return "\n".join(line.removesuffix("\r") for line in text.split("\n"))


def check_output(text, lines, parse=True):
    """Every invariant of highlight_xml's output for text."""
    assert isinstance(lines, list)
    assert all(type(line) is SafeString for line in lines)
    assert len(lines) == text.count("\n") + 1
    for line in lines:
        assert "\n" not in line
        # Structural: only our spans, never nested, everything else escaped.
        assert LINE.fullmatch(line), line[:300]
        assert "<script" not in line
        assert "<img" not in line
        assert not any("onerror" in tag.lower() for tag in re.findall(r"<[^>]*>", line))
    if parse:  # html.parser, as a browser would read each line on its own
        shown = "\n".join(read_line(line) for line in lines)
    else:  # the same reading for big outputs: drop our (checked) tags, unescape
        shown = html.unescape("\n".join(re.sub(r"<[^>]*>", "", line) for line in lines))
    assert shown == expected_text(text)


def highlight_checked(text, parse=True):
    lines = highlight_xml(text)
    check_output(text, lines, parse)
    return lines


# A real definition


def test_real_definition_highlights_with_its_classes():
    text = decode_definition((FIXTURES / "3303.xml").read_bytes())
    lines = highlight_checked(text)
    assert lines[0] == (
        '<span class="x-pi">&lt;?xml version=&quot;1.0&quot; encoding=&quot;UTF-8&quot;?&gt;</span>'
    )
    assert lines[1].startswith('<span class="x-comment">&lt;!-- children in another order')
    assert lines[1].endswith("--&gt;</span>")
    assert lines[2] == '<span class="x-tag">&lt;LWM2M&gt;</span>'
    assert lines[3] == (
        '  <span class="x-tag">&lt;Object</span> <span class="x-attr">ObjectType</span>='
        '<span class="x-val">&quot;MODefinition&quot;</span><span class="x-tag">&gt;</span>'
    )
    assert lines[4] == (
        '    <span class="x-tag">&lt;ObjectID&gt;</span>3303<span class="x-tag">&lt;/ObjectID&gt;'
        "</span>"
    )
    assert '<span class="x-tag">&lt;Units&gt;</span><span class="x-tag">&lt;/Units&gt;</span>' in (
        "".join(lines)
    )


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.xml")), ids=lambda path: path.name)
def test_every_fixture_round_trips(path):
    highlight_checked(decode_definition(path.read_bytes()))


def test_each_token_class_and_tokens_across_lines():
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE LWM2M [ <!ENTITY x "a > b"> ]>\n'
        "<LWM2M a=\"1\" b='x > y'\n"
        '       c="two\n'
        'lines" d=bare/>\n'
        "<!-- a comment\n"
        "\n"
        "over lines -->\n"
        "<![CDATA[ <not a tag> & ]]>\n"
        "<X>&amp; &#233; &#xE9; &x; & &notentity < > </X\n"
        ">"
    )
    lines = highlight_checked(text)
    assert lines[1] == (
        '<span class="x-doctype">&lt;!DOCTYPE LWM2M [ &lt;!ENTITY x &quot;a &gt; b&quot;&gt; ]&gt;'
        "</span>"
    )
    assert lines[2] == (
        '<span class="x-tag">&lt;LWM2M</span> <span class="x-attr">a</span>='
        '<span class="x-val">&quot;1&quot;</span> <span class="x-attr">b</span>='
        '<span class="x-val">&#x27;x &gt; y&#x27;</span>'
    )
    # A value over two lines: closed at the end of the first, reopened on the second.
    assert lines[3] == '       <span class="x-attr">c</span>=<span class="x-val">&quot;two</span>'
    assert lines[4] == (
        '<span class="x-val">lines&quot;</span> <span class="x-attr">d</span>='
        '<span class="x-val">bare</span><span class="x-tag">/&gt;</span>'
    )
    assert lines[5] == '<span class="x-comment">&lt;!-- a comment</span>'
    assert lines[6] == ""  # an empty line inside a comment: no empty span
    assert lines[7] == '<span class="x-comment">over lines --&gt;</span>'
    assert lines[8] == '<span class="x-cdata">&lt;![CDATA[ &lt;not a tag&gt; &amp; ]]&gt;</span>'
    assert lines[9] == (
        '<span class="x-tag">&lt;X&gt;</span><span class="x-entity">&amp;amp;</span> '
        '<span class="x-entity">&amp;#233;</span> <span class="x-entity">&amp;#xE9;</span> '
        '<span class="x-entity">&amp;x;</span> &amp; &amp;notentity &lt; &gt; '
        '<span class="x-tag">&lt;/X</span>'
    )
    assert lines[10] == '<span class="x-tag">&gt;</span>'


def test_line_ends():
    assert highlight_xml("<a>\r\n<b/>\r\n") == [
        '<span class="x-tag">&lt;a&gt;</span>',
        '<span class="x-tag">&lt;b/&gt;</span>',
        "",
    ]
    assert highlight_xml("") == [""]
    assert highlight_xml("a\r") == ["a"]
    # A lone CR stays inside its line: raw, a browser would read it as a line break.
    assert highlight_xml("a\rb<!--\r-->") == [
        'a&#13;b<span class="x-comment">&lt;!--&#13;--&gt;</span>'
    ]


# Hostile input

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "script in text": "<a>&lt;script&gt;<script src=//evil.test/x.js></script></a>",
    "breakout value": '<a b=""><img src=x onerror=alert(1)>"/>',
    "breakout single": "<a b=''><img src=x onerror=alert(1)>'/>",
    "breakout in value": '<a title="&quot;><img src=x onerror=alert(1)>">t</a>',
    "breakout in comment": "<!-- --><script>alert(1)</script> -->",
    "breakout in cdata": "<![CDATA[ ]]><img src=x onerror=alert(1)> ]]>",
    "span forgery": '<a>"></span><span class="x-tag" onclick="alert(1)">',
    "unterminated comment": "<a>\n<!-- never closed\n<b>x</b>",
    "unterminated cdata": "<a><![CDATA[ never closed\n<b>x</b>",
    "unterminated pi": "<?xml version='1.0'\n<a/>",
    "unterminated doctype": "<!DOCTYPE a [ <!ENTITY b 'c'>\n<a/>",
    "unterminated tag": '<a b="1"\n<c d="2">',
    "unterminated quote": '<a b="never closed>\n<c>t</c>',
    "unterminated single quote": "<a b='x>\n</a>",
    "unterminated end tag": "<a></a",
    "stray": "< a <<< & && &; &# &#x; &#12 &amp <1> </ </1> <> <<a>> > ]]> -->",
    "lone bracket": "<",
    "lone ampersand": "&",
    "controls": "<a\x00b='\x00'>\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\x9f</a\x00>",
    "bidi": "<a n='\u202e\u2066x'>\u202egnirts\u2069</a>\u2028\u2029\ufeff",
    "non-bmp": "<\U0001f600 \U0001f601='\U0001f602'>\U0001f603&\U0001f604;</\U0001f600>",
    "markers": "\ue000\uf8ff\U000f0000\U0010fffd<a\ufffe='\uffff'/>",
    "entities": "&lt;&gt;&amp;&quot;&apos;&#0;&#x0;&#13;&#1114112;&" + "a" * 200 + ";",
    "slashes": "<a/ / b = / c=/ =d '' \"\" ==/>",
    "deep": "<a>" * 20000 + "x" + "</a>" * 20000,
    "long line": "<a b='" + "x" * 100000 + "'>" + "&amp;" * 10000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_escaped_balanced_and_complete(text):
    highlight_checked(text)


def test_hostile_markup_stays_text():
    (line,) = highlight_xml(HOSTILE["breakout value"])
    assert line == (
        '<span class="x-tag">&lt;a</span> <span class="x-attr">b</span>='
        '<span class="x-val">&quot;&quot;</span><span class="x-tag">&gt;</span>'
        '<span class="x-tag">&lt;img</span> <span class="x-attr">src</span>='
        '<span class="x-val">x</span> <span class="x-attr">onerror</span>='
        '<span class="x-val">alert(1)</span><span class="x-tag">&gt;</span>&quot;/&gt;'
    )
    (line,) = highlight_xml(HOSTILE["breakout in comment"])
    assert line.startswith('<span class="x-comment">&lt;!-- --&gt;</span>')
    assert '<span class="x-tag">&lt;script&gt;</span>alert(1)' in line


def test_unterminated_markup_takes_the_rest_of_the_text():
    lines = highlight_xml("<a>\n<!-- never closed\n<b>x</b>")
    assert lines[1:] == [
        '<span class="x-comment">&lt;!-- never closed</span>',
        '<span class="x-comment">&lt;b&gt;x&lt;/b&gt;</span>',
    ]
    lines = highlight_xml('<a b="x>\n<c>')
    assert lines[1] == '<span class="x-val">&lt;c&gt;</span>'


def test_lone_surrogates_become_replacement_characters():
    lines = highlight_xml("<a b='\ud800'>\udfff</a>")
    assert lines == [
        '<span class="x-tag">&lt;a</span> <span class="x-attr">b</span>='
        '<span class="x-val">&#x27;\ufffd&#x27;</span><span class="x-tag">&gt;</span>'
        '\ufffd<span class="x-tag">&lt;/a&gt;</span>'
    ]
    "".join(lines).encode("utf-8")


def test_random_markup_soup():
    """Seeded fuzzing over the characters that matter to the scanner."""
    rng = random.Random(20240611)
    alphabet = list("<>&\"'/=!?-[]#;x: \n\r\t\x00é") + ["<!--", "-->", "<![CDATA[", "]]>"]
    alphabet += ["<?", "?>", "<!DOCTYPE", "&amp;", "&#1;", "<a", "</a>", "\u202e"]
    for _ in range(3000):
        text = "".join(rng.choices(alphabet, k=rng.randrange(0, 60)))
        highlight_checked(text)


# Linear time, whatever the input

CRAFTED = {
    "comment": "<!--",
    "quote": '<a b="',
    "cdata": "<![CDATA[",
    "pi": "<?",
    "doctype": "<!DOCTYPE [",
    "single quote": "<a b='",
    "ampersand": "&a",
}


def crafted(unit, size):
    return (unit * (size // len(unit) + 1))[:size]


def timed(text):
    started_cpu, started = time.process_time(), time.perf_counter()
    lines = highlight_xml(text)
    return lines, time.process_time() - started_cpu, time.perf_counter() - started


@pytest.mark.parametrize("unit", CRAFTED.values(), ids=CRAFTED.keys())
def test_crafted_2mb_input_is_linear(unit, capsys):
    half, _, half_wall = timed(crafted(unit, MB))
    text = crafted(unit, 2 * MB)
    lines, cpu, wall = timed(text)
    with capsys.disabled():
        print(
            f"\n  {unit!r:>14}: 1 MB {half_wall * 1000:6.0f} ms, 2 MB {wall * 1000:6.0f} ms"
            f" (cpu {cpu * 1000:.0f} ms), ratio {wall / max(half_wall, 1e-6):.2f}"
        )
    # Generous, and CPU time so a busy machine does not fail it: the timing belongs to the
    # benchmarks. A quadratic scan of these inputs takes minutes.
    assert cpu < 1
    check_output(text, lines, parse=False)


def test_the_first_unterminated_comment_takes_everything():
    (line,) = highlight_xml(crafted("<!--", 2 * MB))
    assert line.count('<span class="x-comment">') == 1


def test_many_lines_and_dense_tags_stay_linear(capsys):
    for unit in ("\n", "<a\n", "<a a", "<a>", "&a;"):
        _, _, half = timed(crafted(unit, MB // 2))
        lines, cpu, wall = timed(crafted(unit, MB))
        with capsys.disabled():
            print(
                f"\n  {unit!r:>14}: 0.5 MB {half * 1000:6.0f} ms, 1 MB {wall * 1000:6.0f} ms"
                f" (cpu {cpu * 1000:.0f} ms), ratio {wall / max(half, 1e-6):.2f}"
            )
        assert cpu < 2  # generous; the worst inputs for the constant factor, not the curve


# Decoding the stored bytes


def test_decode_utf8_and_bom():
    assert decode_definition("<a>é</a>".encode()) == "<a>é</a>"
    assert decode_definition(b"\xef\xbb\xbf<a/>") == "<a/>"
    assert decode_definition(memoryview(b"<a/>")) == "<a/>"
    assert decode_definition(b"") == ""


def test_decode_declared_encoding():
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>'.encode("latin-1")
    assert decode_definition(data) == '<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>'
    data = "<?xml version='1.0' encoding='shift_jis'?><a>温度</a>".encode("shift_jis")
    assert decode_definition(data).endswith("<a>温度</a>")
    data = '\ufeff<?xml version="1.0" encoding="UTF-16"?><a>é</a>'.encode("utf-16-le")
    assert decode_definition(data).endswith("<a>é</a>")


@pytest.mark.parametrize(
    "encoding",
    ["no-such-codec", "base64", "rot13", "zlib", "unicode_escape", "punycode", "idna", "utf-7"],
)
def test_decode_unknown_or_odd_encodings_fall_back_to_cp1252(encoding):
    # \xe9 is not UTF-8; "+2AA-" is a lone surrogate in UTF-7; \\x41 an escape.
    data = f'<?xml version="1.0" encoding="{encoding}"?><a>\xe9 +2AA- \\x41</a>'.encode("latin-1")
    text = decode_definition(data)
    assert text.endswith("<a>é +2AA- \\x41</a>")
    text.encode("utf-8")


def test_decode_never_raises():
    rng = random.Random(7)
    heads = [b"", b'<?xml version="1.0" encoding="utf-16"?>', b"\xff\xfe", b"\xef\xbb\xbf"]
    heads += [b'<?xml encoding="cp037"?>', b'<?xml encoding="utf-32"?>', b"\xfe\xff"]
    for _ in range(500):
        data = rng.choice(heads) + rng.randbytes(rng.randrange(0, 80))
        text = decode_definition(data)
        assert isinstance(text, str)
        text.encode("utf-8")
        check_output(text, highlight_xml(text))


# The page's template


def render_page(name, text):
    version = ObjectVersion(
        object_id=3303,
        ver="1.1",
        name=name,
        definition_sha256="ab" * 32,
        status="ok",
        is_latest=True,
    )
    lines = highlight_xml(text)
    context = {"version": version, "lines": lines, "size": 12345, "total_lines": len(lines)}
    page = render_to_string("objects/definition.html", context)
    return page, lines


def test_definition_template():
    text = (FIXTURES / "3303.xml").read_text()
    page, lines = render_page("Temperature", text)
    assert "<bdi>Temperature</bdi>" in page
    assert "3303 v1.1 — definition XML" in page
    assert '<a href="/objects/3303/1.1/">' in page
    assert '<a href="/objects/3303/1.1/definition.xml" download>Raw XML</a>' in page
    assert "12,345 bytes" in page
    assert "ab" * 32 in page
    rows = re.findall(r'<tr id="L(\d+)"><td class="ln"><a href="#L(\d+)">(\d+)</a></td>', page)
    assert rows == [(str(n), str(n), str(n)) for n in range(1, len(lines) + 1)]
    assert f'<td class="code"><code>{lines[3]}</code></td>' in page
    assert '<table class="xml"' in page


def test_definition_template_with_hostile_name_and_content():
    name = '\u202e<script>alert(1)</script>"'
    page, _ = render_page(name, HOSTILE["breakout value"] + "\n" + HOSTILE["script"])
    shown = "<bdi>\u202e&lt;script&gt;alert(1)&lt;/script&gt;&quot;</bdi>"
    assert f"<h1>{shown} <span" in page  # the heading
    assert f"3303 {shown}</a> › definition" in page  # the breadcrumbs
    assert "<img" not in page
    assert "onerror=" not in page
    assert not re.search(r"<script(?![^>]*\ssrc=)", page)  # base.html's scripts are files
    assert " style=" not in page
    assert "<style" not in page


def test_line_anchors_whatever_the_number_format(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    page, lines = render_page("Temperature", "<a/>\n" * 1500)
    assert '<tr id="L1234"><td class="ln"><a href="#L1234">1234</a></td>' in page
    assert "1,501 lines" in page


def test_definition_template_shows_a_bad_status():
    version = ObjectVersion(object_id=1, ver="1.0", name="x", status="invalid")
    version.status_reason = "not well-formed XML: \u202e<b>"
    context = {"version": version, "lines": highlight_xml("<a"), "size": 2, "total_lines": 1}
    page = render_to_string("objects/definition.html", context)
    assert "<strong>invalid</strong>: <bdi>not well-formed XML: \u202e&lt;b&gt;</bdi>" in page
    assert '<tr id="L1">' in page
    assert "1 line<" in page


@pytest.mark.django_db
def test_definition_page_served_under_the_strict_policy(client, synced):
    url = reverse("objects:definition", args=[3303, "1.1"])
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    page = response.text
    assert '<tr id="L1"><td class="ln"><a href="#L1">1</a></td>' in page
    assert '<span class="x-tag">&lt;ObjectID&gt;</span>3303' in page
    assert " style=" not in page
