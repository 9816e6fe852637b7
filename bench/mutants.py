"""`make mutants`: break each claim the tests make, one at a time, and check that a test fails.

Every mutant is written by hand: a file, an exact text in it, its replacement, and the test
files that must fail once it is applied. Each is applied to a scratch copy of the tree (the
working files are never edited), the named tests run there, and the mutant is "killed" when
they fail, "survived" when they pass. A mutant whose text is not found (code moved or
rewritten) is an ERROR, never a pass: fix its entry. Exit status 0 only when every mutant ran
and was killed.

    .venv/bin/python bench/mutants.py             # all of them
    .venv/bin/python bench/mutants.py -k redirect # those whose name holds "redirect"
    .venv/bin/python bench/mutants.py --check     # only that every text is found, once
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"
MUTANT_TIMEOUT = 900  # seconds for one mutant's tests (each test has its own 300 s limit)


@dataclass(frozen=True)
class Mutant:
    name: str
    claim: str
    files: tuple  # where the text may be: the first that holds it is mutated
    old: str
    new: str
    tests: tuple

    def __post_init__(self):
        if isinstance(self.files, str):
            object.__setattr__(self, "files", (self.files,))
        if isinstance(self.tests, str):
            object.__setattr__(self, "tests", (self.tests,))


FETCH = "objects/sync/fetch_policy.py"
SOURCES = "objects/sync/sources.py"
T_FETCH = "tests/sync/test_fetch_policy.py"

MUTANTS = [
    # -- the trust boundary ------------------------------------------------------------------
    Mutant(
        "ipv4-compatible-public",
        "::127.0.0.1 (IPv4-compatible) is judged by its IPv4 address",
        FETCH,
        'IPV4_IN_LAST_32 = (ipaddress.ip_network("::/96"), ',
        "IPV4_IN_LAST_32 = (",
        T_FETCH,
    ),
    Mutant(
        "nat64-public",
        "64:ff9b::7f00:1 (NAT64 of loopback) is not public",
        FETCH,
        ', ipaddress.ip_network("64:ff9b::/96"))',
        ")",
        T_FETCH,
    ),
    Mutant(
        "6to4-public",
        "2002:7f00:1::1 (6to4 of loopback) is not public",
        FETCH,
        "            if not is_public(ip.sixtofour):\n                return False",
        "            pass",
        T_FETCH,
    ),
    Mutant(
        "site-local-public",
        "fec0::1 (site-local) is not public",
        FETCH,
        '    ipaddress.ip_network("fec0::/10"),\n',
        "",
        T_FETCH,
    ),
    Mutant(
        "peer-check-ipv4-only",
        "an IPv6 peer (a real server on ::1) is checked like an IPv4 one",
        FETCH,
        "                policy.check_address(sock.getpeername()[0], self.host)",
        "                if sock.family == socket.AF_INET:\n"
        "                    policy.check_address(sock.getpeername()[0], self.host)",
        T_FETCH,
    ),
    Mutant(
        "six-redirects",
        "at most 5 redirects: a sixth is refused",
        SOURCES,
        "if redirects > MAX_REDIRECTS:",
        "if redirects > MAX_REDIRECTS + 1:",
        T_FETCH,
    ),
    Mutant(
        "four-redirects",
        "5 redirects are followed, not only 4",
        SOURCES,
        "if redirects > MAX_REDIRECTS:",
        "if redirects >= MAX_REDIRECTS:",
        T_FETCH,
    ),
    Mutant(
        "password-only-credentials",
        "http://:pw@host/ is refused",
        FETCH,
        "if parts.username is not None or parts.password is not None:",
        "if parts.username:",
        T_FETCH,
    ),
    Mutant(
        "user-only-credentials",
        "http://user@host/ is refused",
        FETCH,
        "if parts.username is not None or parts.password is not None:",
        "if parts.password:",
        T_FETCH,
    ),
]


def scratch_tree(root):
    """A copy of the working tree (committed and uncommitted files, not ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    tree = root / "tree"
    for name in filter(None, listed):
        if name == b".venv":
            continue  # the shared virtualenv, linked below
        source = PROJECT / os.fsdecode(name)
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        target = tree / os.fsdecode(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink() or source.is_file():
            shutil.copy2(source, target, follow_symlinks=False)
    (tree / ".venv").symlink_to((PROJECT / ".venv").resolve())
    # The tests find the registry snapshot at ../shared from the project.
    if (PROJECT.parent / "shared").exists():
        (root / "shared").symlink_to((PROJECT.parent / "shared").resolve())
    return tree


def locate(tree, mutant):
    """(path, original text) of the file holding the mutant's text exactly once; or an error."""
    for name in mutant.files:
        path = tree / name
        if not path.is_file():
            continue
        text = path.read_text()
        count = text.count(mutant.old)
        if count == 1:
            return path, text
        if count > 1:
            raise LookupError(f"its text is in {name} {count} times: make it unique")
    raise LookupError(f"its text is not found in {', '.join(mutant.files)}: the code moved?")


def run_tests(tree, tests):
    missing = [t for t in tests if not (tree / t.split("::")[0]).is_file()]
    if missing:
        return "error", f"no test file {', '.join(missing)}"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    command = [str(PYTHON), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(
            command, cwd=tree, env=env, capture_output=True, text=True, timeout=MUTANT_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return "killed", f"timed out after {MUTANT_TIMEOUT} s"
    last = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    if done.returncode == 0:
        return "passed", last
    if done.returncode in (1, 2, 3):  # tests failed, or collection broke on the mutant
        return "killed", last
    return "error", f"pytest exit {done.returncode}: {last}\n{done.stderr[-2000:]}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="keyword", help="only mutants whose name holds this")
    parser.add_argument("--check", action="store_true", help="only check every text is found")
    parser.add_argument("--list", action="store_true", help="list the mutants and their claims")
    args = parser.parse_args(argv)
    mutants = [m for m in MUTANTS if not args.keyword or args.keyword in m.name]
    if args.list:
        for m in mutants:
            print(f"{m.name:32} {m.claim}")
        return 0
    counts = {"killed": 0, "survived": 0, "error": 0}
    with tempfile.TemporaryDirectory(prefix="mutants-") as root:
        tree = scratch_tree(Path(root))
        located = {}
        for m in mutants:
            try:
                located[m.name] = locate(tree, m)
            except LookupError as exc:
                counts["error"] += 1
                print(f"ERROR    {m.name}: {exc}", flush=True)
        if args.check:
            print(f"{len(located)} of {len(mutants)} mutants found")
            return 1 if counts["error"] else 0
        # The named tests must pass on the unmutated tree, or a "kill" means nothing.
        baseline = sorted({t for m in mutants if m.name in located for t in m.tests})
        outcome, detail = run_tests(tree, baseline)
        if outcome != "passed":
            print(f"ERROR    the unmutated tree fails its tests ({detail})", flush=True)
            return 1
        for m in mutants:
            if m.name not in located:
                continue
            path, original = located[m.name]
            started = time.monotonic()
            path.write_text(original.replace(m.old, m.new, 1))
            try:
                outcome, detail = run_tests(tree, m.tests)
            finally:
                path.write_text(original)
            outcome = "survived" if outcome == "passed" else outcome
            counts[outcome] += 1
            took = time.monotonic() - started
            print(f"{outcome.upper():8} {m.name} ({took:.0f} s): {m.claim} [{detail}]", flush=True)
    print(
        f"\n{len(mutants)} mutants: {counts['killed']} killed, {counts['survived']} survived, "
        f"{counts['error']} errors"
    )
    return 0 if counts["killed"] == len(mutants) else 1


if __name__ == "__main__":
    sys.exit(main())
