"""Server-side syntax highlighting of stored XML definitions, for the definition page.

The definitions come from the upstream registry, which we do not trust: a file may be
crafted to break out of the page (markup in values, comments, names), to be slow to
highlight, or simply be malformed. Hence:

* Everything the file contains goes through django.utils.html.escape, in one call over the
  whole text. The tokenizer marks token boundaries with code points that cannot occur in
  the text (lone surrogates), and only after escaping are those markers replaced by a
  fixed set of ``<span class="x-...">`` tags: no input can produce a tag or attribute of
  its own.
* The cost is linear in the size of the text whatever it contains: the scanner moves
  forward with str.find and anchored, possessive regexes; a token whose terminator is
  missing (an unterminated comment, CDATA section, quote...) takes the rest of the text,
  so nothing is scanned twice. Pygments-style lexers with ``.*?`` patterns rescan to the
  end of the text from every unterminated ``<!--`` and turn quadratic.
* The result is one HTML string per source line, each balanced on its own (a token that
  spans lines is closed at the end of each line and reopened on the next), so the page can
  number, anchor and wrap lines independently.
"""

import codecs
import re

from django.utils.html import escape
from django.utils.safestring import SafeString

# Codecs Python knows that are not character encodings of a document, may produce text the
# bytes do not hold (escape sequences), or decode in worse than linear time.
_REFUSED_CODECS = {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"}
# The XML declaration, looked for in the first bytes only: bounded work.
_DECLARED_ENCODING = re.compile(
    rb"""<\?xml\s[^>]{0,200}?\bencoding\s{0,20}=\s{0,20}["']([A-Za-z][A-Za-z0-9._-]{0,39})["']"""
)


def _utf8_or_none(text: str) -> str | None:
    """The text if it can be sent as UTF-8 (no lone surrogates, e.g. from UTF-7), else None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED_CODECS:
        return None
    try:
        return _utf8_or_none(data.decode(info.name))
    except Exception:  # a codec may raise anything on hostile bytes; we fall back instead
        return None


def decode_definition(data: bytes) -> str:
    """The text of a stored definition, whatever its bytes; never raises.

    UTF-8 (BOM stripped) when the bytes are UTF-8, else the encoding the XML declaration
    names if Python knows it as a text codec, else UTF-16 when the file starts with its
    BOM, else cp1252 with replacement characters: the page shows something readable for
    every file, and never text that could not be sent as UTF-8.
    """
    if not data:
        return ""
    data = bytes(data)  # a database may hand a memoryview
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_ENCODING.match(data, 0, 300)
    if declared:
        text = _decode(data, declared.group(1).decode("ascii"))
        if text is not None:
            return text
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16")
        if text is not None:
            return text
    return data.decode("cp1252", errors="replace")


# Token classes. Each has an opening marker, a lone surrogate; one more marker closes.
CLASSES = ("tag", "attr", "val", "comment", "cdata", "pi", "doctype", "entity")
_OPEN = {name: chr(0xD800 + i) for i, name in enumerate(CLASSES)}
_CLOSE = chr(0xD800 + len(CLASSES))
_HTML = {_OPEN[name]: f'<span class="x-{name}">' for name in CLASSES} | {_CLOSE: "</span>"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_TAG, _ATTR, _VAL, _ENTITY = (_OPEN[name] for name in ("tag", "attr", "val", "entity"))

# Every quantifier is possessive and on a class that excludes what may follow it: an
# anchored match reads what it consumes (plus one character) and never backtracks into it.
_NAME = r"""(?:[^\W\d]|:)[^\s/<>"'=]*+"""
_ENTITY_REST = r"(?:\#[0-9]{1,10}|\#x[0-9A-Fa-f]{1,8}|(?:[^\W\d]|:)[\w:.-]{0,63});"
_MARKUP_REST = r"(?:[^\W\d]|:|/(?:[^\W\d]|:)|!|\?)"
_TOKEN = re.compile(
    rf"""
    # Text, with any '<' or '&' that starts no markup: one match however many there are.
    (?P<text>(?:[^<&]++|&(?!{_ENTITY_REST})|<(?!{_MARKUP_REST}))++)
    # A start tag's name, its inside (up to its '>' or a stray '<'; a quoted value may hold
    # '>' and, left open, takes the rest of the text), its '>' if any.
    | (?P<name><{_NAME})(?P<inside>(?:[^"'<>]++|"[^"]*+"?+|'[^']*+'?+)*+)(?P<gt>>?+)
    | (?P<end></{_NAME}\s*+>?+)
    | (?P<entity>&{_ENTITY_REST})
    | (?P<comment><!--) | (?P<cdata><!\[CDATA\[) | (?P<pi><\?) | (?P<doctype><!)
    | (?P<stray>[<&])  # unreachable, so that every position matches something
    """,
    re.VERBOSE,
)
# One attribute within a start tag's delimited inside: blanks (and stray '=' or '/') before
# it, its name, its '=', its value (quoted, or bare after an '=').
_ATTRIBUTE = re.compile(
    r"""(?=[\s\S])([\s/=]*+)([^\s=/"']*+)(\s*+=\s*+|)("[^"]*+"?+|'[^']*+'?+|[^\s=/"']*+)"""
)
# Markup that runs to a fixed terminator, found with str.find.
_TERMINATORS = {"comment": "-->", "cdata": "]]>", "pi": "?>"}


def _wrap(name: str, piece: str) -> str:
    """The piece in its class's markers; a newline in it closes and reopens the class."""
    piece = f"{_OPEN[name]}{piece}{_CLOSE}"
    if "\n" in piece:
        piece = piece.replace("\n", f"{_CLOSE}\n{_OPEN[name]}")
        piece = piece.replace(_OPEN[name] + _CLOSE, "")  # a line empty of the token
    return piece


def _tokens(text: str) -> list[str]:
    """The text in order, each token wrapped in its class's markers, plain text bare."""
    out = []
    append = out.append
    match, finditer = _TOKEN.match, _ATTRIBUTE.finditer
    n = len(text)
    pos = 0
    while pos < n:
        m = match(text, pos)
        kind = m.lastgroup
        end = m.end()
        if kind == "text" or kind == "stray":
            append(m.group())
        elif kind == "gt":  # a start tag
            name_end, inside_end = m.end(2), m.end(3)
            if end > inside_end and text[inside_end - 1] == "/":
                inside_end -= 1  # "/>"; a quote cannot end there: it would have taken the '>'
            if inside_end == name_end:  # no attributes, no blanks: no newline either
                append(f"{_TAG}{text[pos:end]}{_CLOSE}")
            else:
                append(f"{_TAG}{text[pos:name_end]}{_CLOSE}")
                for part in finditer(text, name_end, inside_end):
                    blank, attr, equals, value = part.groups()
                    if attr:
                        blank = f"{blank}{_ATTR}{attr}{_CLOSE}{equals}"
                    if value:
                        if "\n" in value:
                            blank += _wrap("val", value)
                        else:
                            blank = f"{blank}{_VAL}{value}{_CLOSE}"
                    append(blank)
                if end > inside_end:
                    append(f"{_TAG}{text[inside_end:end]}{_CLOSE}")
        elif kind in _TERMINATORS:
            found = text.find(_TERMINATORS[kind], end)
            end = n if found < 0 else found + len(_TERMINATORS[kind])
            append(_wrap(kind, text[pos:end]))
        elif kind == "doctype":
            end = _declaration_end(text, pos)
            append(_wrap(kind, text[pos:end]))
        elif kind == "end":
            append(_wrap("tag", m.group()))
        else:  # an entity: no newline in it
            append(f"{_ENTITY}{m.group()}{_CLOSE}")
        pos = end
    return out


def _declaration_end(text: str, i: int) -> int:
    """The end of a <!DOCTYPE ...> or other <!...>, past an internal subset [...] if any."""
    n = len(text)
    gt = text.find(">", i + 2)
    if gt < 0:
        return n
    bracket = text.find("[", i + 2, gt)
    if bracket < 0:
        return gt + 1
    close = text.find("]", bracket + 1)
    if close < 0:
        return n
    gt = text.find(">", close + 1)
    return n if gt < 0 else gt + 1


def highlight_xml(text: str) -> list[SafeString]:
    """One balanced HTML string per line of text (split on \\n, a trailing \\r dropped).

    Linear in len(text) whatever it holds, never raises, and every character of the text
    is escaped: the only markup in the result is the fixed <span class="x-..."> tags.
    """
    text = text.replace("\r\n", "\n")
    if text.endswith("\r"):
        text = text[:-1]
    if _utf8_or_none(text) is None:
        # Lone surrogates cannot be sent as UTF-8 anyway, and they are our markers.
        text = _SURROGATE.sub("\ufffd", text)
    marked = escape("".join(_tokens(text)))
    for marker, html in _HTML.items():
        marked = marked.replace(marker, html)
    # A lone CR would end the line in the browser (HTML turns it into LF): keep it a CR.
    marked = marked.replace("\r", "&#13;")
    return list(map(SafeString, marked.split("\n")))
