"""What each target can express of a definition, and where it cannot: the gaps.

The generated files mark each gap in a comment where it applies and still compile; this module
says the same in one line per target, {"ok": bool, "reason": str}, for the pages and the API.
"""

from typing import Literal, TypedDict, get_args

from objects.codegen.model import (
    OPERATIONS,
    TYPES,
    CodegenObject,
    CodegenResource,
    from_definition,
)
from objects.lwm2m.definitions import Definition

Target = Literal["anjay", "wakaama", "zephyr", "nordic", "leshan"]
TARGETS: tuple[Target, ...] = get_args(Target)


class Compatibility(TypedDict):
    """A target's line: whether it expresses the whole definition, and if not, why."""

    ok: bool
    reason: str


def _label(resource: CodegenResource) -> str:
    return f"resource {resource.id} ({resource.name or 'no name'})"


def _common(obj: CodegenObject, resource: CodegenResource, gaps: list[str]) -> None:
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


def resource_gaps(obj: CodegenObject, target: Target, resource: CodegenResource) -> list[str]:
    """The gaps of one resource for one target (a list of sentences, empty when none)."""
    gaps: list[str] = []
    if target in ("anjay", "wakaama", "zephyr"):
        _common(obj, resource, gaps)
        if not resource.operations and resource.multiple and target == "anjay":
            gaps.append(
                f"{_label(resource)} has empty Operations and multiple instances: Anjay 3 has"
                " no bootstrap-only multiple kind, so it is declared RM (readable; a Bootstrap"
                " Server writes it), as Anjay's own Security object declares its resource 16"
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


def object_gaps(obj: CodegenObject, target: Target) -> list[str]:
    """Every gap of an object for a target, in the file's order of resources."""
    gaps: list[str] = []
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


def compatibility_of(obj: CodegenObject) -> dict[Target, Compatibility]:
    """{target: {"ok": bool, "reason": str}} for a CodegenObject."""
    result: dict[Target, Compatibility] = {}
    for target in TARGETS:
        gaps = object_gaps(obj, target)
        result[target] = {"ok": not gaps, "reason": "; ".join(gaps)}
    return result


def compatibility(definition: Definition) -> dict[Target, Compatibility]:
    """{target: {"ok": bool, "reason": str}} for a parsed Definition (objects.lwm2m)."""
    return compatibility_of(from_definition(definition))


# -- The SDK's own copy --------------------------------------------------------------------------
# Objects an SDK already ships, with what enables its copy: registering a generated one as well
# registers the object twice (the SDK refuses, or two copies answer). From each SDK's sources:
# Zephyr's subsys/net/lib/lwm2m/CMakeLists.txt, Anjay 3.14's modules (anjay_config.h's
# ANJAY_WITH_MODULE_*), Wakaama's examples/client/lwm2mclient.c (objects of its example client,
# not of the library).
_ZEPHYR_ALWAYS = "always built in and registered by the LwM2M engine (lwm2m_obj_{}.c)"
ZEPHYR_COPIES: dict[int, str] = {
    0: _ZEPHYR_ALWAYS.format("security"),
    1: _ZEPHYR_ALWAYS.format("server"),
    3: _ZEPHYR_ALWAYS.format("device"),
    2: "CONFIG_LWM2M_ACCESS_CONTROL_ENABLE (lwm2m_obj_access_control.c)",
    4: "CONFIG_LWM2M_CONN_MON_OBJ_SUPPORT (lwm2m_obj_connmon.c)",
    5: "CONFIG_LWM2M_FIRMWARE_UPDATE_OBJ_SUPPORT (lwm2m_obj_firmware.c)",
    6: "CONFIG_LWM2M_LOCATION_OBJ_SUPPORT (lwm2m_obj_location.c)",
    9: "CONFIG_LWM2M_SWMGMT_OBJ_SUPPORT (lwm2m_obj_swmgmt.c)",
    16: "CONFIG_LWM2M_PORTFOLIO_OBJ_SUPPORT (lwm2m_obj_portfolio.c)",
    19: "CONFIG_LWM2M_BINARYAPPDATA_OBJ_SUPPORT (lwm2m_obj_binaryappdata.c)",
    20: "CONFIG_LWM2M_EVENT_LOG_OBJ_SUPPORT (lwm2m_obj_event_log.c)",
    25: "CONFIG_LWM2M_GATEWAY_OBJ_SUPPORT (lwm2m_obj_gateway.c)",
    3300: "CONFIG_LWM2M_IPSO_GENERIC_SENSOR (ipso_generic_sensor.c)",
    3303: "CONFIG_LWM2M_IPSO_TEMP_SENSOR (ipso_temp_sensor.c)",
    3304: "CONFIG_LWM2M_IPSO_HUMIDITY_SENSOR (ipso_humidity_sensor.c)",
    3311: "CONFIG_LWM2M_IPSO_LIGHT_CONTROL (ipso_light_control.c)",
    3313: "CONFIG_LWM2M_IPSO_ACCELEROMETER (ipso_accelerometer.c)",
    3316: "CONFIG_LWM2M_IPSO_VOLTAGE_SENSOR (ipso_voltage_sensor.c)",
    3317: "CONFIG_LWM2M_IPSO_CURRENT_SENSOR (ipso_current_sensor.c)",
    3323: "CONFIG_LWM2M_IPSO_PRESSURE_SENSOR (ipso_pressure_sensor.c)",
    3338: "CONFIG_LWM2M_IPSO_BUZZER (ipso_buzzer.c)",
    3340: "CONFIG_LWM2M_IPSO_TIMER (ipso_timer.c)",
    3342: "CONFIG_LWM2M_IPSO_ONOFF_SWITCH (ipso_onoff_switch.c)",
    3347: "CONFIG_LWM2M_IPSO_PUSH_BUTTON (ipso_push_button.c)",
    3411: "CONFIG_LWM2M_UCIFI_BATTERY (ucifi_battery.c)",
    3412: "CONFIG_LWM2M_UCIFI_LPWAN (ucifi_lpwan.c)",
    3435: "CONFIG_LWM2M_IPSO_FILLING_SENSOR (ipso_filling_sensor.c)",
}
_ANJAY_BASIC_SENSOR = (
    "ANJAY_WITH_MODULE_IPSO_OBJECTS: anjay_ipso_basic_sensor_install(anjay, {}, instances)"
)
ANJAY_COPIES: dict[int, str] = {
    0: "ANJAY_WITH_MODULE_SECURITY: anjay_security_object_install(anjay)",
    1: "ANJAY_WITH_MODULE_SERVER: anjay_server_object_install(anjay)",
    2: "ANJAY_WITH_MODULE_ACCESS_CONTROL: anjay_access_control_install(anjay)",
    5: "ANJAY_WITH_MODULE_FW_UPDATE: anjay_fw_update_install(anjay, ...)",
    9: "ANJAY_WITH_MODULE_SW_MGMT: anjay_sw_mgmt_install(anjay, ...)",
    3313: "ANJAY_WITH_MODULE_IPSO_OBJECTS: anjay_ipso_3d_sensor_install(anjay, 3313, instances)",
    3314: "ANJAY_WITH_MODULE_IPSO_OBJECTS: anjay_ipso_3d_sensor_install(anjay, 3314, instances)",
    3334: "ANJAY_WITH_MODULE_IPSO_OBJECTS: anjay_ipso_3d_sensor_install(anjay, 3334, instances)",
    3347: "ANJAY_WITH_MODULE_IPSO_OBJECTS: anjay_ipso_button_install(anjay, 3347, instances)",
    33629: "ANJAY_WITH_MODULE_ADVANCED_FW_UPDATE: anjay_advanced_fw_update_install(anjay, ...)",
}
# Anjay's basic sensor serves any IPSO sensor of one Sensor Value (5700) with its Units,
# Min/Max Measured Value and Range: the sensors 3300-3350 that are not 3D or buttons.
for _oid in (3300, 3301, 3303, 3304, 3315, 3316, 3317, 3318, 3319, 3320, 3323, 3324, 3325,
             3326, 3327, 3328, 3329, 3330, 3346):  # fmt: skip
    ANJAY_COPIES[_oid] = _ANJAY_BASIC_SENSOR.format(_oid)
_WAKAAMA_EXAMPLE = "Wakaama's example client registers its own ({}, examples/client)"
WAKAAMA_COPIES: dict[int, str] = {
    0: _WAKAAMA_EXAMPLE.format("object_security.c"),
    1: _WAKAAMA_EXAMPLE.format("object_server.c"),
    2: _WAKAAMA_EXAMPLE.format("object_access_control.c"),
    3: _WAKAAMA_EXAMPLE.format("object_device.c"),
    4: _WAKAAMA_EXAMPLE.format("object_connectivity_moni.c"),
    5: _WAKAAMA_EXAMPLE.format("object_firmware.c"),
    6: _WAKAAMA_EXAMPLE.format("object_location.c"),
    7: _WAKAAMA_EXAMPLE.format("object_connectivity_stat.c"),
    31024: _WAKAAMA_EXAMPLE.format("object_test.c"),
}
SDK_COPIES: dict[str, dict[int, str]] = {
    "zephyr": ZEPHYR_COPIES,
    "anjay": ANJAY_COPIES,
    "wakaama": WAKAAMA_COPIES,
}


def sdk_copy(object_id: int, target: str) -> str | None:
    """A sentence when `target` (anjay, wakaama, zephyr) ships its own copy of the object,
    with what enables it; None when it does not."""
    how = SDK_COPIES.get(target, {}).get(object_id)
    if how is None:
        return None
    return (
        f"{target.capitalize()} ships object {object_id} itself: {how}. Use that copy or this "
        "file, never both (the object would be registered twice)."
    )


def sdk_copies(obj: CodegenObject) -> dict[str, str]:
    """{target: sentence} of the SDKs that ship their own copy of the object."""
    found: dict[str, str] = {}
    for target in SDK_COPIES:
        sentence = sdk_copy(obj.object_id, target)
        if sentence:
            found[target] = sentence
    return found
