from django.contrib import admin
from django.urls import include, path

admin.autodiscover()

handler400 = "objects.api.handler400"
handler403 = "objects.api.handler403"
handler404 = "objects.api.handler404"
handler500 = "objects.api.handler500"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("objects.urls")),
]
