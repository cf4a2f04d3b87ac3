"""Generated classes: the synthetic one of the benchmark (mostly correct submissions, some of the
bug library's variants, a few mildly hostile ones: an endless loop in one function, a syntax error,
a forbidden library used) and the small sample class that `rnn-grader grade --sample` grades."""
from __future__ import annotations

import json
import random
from pathlib import Path

from autograder.config import PACKAGE_DIR, SOLUTIONS_DIR
from autograder.diagnosis.bugs import BUGS, BUGS_BY_ID, patched_source

CORRECT_STYLES = PACKAGE_DIR / "bench" / "correct"  # in the package: a wheel has no tests/
BUG_SHARE = 0.15
HOSTILE_SHARE = 0.005  # of each hostile kind, at least one each

HOSTILE = {
    "loop": "\n\ndef rnn_backward(da, caches):\n    while True:\n        pass\n",
    "syntax": "\n\ndef rnn_forward(x, a0, parameters:\n    return None\n",
    "forbidden": "\n\ndef rnn_backward(da, caches):\n    import torch\n    return torch.zeros(1)\n",
}


def correct_sources() -> list[str]:
    """The reference, plus every correct style of autograder/bench/correct/."""
    extra = sorted(CORRECT_STYLES.glob("correct_*.py"))
    return [(SOLUTIONS_DIR / "rnn.py").read_text(encoding="utf-8"), *(p.read_text(encoding="utf-8") for p in extra)]


# The sample class: student -> (what it is, where its code comes from).
SAMPLE_CLASS = {
    "amara_coursera.py": ("correct, Coursera-notebook style, with the clip and LSTM parts (q7, q8, q13, q14 "
                          "not written)", "correct_coursera_lstm.py"),
    "bruno_einsum.py": ("correct, np.einsum and its own softmax; part rnn only (q6–q14 not written)",
                        "correct_einsum.py"),
    "chen_dtanh.py": ("tanh derivative written (1 - a_next): loses q3", "q3_dtanh_one_minus_a"),
    "dana_no_da_prevt.py": ("BPTT without da_prevt: loses most of q4", "q4_no_da_prevt"),
    "emil_softmax_matrix.py": ("the source document's softmax: loses most of q1", "q1_softmax_whole_matrix"),
    "fatima_notebook.ipynb": ("correct, submitted as the notebook", "notebook"),
}


def write_sample_class(folder: Path) -> dict[str, str]:
    """Write the sample class into `folder` (student file -> what it is): two correct styles of
    autograder/bench/correct/, three bug-library variants
    and the student notebook with the reference's code in its cells."""
    from autograder.build.release import make_notebook  # nbformat: only needed here

    folder.mkdir(parents=True, exist_ok=True)
    reference = (SOLUTIONS_DIR / "rnn.py").read_text(encoding="utf-8")
    for name, (_, origin) in SAMPLE_CLASS.items():
        if origin == "notebook":
            handout = (SOLUTIONS_DIR / "handout.md").read_text(encoding="utf-8")
            text = json.dumps(make_notebook(handout_md=handout, stub_source=reference), indent=1)
        elif origin in BUGS_BY_ID:
            text = patched_source(BUGS_BY_ID[origin])
        else:
            text = (CORRECT_STYLES / origin).read_text(encoding="utf-8")
        (folder / name).write_text(text, encoding="utf-8")
    return {name: what for name, (what, _) in SAMPLE_CLASS.items()}


MIXES = ("realistic", "correct")


def write_class(folder: Path, *, n: int, seed: int = 0, mix: str = "realistic") -> dict[str, str]:
    """Write `n` submissions into `folder`; returns file name -> kind ("correct", a bug id, "hostile_…").
    The "correct" mix has only correct submissions, in every style of `correct_sources`."""
    if mix not in MIXES:
        raise ValueError(f"unknown mix {mix!r}: one of {', '.join(MIXES)}")
    rng = random.Random(seed)
    hostile = [f"hostile_{kind}" for kind in HOSTILE for _ in range(max(1, round(n * HOSTILE_SHARE)))]
    bugs = [rng.choice(BUGS).id for _ in range(round(n * BUG_SHARE))]
    kinds = (hostile + bugs)[:n] if mix == "realistic" else []
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
