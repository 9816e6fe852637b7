"""The site as the server runs it (make run: Granian's ASGI interface): the Django application
on THREADS threads behind the front of registry_site/front.py, the heavy answers on
HEAVY_THREADS of their own (objects/views/heavy.py)."""

from django.conf import settings

from registry_site.front import Front
from registry_site.wsgi import application as wsgi_application

from objects.views.heavy import HEAVY_PATHS, RETRY_AFTER  # isort: skip  (Django set up first)

application = Front(
    wsgi_application,
    threads=settings.THREADS,
    heavy_paths=HEAVY_PATHS,
    heavy_threads=settings.HEAVY_THREADS,
    retry_after=RETRY_AFTER,
)
