"""`manage.py sync_registry` with a pause inside the store's swap transaction, for the tests of
its atomicity only (tests/sync/test_resilience.py): a process killed in the pause, or readers
served during it, see what the transaction hides. The pause lives here, never in the store.

    python -m tests.sync.paused_sync SECONDS sync_registry SOURCE [options]
"""

import os
import sys
import time

import django


def pause_before_going_live(seconds):
    """The store's transaction held open `seconds` just before the live pointer moves."""
    from objects.sync import generations

    make_live = generations.make_live

    def paused(generation):
        time.sleep(seconds)
        make_live(generation)

    generations.make_live = paused


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry_site.settings")
    django.setup()
    pause_before_going_live(float(sys.argv[1]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[2:]])
