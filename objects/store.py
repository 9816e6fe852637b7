"""The store: a whole sync's data swapped in at once, in one short transaction.

Readers (the site, the mirror API) see either the previous complete data or the new one:
SQLite in WAL mode and PostgreSQL both give each reader a snapshot, and nothing is written
before the final transaction, so a sync that fails or is killed changes nothing.
"""

from django.db import transaction
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


def replace_all(run, versions, resources_by_version, counts):
    """Swap the new data in and mark the run ok, all in one transaction."""
    with transaction.atomic():
        Resource.objects.all().delete()
        ObjectVersion.objects.all().delete()
        ObjectVersion.objects.bulk_create(versions, batch_size=500)
        resources = []
        for version in versions:
            for resource in resources_by_version.get((version.object_id, version.ver), ()):
                resource.object_version_id = version.pk
                resources.append(resource)
        Resource.objects.bulk_create(resources, batch_size=1000)
        for name, value in counts.items():
            setattr(run, name, value)
        run.outcome = SyncRun.OK
        run.finished = timezone.now()
        run.save()


def last_successful_run():
    return SyncRun.objects.filter(outcome=SyncRun.OK).order_by("-finished").first()
