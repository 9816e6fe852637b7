import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from objects.quality.upload import MAX_UPLOAD_BYTES, clone_context, stored_context, validate


class Command(BaseCommand):
    help = (
        "Check object definition files as the registry's own are checked (/validate/): one "
        "finding a line, exit status 1 when any file has an error."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="definition files (XML)")
        parser.add_argument(
            "--registry",
            help="a registry clone whose LWM2M.xsd, LWM2M-v1_1.xsd and Common.xml to check "
            "against; default: what the last sync stored",
        )

    def handle(self, *args, files, registry=None, **options):
        if registry:
            root = Path(registry)
            if not (root / "DDF.xml").is_file():
                raise CommandError(f"{registry} is not a registry clone: it has no DDF.xml")
            context = clone_context(root)
        else:
            context = stored_context()
        for version, problem in sorted(context.schema_problems.items()):
            self.stderr.write(f"LwM2M {version} schema not available: {problem}")
        failed = False
        for name in files:
            try:
                with open(name, "rb") as handle:
                    body = handle.read(MAX_UPLOAD_BYTES + 1)
            except OSError as exc:
                self.stdout.write(f"{name}: error cannot-read: {exc.strerror or exc}")
                failed = True
                continue
            report = validate(body, context)
            for finding in report.findings:
                rid = finding.resource_id
                where = f" resource {rid}" if rid is not None else ""
                self.stdout.write(
                    f"{name}: {finding.severity} {finding.rule}{where}: {finding.message}"
                )
            failed = failed or report.verdict == "error"
            for tool, loads in report.compatibility.items():
                if not loads["ok"] and report.verdict != "error":
                    self.stdout.write(f"{name}: note {tool} cannot load it: {loads['reason']}")
            if not report.findings:
                self.stdout.write(f"{name}: ok")
        if failed:
            sys.exit(1)
