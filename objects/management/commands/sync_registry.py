import gc
import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from objects.models import SyncRun
from objects.sync.lease import SyncAlreadyRunning
from objects.sync.pipeline import SyncFailed, interrupts, sync_registry


class Command(BaseCommand):
    help = "Sync the registry from a Registry API base URL or a local clone of the registry."
    # The URL and template checks cost 50 ms and say nothing about a sync.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            nargs="?",
            help="Registry API base URL (http://host/api/) or the path of a registry clone; "
            "default: REGISTRY_SOURCE",
        )
        parser.add_argument("--jobs", type=int, default=8, help="definitions fetched at once")
        parser.add_argument(
            "--adopt-run",
            type=int,
            help="the run that /sync/ reserved for this process (its lease is taken over)",
        )
        parser.add_argument(
            "--if-never-synced",
            action="store_true",
            help="do nothing when a sync has already succeeded (for make run)",
        )

    def handle(self, *args, source=None, jobs=8, if_never_synced=False, adopt_run=None, **options):
        if not 1 <= jobs <= 64:
            raise CommandError("--jobs must be between 1 and 64")
        if if_never_synced and (last := SyncRun.last_successful()):
            self.stdout.write(f"Already synced ({last}); run sync_registry to sync again.")
            return
        source = source or settings.REGISTRY_SOURCE
        # SIGTERM (a stopped service, a timeout) unwinds like Ctrl-C, so the run is recorded.
        signal.signal(signal.SIGTERM, interrupts.handler)
        self.stdout.write(f"Syncing the registry from {source} ...")
        try:
            report = sync_registry(
                source,
                jobs=jobs,
                progress_stream=sys.stdout,
                log=self.log if options["verbosity"] >= 2 else None,
                adopt=adopt_run,
            )
        except SyncAlreadyRunning as exc:
            raise CommandError(f"sync not started: {exc}", returncode=2) from None
        except SyncFailed as exc:
            if if_never_synced:
                # make run goes on serving: one line that says why and what to do.
                raise CommandError(
                    f"sync failed: {exc}. The site starts without data; sync later with "
                    "'make sync', or from a clone: make run REGISTRY_SOURCE=/path/to/lwm2m-registry"
                ) from None
            raise CommandError(f"sync failed: {exc}") from None
        for warning in report.warnings[:20]:
            self.stderr.write(f"warning: {warning}")
        if len(report.warnings) > 20:
            self.stderr.write(f"warning: ... and {len(report.warnings) - 20} more")
        self.stdout.write(report.summary())
        # The interpreter's last garbage collection walks every object Django loaded, 70 to
        # 100 ms for a process about to end; frozen objects are left to the OS.
        gc.freeze()

    def log(self, line):
        self.stdout.write(line)
        self.stdout.flush()
