"""The units a definition may use (OMA fault IDs 417 and 551): the IANA SenML units registry
(RFC 8428, RFC 8798 and later registrations) and the registry's own LWM2M_senml_units.xml,
both kept as data beside this module (objects/quality/data/, each with its source and date).
A registry clone or a sync that has a newer LWM2M_senml_units.xml adds its units.

Plain Python: no Django, so the validator runs anywhere."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

DATA = Path(__file__).resolve().parent / "data"
IANA_FILE = DATA / "senml-units.tsv"
OMA_FILE = DATA / "lwm2m-senml-units.tsv"
MAX_UNITS_FILE_BYTES = 256 * 1024

# What people write for a unit, and the SenML unit they most likely meant.
MEANT = {
    "KB": "KiB", "kB": "KiB", "Kb": "KiB", "kb": "KiB", "KByte": "KiB", "kbyte": "KiB",
    "MB": "KiB or GB", "Mb": "Mbit/s (rate) or KiB/GB (size)", "TB": "GB",
    "byte": "B", "bytes": "B", "Byte": "B", "Bytes": "B", "octets": "B",
    "bps": "bit/s", "kbps": "bit/s", "Kbps": "bit/s", "Mbps": "Mbit/s", "Gbps": "Mbit/s",
    "bits": "bit", "Bit": "bit",
    "sec": "s", "secs": "s", "second": "s", "seconds": "s", "Sec": "s", "S": "s (S is siemens)",
    "msec": "ms", "millisecond": "ms", "milliseconds": "ms", "mS": "ms",
    "minute": "min", "minutes": "min", "mins": "min", "Min": "min",
    "hour": "h", "hours": "h", "hr": "h", "hrs": "h", "H": "h (H is henry)",
    "day": "s (86400 s a day)", "days": "s (86400 s a day)", "d": "s (86400 s a day)",
    "°C": "Cel", "C°": "Cel", "degC": "Cel", "Celsius": "Cel", "celsius": "Cel",
    "°F": "Cel", "F°": "Cel", "°": "deg", "degree": "deg", "degrees": "deg",
    "percent": "/100", "Percent": "/100", "%%": "/100", "pct": "/100",
    "dbm": "dBm", "DBm": "dBm", "db": "dB", "DB": "dB", "mW": "dBm or W",
    "Kw": "kW", "KW": "kW", "kw": "kW", "KWh": "kWh", "kwh": "kWh", "Kwh": "kWh",
    "mv": "mV", "ma": "mA", "v": "V", "a": "A", "w": "W", "hz": "Hz", "khz": "MHz or Hz",
    "kHz": "MHz or Hz", "GHz": "MHz", "mhz": "MHz",
    "meter": "m", "meters": "m", "metre": "m", "M": "m", "Km": "km", "KM": "km",
    "kmh": "km/h", "km/hr": "km/h", "kph": "km/h", "mph": "km/h", "m/sec": "m/s",
    "lux": "lx", "Lux": "lx", "ppb": "ppb", "PPM": "ppm", "Ppm": "ppm",
    "ug/m^3": "ug/m3", "µg/m3": "ug/m3", "µg/m³": "ug/m3", "m^3": "m3", "m³": "m3",
    "m²": "m2", "m^2": "m2", "l/min": "l/s", "L": "l", "liter": "l", "litre": "l",
    "rpm": "1/min", "RPM": "1/min", "bpm": "beat/min", "count": "count",
    "Ohms": "Ohm", "ohm": "Ohm", "Ω": "Ohm", "hPA": "hPa", "mbar": "hPa", "bar": "Pa",
    "kPa": "Pa or hPa", "psi": "Pa",
}  # fmt: skip


@dataclass(frozen=True)
class Units:
    """The units allowed, and where each comes from ("primary", "secondary", "oma")."""

    kinds: dict
    sources: tuple

    def __contains__(self, unit):
        return unit in self.kinds

    def meant(self, unit):
        """The unit that `unit` most likely stands for, or "" when none is known."""
        if unit in MEANT:
            return MEANT[unit]
        folded = [known for known in self.kinds if known.lower() == unit.lower()]
        if len(folded) == 1:
            return folded[0]
        squeezed = unit.replace(" ", "")
        if squeezed != unit and squeezed in self.kinds:
            return squeezed
        return ""


def _read_tsv(path):
    units = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, symbol, *_ = line.split("\t")
        units[symbol] = kind
    return units


@cache
def bundled():
    """The units kept in the project."""
    kinds = _read_tsv(OMA_FILE)
    kinds.update(_read_tsv(IANA_FILE))
    return Units(kinds=kinds, sources=(IANA_FILE.name, OMA_FILE.name))


class BadUnitsFile(ValueError):
    """A LWM2M_senml_units.xml that cannot be read; the message says why."""


def parse_oma_units(body):
    """The unit symbols of a registry's LWM2M_senml_units.xml (untrusted bytes)."""
    if len(body) > MAX_UNITS_FILE_BYTES:
        raise BadUnitsFile(f"over {MAX_UNITS_FILE_BYTES} bytes")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(bytes(body), parser)
    except etree.XMLSyntaxError as exc:
        raise BadUnitsFile(f"not well-formed XML: {exc}") from None
    values = []
    for element in root.iter("value"):
        text = "".join(element.itertext()).strip()
        if text:
            values.append(text)
    return values


def with_registry_file(body, name="LWM2M_senml_units.xml"):
    """The bundled units plus those of a registry's own LWM2M_senml_units.xml."""
    units = bundled()
    if body is None:
        return units
    kinds = dict(units.kinds)
    for value in parse_oma_units(body):
        kinds.setdefault(value, "oma")
    return Units(kinds=kinds, sources=units.sources + (name,))
