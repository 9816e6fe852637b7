"""The staff's sync page: the runs' history, "Sync now", and the running sync's progress."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from objects.models import SyncRun
from objects.sync.launcher import start_sync
from objects.sync.lease import reap_abandoned

RUNS_SHOWN = 50


def staff_only(view):
    """Anonymous users are sent to log in; users who are not staff get a 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("the sync page is for staff")
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@staff_only
@vary_on_headers("HX-Request")
def sync_page(request):
    """The page; htmx's poll (every second while a run is running) gets its state only."""
    reap_abandoned()
    runs = list(SyncRun.objects.defer("warnings").order_by("-started")[:RUNS_SHOWN])
    context = {
        "runs": runs,
        "running": next((run for run in runs if run.outcome == SyncRun.RUNNING), None),
    }
    if request.htmx:
        return render(request, "objects/sync.html#state", context)
    return render(request, "objects/sync.html", context)


@require_POST
@staff_only
def sync_now(request):
    run, started = start_sync()
    if started:
        messages.success(request, f"Sync {run.pk} started from {run.source}.")
    elif run is not None and run.outcome == SyncRun.FAILED:
        messages.error(request, f"The sync could not start: {run.error}")
    elif run is not None:
        messages.info(request, f"A sync is already running (run {run.pk}): here it is.")
    else:
        messages.info(request, "A sync was running and has just ended.")
    return HttpResponseRedirect(reverse("objects:sync"))
