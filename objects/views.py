from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def object_list(request):
    return HttpResponse("LwM2M registry")


@require_GET
def healthz(request):
    """For load balancers: the process answers and can read its database."""
    from .models import ObjectVersion

    ObjectVersion.objects.exists()
    return HttpResponse("ok", content_type="text/plain")
