"""A version's stored definition: as a readable page, and as the raw file the mirror links to.

The bytes come from upstream and are served from our own origin, so the raw file is inert in
a browser: a sandboxing Content-Security-Policy (nothing in it can run, navigate, submit or
load anything) and, for a browser that asks for a page, plain text, so no XHTML or XSLT in it
is ever rendered. Tools (the sync of another mirror, Anjay's registry script) get XML as before.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_safe
from django.views.decorators.vary import vary_on_headers

from objects.catalog.reads import definition_body, get_version
from objects.catalog.xml_highlight import decode_definition, highlight_xml
from objects.lwm2m.ids import parse_object_id
from objects.lwm2m.versions import parse_version
from objects.mirror.repository_layout import ddf_path
from objects.models import ObjectVersion
from objects.views.common import not_found

# The page shows at most this much of a definition, so its cost stays bounded whatever the
# file (2 MB of blank lines would be 2 million table rows); the registry's largest definition
# is 32 KB in about 900 lines, so real ones are always shown whole.
MAX_SHOWN_CHARACTERS = 512 * 1024
MAX_SHOWN_LINES = 10_000

# Nothing may run, load, submit, navigate or be framed: the document gets an opaque origin.
INERT_CSP = (
    "sandbox; default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def stored_version(object_id, ver):
    """The version with its stored bytes, or Http404 when it has none."""
    version = get_version(object_id, ver, deferred=("search_text",))
    body = definition_body(version)
    if body is None:
        raise Http404("no stored definition for this version")
    return version, body


def _definition_etag(request, object_id, ver):
    try:
        major, minor = parse_version(ver)
        object_id = parse_object_id(object_id)
    except ValueError:
        return None
    sha = (
        ObjectVersion.objects.filter(object_id=object_id, ver_major=major, ver_minor=minor)
        .values_list("definition_sha256", flat=True)
        .first()
    )
    return f'"{sha}"' if sha else None


@require_safe
@vary_on_headers("Accept")
@condition(etag_func=_definition_etag)
def definition_xml(request, object_id, ver):
    """The stored definition bytes, so a definition stays reachable when upstream breaks."""
    version, body = stored_version(object_id, ver)
    if request.get_preferred_type(["application/xml", "text/html"]) == "text/html":
        try:
            body.decode("utf-8")
            content_type = "text/plain; charset=utf-8"
        except UnicodeDecodeError:
            content_type = "text/plain"
    else:
        content_type = "application/xml"
    response = HttpResponse(body, content_type=content_type)
    # The ETag of the bytes sent: a sync may have swapped them since the etag_func's query.
    response["ETag"] = f'"{version.definition_sha256}"'
    # Named as the registry names the file: 3303.xml for the latest, else 3303-1_0.xml.
    name = ddf_path(version.object_id, version.ver_major, version.ver_minor, version.is_latest)
    response["Content-Disposition"] = f'inline; filename="{name.rsplit("/", 1)[-1]}"'
    response["Content-Security-Policy"] = INERT_CSP
    return response


@require_safe
def definition_page(request, object_id, ver):
    """The definition as a page: highlighted on the server, each line linkable (#L12)."""
    try:
        version, data = stored_version(object_id, ver)
    except Http404:
        return not_found(request, f"No stored definition for object {object_id:.40} {ver:.40}.")
    text = decode_definition(data)
    shown = shown_part(text)
    context = {
        "version": version,
        "lines": highlight_xml(shown),
        "size": len(data),
        "total_lines": text.count("\n") + 1,
        "truncated": len(shown) < len(text),
    }
    return render(request, "objects/definition.html", context)


def shown_part(text):
    """The beginning of the text that the page shows: whole lines, within both limits."""
    end = min(len(text), MAX_SHOWN_CHARACTERS)
    position = -1
    for _ in range(MAX_SHOWN_LINES):
        position = text.find("\n", position + 1, end)
        if position == -1:
            return text[:end]
    return text[:position]
