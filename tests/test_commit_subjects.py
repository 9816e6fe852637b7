"""Commit subjects are read in one line of `git log --oneline`: at most 72 characters, from
the rule's first commit on (issue 37; the older ones stay as history wrote them)."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The last commit written before the rule held everywhere; every later one keeps it.
RULE_FROM = "c72746b"
LIMIT = 72


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_every_subject_since_the_rule_fits_one_line():
    if git("cat-file", "-e", f"{RULE_FROM}^{{commit}}").returncode != 0:
        pytest.skip(f"this checkout's history does not reach {RULE_FROM} (a shallow clone)")
    subjects = git("log", "--format=%h %s", f"{RULE_FROM}..HEAD").stdout.splitlines()
    too_long = [line for line in subjects if len(line.split(" ", 1)[1]) > LIMIT]
    ending_in_a_period = [line for line in subjects if line.endswith(".")]
    assert too_long == []
    assert ending_in_a_period == []
