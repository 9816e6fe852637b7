"""manage.py generate_code TARGET ID[/VER]... --out DIR: the code page's files, written out."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from objects.catalog.reads import definition_body
from objects.codegen import from_bytes
from objects.codegen.bundle import TARGET_CHOICES, selection_files
from objects.lwm2m.definitions import InvalidDefinition
from objects.lwm2m.versions import BadVersion, parse_version
from objects.mirror.registry_api import parse_object_id
from objects.models import ObjectVersion


class Command(BaseCommand):
    help = (
        "Write generated code for objects (their latest version, or ID/VER) into a folder: "
        "<ID>-<VER>/<file> for each, and one ids.h and schema.json for them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", choices=TARGET_CHOICES)
        parser.add_argument("objects", nargs="+", metavar="ID[/VER]")
        parser.add_argument("--out", required=True, help="the folder to write into")

    def handle(self, *args, **options):
        chosen = [self.definition(spec) for spec in options["objects"]]
        out = Path(options["out"])
        for path, text in selection_files(chosen, options["target"]):
            destination = out / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text(text, encoding="utf-8")
            self.stdout.write(str(destination))

    def definition(self, spec):
        """(CodegenObject, version label) of an ID or ID/VER; CommandError when there is none."""
        raw_id, _, raw_ver = spec.partition("/")
        try:
            object_id = parse_object_id(raw_id)
            rows = ObjectVersion.objects.defer("search_text").filter(object_id=object_id)
            if raw_ver:
                major, minor = parse_version(raw_ver)
                rows = rows.filter(ver_major=major, ver_minor=minor)
        except (ValueError, BadVersion) as exc:
            raise CommandError(f"{spec}: {exc}") from None
        versions = list(rows.order_by("ver_major", "ver_minor"))
        if not versions:
            raise CommandError(f"{spec}: no such object version")
        version = next((v for v in versions if v.is_latest and not raw_ver), versions[-1])
        body = definition_body(version)
        if body is None:
            raise CommandError(f"{spec}: no stored definition")
        try:
            return from_bytes(body), version.ver
        except (InvalidDefinition, ValueError) as exc:
            raise CommandError(f"{spec}: the definition cannot be read: {exc}") from None
