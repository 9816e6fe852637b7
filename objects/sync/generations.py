"""Generations: each sync writes its data as a new generation, batch by batch, and one short
transaction moves the live pointer to it. Readers see only the live generation (the models'
default managers), so a sync's half-written rows are invisible and a swap is one UPDATE.

The pointer is the one row of LiveData; no row means generation 0, so rows made without a
sync (tests, the admin) are live.
"""

from django.db import connection, models
from django.db.models.expressions import RawSQL

# The live generation as SQL, for querysets and raw SQL alike (double quotes: both databases).
LIVE_GENERATION_SQL = 'COALESCE((SELECT "live" FROM "objects_livedata" WHERE "id" = 1), 0)'


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


def generational_models():
    from objects.models import CommonResource, Finding, ObjectVersion, Resource

    # Children first: their rows go before the versions they point to.
    return (Finding, Resource, ObjectVersion, CommonResource)


def new_generation():
    """A number above the live one and above every generation with rows."""
    numbers = [live_generation()]
    for model in generational_models():
        top = model.all_generations.aggregate(top=models.Max("generation"))["top"]
        numbers.append(top or 0)
    return max(numbers) + 1


def make_live(generation):
    """Move the live pointer (inside the caller's swap transaction)."""
    from objects.models import LiveData

    LiveData.objects.update_or_create(id=1, defaults={"live": generation})


def drop_generation(generation, batch=2000):
    """Delete one generation's rows, a batch a statement, so no transaction grows large."""
    for model in generational_models():
        _drop(model, model.all_generations.filter(generation=generation), batch)


def drop_stale(batch=2000):
    """Delete every generation but the live one: what a failed or killed sync left, or the
    generation a swap replaced. Run only by the sync that holds the lease."""
    live = live_generation()
    for model in generational_models():
        _drop(model, model.all_generations.exclude(generation=live), batch)


def _drop(model, queryset, batch):
    # Raw deletes of plain pks: the children of these rows are deleted first (same generation).
    while True:
        pks = list(queryset.values_list("pk", flat=True)[:batch])
        if not pks:
            return
        model.all_generations.filter(pk__in=pks)._raw_delete(model.all_generations.db)
