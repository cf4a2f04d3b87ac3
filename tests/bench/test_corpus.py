"""The synthetic class: the mix the benchmark claims to grade."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from autograder.bench.corpus import HOSTILE, correct_sources, write_class
from autograder.diagnosis.bugs import BUGS_BY_ID


def test_mix(tmp_path: Path) -> None:
    kinds = write_class(tmp_path, n=200)
    counts = Counter("correct" if k == "correct" else "hostile" if k.startswith("hostile_") else "bug"
                     for k in kinds.values())
    assert len(kinds) == 200 == len(list(tmp_path.glob("*.py")))
    assert counts["correct"] > 150 and counts["bug"] == 30 and counts["hostile"] == len(HOSTILE)
    assert all(k in BUGS_BY_ID for k in kinds.values() if k != "correct" and not k.startswith("hostile_"))
    assert write_class(tmp_path / "again", n=200) == kinds  # seeded: the same class every run


def test_correct_mix(tmp_path: Path) -> None:
    """Every correct style (autograder/bench/correct/correct_*.py and the reference), nothing else."""
    kinds = write_class(tmp_path, n=20, mix="correct")
    assert set(kinds.values()) == {"correct"} and len(list(tmp_path.glob("*.py"))) == 20
    assert len({p.read_text() for p in tmp_path.glob("*.py")}) == len(correct_sources()) > 1
