from django.http import HttpResponse
from django.views.decorators.http import require_safe

from objects.models import ObjectVersion


@require_safe
def healthz(request):
    """For load balancers: the process answers and can read its database."""
    ObjectVersion.objects.exists()
    return HttpResponse("ok", content_type="text/plain")
