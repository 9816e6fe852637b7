"""The store: a whole sync's data swapped in at once, in one short transaction.

Readers (the site, the mirror API) see either the previous complete data or the new one:
SQLite in WAL mode and PostgreSQL both give each reader a snapshot, and nothing is written
before the final transaction, so a sync that fails or is killed changes nothing.
"""

from django.db import connection, transaction
from django.utils import timezone

from .models import ObjectVersion, Resource, SyncRun


def previous_definitions():
    """What the last sync stored, for conditional requests: {(id, ver): row values}."""
    rows = ObjectVersion.objects.values_list(
        "object_id", "ver", "object_link", "etag", "last_modified", "definition"
    )
    return {
        (oid, ver): (link, etag, modified, definition)
        for oid, ver, link, etag, modified, definition in rows
    }


RESOURCE_COLUMNS = (
    "object_version_id", "resource_id", "name", "operations", "multiple_instances",
    "mandatory", "type", "range_enumeration", "units", "description",
)  # fmt: skip


def insert_resources(pairs):
    """Insert (version pk, Resource) pairs with one executemany of plain tuples.

    bulk_create spent most of the store's time preparing each of the ~45,000 values
    (bench/RESULTS.md); these are plain strings and integers, so they go in as they are.
    """
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Resource._meta.db_table),
        ", ".join(quote(column) for column in RESOURCE_COLUMNS),
        ", ".join(["%s"] * len(RESOURCE_COLUMNS)),
    )
    rows = [
        (pk, *(getattr(resource, column) for column in RESOURCE_COLUMNS[1:]))
        for pk, resource in pairs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def replace_all(run, versions, resources_by_version, counts):
    """Swap the new data in and mark the run ok, all in one transaction."""
    with transaction.atomic():
        Resource.objects.all().delete()
        ObjectVersion.objects.all().delete()
        ObjectVersion.objects.bulk_create(versions, batch_size=500)
        insert_resources(
            (version.pk, resource)
            for version in versions
            for resource in resources_by_version.get((version.object_id, version.ver), ())
        )
        for name, value in counts.items():
            setattr(run, name, value)
        run.outcome = SyncRun.OK
        run.finished = timezone.now()
        run.save()


def last_successful_run():
    return SyncRun.objects.filter(outcome=SyncRun.OK).order_by("-finished").first()
