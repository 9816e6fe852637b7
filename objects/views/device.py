"""A device read against the registry: /device/ (a GET form, so every reading is a shareable
URL), its JSON twin /api/v1/device/, and /device/models.zip, the definitions a server needs.

Parameters, the same for all three: `payload` (what the client sent, as copied from a log: a
request line or URI with its query, then the link format; or link format alone), `request` (the
request's URI or query, when given apart), `lwm2m` (the LwM2M version, when the request does not
say it), `kind` (register, update, bootstrap-request, discover, bootstrap-discover or links, to
override the guess); models.zip adds `layout` (folder, emqx or thingsboard).
"""

from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from objects.catalog import device as catalog
from objects.context_processors import last_sync
from objects.lwm2m import device as lwm2m_device
from objects.mirror.json_api import api_error, api_view

PARAMS = ("payload", "request", "lwm2m", "kind")
MAX_FIELD = 64 * 1024


class BadDeviceRequest(ValueError):
    pass


def device_params(query):
    """{name: text} of the parameters the URL gives, each bounded."""
    params = {}
    for name in PARAMS:
        value = query.get(name, "")
        if len(value) > MAX_FIELD:
            raise BadDeviceRequest(f"{name} is over the {MAX_FIELD // 1024} KB limit")
        params[name] = value
    if params["kind"] and params["kind"] not in lwm2m_device.KINDS:
        raise BadDeviceRequest(f"kind is one of {', '.join(lwm2m_device.KINDS)}")
    if params["lwm2m"]:
        try:
            params["lwm2m"] = lwm2m_device.normal_version(params["lwm2m"])
        except ValueError:
            raise BadDeviceRequest("lwm2m is a version like 1.1") from None
    return params


def run(request, params):
    if not params["payload"].strip() and not params["request"].strip():
        raise BadDeviceRequest(
            "give payload (the link format, with its request line if you have it)"
        )
    try:
        return catalog.read_device(
            last_sync(request), params["payload"], params["request"], params["lwm2m"],
            params["kind"],
        )  # fmt: skip
    except lwm2m_device.BadDevice as e:
        raise BadDeviceRequest(str(e)) from None


def query_of(params, **extra):
    return urlencode({**{k: v for k, v in params.items() if v}, **extra})


@require_safe
def device_page(request):
    """The form, and the reading of what the URL gives."""
    context = {
        "params": {name: request.GET.get(name, "")[:MAX_FIELD] for name in PARAMS},
        "kinds": lwm2m_device.KINDS,
        "versions": lwm2m_device.LWM2M_VERSIONS,
        "layouts": catalog.LAYOUTS,
    }
    if not any(request.GET.get(name, "").strip() for name in ("payload", "request")):
        return render(request, "objects/device.html", context)
    try:
        params = device_params(request.GET)
        device = run(request, params)
    except BadDeviceRequest as e:
        context["error"] = str(e)
        return render(request, "objects/device.html", context, status=400)
    query = query_of(params)
    context.update(
        device=device,
        json_url=reverse("objects:device_json") + "?" + query,
        models=[
            (layout, text, reverse("objects:device_models") + "?" + query_of(params, layout=layout))
            for layout, text in catalog.LAYOUTS.items()
        ],
        decode_url=reverse("objects:decode") + "?" + urlencode({"versions": device.versions_text})
        if device.objects else "",
    )  # fmt: skip
    return render(request, "objects/device.html", context)


@api_view
def device_json(request):
    """GET /api/v1/device/: the reading as JSON."""
    try:
        device = run(request, device_params(request.GET))
    except BadDeviceRequest as e:
        return api_error(400, str(e))
    return JsonResponse(device.as_json(), json_dumps_params={"ensure_ascii": False})


def _text(status, message):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


@require_safe
def device_models(request):
    """GET /device/models.zip?<the page's query>&layout=folder|emqx|thingsboard: the stored
    definitions of the device's objects at their versions in force."""
    layout = request.GET.get("layout", "folder")
    if layout not in catalog.LAYOUTS:
        return _text(400, f"layout is one of {', '.join(catalog.LAYOUTS)}")
    try:
        device = run(request, device_params(request.GET))
    except BadDeviceRequest as e:
        return _text(400, str(e))
    files = catalog.model_files(device, layout)
    if not any(path.endswith(".xml") for path, _ in files):
        return _text(404, "None of these objects has a stored definition at its version.")
    response = HttpResponse(catalog.zip_of(files), content_type="application/zip")
    ids = [str(o.object_id) for o in device.objects[:5]]
    name = "lwm2m-models-" + "-".join(ids) + ("-more" if len(device.objects) > 5 else "")
    response["Content-Disposition"] = f'attachment; filename="{name}-{layout}.zip"'
    return response
