from django.contrib import admin
from django.urls import include, path

admin.autodiscover()

handler404 = "objects.api.handler404"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("objects.urls")),
]
