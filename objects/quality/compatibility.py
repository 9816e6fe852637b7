"""Whether a tool can load a definition: a statement apart from its quality. A valid LwM2M 1.2
definition is no defect because a tool knows only 1.0 and 1.1; the tool's limit is said here,
per tool, as {"ok": bool, "reason": str} (code generation adds its targets)."""

from objects.quality.checks import ERROR

# The LwM2M versions Eclipse Leshan 2's object loader knows (its LwM2mVersion: 1.0 and 1.1).
LESHAN_VERSIONS = ("1.0", "1.1")


def leshan(lwm2m_version, findings):
    """Leshan's strict loader (ObjectLoader with its DDF parser): it rejects a definition
    with an error of ours (the schema, the model rules) and one of a later LwM2M version."""
    version = lwm2m_version or "1.0"
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return {"ok": False, "reason": f"it has errors: {first.message}{more}"[:500]}
    if version not in LESHAN_VERSIONS:
        return {
            "ok": False,
            "reason": f"LwM2M {version[:20]}: Leshan's loader knows LwM2M 1.0 and 1.1 only",
        }
    return {"ok": True, "reason": ""}
