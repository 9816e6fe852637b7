"""What the figures were measured on: they mean little without the machine."""

import os
import platform
import sqlite3
import subprocess
from pathlib import Path

# What the bench writes or installs itself: no change to the code it measures.
OWN_FILES = ("bench/RESULTS.md", "bench/work/", "bench/.venv/")


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def describe():
    """One dict of the facts that RESULTS.md and the printed table start with."""
    return {
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "memory": _memory_gb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def _git(project, *args):
    done = subprocess.run(
        ["git", "--no-optional-locks", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout


def commit(project):
    """The commit measured, and whether the tree differed from it: read-only git commands
    (--no-optional-locks: `git status` does not even refresh the index)."""
    try:
        short = _git(project, "rev-parse", "--short", "HEAD").strip()
        subject = _git(project, "log", "-1", "--format=%s").strip()
        status = _git(project, "status", "--porcelain", "--untracked-files=all")
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({type(exc).__name__})"
    changed = []
    for line in status.splitlines():
        path = line[3:].split(" -> ")[-1].strip('"')
        if not path.startswith(OWN_FILES):
            changed.append(path)
    suffix = f", with uncommitted changes ({len(changed)} files)" if changed else ""
    return f"{short} {subject}{suffix}"
