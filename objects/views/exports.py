"""The object list as CSV and JSON (every page of it): whole, kept once per sync, or past the
answers' store's bound streamed as the rows are read (8 MB of CSV at 100 times today's
registry)."""

import csv
import io
import json
from itertools import chain

from django.views.decorators.http import require_safe

from objects.catalog.reads import retry_if_swapped
from objects.views.common import spreadsheet_safe, whole_or_streamed
from objects.views.lists import matching_rows

EXPORT_FIELDS = ("ObjectID", "Ver", "Name", "Owner", "Label", "LwM2MVersion", "URN", "Description")
# Bytes gathered before a chunk is sent: a row each would be a write (and a gzip call) per row.
CHUNK = 32 * 1024


def export_rows(request):
    """The matching rows' items, as a generator whose rows are found now (in the view, so a
    read that straddles a sync's swap is retried) and turned into items as they are sent."""
    rows = matching_rows(request).result.rows
    return (export_item(row) for row in rows)


def export_item(row):
    return {
        "ObjectID": row.object_id,
        "Ver": row.ver,
        "Name": row.name,
        "Owner": row.owner,
        "Label": row.label_code,
        "LwM2MVersion": row.lwm2m_version,
        "URN": row.urn,
        "Description": row.description,
    }


def chunked(pieces):
    """The text pieces as UTF-8 chunks of about CHUNK bytes."""
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def csv_lines(header, rows):
    """Each CSV line as it is written: the header, then a line per row, every cell one a
    spreadsheet will not run as a formula (the data comes from the network)."""
    line = io.StringIO()
    writer = csv.writer(line)
    for cells in chain([header], rows):
        writer.writerow([spreadsheet_safe(value) for value in cells])
        yield line.getvalue()
        line.seek(0)
        line.truncate()


def json_pieces(items):
    """`[`, the items `, `-joined, `]`: the bytes json.dumps gives for the whole list."""
    yield "["
    for number, item in enumerate(items):
        yield (", " if number else "") + json.dumps(item, ensure_ascii=False)
    yield "]"


def streamed(request, pieces, content_type, disposition):
    """The answer, whole or, past the store's bound, streamed; a HEAD's body never made."""
    response = whole_or_streamed(request, chunked(pieces), content_type)
    response["Content-Disposition"] = disposition
    return response


@require_safe
@retry_if_swapped
def export_csv(request):
    rows = ([item[field] for field in EXPORT_FIELDS] for item in export_rows(request))
    return streamed(
        request,
        csv_lines(EXPORT_FIELDS, rows),
        "text/csv; charset=utf-8",
        'attachment; filename="lwm2m-objects.csv"',
    )


@require_safe
@retry_if_swapped
def export_json(request):
    return streamed(
        request,
        json_pieces(export_rows(request)),
        "application/json",
        'inline; filename="lwm2m-objects.json"',
    )
