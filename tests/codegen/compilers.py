"""gcc and tsc for the generated files: many files per call, two calls at a time (the machine
has two cores). Every C file is compiled for real (-c, not -fsyntax-only) with the warnings
the SDKs build with, so an unused function or a shadowed name fails as it would there."""

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SDK = ROOT / "tests" / "fixtures" / "sdk"
# TSC names it elsewhere: mutmut runs the tests in a copy of the tree without node_modules.
TSC = Path(os.environ.get("TSC") or ROOT / "node_modules" / ".bin" / "tsc")
C_FLAGS = ["-c", "-std=c99", "-Wall", "-Wextra", "-Werror", "-Wshadow"]
# Wakaama's own hygiene (wakaama.cmake's add_compile_options), without its -Wno-* relief.
WAKAAMA_FLAGS = [
    "-Waggregate-return", "-Wcast-align", "-Wfloat-equal", "-Wpointer-arith",
    "-Wswitch-default", "-Wwrite-strings", "-pedantic",
]  # fmt: skip
TARGET_FLAGS = {
    "anjay.c": ["-Wcast-qual", "-I", str(SDK / "anjay")],
    "wakaama.c": [*WAKAAMA_FLAGS, "-DLWM2M_CLIENT_MODE", "-I", str(SDK / "wakaama")],
    "zephyr.c": ["-I", str(SDK / "zephyr")],
    "ids.h": ["-x", "c"],
}
# A header alone is compiled as C with its object's flags (it includes the SDK's header).
for _name in ("anjay", "wakaama", "zephyr"):
    TARGET_FLAGS[f"{_name}.h"] = ["-x", "c", *TARGET_FLAGS[f"{_name}.c"]]
BATCH = 100
WORKERS = 2


def gcc():
    path = shutil.which("gcc")
    if path is None:
        pytest.fail("gcc is needed to compile the generated C (apt-get install gcc)")
    return path


def tsc():
    if not TSC.exists():
        pytest.fail("tsc is missing: `npm ci` installs it into node_modules (make test does)")
    return str(TSC)


def _run_gcc(command):
    # The objects go to a folder of their own (files of one name overwrite each other there).
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=folder)
    return None if result.returncode == 0 else result.stderr[:4000]


def compile_c(paths, file_name, extra=()):
    """Compile C files (-c) with the SDK fixture and warnings of `file_name`'s target; return
    gcc's errors (an empty list when every file compiled)."""
    commands = []
    for start in range(0, len(paths), BATCH):
        command = [gcc(), *C_FLAGS, *TARGET_FLAGS[file_name], *extra]
        command += [str(p) for p in paths[start : start + BATCH]]
        commands.append(command)
    with ThreadPoolExecutor(WORKERS) as pool:
        return [error for error in pool.map(_run_gcc, commands) if error]


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
