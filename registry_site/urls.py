from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.autodiscover()

handler400 = "objects.views.errors.handler400"
handler403 = "objects.views.errors.handler403"
handler404 = "objects.views.errors.handler404"
handler500 = "objects.views.errors.handler500"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("objects.urls")),
]
