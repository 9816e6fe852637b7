from django.urls import path, re_path

from . import api, views

app_name = "objects"

VER = r"(?P<ver>[^/]{1,40})"
OID = r"(?P<object_id>[^/]{1,40})"
A = r"(?P<a>[^/]{1,40}?)"
B = r"(?P<b>[^/]{1,40})"

urlpatterns = [
    path("", views.object_list, name="list"),
    path("objects/", views.objects_redirect, name="objects"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("healthz", views.healthz, name="healthz"),
    path("api/lwm2m/v1/Object", api.registry_objects, name="registry_api"),
    re_path(rf"^api/v1/objects/{OID}/{VER}/$", api.object_version_json, name="version_json"),
    re_path(rf"^objects/{OID}/{VER}/definition\.xml$", api.definition_xml, name="definition_xml"),
    re_path(rf"^objects/{OID}/$", views.object_detail, name="object"),
    re_path(rf"^objects/{OID}/compare/$", views.compare_form, name="compare_form"),
    re_path(rf"^objects/{OID}/compare/{A}\.\.\.{B}/$", views.compare, name="compare"),
    re_path(rf"^objects/{OID}/{VER}/$", views.object_detail, name="version"),
]
