"""The payload decoder: /decode/ (a GET form, so every decode is a shareable URL) and its JSON
API, /api/v1/decode/ and /api/v1/encode/ (GET or POST, stateless, no cookie, no CSRF token).

Parameters, the same for the page and the API: `format` (tlv, senml-json, senml-cbor,
lwm2m-json, link, text, opaque, cbor) or `content_format` (its number), `path` (the request
path, /3303/0), one of `payload_hex`, `payload_base64` or `payload` (with `input`: text, hex,
base64 or auto), `versions` (3=1.1, 3303=1.0 or a registration's links) and `operation` (read
or write). Encode takes `values`, a JSON object {"/3303/0/5700": 23.5, ...}.
"""

import json
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.http import JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from objects.catalog import decode as catalog
from objects.lwm2m import content_formats as cf
from objects.lwm2m.device import parse_versions
from objects.lwm2m.encoding import EncodeError
from objects.lwm2m.payload import MAX_PAYLOAD, BadRequestPath, Findings, parse_request_path
from objects.lwm2m.typed_payload import OPERATIONS, DecodedPayload
from objects.mirror.registry_api import api_error

# A request body (POST) may be this large: the payload in hex is twice its bytes.
MAX_BODY = 4 * MAX_PAYLOAD
MAX_FIELD = 3 * MAX_PAYLOAD
PAYLOAD_FIELDS = ("payload_hex", "payload_base64", "payload")


# Media types whose POST body is the payload itself (text/plain and JSON bodies are parameters).
RAW_TYPES = {
    f.media_type: f.name
    for f in cf.FORMATS
    if f.name not in ("text", "senml-json", "lwm2m-json", "link")
}
RAW_TYPES.update({"application/link-format": "link", "application/senml+json": "senml-json",
                  "application/vnd.oma.lwm2m+json": "lwm2m-json"})  # fmt: skip


# Every answer is strict JSON: the decoder makes each value representable (a NaN or an infinity
# as the string Java writes), and allow_nan=False keeps a NaN token from ever reaching a client.
JSON_DUMPS = {"ensure_ascii": False, "allow_nan": False}


class BadDecodeRequest(ValueError):
    pass


def api_post_view(view):
    """GET, HEAD and POST, every answer JSON; the API keeps no state and reads no cookie, so it
    needs no CSRF token."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "POST"):
            response = api_error(405, f"method {request.method[:20]} not allowed: use GET or POST")
            response["Allow"] = "GET, HEAD, POST"
            return response
        try:
            params = request_params(request)
            return view(request, params, *args, **kwargs)
        except (BadDecodeRequest, cf.BadPayloadInput, BadRequestPath, EncodeError) as e:
            return api_error(400, str(e))

    return wrapper


def request_params(request):
    """The parameters of a GET's query or a POST's body (JSON, or a form), as {name: str}."""
    if request.method != "POST":
        return {key: request.GET.get(key, "") for key in request.GET}
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY:
        raise BadDecodeRequest(f"the request body is over the {MAX_BODY // 1024} KB limit")
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type in RAW_TYPES:
        # The payload itself as the body, its format from the media type unless the query says.
        body = request.body
        if len(body) > MAX_PAYLOAD:
            raise BadDecodeRequest(f"the payload is over the {MAX_PAYLOAD // 1024} KB limit")
        params = {key: request.GET.get(key, "") for key in request.GET}
        params["payload_hex"] = body.hex()
        for name in PAYLOAD_FIELDS[1:]:
            params.pop(name, None)
        if not params.get("format") and not params.get("content_format"):
            params["format"] = RAW_TYPES[content_type]
        return params
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        params = {key: request.POST.get(key, "") for key in request.POST}
    else:
        try:
            body = request.body
        except RawPostDataException:
            body = b""
        if not body.strip():
            params = {}
        else:
            try:
                params = json.loads(body.decode("utf-8"), object_pairs_hook=one_of_each)
            except DuplicateKey as e:
                raise BadDecodeRequest(f"the body has {e}") from None
            except (UnicodeDecodeError, ValueError, RecursionError):
                raise BadDecodeRequest("the body is not JSON (an object of parameters)") from None
            if not isinstance(params, dict):
                raise BadDecodeRequest("the body is a JSON object of parameters")
            unicode_only(params, "the body")
    for key, value in request.GET.items():
        params.setdefault(key, value)
    return params


class DuplicateKey(ValueError):
    pass


def one_of_each(pairs):
    """A JSON object whose keys are each once: json.loads would keep the last of two silently
    (two values for one path, or two payloads)."""
    out = dict(pairs)
    if len(out) < len(pairs):
        seen = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise DuplicateKey(f"the key {key[:40]!r} twice in one object")
    return out


def unicode_only(value, what):
    """BadDecodeRequest when a string in a parsed JSON value holds a lone UTF-16 surrogate
    ("\\ud800" is JSON, but no UTF-8 text): nothing downstream could encode it, nor an answer
    echo it."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as e:
                code = ord(item[e.start])
                raise BadDecodeRequest(
                    f"{what} holds \\u{code:04x}, a lone UTF-16 surrogate: no Unicode text"
                ) from None


def text_param(params, name):
    value = params.get(name, "")
    if value is None:
        return ""
    if name == "values" and isinstance(value, dict):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadDecodeRequest(f"{name} is a string")
    value = str(value)
    if len(value) > MAX_FIELD:
        raise BadDecodeRequest(f"{name} is over the {MAX_FIELD // 1024} KB limit")
    return value


@dataclass(frozen=True)
class DecodeRequest:
    """What a decode asks, read from its parameters: the format given (None: to be detected),
    the payload's bytes, the LwM2M request path, the versions named, the operation, and the
    findings reading them made."""

    content_format: cf.ContentFormat | None
    payload: bytes
    path: tuple[int, ...]
    versions: dict[int, str]
    operation: str
    findings: Findings


def read_decode_request(params: dict, default_input: str = "text") -> DecodeRequest:
    fmt = cf.content_format(text_param(params, "format"), text_param(params, "content_format"))
    path = parse_request_path(text_param(params, "path"))
    given = [name for name in PAYLOAD_FIELDS if text_param(params, name) != ""]
    if len(given) > 1:
        raise BadDecodeRequest(f"give one payload, not {' and '.join(given)}")
    name = given[0] if given else "payload"
    text = text_param(params, name)
    if name == "payload_hex":
        data = cf.from_hex(text)
    elif name == "payload_base64":
        data = cf.from_b64(text)
    else:
        data, _ = cf.read_input(text, text_param(params, "input") or default_input, fmt)
    if len(data) > MAX_PAYLOAD:
        raise BadDecodeRequest(f"the payload is over the {MAX_PAYLOAD // 1024} KB limit")
    operation = (text_param(params, "operation") or "read").lower()
    if operation not in OPERATIONS:
        raise BadDecodeRequest("operation is read or write")
    findings = Findings()
    versions = parse_versions(text_param(params, "versions"), findings)
    return DecodeRequest(fmt, data, path, versions, operation, findings)


def run_decode(params: dict, default_input: str = "text") -> tuple[DecodedPayload, bytes]:
    asked = read_decode_request(params, default_input)
    fmt, data = asked.content_format, asked.payload
    detected = fmt is None
    if detected:
        fmt = cf.detect(data)
    result = catalog.decode(fmt, data, asked.path, asked.versions, asked.operation, detected)
    result.findings[:0] = asked.findings
    return result, data


@api_post_view
def decode_json(request, params):
    """GET or POST /api/v1/decode/: the decoded nodes (or links) and the findings."""
    result, _ = run_decode(params)
    return JsonResponse(result.as_json(), json_dumps_params=JSON_DUMPS)


@api_post_view
def encode_json(request, params):
    """GET or POST /api/v1/encode/: a payload in any format from a JSON of values."""
    answer = run_encode(params)
    return JsonResponse(answer, json_dumps_params=JSON_DUMPS)


def run_encode(params):
    fmt = cf.content_format(text_param(params, "format"), text_param(params, "content_format"))
    if fmt is None:
        raise BadDecodeRequest("encode needs a format (or content_format)")
    request = parse_request_path(text_param(params, "path"))
    values = text_param(params, "values")
    if isinstance(values, str):
        try:
            values = json.loads(values, object_pairs_hook=one_of_each) if values.strip() else {}
        except DuplicateKey as e:
            raise BadDecodeRequest(f"values has {e}") from None
        except (ValueError, RecursionError):
            raise BadDecodeRequest('values is a JSON object, as {"/3303/0/5700": 23.5}') from None
        unicode_only(values, "values")
    values = from_decoded_tree(values)
    if not isinstance(values, dict) or not values:
        raise BadDecodeRequest('values is a JSON object, as {"/3303/0/5700": 23.5}')
    findings = Findings()
    versions = parse_versions(text_param(params, "versions"), findings)
    return catalog.encode(fmt, request, values, versions, findings)


def from_decoded_tree(values):
    """A decode's answer ({"Nodes": [...]}, or its list of nodes) as {path: value}, so that
    what was decoded can be encoded again; anything else as it is."""
    nodes = values.get("Nodes") if isinstance(values, dict) and "Nodes" in values else values
    if not isinstance(nodes, list):
        return values
    out = {}
    for node in nodes:
        if not isinstance(node, dict) or not isinstance(node.get("Path"), str):
            raise BadDecodeRequest('a decoded tree is a list of nodes {"Path": ..., "Value": ...}')
        if node.get("Value") is not None:
            if node["Path"] in out:
                raise BadDecodeRequest(
                    f"{node['Path'][:40]!r} twice in the decoded tree (a history?): the encoder "
                    "writes one value per path"
                )
            out[node["Path"]] = node["Value"]
    return out


def encode_link(result):
    """The page's link that encodes a decode's values again (in the same format and path)."""
    values = {n.path_text: n.json_value for n in result.nodes if n.value is not None}
    if not values or result.links is not None:
        return ""
    query = {"mode": "encode", "format": result.format.name, "values": json.dumps(values)}
    if result.request:
        query["path"] = "/" + "/".join(map(str, result.request))
    return reverse("objects:decode") + "?" + urlencode(query)


@require_safe
def decode_page(request):
    """The form, and a decode or an encode of what the URL asks."""
    params = {key: request.GET.get(key, "") for key in request.GET}
    mode = "encode" if params.get("mode") == "encode" else "decode"
    context = {
        "formats": cf.FORMATS,
        "params": params,
        "mode": mode,
        "max_payload": MAX_PAYLOAD,
        "input": params.get("input") or "auto",
        "payload_text": next((params[n] for n in PAYLOAD_FIELDS if params.get(n)), ""),
        # Not params.values in the template: a dict's own method, not its key.
        "values_text": params.get("values", ""),
    }
    if not any(params.get(n) for n in (*PAYLOAD_FIELDS, "values")):
        return render(request, "objects/decode.html", context)
    status = 200
    try:
        if mode == "encode":
            context["encoded"] = run_encode(params)
        else:
            result, data = run_decode(params, default_input="auto")
            context["result"] = result
            context["payload_bytes"] = len(data)
            context["payload_hex"] = data[:4096].hex(" ")
            context["encode_link"] = encode_link(result)
    except (BadDecodeRequest, cf.BadPayloadInput, BadRequestPath, EncodeError) as e:
        context["error"] = str(e)
        status = 400
    return render(request, "objects/decode.html", context, status=status)
