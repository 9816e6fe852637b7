"""The site as the server runs it (make run: Granian's ASGI interface): the Django application
on THREADS threads behind the front of registry_site/front.py."""

from django.conf import settings

from registry_site.front import Front
from registry_site.wsgi import application as wsgi_application

application = Front(wsgi_application, threads=settings.THREADS)
