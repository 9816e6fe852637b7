"""`make bench`: measure the sync and the site on this machine, print the table, keep RESULTS.md.

Every server is on 127.0.0.1 and every load loop is bounded in time. Figures are measured here,
never asserted in a test: the goals are checked and reported, met or not, with why.
"""

import argparse
import os
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import machine, mutation_score, report  # noqa: E402
from bench.abuse import bench_abuse  # noqa: E402
from bench.load import ensure_wrk  # noqa: E402
from bench.scale import bench_scale  # noqa: E402
from bench.site_bench import bench_fair, bench_make_run  # noqa: E402
from bench.sync_bench import WORK, bench_sync  # noqa: E402

RESULTS = PROJECT / "bench" / "RESULTS.md"
NOTES = PROJECT / "bench" / "NOTES.md"
DEFAULT_SNAPSHOT = PROJECT.parent / "shared" / "registry-snapshot"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--snapshot", type=Path, default=os.environ.get("REGISTRY_SNAPSHOT", DEFAULT_SNAPSHOT)
    )
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 8, 16])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="load rounds; the median is kept")
    parser.add_argument("--workers", type=int, default=3, help="Granian workers (as make run)")
    parser.add_argument("--skip-site", action="store_true")
    parser.add_argument(
        "--site-only", action="store_true", help="reuse the database of the last run's sync"
    )
    parser.add_argument("--no-results", action="store_true", help="print only, keep RESULTS.md")
    parser.add_argument(
        "--scale",
        type=int,
        nargs="+",
        default=[10, 100],
        metavar="N",
        help="the scale round's sizes, times the snapshot (1x, the snapshot, is always run)",
    )
    parser.add_argument("--skip-scale", action="store_true", help="leave the scale round out")
    parser.add_argument(
        "--scale-only",
        action="store_true",
        help="run only the scale round (printed; RESULTS.md is kept, as with --no-results)",
    )
    args = parser.parse_args(argv)
    if args.scale_only and args.skip_scale:
        parser.error("--scale-only and --skip-scale exclude each other")
    if any(n < 1 for n in args.scale):
        parser.error("--scale takes whole numbers of 1 or more")
    return args


def log(line):
    print(line, flush=True)


def site_part(args, database_url):
    """Our site as `make run` serves it, the fair peer comparison, then the abuse round; a
    failure of any is reported, not fatal, and the others' figures are kept."""
    loads, weights, fair, problems = [], [], None, []
    wrk = ensure_wrk(log)
    db_path = Path(database_url.removeprefix("sqlite:///"))
    try:
        loads, weights = bench_make_run(database_url, args, wrk, log)
    except Exception as exc:
        problems.append(f"the site benchmark failed: {type(exc).__name__}: {exc}")
        traceback.print_exc()
    log("Peer comparison: one process each on one core, warm and cold")
    try:
        fair = bench_fair(database_url, db_path, args, wrk, log)
    except Exception as exc:
        problems.append(f"the peer comparison failed: {type(exc).__name__}: {exc}")
        traceback.print_exc()
    log("Under abuse: heavy answers, clients that read nothing, many small answers")
    try:
        abuse = bench_abuse(database_url, log)
    except Exception as exc:
        abuse = None
        problems.append(f"the abuse round failed: {type(exc).__name__}: {exc}")
        traceback.print_exc()
    return loads, weights, fair, abuse, problems, "wrk" if wrk else "Python client"


def mutation_section():
    """The mutmut table (bench/mutation_score.py) in RESULTS.md, kept across a bench run."""
    old = RESULTS.read_text() if RESULTS.is_file() else ""
    if mutation_score.BEGIN not in old or mutation_score.END not in old:
        return ""
    kept = old.split(mutation_score.BEGIN, 1)[1].split(mutation_score.END, 1)[0]
    return f"\n{mutation_score.BEGIN}{kept}{mutation_score.END}\n"


def main(argv=None):
    args = parse_args(argv)
    if not (args.snapshot / "DDF.xml").is_file():
        sys.exit(f"no registry snapshot at {args.snapshot} (set REGISTRY_SNAPSHOT)")
    started = time.monotonic()
    measured = machine.commit(PROJECT)  # before anything runs: the code that is loaded
    if args.scale_only:
        sync_results, database_url = [], None
    elif args.site_only:
        sync_results, database_url = [], f"sqlite:///{WORK / 'sync-jobs16.sqlite3'}"
    else:
        log(f"Sync: {args.snapshot} served on 127.0.0.1 with {args.latency * 1000:.0f} ms per "
            "request")  # fmt: skip
        sync_results, database_url = bench_sync(args.snapshot, args.latency, args.jobs, log=log)
    loads, weights, fair, abuse, problems = [], [], None, None, []
    tool = "-"
    loadavg = " ".join(f"{n:.2f}" for n in os.getloadavg())
    if not args.skip_site and database_url:
        log(f"Site as make run serves it: Granian, {args.workers} workers")
        loads, weights, fair, abuse, problems, tool = site_part(args, database_url)
    scale_rows, scale_loadavg = [], ""
    if not args.skip_scale:
        scale_loadavg = " ".join(f"{n:.2f}" for n in os.getloadavg())
        sizes = " ".join(f"{n}x" for n in sorted({1, *args.scale}))
        log(f"Scale round: registries {sizes} the snapshot, each synced from a clone and served")
        wrk = ensure_wrk(log)
        tool = tool if tool != "-" else ("wrk" if wrk else "Python client")
        scale_rows = bench_scale(args.snapshot, args.scale, args, wrk, log)
        problems += [problem for row in scale_rows for problem in row.problems]
    settings = {
        "commit measured": measured,
        "registry latency": f"{args.latency * 1000:.0f} ms per request (127.0.0.1)",
        "site as make run serves it": f"Granian (ASGI: registry_site/asgi.py reads each body, "
        f"then 2 threads run Django), {args.workers} workers, unpinned, production settings, "
        "SQLite, whitenoise",
        "peer comparison": "our site with 1 Granian worker and Datasette (bench/requirements.txt, "
        "one process, immutable SQLite file), " + (fair.pin_note if fair else "not run"),
        "load": f"{tool}, {args.connections} connections, {args.duration} s per endpoint, "
        f"{args.rounds} interleaved rounds, the median round kept",
        "load average before the site load": loadavg,
        "bench wall time": f"{time.monotonic() - started:.0f} s",
    }
    if scale_rows:
        settings["scale round"] = (
            "registries N times the snapshot (bench/scale.py), each synced from its clone by "
            "`sync_registry --jobs 8` in a process of its own (peak RSS from wait4) into an empty "
            f"SQLite database, then re-synced unchanged; served by Granian, {args.workers} "
            f"workers; the search fragment and the home page loaded as above; load average "
            f"before it {scale_loadavg}"
        )
    if args.scale_only:  # what did not run is not described
        for key in ("registry latency", "peer comparison", "load average before the site load"):
            settings.pop(key)
    sections = [("Sync", report.sync_table(sync_results))] if sync_results else []
    if loads:
        table = report.load_table(loads, args.connections, args.duration)
        sections.append((f"Site under load, as make run serves it ({args.workers} workers)", table))
    if fair:
        table = report.fair_table(fair, args.connections, args.duration)
        sections.append(("Peer comparison: one process each on one core, warm and cold", table))
    if weights:
        sections.append(("Page weight", report.weight_table(weights)))
    if abuse:
        sections.append(("Under abuse, one worker (bench/abuse.py)", abuse))
    if scale_rows:
        sections.append(("Scale: registries N times the snapshot", report.scale_table(scale_rows)))
    if problems:
        sections.append(("Problems", "\n".join(f"- {p}" for p in problems)))
    goal_list = report.goals(sync_results, loads, weights, fair, scale_rows, args.connections)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = report.render(machine.describe(), settings, sections, goal_list, when)
    print("\n" + text)
    if not (args.no_results or args.scale_only):
        notes = NOTES.read_text() if NOTES.is_file() else ""
        RESULTS.write_text(text + (f"\n{notes}" if notes else "") + mutation_section())
        log(f"Wrote {RESULTS.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
