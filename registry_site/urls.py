from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.autodiscover()

handler400 = "objects.mirror.registry_api.handler400"
handler403 = "objects.mirror.registry_api.handler403"
handler404 = "objects.mirror.registry_api.handler404"
handler500 = "objects.mirror.registry_api.handler500"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("objects.urls")),
]
