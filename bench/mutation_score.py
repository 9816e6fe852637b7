"""Mutation testing of objects/lwm2m/ and objects/codegen/ with mutmut, and its account.

Runs `mutmut run` (its configuration is [tool.mutmut] in pyproject.toml), then reads every
mutant's outcome and writes the score into bench/RESULTS.md: killed, survived, untested, per
module. A surviving mutant is either killed by a new test or listed, with the reason it changes
nothing a user could see, in bench/mutmut-equivalent.tsv; the ones that are neither are counted
as unexplained and the first of them named, so the list of work left is always in front of us.

    python bench/mutation_score.py            # run, then report
    python bench/mutation_score.py --report   # report on the last run
"""

import argparse
import collections
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
EQUIVALENT = ROOT / "bench" / "mutmut-equivalent.tsv"
BEGIN, END = "<!-- mutmut: begin -->", "<!-- mutmut: end -->"
MUTMUT = [sys.executable, "-m", "mutmut"]
LINE = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+?)\s*$")


def run():
    env = {**os.environ, "TSC": str(ROOT / "node_modules" / ".bin" / "tsc")}
    subprocess.run(
        [*MUTMUT, "run", "--max-children", str(os.cpu_count() or 1)], cwd=ROOT, env=env, check=False
    )


def outcomes():
    """{mutant name: status} of the last run."""
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
    return name.split(".x", 1)[0].split(".xǁ", 1)[0]


def report(found, listed):
    counts = collections.Counter(found.values())
    survived = [n for n, s in found.items() if s == "survived"]
    unexplained = [n for n in survived if n not in listed]
    tested = counts["killed"] + counts["survived"] + counts["timeout"]
    other = len(found) - tested - counts["no tests"]
    score = 100 * (counts["killed"] + counts["timeout"]) / tested if tested else 0
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        BEGIN,
        "## Mutation testing (mutmut over objects/lwm2m/ and objects/codegen/)",
        "",
        f"- commit measured: {commit}",
        f"- mutants: {len(found)}; killed {counts['killed']}, survived {counts['survived']}, "
        f"timeout {counts['timeout']}, no test reaches them {counts['no tests']}, "
        f"other {other}",
        f"- score (killed or timed out, of those a test reaches): {score:.1f}%",
        f"- survivors listed as equivalent (bench/mutmut-equivalent.tsv): "
        f"{len(survived) - len(unexplained)}; unexplained: {len(unexplained)}",
        "",
        "| module | mutants | killed | survived | no tests |",
        "|---|---|---|---|---|",
    ]
    per_module = collections.defaultdict(collections.Counter)
    for name, status in found.items():
        per_module[module_of(name)][status] += 1
    for module in sorted(per_module):
        c = per_module[module]
        lines.append(
            f"| {module} | {sum(c.values())} | {c['killed']} | {c['survived']} | {c['no tests']} |"
        )
    if unexplained:
        lines += ["", "First unexplained survivors (`mutmut show NAME` shows each):", ""]
        lines += [f"- `{name}`" for name in sorted(unexplained)[:20]]
    lines.append(END)
    return "\n".join(lines)


def write(section):
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        text = before + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="report on the last run only")
    args = parser.parse_args()
    if not args.report:
        run()
    section = report(outcomes(), equivalents())
    write(section)
    print(section)


if __name__ == "__main__":
    main()
