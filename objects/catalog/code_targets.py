"""Which code generators can express a stored definition (objects/codegen/compatibility.py),
read once per sync and definition: the version JSON, the object page and /quality/ ask it."""

from objects.catalog.per_sync import per_sync
from objects.codegen.compatibility import compatibility_of
from objects.codegen.model import from_bytes
from objects.lwm2m.definitions import InvalidDefinition
from objects.models import DefinitionBody, ObjectVersion

# The SDK targets; Leshan's loader is judged by objects/quality/compatibility.py.
CODE_TARGETS = ("anjay", "wakaama", "zephyr", "nordic")


@per_sync(maxsize=4096)
def code_compatibility(run, sha256):
    """{target: {"ok", "reason"}} of the definition stored under `sha256` ({} without one)."""
    body = DefinitionBody.bytes_of(sha256)
    if body is None:
        return {}
    try:
        found = compatibility_of(from_bytes(body))
    except (InvalidDefinition, ValueError) as exc:
        return {t: {"ok": False, "reason": f"it cannot be read: {exc}"[:300]} for t in CODE_TARGETS}
    return {target: found[target] for target in CODE_TARGETS if target in found}


@per_sync(maxsize=8)
def code_rejects(run, target, all_versions):
    """[(version, why)] of the definitions `target` cannot express, in ObjectID order."""
    versions = ObjectVersion.objects.defer("search_text").filter(status=ObjectVersion.OK)
    if not all_versions:
        versions = versions.filter(is_latest=True)
    found = []
    for version in versions.order_by("object_id", "ver_major", "ver_minor"):
        verdict = code_compatibility(run, version.definition_sha256).get(target)
        if verdict and not verdict["ok"]:
            found.append((version, verdict["reason"]))
    return found
