"""Mutation testing of objects/lwm2m/ and objects/codegen/ with mutmut, and its account.

Runs `mutmut run` (its configuration is [tool.mutmut] in pyproject.toml: mypy rejects the
mutants that break the types, the packages' own fast tests judge the rest), then keeps one row
per module in bench/mutmut-modules.tsv, each with the commit it was measured at, and writes the
table and the total score into bench/RESULTS.md. A surviving mutant is either killed by a new
test or listed, with the reason it changes nothing a user could see, in
bench/mutmut-equivalent.tsv; the ones that are neither are counted as unexplained and named,
so the work left is always in front of us.

    python bench/mutation_score.py                        # every module: run, then report
    python bench/mutation_score.py objects.lwm2m.tlv      # one module (or several) only
    python bench/mutation_score.py --report               # report on the last run

Given modules, only their mutants that are not settled run again: the ones never checked
(new or changed functions) and the survivors, which a new test may now kill. mutmut itself
reruns every mutant a name matches, killed or not, and a module's C generators take hours
that way; `--all` asks for that.
"""

import argparse
import collections
import contextlib
import csv
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
EQUIVALENT = ROOT / "bench" / "mutmut-equivalent.tsv"
MODULES = ROOT / "bench" / "mutmut-modules.tsv"
BEGIN, END = "<!-- mutmut: begin -->", "<!-- mutmut: end -->"
MUTMUT = [sys.executable, "-m", "mutmut"]
LINE = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+?)\s*$")
# What a mutant's run ends as, in the order of the table's columns.
COLUMNS = ("killed", "caught by type check", "timeout", "survived", "no tests")
HEADER = ("module", "commit", "mutants", *COLUMNS, "listed", "unexplained")


# How far a mutant's child may grow past mutmut's own memory before it is stopped.
MUTANT_MEMORY_MARGIN = 2 * 1024**3

# What a new test or a changed function can still turn into a kill; the rest stands.
UNSETTLED = {"not checked", "survived", "no tests"}


def to_run(modules, found, everything=False):
    """The names to hand `mutmut run`: each module's unsettled mutants once a run has left
    results, the whole module before one has (or when asked for everything)."""
    if everything or not any(module_of(name) in modules for name in found):
        return [f"{module}.x*" for module in modules]
    return sorted(
        name for name, status in found.items() if module_of(name) in modules and status in UNSETTLED
    )


def environment(environ):
    """mutmut's environment: the project's own mypy and tsc, and bytecode caching on.

    Each mutant's tests run in a fresh child that imports the mutated modules, which hold every
    mutant of every function: without .pyc files (PYTHONDONTWRITEBYTECODE, as some machines
    set) each child compiles them anew, and a killed mutant of a C generator cost 10 s, not 1.
    """
    env = {name: value for name, value in environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + environ.get("PATH", "")
    env["TSC"] = str(ROOT / "node_modules" / ".bin" / "tsc")
    return env


def rss(pid):
    """A process's resident memory in bytes (0 once it is gone)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def children(pid):
    """The pids of a process's children, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):
            found.append(int(stat.parent.name))
    return found


def stop_runaways(pid, margin, stopped, interval=1.0):
    """Until `stopped` is set, send SIGXCPU, which mutmut counts as a timeout, to each child of
    `pid` whose memory grows past the parent's by more than `margin` bytes.

    A mutant can turn a loop that appends into an endless one: its child grew by 4 GB in three
    minutes here, long before pytest-timeout ended it, and two at once would exhaust the machine
    and lose the whole run. Children are forked, so each starts as large as the parent."""
    while not stopped.wait(interval):
        bound = rss(pid) + margin
        for child in children(pid):
            if rss(child) > bound:
                print(f"mutation_score: child {child} past {bound} bytes, stopped", flush=True)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGXCPU)


def run(names):
    """mutmut over the given mutant names or patterns (every mutant when none is given)."""
    command = [*MUTMUT, "run", "--max-children", str(os.cpu_count() or 1), *names]
    with subprocess.Popen(command, cwd=ROOT, env=environment(os.environ)) as mutmut:
        stopped = threading.Event()
        guard = threading.Thread(
            target=stop_runaways, args=(mutmut.pid, MUTANT_MEMORY_MARGIN, stopped), daemon=True
        )
        guard.start()
        mutmut.wait()
        stopped.set()
        guard.join()


def outcomes():
    """{mutant name: status} of every mutant mutmut knows of (none before a first run here)."""
    if not (ROOT / "mutants").is_dir():
        return {}
    text = subprocess.run(
        [*MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in text.splitlines():
        match = LINE.match(line)
        if match and "__mutmut_" in match["name"]:
            found[match["name"]] = match["status"]
    return found


def equivalents():
    """{mutant name: reason} from bench/mutmut-equivalent.tsv (# comments allowed)."""
    listed = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, reason = line.partition("\t")
                listed[name.strip()] = reason.strip()
    return listed


def module_of(name):
    return re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]


def mutated_modules():
    """The modules mutmut mutates (those of lwm2m/ and codegen/ with a function), by name."""
    files = [
        *(ROOT / "objects" / "lwm2m").glob("*.py"),
        *(ROOT / "objects" / "codegen").glob("*.py"),
    ]
    files = [path for path in files if "def " in path.read_text(encoding="utf-8")]
    names = [".".join(path.relative_to(ROOT).with_suffix("").parts) for path in files]
    return sorted(name.removesuffix(".__init__") for name in names)


def commit():
    return subprocess.run(
        ["git", "log", "-1", "--format=%h"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def measure(found, listed, modules, at):
    """A row per measured module: {module: row}."""
    per_module: dict[str, dict[str, str]] = collections.defaultdict(dict)
    for name, status in found.items():
        module = module_of(name)
        if not modules or module in modules:
            per_module[module][name] = status
    # A module whose mutants were all left unchecked (not in this run) keeps its old row.
    unchecked = {"not checked"}
    per_module = {m: s for m, s in per_module.items() if set(s.values()) - unchecked}
    rows = {}
    for module, statuses in per_module.items():
        counts = collections.Counter(statuses.values())
        survived = [n for n, s in statuses.items() if s == "survived"]
        explained = sum(1 for n in survived if n in listed)
        rows[module] = {
            "module": module,
            "commit": at,
            "mutants": str(len(statuses)),
            **{column: str(counts[column]) for column in COLUMNS},
            "listed": str(explained),
            "unexplained": str(len(survived) - explained),
        }
    return rows


def read_rows():
    if not MODULES.exists():
        return {}
    with MODULES.open(encoding="utf-8", newline="") as handle:
        return {row["module"]: row for row in csv.DictReader(handle, delimiter="\t")}


def write_rows(rows):
    with MODULES.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[module] for module in sorted(rows))


def section(rows, unexplained):
    total = collections.Counter()
    for row in rows.values():
        total.update({key: int(row[key]) for key in HEADER[2:]})
    caught = total["killed"] + total["caught by type check"] + total["timeout"]
    reached = caught + total["survived"]
    score = 100 * caught / reached if reached else 0
    lines = [
        BEGIN,
        "## Mutation testing (mutmut over objects/lwm2m/ and objects/codegen/)",
        "",
        "Each module's row was measured at the commit it names (`make mutants`, or",
        "`bench/mutation_score.py MODULE` for one). Killed counts the mutants a test fails on;",
        "typed, the ones mypy rejects before any test runs.",
        "",
        f"- mutants: {total['mutants']}; killed {total['killed']}, typed "
        f"{total['caught by type check']}, timeout {total['timeout']}, survived "
        f"{total['survived']}, no test reaches them {total['no tests']}",
        f"- score (killed, typed or timed out, of those a test reaches): {score:.1f}%",
        f"- survivors listed as equivalent (bench/mutmut-equivalent.tsv): {total['listed']}; "
        f"unexplained: {total['unexplained']}",
        "",
        "| module | commit | mutants | killed | typed | timeout | survived | no tests "
        "| listed | unexplained |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(rows[m][key] for key in HEADER) + " |" for m in sorted(rows)]
    missing = [module for module in mutated_modules() if module not in rows]
    if missing:
        lines += ["", f"Not measured yet ({len(missing)}): " + ", ".join(missing) + "."]
    if unexplained:
        lines += ["", "First unexplained survivors (`mutmut show NAME` shows each):", ""]
        lines += [f"- `{name}`" for name in sorted(unexplained)[:20]]
    lines.append(END)
    return "\n".join(lines)


def write(text_of_section):
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        text = before + text_of_section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + text_of_section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to run (default: all)")
    parser.add_argument("--report", action="store_true", help="report on the last run only")
    parser.add_argument("--all", action="store_true", help="rerun the modules' settled mutants too")
    args = parser.parse_args(argv)
    modules = set(args.modules)
    if not args.report and not modules:
        run([])
    elif not args.report:
        names = to_run(modules, outcomes(), args.all)
        if names:
            run(names)
        # A function changed since the last run: mutmut made its mutants anew, unchecked, and
        # the names above (the old state's) left them out. One more run takes them.
        fresh = [n for n, s in outcomes().items() if module_of(n) in modules and s == "not checked"]
        if fresh:
            run(sorted(fresh))
    found, listed = outcomes(), equivalents()
    rows = read_rows()
    rows.update(measure(found, listed, set(args.modules), commit()))
    write_rows(rows)
    unexplained = [
        name
        for name, status in found.items()
        if status == "survived" and name not in listed and module_of(name) in rows
    ]
    text = section(rows, unexplained)
    write(text)
    print(text)


if __name__ == "__main__":
    main()
