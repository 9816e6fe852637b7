"""Reading the live data: a version's stored bytes, and reads of two
statements checked against a sync's swap (SwappedMidRead, retried by retry_if_swapped)."""

from functools import wraps

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from objects.lwm2m.ids import parse_object_id
from objects.lwm2m.versions import parse_version
from objects.models import DefinitionBody, Finding, ObjectVersion, Resource


def definition_body(version):
    """A version's definition as stored (bytes), or None when it has none."""
    return DefinitionBody.bytes_of(version.definition_sha256)


def with_body(queryset):
    """The queryset's rows with their definition's bytes as `definition` (None without one), read
    in the same query: the row and its bytes always belong together."""
    body = DefinitionBody.objects.filter(sha256=OuterRef("definition_sha256")).values("body")
    return queryset.annotate(definition=Subquery(body[:1]))


class SwappedMidRead(Exception):
    """A sync swapped the data in between two queries of one answer."""


def read_resources(*versions):
    """{version pk: its resources}, in one query, checked against each row's resource_count.

    A page reads its versions and then their resources in two statements; a sync that swaps
    in between has made another generation live, so the second finds none of them (and once
    the old generation is deleted, neither does a query by pk). Rows are never updated, only
    replaced whole, so the count each version row carries tells a complete read from such a
    torn one: then SwappedMidRead, and the caller reads again.
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


def get_version(object_id, ver, deferred=("search_text",)):
    """The version a URL names (its ObjectID and version as written), else Http404."""
    try:
        major, minor = parse_version(ver)
        object_id = parse_object_id(object_id)
    except ValueError:
        raise Http404("no such object version") from None
    return get_object_or_404(
        ObjectVersion.objects.defer(*deferred),
        object_id=object_id,
        ver_major=major,
        ver_minor=minor,
    )
