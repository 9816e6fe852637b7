"""gcc and tsc for the generated files: many files per call (the machine has two cores)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SDK = ROOT / "tests" / "fixtures" / "sdk"
# TSC names it elsewhere: mutmut runs the tests in a copy of the tree without node_modules.
TSC = Path(os.environ.get("TSC") or ROOT / "node_modules" / ".bin" / "tsc")
C_FLAGS = ["-fsyntax-only", "-std=c99", "-Wall", "-Werror"]
TARGET_FLAGS = {
    "anjay.c": ["-I", str(SDK / "anjay")],
    "wakaama.c": ["-DLWM2M_CLIENT_MODE", "-I", str(SDK / "wakaama")],
    "zephyr.c": ["-I", str(SDK / "zephyr")],
    "ids.h": ["-x", "c"],
}
BATCH = 150


def gcc():
    path = shutil.which("gcc")
    if path is None:
        pytest.fail("gcc is needed to compile the generated C (apt-get install gcc)")
    return path


def tsc():
    if not TSC.exists():
        pytest.fail("tsc is missing: `npm ci` installs it into node_modules (make test does)")
    return str(TSC)


def compile_c(paths, file_name, extra=()):
    """Compile C files with the SDK fixture of `file_name`'s target; return gcc's errors."""
    errors = []
    for start in range(0, len(paths), BATCH):
        command = [gcc(), *C_FLAGS, *TARGET_FLAGS[file_name], *extra]
        command += [str(p) for p in paths[start : start + BATCH]]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            errors.append(result.stderr[:4000])
    return errors


def compile_ts(paths):
    """Type-check TypeScript files with tsc --strict; return its errors."""
    result = subprocess.run(
        [tsc(), "--strict", "--noEmit", "--target", "es2020", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NODE_OPTIONS": ""},
    )
    return [] if result.returncode == 0 else [result.stdout[:4000] + result.stderr[:2000]]
