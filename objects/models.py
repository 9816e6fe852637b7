from django.db import connection, models
from django.db.models import Manager
from django.db.models.expressions import RawSQL

from objects.lwm2m.ids import LABEL_NAMES, LABELS

# Generations: each sync writes its rows as a new generation and one short transaction moves
# the live pointer (LiveData's one row; none: generation 0, so rows made without a sync are
# live). Readers see only the live generation through the default managers below; the sync's
# side is objects/sync/generations.py.

# The live generation as SQL, for querysets and raw SQL alike (double quotes: both databases).
LIVE_GENERATION_SQL = 'COALESCE((SELECT "live" FROM "objects_livedata" WHERE "id" = 1), 0)'


# The last successful run, the live generation, and when the last run that changed the data
# ended (SyncRun.last_successful).
LAST_SUCCESSFUL_SQL = (
    f'SELECT r.*, {LIVE_GENERATION_SQL} AS "generation", (SELECT c."finished" FROM '
    '"objects_syncrun" c WHERE c."outcome" = %s AND c."changed" ORDER BY c."finished" DESC '
    'LIMIT 1) AS "data_changed" FROM "objects_syncrun" r WHERE r."outcome" = %s '
    'ORDER BY r."finished" DESC LIMIT 1'
)


def db_value(field, value):
    """A value read by raw SQL, converted as the ORM converts `field`'s (SQLite's dates)."""
    column = field.get_col(field.model._meta.db_table)
    for convert in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = convert(value, column, connection)
    return value


def live_condition(alias):
    """The WHERE condition that keeps a raw query to the live generation: `alias` is the
    table's name or alias in that query (e.g. live_condition("v") for `... AS v`)."""
    return f'{alias}."generation" = {LIVE_GENERATION_SQL}'


class LiveManager(models.Manager):
    """The default manager of the generational models: the live generation's rows only."""

    def get_queryset(self):
        return super().get_queryset().filter(generation=RawSQL(LIVE_GENERATION_SQL, []))


class GenerationField(models.IntegerField):
    """A row's generation: the sync sets its own; a row saved without one (0, the default: the
    admin, the tests) joins the live generation, so it is seen."""

    def pre_save(self, model_instance, add):
        if add and not getattr(model_instance, self.attname):
            setattr(model_instance, self.attname, live_generation())
        return super().pre_save(model_instance, add)


def live_generation():
    """The live generation's number (also the default of a row made outside a sync)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {LIVE_GENERATION_SQL}")
        return cursor.fetchone()[0]


class Labelled:
    """The label's code and name, for model rows and the list's lighter rows alike."""

    @property
    def label_code(self):
        return LABELS.get(self.label, "x")

    @property
    def label_name(self):
        return LABEL_NAMES.get(self.label, "Company")


class SyncRun(models.Model):
    """One run of sync_registry, kept so the site can say where its data came from."""

    RUNNING, OK, FAILED = "running", "ok", "failed"
    OUTCOMES = [(RUNNING, "running"), (OK, "ok"), (FAILED, "failed")]

    source = models.CharField(max_length=1000)
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=OUTCOMES, default=RUNNING)
    error = models.TextField(blank=True)
    # The source's items that were skipped, one line each (values that cannot be stored...).
    warnings = models.TextField(blank=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(null=True, blank=True)
    versions = models.IntegerField(default=0)
    objects_count = models.IntegerField(default=0)
    definitions_ok = models.IntegerField(default=0)
    definitions_missing = models.IntegerField(default=0)
    # Of the missing, the registry's placeholders: reserved, with no definition published.
    definitions_placeholder = models.IntegerField(default=0)
    definitions_invalid = models.IntegerField(default=0)
    definitions_downloaded = models.IntegerField(default=0)
    definitions_not_modified = models.IntegerField(default=0)
    resources = models.IntegerField(default=0)
    common_resources = models.IntegerField(default=0)
    requests = models.IntegerField(default=0)
    bytes_downloaded = models.BigIntegerField(default=0)
    # A hash of the versions the run stored (the last one's when nothing changed: the new
    # generation was then the live one, and nothing was written).
    fingerprint = models.CharField(max_length=64, blank=True)
    changed = models.BooleanField(default=True)
    # Live progress, written by the sync a few times a second at most (the /sync/ page).
    phase = models.CharField(max_length=40, blank=True)
    done = models.IntegerField(default=0)
    total = models.IntegerField(default=0)

    class Meta:
        ordering = ["-started"]
        indexes = [models.Index(fields=["outcome", "-finished"])]

    def __str__(self):
        return f"{self.source} at {self.started:%Y-%m-%d %H:%M} ({self.outcome})"

    @property
    def definitions_failed(self):
        """The definitions the registry names that could not be had (placeholders apart)."""
        return self.definitions_missing - self.definitions_placeholder

    @classmethod
    def last_successful(cls):
        """The run whose data is served (None before the first sync), with the live
        `generation` and when the data last changed (`data_changed`: a sync that changed
        nothing moves no validator) read in the same query.

        Read on every request (the key of every per-sync answer): raw SQL, because compiling
        the same query from the ORM cost half a millisecond, more than running it."""
        run = next(iter(cls.objects.raw(LAST_SUCCESSFUL_SQL, [cls.OK, cls.OK])), None)
        if run is not None:
            run.data_changed = db_value(cls._meta.get_field("finished"), run.data_changed)
        return run

    @property
    def data_as_of(self):
        """When the data this run serves last changed (the footer's time, Last-Modified)."""
        return getattr(self, "data_changed", None) or self.finished

    @property
    def public_source(self):
        """The source as the public pages name it: a URL, or no server path of a clone."""
        if self.source.startswith(("http://", "https://")):
            return self.source
        return "a local clone of the registry"

    @property
    def duration(self):
        return (self.finished - self.started) if self.finished else None


class SyncLock(models.Model):
    """A lease in the database, so one sync runs at a time across every server."""

    name = models.CharField(max_length=50, primary_key=True)
    run = models.ForeignKey(SyncRun, null=True, blank=True, on_delete=models.SET_NULL)
    host = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(null=True, blank=True)
    acquired = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name}: {self.host or 'free'} {self.pid or ''}".strip()


class ObjectVersion(Labelled, models.Model):
    """One version of one object: the API's metadata and what its definition adds."""

    OK, MISSING, INVALID = "ok", "missing", "invalid"
    STATUSES = [(OK, "ok"), (MISSING, "missing"), (INVALID, "invalid")]

    object_id = models.IntegerField()
    ver = models.CharField(max_length=20)
    ver_major = models.IntegerField()
    ver_minor = models.IntegerField()
    is_latest = models.BooleanField(default=False)
    urn = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=255, blank=True)
    label = models.SmallIntegerField(default=2)
    object_link = models.CharField(max_length=2000, blank=True)
    object_link_visible = models.BooleanField(default=True)
    spec_link = models.CharField(max_length=2000, blank=True)
    spec_link_visible = models.BooleanField(default=False)
    vorto_link = models.CharField(max_length=2000, blank=True)

    lwm2m_version = models.CharField(max_length=20, blank=True)
    multiple_instances = models.CharField(max_length=20, blank=True)
    mandatory = models.CharField(max_length=20, blank=True)
    description2 = models.TextField(blank=True)
    # The definition's bytes are in DefinitionBody, under this hash.
    definition_sha256 = models.CharField(max_length=64, blank=True)
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=MISSING)
    # What every visitor is told; the detail (which URL, which error) is for the admin only.
    status_reason = models.TextField(blank=True)
    status_detail = models.TextField(blank=True)
    resource_count = models.IntegerField(default=0)
    # The worst of its quality findings: "error", "warning", "clean"; "" when not checked.
    quality = models.CharField(max_length=10, blank=True)
    # Lower-cased words of the object and its resources, built by the sync for the search.
    search_text = models.TextField(blank=True)
    # A hash of what the row was built from besides the bytes (the registry's entry, Common.xml,
    # the schemas, the checks): a later sync with the same bytes and this copies the row.
    parsed_with = models.CharField(max_length=64, blank=True)
    generation = GenerationField(default=0)

    objects = LiveManager()
    all_generations = Manager()  # noqa: DJ012 - a manager, which ruff takes for a field

    class Meta:
        ordering = ["object_id", "ver_major", "ver_minor"]
        base_manager_name = "all_generations"
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "object_id", "ver"], name="unique_object_version"
            ),
        ]
        indexes = [
            models.Index(fields=["generation", "is_latest", "object_id"]),
            models.Index(fields=["generation", "object_id", "ver_major", "ver_minor"]),
            models.Index(fields=["generation", "owner"]),
        ]

    def __str__(self):
        return f"{self.object_id} {self.name} v{self.ver}"


class Resource(models.Model):
    object_version = models.ForeignKey(
        ObjectVersion, related_name="resources", on_delete=models.CASCADE
    )
    resource_id = models.IntegerField()
    name = models.CharField(max_length=255, blank=True)
    operations = models.CharField(max_length=10, blank=True)
    multiple_instances = models.CharField(max_length=20, blank=True)
    mandatory = models.CharField(max_length=20, blank=True)
    type = models.CharField(max_length=40, blank=True)
    range_enumeration = models.TextField(blank=True)
    units = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    generation = GenerationField(default=0)

    objects = LiveManager()
    all_generations = Manager()  # noqa: DJ012 - a manager, which ruff takes for a field

    class Meta:
        ordering = ["object_version", "resource_id"]
        base_manager_name = "all_generations"
        indexes = [
            models.Index(fields=["object_version", "resource_id"]),
            models.Index(fields=["generation", "resource_id"]),
        ]

    def __str__(self):
        return f"{self.resource_id} {self.name}"


class Finding(models.Model):
    """What a quality check found in a version's definition (objects/quality/checks.py)."""

    ERROR, WARNING = "error", "warning"
    SEVERITIES = [(ERROR, "error"), (WARNING, "warning")]

    object_version = models.ForeignKey(
        ObjectVersion, related_name="findings", on_delete=models.CASCADE
    )
    rule = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=SEVERITIES)
    resource_id = models.IntegerField(null=True, blank=True)
    message = models.TextField()
    # OMA's fault ID (objects/quality/oma_codes.py), "" for a rule of ours; its line in the
    # definition and how to fix it.
    oma_code = models.CharField(max_length=3, blank=True, default="")
    line = models.IntegerField(null=True, blank=True)
    hint = models.TextField(blank=True, default="")
    generation = GenerationField(default=0)

    objects = LiveManager()
    all_generations = Manager()  # noqa: DJ012 - a manager, which ruff takes for a field

    class Meta:
        ordering = ["object_version", "pk"]
        base_manager_name = "all_generations"
        indexes = [models.Index(fields=["generation", "rule", "severity"])]

    def __str__(self):
        return f"{self.severity} {self.rule}: {self.message[:60]}"


class Change(models.Model):
    """One thing a sync changed in the data (objects/sync/changes.py), kept with its run."""

    FIRST_IMPORT = "first-import"
    OBJECT_ADDED, OBJECT_REMOVED = "object-added", "object-removed"
    VERSION_ADDED, VERSION_REMOVED = "version-added", "version-removed"
    FIELD = "field-changed"
    DEFINITION_FIELD = "definition-field-changed"
    DEFINITION = "definition-changed"
    RESOURCE_ADDED, RESOURCE_REMOVED = "resource-added", "resource-removed"
    RESOURCE_CHANGED = "resource-changed"
    KINDS = [
        (FIRST_IMPORT, "first import"),
        (OBJECT_ADDED, "object added"),
        (OBJECT_REMOVED, "object removed"),
        (VERSION_ADDED, "version added"),
        (VERSION_REMOVED, "version removed"),
        (FIELD, "registry field changed"),
        (DEFINITION_FIELD, "definition field changed"),
        (DEFINITION, "definition changed"),
        (RESOURCE_ADDED, "resource added"),
        (RESOURCE_REMOVED, "resource removed"),
        (RESOURCE_CHANGED, "resource changed"),
    ]

    run = models.ForeignKey(SyncRun, related_name="changes", on_delete=models.CASCADE)
    kind = models.CharField(max_length=30, choices=KINDS)
    object_id = models.IntegerField(null=True, blank=True)
    ver = models.CharField(max_length=20, blank=True)
    # The object's name and owner as the change left them (as they were, for a removal).
    name = models.CharField(max_length=255, blank=True)
    owner = models.CharField(max_length=255, blank=True)
    resource_id = models.IntegerField(null=True, blank=True)
    # The resource's name as the change left it (as it was, for a removal).
    resource_name = models.CharField(max_length=255, blank=True)
    # One field a change is about (its element name), with its value before and after.
    field = models.CharField(max_length=200, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        ordering = ["-run", "pk"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["owner"])]

    def __str__(self):
        return f"{self.kind} {self.object_id or ''} {self.ver}".strip()


class RegistryFile(models.Model):
    """A file of the registry besides the definitions (Common.xml, the schemas), as the last
    sync kept it.

    A sync that cannot fetch or read it keeps the copy it had, and says so in `problem`: the
    reusable resources are not lost to a bad day upstream.
    """

    COMMON = "Common.xml"

    name = models.CharField(max_length=100, primary_key=True)
    url = models.CharField(max_length=2000, blank=True)
    body = models.BinaryField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    # When the body kept was fetched; None when there has never been one.
    fetched = models.DateTimeField(null=True, blank=True)
    # What the last sync could not do with it (public wording), and the whole story (admin).
    problem = models.TextField(blank=True)
    problem_detail = models.TextField(blank=True)

    def __str__(self):
        return self.name


class CommonResource(models.Model):
    """One reusable resource of Common.xml: the registry's own definition of its ID."""

    resource_id = models.IntegerField()
    name = models.CharField(max_length=255, blank=True)
    operations = models.CharField(max_length=10, blank=True)
    type = models.CharField(max_length=40, blank=True)
    range_enumeration = models.TextField(blank=True)
    units = models.CharField(max_length=255, blank=True)
    submitter = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    spec_link = models.CharField(max_length=2000, blank=True)
    generation = GenerationField(default=0)

    objects = LiveManager()
    all_generations = Manager()  # noqa: DJ012 - a manager, which ruff takes for a field

    class Meta:
        ordering = ["resource_id"]
        base_manager_name = "all_generations"
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "resource_id"], name="unique_common_resource"
            ),
        ]

    def __str__(self):
        return f"{self.resource_id} {self.name}"


class DefinitionBody(models.Model):
    """A definition's bytes, stored once under their hash: versions (and generations) with the
    same bytes share one row, and an unchanged definition is never written again."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    body = models.BinaryField()

    def __str__(self):
        return self.sha256

    @classmethod
    def bytes_of(cls, sha256):
        """The bytes stored under a hash, or None."""
        if not sha256:
            return None
        body = cls.objects.filter(sha256=sha256).values_list("body", flat=True).first()
        return None if body is None else bytes(body)


class LiveData(models.Model):
    """The one row that names the live generation (objects/sync/generations.py)."""

    live = models.IntegerField(default=0)

    def __str__(self):
        return f"generation {self.live}"


class SharedDraft(models.Model):
    """A draft shared from /author/: found only by its unguessable key (never listed), removed
    after objects/catalog/author.py's days without use. `client` is a hash of the sharer's
    address, to limit how many one may share an hour; the address itself is not kept."""

    key = models.CharField(max_length=64, unique=True)
    body = models.TextField()
    client = models.CharField(max_length=64)
    created = models.DateTimeField()
    used = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["client", "created"]),
            models.Index(fields=["used"]),
        ]

    def __str__(self):
        return f"draft {self.key[:6]}…"
