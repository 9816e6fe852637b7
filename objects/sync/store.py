"""The store, the sync's writing side: a sync writes its data batch by batch as a new
generation, invisible to readers, then one short transaction makes it live
(objects/sync/generations.py).

Readers (the site, the mirror API: objects/catalog/reads.py) see either the previous complete
data or the new one: the default managers show the live generation only, and the pointer moves
in one transaction. A sync that fails or is killed leaves only rows of a generation nobody
reads, deleted by it or by the next sync.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from objects.lwm2m.fields import RESOURCE_FIELDS
from objects.models import (
    Change,
    CommonResource,
    DefinitionBody,
    Finding,
    ObjectVersion,
    Resource,
    SyncRun,
    live_generation,
)
from objects.sync import generations


@dataclass(frozen=True)
class Previous:
    """What the live generation holds of one version, for conditional requests and reuse: no
    body (the bytes are read only when a 304's definition must be parsed again)."""

    pk: int
    object_link: str
    etag: str
    last_modified: str
    sha256: str
    parsed_with: str
    is_latest: bool
    status: str
    resource_count: int


def previous_definitions():
    """{(id, ver): Previous} of the live generation."""
    rows = ObjectVersion.objects.values_list(
        "object_id", "ver", "pk", "object_link", "etag", "last_modified", "definition_sha256",
        "parsed_with", "is_latest", "status", "resource_count",
    )  # fmt: skip
    return {(oid, ver): Previous(*values) for oid, ver, *values in rows.iterator(chunk_size=2000)}


def store_bodies(bodies):
    """Store {sha256: bytes}; bytes stored already (any generation's) are not written again."""
    if bodies:
        DefinitionBody.objects.bulk_create(
            [DefinitionBody(sha256=sha, body=body) for sha, body in bodies.items()],
            ignore_conflicts=True,
        )


def delete_orphan_bodies(batch=500):
    """Delete the bodies no version of any generation names (after a swap)."""
    used = ObjectVersion.all_generations.values("definition_sha256")
    orphans = DefinitionBody.objects.exclude(sha256__in=used).values_list("sha256", flat=True)
    while True:
        shas = list(orphans[:batch])
        if not shas:
            return
        DefinitionBody.objects.filter(sha256__in=shas).delete()


RESOURCE_COLUMNS = (
    "object_version_id", "resource_id", *(column for _, column in RESOURCE_FIELDS),
)  # fmt: skip


FINDING_COLUMNS = (
    "object_version_id", "rule", "severity", "resource_id", "message", "oma_code", "line", "hint",
)  # fmt: skip


def insert_children(model, columns, generation, rows):
    """Insert rows of plain values (version pk first, in `columns` order) with one executemany.

    bulk_create spent most of the store's time preparing each of the ~45,000 resource values
    (bench/RESULTS.md); these are plain strings and integers, so they go in as they are.
    """
    rows = [(*row, generation) for row in rows]
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(column) for column in (*columns, "generation")),
        ", ".join(["%s"] * (len(columns) + 1)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


VERSION_COLUMNS = [
    f.attname
    for f in ObjectVersion._meta.concrete_fields
    if not f.primary_key and f.attname != "generation"
]


COMMON_COLUMNS = [
    f.attname
    for f in CommonResource._meta.concrete_fields
    if not f.primary_key and f.attname != "generation"
]


class Fingerprint:
    """A hash of every value a sync stores, the same whatever order the versions come in
    (each version's hash is added, modulo 2**256): equal to the last run's, nothing changed."""

    def __init__(self):
        self.total, self.versions = 0, 0

    def add_version(self, values, resources, findings):
        digest = hashlib.sha256(repr(values).encode())
        for row in resources:
            digest.update(repr(row).encode())
        digest.update(b"\0")
        for row in findings:
            digest.update(repr(row).encode())
        self.total = (self.total + int.from_bytes(digest.digest(), "big")) % 2**256
        self.versions += 1

    def hexdigest(self, common=()):
        digest = hashlib.sha256(self.total.to_bytes(32, "big"))
        for resource in common:
            digest.update(repr([getattr(resource, c) for c in COMMON_COLUMNS]).encode())
        return digest.hexdigest()


class GenerationWriter:
    """Writes a new generation a batch at a time, each batch its own short transaction:
    new rows (with their resources and findings), and rows copied from the live generation
    for definitions that did not change. Keeps the counts and the fingerprint as it goes."""

    def __init__(self, generation):
        self.generation = generation
        self.fingerprint = Fingerprint()
        self.resources = 0
        self.statuses = Counter()

    def copied(self, previous):
        """Count a live row the new generation has unchanged (copied now or later, or kept)."""
        self.resources += previous.resource_count
        self.statuses[previous.status] += 1

    def write(self, built, copies=()):
        """`built`: (ObjectVersion row unsaved, [resource tuples], [finding tuples], body);
        `copies`: (live pk, {column: new value}) for rows taken from the live generation."""
        with transaction.atomic():
            self._write_built(built)
            self._copy(copies)

    def _write_built(self, built):
        if not built:
            return
        store_bodies({row.definition_sha256: body for row, _, _, body in built if body})
        for row, *_ in built:
            row.generation = self.generation
        ObjectVersion.all_generations.bulk_create([row for row, *_ in built])
        resources, findings = [], []
        for row, row_resources, row_findings, _ in built:
            resources += [(row.pk, *values) for values in row_resources]
            findings += [(row.pk, *values) for values in row_findings]
            self._count(row, row_resources, row_findings)
        insert_children(Resource, RESOURCE_COLUMNS, self.generation, resources)
        insert_children(Finding, FINDING_COLUMNS, self.generation, findings)

    def _copy(self, copies):
        if not copies:
            return
        changes = dict(copies)
        live = ObjectVersion.all_generations.filter(pk__in=list(changes))
        live = live.values("pk", *VERSION_COLUMNS)
        rows, old_pks = [], []
        for values in live:
            old_pk = values.pop("pk")
            values.update(changes[old_pk])
            rows.append(ObjectVersion(generation=self.generation, **values))
            old_pks.append(old_pk)
        ObjectVersion.all_generations.bulk_create(rows)
        # The children copied by the database itself, one INSERT ... SELECT a version.
        pairs = [(row.pk, self.generation, old) for old, row in zip(old_pks, rows, strict=True)]
        quote = connection.ops.quote_name
        for model, columns in ((Resource, RESOURCE_COLUMNS), (Finding, FINDING_COLUMNS)):
            table, names = quote(model._meta.db_table), [quote(c) for c in columns[1:]]
            sql = (
                f"INSERT INTO {table} ({quote('object_version_id')}, {', '.join(names)}, "
                f"{quote('generation')}) SELECT %s, {', '.join(names)}, %s FROM {table} "
                f"WHERE {quote('object_version_id')} = %s ORDER BY {quote('id')}"
            )
            with connection.cursor() as cursor:
                cursor.executemany(sql, pairs)
        for row in rows:
            self.fingerprint.add_version([getattr(row, c) for c in VERSION_COLUMNS], (), ())

    def _count(self, row, resources, findings):
        values = [getattr(row, column) for column in VERSION_COLUMNS]
        self.fingerprint.add_version(values, resources, findings)
        self.resources += len(resources)
        self.statuses[row.status] += 1


def same_common(common):
    """Whether Common.xml's rows are those of the live generation."""
    live = CommonResource.objects.order_by("resource_id").values_list(*COMMON_COLUMNS)
    new = sorted(tuple(getattr(r, c) for c in COMMON_COLUMNS) for r in common)
    return list(live) == new


def swap(run, generation, writer, counts, changes, log=None, files=(), common=(), same=False):
    """Make `generation` live and mark the run ok, in one short transaction; then delete the
    generation it replaced and the bodies nobody names any more, in batches.

    `same`: every version is the live one unchanged (nothing was written), so when Common.xml's
    rows are too, nothing moves and the run says changed=False. `log` is told, from inside the
    transaction, when the new data is about to go live (the tests' marker).
    """
    last = SyncRun.last_successful()
    run.changed = not (same and last and same_common(common))
    # The generation the run leaves live: the key of what is kept per sync (catalog/per_sync).
    run.generation = generation if run.changed else live_generation()
    run.fingerprint = last.fingerprint if not run.changed else writer.fingerprint.hexdigest(common)
    if run.changed:
        for resource in common:
            resource.generation = generation
        CommonResource.all_generations.bulk_create(common, batch_size=500)
    with transaction.atomic():
        for registry_file in files:
            registry_file.save()
        if run.changed:
            Change.objects.bulk_create(changes, batch_size=500)
            if log:
                log("writing the new data, in the store's transaction")
            generations.make_live(generation)
        for name, value in counts.items():
            setattr(run, name, value)
        run.outcome = SyncRun.OK
        run.finished = timezone.now()
        run.save()
    clear_leftovers()


def clear_leftovers():
    """Every generation but the live one, and the bodies only they named."""
    generations.drop_stale()
    delete_orphan_bodies()
