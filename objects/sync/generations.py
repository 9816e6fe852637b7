"""Generations, the sync's side: each sync writes its data as a new generation, batch by batch,
and one short transaction moves the live pointer to it (the readers' side, the live generation
and the managers that read only it, is in objects/models.py).
"""

from django.db import models

from objects.models import (
    CommonResource,
    Finding,
    LiveData,
    ObjectVersion,
    Resource,
    live_generation,
)


def generational_models():

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
