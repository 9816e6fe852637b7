"""/favicon.ico: browsers and feed readers ask for it whatever a page names; the site's icon."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    return HttpResponsePermanentRedirect(static("favicon.svg"))
