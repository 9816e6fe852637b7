"""The store: a whole sync's data swapped in at once, in one short transaction.

Readers (the site, the mirror API) see either the previous complete data or the new one:
SQLite in WAL mode and PostgreSQL both give each reader a snapshot, and nothing is written
before the final transaction, so a sync that fails or is killed changes nothing.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .changes import compare_data, new_snapshot, stored_snapshot
from .models import Change, CommonResource, Finding, ObjectVersion, Resource, SyncRun


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


FINDING_COLUMNS = ("object_version_id", "rule", "severity", "resource_id", "message")


def insert_children(model, columns, pairs):
    """Insert (version pk, row) pairs with one executemany of plain tuples.

    bulk_create spent most of the store's time preparing each of the ~45,000 resource values
    (bench/RESULTS.md); these are plain strings and integers, so they go in as they are.
    """
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    rows = [(pk, *(getattr(row, column) for column in columns[1:])) for pk, row in pairs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


VERSION_COLUMNS = [f.attname for f in ObjectVersion._meta.concrete_fields if not f.primary_key]


COMMON_COLUMNS = [f.attname for f in CommonResource._meta.concrete_fields if not f.primary_key]


def fingerprint(versions, resources_by_version, common=(), findings=None):
    """A hash of every value a sync would store, in a stable order."""
    digest = hashlib.sha256()
    for resource in common:
        digest.update(repr([getattr(resource, c) for c in COMMON_COLUMNS]).encode())
    digest.update(b"\0")
    for key, found in sorted((findings or {}).items()):
        digest.update(
            repr([key, *([getattr(f, c) for c in FINDING_COLUMNS[1:]] for f in found)]).encode()
        )
    digest.update(b"\0")
    for version in versions:
        values = [getattr(version, column) for column in VERSION_COLUMNS]
        digest.update(repr([bytes(v) if isinstance(v, memoryview) else v for v in values]).encode())
        for resource in resources_by_version.get((version.object_id, version.ver), ()):
            digest.update(repr([getattr(resource, c) for c in RESOURCE_COLUMNS[1:]]).encode())
    return digest.hexdigest()


def replace_all(
    run, versions, resources_by_version, counts, log=None, findings=None, files=(), common=()
):
    """Swap the new data in and mark the run ok, all in one transaction.

    When the last successful run stored exactly the same, nothing is rewritten: a daily sync
    of an unchanged registry then costs the database one small write (and the registry files'
    rows, which say when each was fetched). `log` is told, from inside the transaction, when
    the old rows are gone (the tests' marker).
    """
    findings = findings or {}
    run.fingerprint = fingerprint(versions, resources_by_version, common, findings)
    with transaction.atomic():
        last = last_successful_run()
        run.changed = not (
            last
            and last.fingerprint == run.fingerprint
            and ObjectVersion.objects.count() == len(versions)
        )
        for registry_file in files:
            registry_file.save()
        if run.changed:
            changes = compare_data(
                stored_snapshot(), new_snapshot(versions, resources_by_version), run
            )
            Finding.objects.all().delete()
            Resource.objects.all().delete()
            ObjectVersion.objects.all().delete()
            CommonResource.objects.all().delete()
            if log:
                log("writing the new data, in the store's transaction")
            if settings.SYNC_STORE_PAUSE:
                time.sleep(settings.SYNC_STORE_PAUSE)
            ObjectVersion.objects.bulk_create(versions, batch_size=500)
            CommonResource.objects.bulk_create(common, batch_size=500)
            Change.objects.bulk_create(changes, batch_size=500)
            for model, columns, children in (
                (Resource, RESOURCE_COLUMNS, resources_by_version),
                (Finding, FINDING_COLUMNS, findings),
            ):
                insert_children(
                    model,
                    columns,
                    (
                        (version.pk, child)
                        for version in versions
                        for child in children.get((version.object_id, version.ver), ())
                    ),
                )
        for name, value in counts.items():
            setattr(run, name, value)
        run.outcome = SyncRun.OK
        run.finished = timezone.now()
        run.save()


def last_successful_run():
    return SyncRun.objects.filter(outcome=SyncRun.OK).order_by("-finished").first()


class SwappedMidRead(Exception):
    """A sync swapped the data in between two queries of one answer."""


def read_resources(*versions):
    """{version pk: its resources}, in one query, checked against each row's resource_count.

    A page reads its versions and then their resources in two statements; a sync that commits
    in between has deleted the rows the first one found, so the second finds none of them.
    Rows are never updated, only replaced whole, so the count each version row carries tells
    a complete read from such a torn one: then SwappedMidRead, and the caller reads again.
    """
    found = {version.pk: [] for version in versions}
    for resource in Resource.objects.filter(object_version__in=list(found)).order_by(
        "object_version", "resource_id"
    ):
        found[resource.object_version_id].append(resource)
    if any(len(found[version.pk]) != version.resource_count for version in versions):
        raise SwappedMidRead
    return found


def read_findings(version):
    """A version's quality findings; SwappedMidRead when its row says it has some and none
    are found (a sync swapped the data in since the row was read)."""
    findings = list(Finding.objects.filter(object_version=version.pk).order_by("pk"))
    if version.quality in (Finding.ERROR, Finding.WARNING) and not findings:
        raise SwappedMidRead
    return findings


def retry_if_swapped(view, attempts=3):
    """Run a view again when its reads straddled a sync's swap (see read_resources)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        for _ in range(attempts - 1):
            try:
                return view(*args, **kwargs)
            except SwappedMidRead:
                pass
        return view(*args, **kwargs)

    return wrapper
