"""What every page's footer says of the data: when it was synced; to staff, why the last
sync failed when it did."""

from django.utils.functional import SimpleLazyObject

from objects.models import SyncRun


def last_sync(request):
    """The last successful run, read once per request (views and the footer share it)."""
    if not hasattr(request, "_last_sync"):
        request._last_sync = SyncRun.last_successful()
    return request._last_sync


def failed_sync(request):
    """The newest run when it failed and the user is staff, else None."""
    user = getattr(request, "user", None)
    if not (user is not None and user.is_authenticated and user.is_staff):
        return None
    newest = SyncRun.objects.defer("warnings").order_by("-started").first()
    return newest if newest is not None and newest.outcome == SyncRun.FAILED else None


def sync_status(request):
    return {
        "last_sync": SimpleLazyObject(lambda: last_sync(request)),
        "failed_sync": SimpleLazyObject(lambda: failed_sync(request)),
    }
