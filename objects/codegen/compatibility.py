"""What each target can express of a definition, and where it cannot: the gaps.

The generated files mark each gap in a comment where it applies and still compile; this module
says the same in one line per target, {"ok": bool, "reason": str}, for the pages and the API.
"""

from objects.codegen.model import OPERATIONS, TYPES, from_definition

TARGETS = ("anjay", "wakaama", "zephyr", "nordic", "leshan")


def _label(resource):
    return f"resource {resource.id} ({resource.name or 'no name'})"


def _common(obj, resource, gaps):
    """Gaps of a client SDK object (Anjay, Wakaama, Zephyr share them)."""
    if resource.has_value and (resource.readable or resource.writable) and not resource.type:
        what = f"the Type {resource.raw_type!r}" if resource.raw_type else "no Type"
        gaps.append(f"{_label(resource)} is read or written but has {what}: no value is kept")
    if resource.executable and resource.multiple:
        gaps.append(
            f"{_label(resource)} is executable with multiple instances: executed as one resource"
        )
    if resource.operations and not resource.known_operations:
        gaps.append(f"{_label(resource)} has the Operations {resource.operations!r}")


def resource_gaps(obj, target, resource):
    """The gaps of one resource for one target (a list of sentences, empty when none)."""
    gaps = []
    if target in ("anjay", "wakaama", "zephyr"):
        _common(obj, resource, gaps)
        if not resource.operations and resource.multiple and target == "anjay":
            gaps.append(
                f"{_label(resource)} has empty Operations and multiple instances: Anjay has no"
                " BS_RWM kind, so it is declared BS_RW"
            )
        if not resource.operations and target == "wakaama":
            gaps.append(
                f"{_label(resource)} has empty Operations: Wakaama has no bootstrap-only"
                " resource, so it is kept and written but never read"
            )
        if not resource.operations and target == "zephyr":
            gaps.append(
                f"{_label(resource)} has empty Operations: Zephyr has no permission for it,"
                " so it is left out of the fields"
            )
    elif target == "nordic":
        if not resource.operations:
            gaps.append(f"{_label(resource)} has empty Operations (lwm2m-types rejects the file)")
        elif resource.operations not in OPERATIONS:
            gaps.append(f"{_label(resource)} has the Operations {resource.operations!r}")
        if not resource.raw_type.strip() and not resource.executable:
            gaps.append(f"{_label(resource)} has no Type: left out of the types and the schema")
        elif resource.raw_type.strip() and resource.raw_type.strip() not in TYPES:
            gaps.append(f"{_label(resource)} has the Type {resource.raw_type!r}")
        if not resource.name.strip() or not resource.description.strip():
            gaps.append(f"{_label(resource)} has no Name or no Description")
    elif target == "leshan":
        if resource.executable and resource.raw_type.strip():
            gaps.append(f"{_label(resource)} is executable but has a Type")
        if (resource.readable or resource.writable) and not resource.type:
            gaps.append(f"{_label(resource)} is read or written but has no known Type")
        if resource.operations and not resource.known_operations:
            gaps.append(f"{_label(resource)} has the Operations {resource.operations!r}")
    return gaps


def object_gaps(obj, target):
    """Every gap of an object for a target, in the file's order of resources."""
    gaps = []
    for resource in obj.duplicates:
        gaps.append(f"resource {resource.id} is given twice: the first is used")
    if target == "nordic":
        for label, value in (
            ("Name", obj.name),
            ("Description1", obj.description),
            ("ObjectVersion", obj.raw_version),
            ("LWM2MVersion", obj.lwm2m_version),
        ):
            if not value.strip():
                gaps.append(f"the object has no {label} (lwm2m-types rejects the file)")
    if target == "leshan" and not obj.name.strip():
        gaps.append("the object has no Name")
    for resource in obj.resources:
        gaps.extend(resource_gaps(obj, target, resource))
    return gaps


def compatibility_of(obj):
    """{target: {"ok": bool, "reason": str}} for a CodegenObject."""
    result = {}
    for target in TARGETS:
        gaps = object_gaps(obj, target)
        result[target] = {"ok": not gaps, "reason": "; ".join(gaps)}
    return result


def compatibility(definition):
    """{target: {"ok": bool, "reason": str}} for a parsed Definition (objects.lwm2m)."""
    return compatibility_of(from_definition(definition))
