import json
import sys

from django.core.management.base import BaseCommand, CommandError

from objects.quality.oma_codes import BadValidatorInput, as_json, has_error, markdown_table
from objects.quality.validator import validate_paths


class Command(BaseCommand):
    help = (
        "Check object definitions, a Common.xml, a DDF.xml, a registry folder or a ZIP as OMA's "
        "validator does (its fault IDs, docs/validator.md) plus our own rules; exit status 1 "
        "when any error is found."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="object files, Common.xml, DDF.xml, "
                            "registry folders or ZIPs")  # fmt: skip
        parser.add_argument(
            "--registry",
            help="a folder laid out as the registry (DDF.xml, Common.xml, the schemas, "
            "LWM2M_senml_units.xml) to check against; default: what the last sync stored",
        )
        parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    def handle(self, *args, files, registry=None, format="text", **options):
        try:
            results = validate_paths(files, registry, note=self.stderr.write)
        except BadValidatorInput as exc:
            raise CommandError(str(exc)) from None
        if format == "json":
            self.stdout.write(json.dumps(as_json(results), ensure_ascii=False, indent=1))
        elif format == "markdown":
            self.stdout.write(markdown_table(results), ending="")
        else:
            for name, found in results:
                if not found:
                    self.stdout.write(f"{name}: ok")
                for f in sorted(found, key=lambda f: (f.line or 0, f.oma_code or "")):
                    code = f.oma_code or f.element
                    label = "" if f.severity == "error" else f"{f.severity}: "
                    text = f"{name}:{f.line or 1}: {code} {label}{f.message}"
                    if f.hint:
                        text += f" (hint: {f.hint})"
                    self.stdout.write(text)
        if has_error(results):
            sys.exit(1)
