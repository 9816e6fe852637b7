"""bench/mutants.py: a mutant whose text is gone (code moved or rewritten) is an error that
fails the run, never a quiet pass. (Whether today's tree holds every mutant's text is
`bench/mutants.py --check`'s question, not the suite's: code may move before its mutants do.)"""

import pytest

from bench import mutants
from bench.mutants import MUTANTS, Mutant, locate


def test_a_mutant_whose_text_is_gone_is_an_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.py").write_text("x = 1\nx = 1\n")
    gone = Mutant("gone", "a claim", ("a.py", "b.py"), "y = 2", "y = 3", "tests/x.py")
    with pytest.raises(LookupError, match="not found in a.py, b.py"):
        locate(tmp_path, gone)
    twice = Mutant("twice", "a claim", "a.py", "x = 1", "x = 2", "tests/x.py")
    with pytest.raises(LookupError, match="2 times"):
        locate(tmp_path, twice)
    monkeypatch.setattr(mutants, "MUTANTS", [MUTANTS[0], Mutant(
        "moved", "a claim", "objects/nowhere.py", "text", "other", "tests/x.py")])  # fmt: skip
    assert mutants.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert "ERROR    moved: its text is not found in objects/nowhere.py" in out
    assert "1 of 2 mutants found" in out


def test_at_least_twenty_mutants_each_naming_its_tests():
    assert len(MUTANTS) >= 20
    assert len({m.name for m in MUTANTS}) == len(MUTANTS)
    for mutant in MUTANTS:
        assert mutant.tests and all(t.startswith("tests/") for t in mutant.tests), mutant.name
        assert mutant.old != mutant.new, mutant.name
