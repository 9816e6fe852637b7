from django.urls import path, re_path

from objects.mirror import registry_api
from objects.views import (
    author,
    changes,
    code,
    decode,
    definitions,
    device,
    exports,
    favicon,
    health,
    id_space,
    lists,
    object_pages,
    quality,
    repository,
    resources,
    sync_page,
)

app_name = "objects"

VER = r"(?P<ver>[^/]{1,40})"
OID = r"(?P<object_id>[^/]{1,40})"
A = r"(?P<a>[^/]{1,40}?)"
B = r"(?P<b>[^/]{1,40})"
RID = r"(?P<resource_id>[^/]{1,40})"

urlpatterns = [
    path("", lists.object_list, name="list"),
    path("objects/", lists.objects_redirect, name="objects"),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.json", exports.export_json, name="export_json"),
    path("export.zip", repository.export_zip, name="export_zip"),
    # The registry's repository layout (DDF.xml, <ID>.xml, version_history/...): every name
    # under it reaches the view, which answers a plain 404 to any it does not know.
    re_path(r"^registry/(?P<name>[\s\S]*)$", repository.registry_file, name="registry_file"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("changes/", changes.changes_page, name="changes"),
    path("changes.atom", changes.changes_feed, name="changes_feed"),
    re_path(rf"^objects/{OID}/changes\.atom$", changes.changes_feed, name="object_changes_feed"),
    path("api/v1/changes/", changes.changes_json, name="changes_json"),
    path("sync/", sync_page.sync_page, name="sync"),
    path("sync/now", sync_page.sync_now, name="sync_now"),
    path("quality/", quality.quality_overview, name="quality"),
    path("api/v1/quality/", quality.quality_json, name="quality_json"),
    path("validate/", quality.validate_page, name="validate"),
    path("api/v1/validate/", quality.validate_json, name="validate_json"),
    path("ids/", id_space.id_space_page, name="ids"),
    path("decode/", decode.decode_page, name="decode"),
    path("api/v1/decode/", decode.decode_json, name="decode_json"),
    path("api/v1/encode/", decode.encode_json, name="encode_json"),
    path("device/", device.device_page, name="device"),
    path("device/models.zip", device.device_models, name="device_models"),
    path("api/v1/device/", device.device_json, name="device_json"),
    path("api/v1/ids/", id_space.id_space_json, name="ids_json"),
    path("api/v1/ids/free/", author.free_ids_json, name="free_ids_json"),
    path("author/", author.author_page, name="author"),
    path("author/edit/", author.author_edit, name="author_edit"),
    re_path(r"^author/d/(?P<key>[A-Za-z0-9_-]{1,64})/$", author.shared_draft, name="shared_draft"),
    path("api/v1/author/kit.zip", author.kit_zip_api, name="author_kit"),
    path("resources/", resources.resource_list, name="resources"),
    path("resources/export.csv", resources.export_csv, name="resources_csv"),
    re_path(rf"^resources/{RID}/$", resources.resource_detail, name="resource"),
    path("api/v1/resources/", resources.resources_json, name="resources_json"),
    re_path(
        rf"^api/v1/resources/{RID}/$",
        resources.resource_json,
        name="resource_json",
    ),
    path("api/lwm2m/v1/Object", registry_api.registry_objects, name="registry_api"),
    re_path(
        rf"^api/v1/objects/{OID}/{VER}/$", object_pages.object_version_json, name="version_json"
    ),
    re_path(
        rf"^objects/{OID}/{VER}/definition\.xml$",
        definitions.definition_xml,
        name="definition_xml",
    ),
    re_path(rf"^objects/{OID}/{VER}/definition/$", definitions.definition_page, name="definition"),
    path("code.zip", code.code_zip, name="code_zip"),
    re_path(rf"^objects/{OID}/code/$", code.code_page, name="code_latest"),
    re_path(
        rf"^objects/{OID}/code/(?P<file_name>[a-z]+\.[a-z]+)$",
        code.code_file,
        name="code_file_latest",
    ),
    re_path(rf"^objects/{OID}/{VER}/code/$", code.code_page, name="code"),
    re_path(
        rf"^objects/{OID}/{VER}/code/(?P<file_name>[a-z]+\.[a-z]+)$",
        code.code_file,
        name="code_file",
    ),
    re_path(rf"^objects/{OID}/$", object_pages.object_detail, name="object"),
    re_path(rf"^objects/{OID}/compare/$", object_pages.compare_form, name="compare_form"),
    re_path(rf"^objects/{OID}/compare/{A}\.\.\.{B}/$", object_pages.compare, name="compare"),
    re_path(rf"^objects/{OID}/{VER}/$", object_pages.object_detail, name="version"),
]
