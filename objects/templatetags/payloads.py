"""How the decode page shows a decoded value (an objects.lwm2m.typed_payload.Node): the page's
formatting, apart from the value the API answers."""

from django import template

from objects.lwm2m import values as lv

register = template.Library()


@register.filter
def shown(node):
    """The value as the page writes it: Opaque in hex, a Boolean as true or false, the rest as
    the API answers it."""
    if node.value is None:
        return ""
    if isinstance(node.value, bytes):
        return node.value.hex()
    if node.type == lv.BOOLEAN:
        return "true" if node.value else "false"
    return str(node.json_value)


@register.filter
def iso_time(node):
    """A Time value as an ISO date too ("" for any other)."""
    return lv.iso_time(node.value) if node.type == lv.TIME and node.value is not None else ""


@register.filter
def opaque_text(node):
    """Opaque bytes as text, when they are printable ("" otherwise)."""
    return lv.printable_text(node.value) if isinstance(node.value, bytes) else ""
