"""With CI set, every property-based test runs derandomized (a fixed seed): a failure on CI is
the same failure on the next run, not one that comes and goes."""

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

PROJECT = Path(__file__).resolve().parent.parent
PROBE = """
import tests.conftest
from hypothesis import settings
from tests.views import test_hostile_input
from tests.mirror import test_repository_layout
import inspect
print(settings.default.derandomize, test_hostile_input.HYPOTHESIS.derandomize)
for name, test in inspect.getmembers(test_repository_layout, inspect.isfunction):
    if hasattr(test, "hypothesis"):
        print(name, test._hypothesis_internal_use_settings.derandomize)
"""


def probe(**env):
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    environ.update(env, DJANGO_SETTINGS_MODULE="registry_site.settings")
    code = "import django; django.setup()\n" + PROBE
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=environ, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_ci_runs_every_property_based_test_with_a_fixed_seed():
    words = probe(CI="1")
    assert words[:2] == ["True", "True"]
    assert len(words) > 2
    assert set(words[3::2]) == {"True"}  # every @given test of test_repository_layout


def test_elsewhere_the_examples_are_random():
    assert probe()[:2] == ["False", "False"]


def test_this_run_follows_its_environment():
    assert settings.default.derandomize is bool(os.environ.get("CI"))
