"""bench/RESULTS.md holds two authors' tables: `make bench` must keep mutmut's, and mutmut's
account must add up per module and say which survivors nobody has explained."""

import signal
import subprocess
import sys
import threading

from bench import mutation_score, run


def test_a_bench_run_keeps_the_mutation_table(tmp_path, monkeypatch):
    results = tmp_path / "RESULTS.md"
    table = f"{mutation_score.BEGIN}\n| a | row |\n{mutation_score.END}"
    results.write_text(f"# Benchmark results (old)\n\nold figures\n\n{table}\n")
    monkeypatch.setattr(run, "RESULTS", results)
    assert run.mutation_section() == f"\n{table}\n"
    results.write_text("# Benchmark results, before any mutmut run\n")
    assert run.mutation_section() == ""


def test_each_module_is_counted_with_its_commit_and_its_unexplained_survivors():
    found = {
        "objects.lwm2m.tlv.x_read__mutmut_1": "killed",
        "objects.lwm2m.tlv.x_read__mutmut_2": "survived",
        "objects.lwm2m.tlv.x_read__mutmut_3": "survived",
        "objects.lwm2m.tlv.xǁReaderǁnext__mutmut_1": "caught by type check",
        "objects.lwm2m.senml.x_parse__mutmut_1": "no tests",
        "objects.lwm2m.ids.x_parse_id__mutmut_1": "not checked",  # not in this run
    }
    listed = {"objects.lwm2m.tlv.x_read__mutmut_3": "ascii and ASCII name one codec"}
    rows = mutation_score.measure(found, listed, {"objects.lwm2m.tlv"}, "abc1234")
    assert list(rows) == ["objects.lwm2m.tlv"]
    row = rows["objects.lwm2m.tlv"]
    assert (row["commit"], row["mutants"], row["killed"], row["caught by type check"]) == (
        "abc1234", "4", "1", "1",
    )  # fmt: skip
    assert (row["survived"], row["listed"], row["unexplained"]) == ("2", "1", "1")
    everything = mutation_score.measure(found, listed, set(), "abc1234")
    assert sorted(everything) == ["objects.lwm2m.senml", "objects.lwm2m.tlv"]
    text = mutation_score.section(everything, ["objects.lwm2m.tlv.x_read__mutmut_2"])
    # 2 caught (killed, typed) of the 4 a test reaches; the untested one is not in the score.
    assert "score (killed, typed or timed out, of those a test reaches): 50.0%" in text
    assert "| objects.lwm2m.tlv | abc1234 | 4 | 1 | 1 | 0 | 2 | 0 | 1 | 1 |" in text
    assert "- `objects.lwm2m.tlv.x_read__mutmut_2`" in text
    # Every other module of the two packages is named as not measured yet, never left out.
    missing = text.split("Not measured yet (", 1)[1].split("\n", 1)[0]
    assert "objects.lwm2m.paths, " in missing and "objects.codegen.wakaama" in missing
    assert "objects.lwm2m.tlv," not in missing and "objects.lwm2m.tlv." not in missing


def test_a_module_run_again_runs_only_its_unsettled_mutants():
    found = {
        "objects.codegen.wakaama.x_guard__mutmut_1": "killed",
        "objects.codegen.wakaama.x_guard__mutmut_2": "survived",
        "objects.codegen.wakaama.x_guard__mutmut_3": "caught by type check",
        "objects.codegen.wakaama.x_guard__mutmut_4": "not checked",  # its function changed
        "objects.codegen.wakaama.xǁFileǁcase__mutmut_1": "no tests",
        "objects.codegen.wakaama.x_guard__mutmut_5": "timeout",
        "objects.codegen.anjay.x_kind__mutmut_1": "survived",  # another module: not asked for
    }
    assert mutation_score.to_run({"objects.codegen.wakaama"}, found) == [
        "objects.codegen.wakaama.x_guard__mutmut_2",
        "objects.codegen.wakaama.x_guard__mutmut_4",
        "objects.codegen.wakaama.xǁFileǁcase__mutmut_1",
    ]
    # Asked for everything, or before any result of the module, the whole module runs.
    assert mutation_score.to_run({"objects.codegen.wakaama"}, found, everything=True) == [
        "objects.codegen.wakaama.x*"
    ]
    assert mutation_score.to_run({"objects.codegen.zephyr"}, found) == ["objects.codegen.zephyr.x*"]
    # A module whose mutants are all settled has nothing left to run.
    settled = {"objects.codegen.names.x_c_name__mutmut_1": "killed"}
    assert mutation_score.to_run({"objects.codegen.names"}, settled) == []


def test_mutmut_runs_with_bytecode_caching_and_the_project_s_tools():
    environ = {"PATH": "/usr/bin", "PYTHONDONTWRITEBYTECODE": "1", "HOME": "/root"}
    env = mutation_score.environment(environ)
    # Each child imports the mutated modules anew: without .pyc files it compiles them each time.
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["HOME"] == "/root"
    assert env["PATH"].endswith(":/usr/bin") and env["PATH"].split(":")[0].endswith("bin")
    assert env["TSC"].endswith("node_modules/.bin/tsc")
    assert environ["PYTHONDONTWRITEBYTECODE"] == "1"  # the caller's own is left alone


# 20 MB every 0.1 s, up to 600 MB: ends by itself, unstopped, with 0.
GROWS = """
import time
held = []
for _ in range(30):
    held.append(b"x" * 20 * 2**20)
    time.sleep(0.1)
"""
TWO_CHILDREN = f"""
import subprocess, sys
grows = subprocess.Popen([sys.executable, "-c", {GROWS!r}])
quiet = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1)"])
print(grows.wait(), quiet.wait())
"""


def test_a_mutant_s_child_that_grows_without_end_is_stopped_as_a_timeout():
    """Endless loops that append once grew a child by 4 GB; two at once would sink the run."""
    parent = subprocess.Popen(
        [sys.executable, "-c", TWO_CHILDREN], stdout=subprocess.PIPE, text=True
    )
    stopped = threading.Event()
    guard = threading.Thread(
        target=mutation_score.stop_runaways, args=(parent.pid, 100 * 2**20, stopped, 0.05)
    )
    guard.start()
    try:
        out, _ = parent.communicate(timeout=60)
    finally:
        stopped.set()
        guard.join()
    # SIGXCPU, which mutmut counts as a timeout; the child that stayed small is left alone.
    assert out.split() == [str(-signal.SIGXCPU), "0"]
