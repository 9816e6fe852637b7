"""Definition text made safe for each place it enters a generated file: one function a context.

A definition comes from the sync's source, which is untrusted (the default registry URL is plain
HTTP), and its text lands in files users build into firmware. Each function here returns text
that cannot leave its context whatever the input: a C block comment, a C string literal, a
TypeScript doc comment, a TypeScript string literal. The generators never put definition text
anywhere else (identifiers are made by objects.codegen.names, ASCII letters, digits and _ only),
and JSON is written by json.dumps, which escapes every character JSON must.
"""

import unicodedata

# Characters a person cannot see or that move text around (Trojan Source, CVE-2021-42574):
# controls, line and paragraph separators, format characters (bidirectional overrides, zero
# width joiners...), surrogates, private use and unassigned code points.
_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
_SPACES = "\t\n\v\f\r\x85\u2028\u2029"


def _visible(text: str) -> str:
    """Each hidden character as a space (a line break or tab) or as <U+XXXX>."""
    out: list[str] = []
    for ch in text:
        if ch in _SPACES:
            out.append(" ")
        elif unicodedata.category(ch) in _HIDDEN:
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def c_comment(text: str) -> str:
    """One line of text for inside a C /* */ comment, under any compiler setting.

    No line break survives, so the text stays on its line; no backslash ends it, so it cannot
    splice the next line onto it (a backslash before the line end, even with blanks between,
    is a line splice in translation phase 2, before comments are seen); no `??` trigraph (`??/`
    is a backslash under -trigraphs or -std=c89); no `*/` or `/*`; nothing invisible."""
    text = _visible(text)
    while "??" in text:
        text = text.replace("??", "? ?")
    while "*/" in text or "/*" in text:
        text = text.replace("*/", "* /").replace("/*", "/ *")
    text = text.rstrip()
    if text.endswith("\\"):
        text = text[:-1] + "`\\`"
    return text


def c_string(text: str) -> str:
    """A C string literal ("...") of any text: every byte that is not printable ASCII, and the
    quote, the backslash and the ? of a trigraph, as an escape."""
    out = ['"']
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\?':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    out.append('"')
    return "".join(out)


def ts_comment(text: str) -> str:
    """One line of text for inside a TypeScript /** */ doc comment: only `*/` ends one, and a
    line break would leave the ` * ` margin. Other characters are kept as written, as Nordic's
    lwm2m-types keeps them."""
    text = text.replace("\r", "").replace("\n", " ").replace("\u2028", " ").replace("\u2029", " ")
    text = text.replace("??", "? ?")
    while "*/" in text or "/*" in text:
        text = text.replace("*/", "* /").replace("/*", "/ *")
    return text


_TS_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def ts_string(text: str) -> str:
    """A single-quoted TypeScript string literal of any text (the line terminators of
    ECMAScript, the quote and the backslash escaped)."""
    return "'" + "".join(_TS_ESCAPES.get(ch, ch) for ch in text) + "'"
