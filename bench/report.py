"""The table that `make bench` prints, the goals checked against it, and bench/RESULTS.md."""

from dataclasses import dataclass

SYNC_RATIO_GOAL = 1.5
MAX_RSS_GOAL_MB = 150
P99_GOAL_MS = 100
RPS_GOAL = 300
HOME_WEIGHT_GOAL = 60 * 1024
FRAGMENT_WEIGHT_GOAL = 15 * 1024
RPS_GOAL_PAGES = ("search fragment (htmx)", "object page")


@dataclass
class Goal:
    text: str
    met: bool
    detail: str


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def sync_table(results):
    header = ["sync", "jobs", "wall s", "floor s", "x floor", "requests", "bodies", "bytes"]
    header += ["connections", "max RSS MB", "phases s (startup/metadata/fetch/store/exit)"]
    rows = []
    for r in results:
        phases = "/".join(f"{v:.2f}" for v in r.phases.values())
        rows.append(
            [r.name, r.jobs, f"{r.wall:.2f}", f"{r.floor:.2f}", f"{r.ratio:.2f}", r.requests,
             r.bodies, f"{r.bytes:,}", r.connections, f"{r.max_rss_mb:.0f}", phases]
        )  # fmt: skip
    return markdown_table(header, rows)


def load_table(loads, connections, duration):
    header = ["endpoint", f"req/s ({connections} conns, {duration} s)", "p50 ms", "p99 ms"]
    header += ["errors", "requests", "bytes/answer", "req/s of each round"]
    rows = [
        [load.name + (f" ({load.note})" if load.note else ""), f"{load.rps:.0f}",
         f"{load.p50_ms:.1f}", f"{load.p99_ms:.1f}", load.errors, load.requests,
         f"{load.bytes:,}", " ".join(map(str, load.rounds))]
        for load in loads
    ]  # fmt: skip
    return markdown_table(header, rows)


def weight_table(weights):
    rows = []
    for w in weights:
        parts = ", ".join(f"{url.rsplit('/', 1)[-1] or url} {enc} {n:,}" for url, enc, n in w.parts)
        rows.append([w.name, f"{w.sent:,}", f"{w.raw:,}", parts])
    return markdown_table(["page", "bytes sent (br/gzip)", "bytes uncompressed", "parts"], rows)


def _sync_goals(results):
    goals = []
    full = {r.jobs: r for r in results if r.name == "full"}
    for jobs in (8, 16):
        if jobs in full:
            r = full[jobs]
            goals.append(
                Goal(
                    f"full sync at --jobs {jobs} within {SYNC_RATIO_GOAL}x of its floor",
                    r.exit_code == 0 and r.ratio <= SYNC_RATIO_GOAL,
                    f"{r.wall:.2f} s = {r.ratio:.2f}x the floor {r.floor:.2f} s",
                )
            )
    for r in (r for r in results if r.name == "no change"):
        goals.append(
            Goal(
                f"re-sync with nothing changed at --jobs {r.jobs}: no body again, "
                f"within {SYNC_RATIO_GOAL}x of its floor",
                r.exit_code == 0 and r.bodies == 0 and r.ratio <= SYNC_RATIO_GOAL,
                f"{r.bodies} bodies downloaded; {r.wall:.2f} s = {r.ratio:.2f}x the floor "
                f"{r.floor:.2f} s; {r.connections} TCP connections for {r.requests} requests",
            )
        )
    if full:
        peak = max(full.values(), key=lambda r: r.max_rss_mb)
        goals.append(
            Goal(
                f"peak memory of a full sync under {MAX_RSS_GOAL_MB} MB",
                peak.max_rss_mb < MAX_RSS_GOAL_MB,
                f"max RSS {peak.max_rss_mb:.0f} MB (--jobs {peak.jobs})",
            )
        )
    return goals


def _site_goals(loads, weights, peer_loads):
    ours = list(loads)
    goals = []
    if ours:
        errors = sum(load.errors for load in ours) + sum(load.status != 200 for load in ours)
        goals.append(Goal("zero errors under load", errors == 0, f"{errors} errors"))
        worst = max(ours, key=lambda load: load.p99_ms)
        goals.append(
            Goal(
                f"p99 under {P99_GOAL_MS} ms at 16 connections, every endpoint",
                worst.p99_ms < P99_GOAL_MS,
                f"worst: {worst.name} {worst.p99_ms:.1f} ms",
            )
        )
        for load in (load for load in ours if load.name.startswith(RPS_GOAL_PAGES)):
            text = f"{load.name}: at least {RPS_GOAL} req/s"
            goals.append(Goal(text, load.rps >= RPS_GOAL, f"{load.rps:.0f}/s"))
    search = next((load for load in ours if load.name.startswith("search fragment")), None)
    if search and peer_loads:
        best = max(peer_loads, key=lambda load: load.rps)
        ratio = search.rps / best.rps if best.rps else float("inf")
        goals.append(
            Goal(
                "ahead of Datasette on the same faceted search (ratio > 1)",
                ratio > 1,
                f"{search.rps:.0f}/s vs {best.name} {best.rps:.0f}/s: ratio {ratio:.2f}",
            )
        )
    for weight, limit in zip(weights, (HOME_WEIGHT_GOAL, FRAGMENT_WEIGHT_GOAL), strict=False):
        goals.append(
            Goal(
                f"weight of {weight.name} under {limit // 1024} KB",
                weight.sent < limit,
                f"{weight.sent / 1024:.1f} KB sent",
            )
        )
    return goals


def goals(sync_results, loads, weights, peer_loads):
    return _sync_goals(sync_results) + _site_goals(loads, weights, peer_loads)


def render(machine, settings, sections, goal_list, when):
    """The whole report, in Markdown (also what is printed)."""
    lines = [f"# Benchmark results ({when})", "", "## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in machine.items()]
    lines += ["", "## Settings", ""]
    lines += [f"- {key}: {value}" for key, value in settings.items()]
    for title, table in sections:
        lines += ["", f"## {title}", "", table]
    lines += ["", "## Goals", ""]
    met = sum(g.met for g in goal_list)
    lines.append(f"{met} of {len(goal_list)} met.")
    lines.append("")
    lines += [f"- {'MET' if g.met else 'NOT MET'}: {g.text} ({g.detail})" for g in goal_list]
    return "\n".join(lines) + "\n"
