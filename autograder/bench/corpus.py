"""A synthetic class for the benchmark: mostly correct submissions, some of the bug library's
variants, a few mildly hostile ones (an endless loop in one function, a syntax error, a
forbidden import)."""
from __future__ import annotations

import random
from pathlib import Path

from autograder.config import PACKAGE_DIR, SOLUTIONS_DIR
from autograder.diagnosis.bugs import BUGS, BUGS_BY_ID, patched_source

CORRECT_FIXTURES = PACKAGE_DIR.parent / "tests" / "submissions"
BUG_SHARE = 0.15
HOSTILE_SHARE = 0.005  # of each hostile kind, at least one each

HOSTILE = {
    "loop": "\n\ndef rnn_backward(da, caches):\n    while True:\n        pass\n",
    "syntax": "\n\ndef rnn_forward(x, a0, parameters:\n    return None\n",
    "forbidden": "\n\nimport torch\n",
}


def correct_sources() -> list[str]:
    """The reference, plus tests/submissions/correct_*.py where the checkout has them."""
    extra = sorted(CORRECT_FIXTURES.glob("correct_*.py")) if CORRECT_FIXTURES.is_dir() else []
    return [(SOLUTIONS_DIR / "rnn.py").read_text(encoding="utf-8"), *(p.read_text(encoding="utf-8") for p in extra)]


def write_class(folder: Path, *, n: int, seed: int = 0) -> dict[str, str]:
    """Write `n` submissions into `folder`; returns file name -> kind ("correct", a bug id, "hostile_…")."""
    rng = random.Random(seed)
    hostile = [f"hostile_{kind}" for kind in HOSTILE for _ in range(max(1, round(n * HOSTILE_SHARE)))]
    bugs = [rng.choice(BUGS).id for _ in range(round(n * BUG_SHARE))]
    kinds = (hostile + bugs)[:n]
    kinds += ["correct"] * (n - len(kinds))
    rng.shuffle(kinds)
    correct = correct_sources()
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for i, kind in enumerate(kinds):
        if kind == "correct":
            source = correct[i % len(correct)]
        elif kind.startswith("hostile_"):
            source = correct[0] + HOSTILE[kind.removeprefix("hostile_")]
        else:
            source = patched_source(BUGS_BY_ID[kind])
        name = f"student_{i:04d}.py"
        (folder / name).write_text(source, encoding="utf-8")
        written[name] = kind
    return written
