"""A question family defined only in this test — an affine layer's forward (q91) and backward
(q92), with its own torch oracle and two bugs — registered (by the registry's
RNN_GRADER_FAMILIES, which grading processes inherit) and graded end to end through the sandbox
by the `check`, `grade` and `gradescope` paths, with no edit outside this file.

Expected values: torch autograd (`torch_oracle`, computed when the cases are first read); points:
the ones this family declares."""
from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from autograder.questions import registry
from autograder.questions.registry import Case, Family, Question

MODULE = __name__  # the zygote imports the drivers from here

SOLUTION = '''

def affine_forward(x, W, b):
    """x: (n_in, m), W: (n_out, n_in), b: (n_out, 1) -> out: (n_out, m)."""
    return W @ x + b


def affine_backward(dout, x, W):
    """dout: (n_out, m) -> {"dx": (n_in, m), "dW": (n_out, n_in), "db": (n_out, 1)}."""
    return {"dx": W.T @ dout, "dW": dout @ x.T, "db": dout.sum(axis=1, keepdims=True)}
'''
# Two realistic mistakes, each appended to the correct file (the later definition wins).
BUGS = {
    "bias_forgotten": "\n\ndef affine_forward(x, W, b):\n    return W @ x\n",
    "db_over_features": "\n\n_right = affine_backward\n\n"
                        "def affine_backward(dout, x, W):\n"
                        "    grads = _right(dout, x, W)\n"
                        "    return {**grads, 'db': dout.sum(axis=0, keepdims=True).T[:dout.shape[0]]}\n",
}
SHAPES = (  # name, hidden, (n_in, n_out, m), seed
    ("documented", False, (3, 2, 4), 0),
    ("m1", True, (4, 3, 1), 1),
    ("wide", True, (6, 2, 5), 2),
)


def run_forward(functions: dict[str, Callable], inputs: dict[str, np.ndarray]) -> dict[str, Any]:
    """Driver of q91 (runs in the worker)."""
    return {"out": functions["affine_forward"](inputs["x"].copy(), inputs["W"].copy(), inputs["b"].copy())}


def run_backward(functions: dict[str, Callable], inputs: dict[str, np.ndarray]) -> dict[str, Any]:
    """Driver of q92 (runs in the worker)."""
    grads = functions["affine_backward"](inputs["dout"].copy(), inputs["x"].copy(), inputs["W"].copy())
    return {k: grads[k] for k in ("dx", "dW", "db")}


def torch_oracle(question: str, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    import torch

    x, W, b = (torch.tensor(inputs[k], requires_grad=True) for k in ("x", "W", "b"))
    out = W @ x + b
    if question == "q91":
        return {"out": out.detach().numpy()}
    out.backward(torch.tensor(inputs["dout"]))
    return {"dx": x.grad.numpy(), "dW": W.grad.numpy(), "db": b.grad.numpy()}


def toy_cases(question: str, drawn: object) -> tuple[Case, ...]:
    """The cases of q91 or q92 (fixed: this family draws nothing per submission, so `drawn`,
    the grader's per-submission draw of the hidden cases, is not read)."""
    return _toy_cases(question)


@lru_cache(maxsize=None)
def _toy_cases(question: str) -> tuple[Case, ...]:
    cases = []
    for name, hidden, (n_in, n_out, m), seed in SHAPES:
        rng = np.random.RandomState(seed)
        inputs = {"x": rng.randn(n_in, m), "W": rng.randn(n_out, n_in), "b": rng.randn(n_out, 1)}
        if question == "q92":
            inputs["dout"] = rng.randn(n_out, m)
        for array in inputs.values():
            array.flags.writeable = False
        title = f"n_in={n_in}, n_out={n_out}, m={m}"
        cases.append(Case(f"{question}/{name}", question, title, hidden, inputs, torch_oracle(question, inputs)))
    return tuple(cases)


FAMILY = Family(
    part="affine", submission="rnn.py", reference=MODULE,
    questions=(
        Question("q91", "affine_forward", 4, f"{MODULE}:run_forward", "an affine layer's forward",
                 cases=f"{MODULE}:toy_cases"),
        Question("q92", "affine_backward", 6, f"{MODULE}:run_backward", "its gradients", forward="q91",
                 cases=f"{MODULE}:toy_cases"),
    ),
)
REFERENCE = (Path(__file__).resolve().parents[2] / "solutions" / "rnn.py").read_text()
EXPECTED = {  # submission -> (q91 status, q92 status); the rnn questions get full marks in each
    "correct": ("ok", "ok"),
    "bias_forgotten": ("failed", "ok"),
    "db_over_features": ("ok", "failed"),
}


def source(kind: str) -> str:
    return REFERENCE + SOLUTION + BUGS.get(kind, "")


@pytest.fixture(autouse=True)
def toy_registered(monkeypatch):
    monkeypatch.setenv(registry.EXTRA_FAMILIES, MODULE)
    assert registry.ids()[-2:] == ("q91", "q92")


def _check_scores(scores: dict[str, tuple[str, float, float]], kind: str) -> None:
    forward, backward = EXPECTED[kind]
    assert (scores["q91"][0], scores["q92"][0]) == (forward, backward)
    for q in ("q91", "q92"):
        status, score, top = scores[q]
        assert (score == top) == (status == "ok"), (q, scores[q])
    assert (scores["q91"][2], scores["q92"][2]) == (4, 6)
    assert all(scores[q][0] == "ok" for q in registry.parts()["rnn"])


@pytest.mark.parametrize("kind", EXPECTED)
def test_check_path(kind, tmp_path):
    from autograder.check import check

    path = tmp_path / "rnn.py"
    path.write_text(source(kind))
    result = check(path)
    scores = {q: (r.status, r.score, r.max_score) for q, r in result.questions.items()}
    # check runs the public case only: its points are the public case's share
    assert [c.hidden for c in result.questions["q91"].cases] == [False]
    forward, backward = EXPECTED[kind]
    assert (scores["q91"][0], scores["q92"][0]) == (forward, backward)
    assert all(scores[q][0] == "ok" for q in registry.parts()["rnn"])


def test_grade_path(tmp_path):
    from autograder.grade import grade_class

    folder = tmp_path / "class"
    folder.mkdir()
    for kind in EXPECTED:
        (folder / f"{kind}.py").write_text(source(kind))
    summary = grade_class(folder, out_dir=tmp_path / "out", jobs=1, progress=False)
    records = {r["submission"]: r for r in summary.records}
    for kind in EXPECTED:
        qs = records[kind]["questions"]
        _check_scores({q: (v["status"], v["score"], v["max_score"]) for q, v in qs.items()}, kind)
    with open(tmp_path / "out" / "grades.csv", newline="") as f:
        header = next(csv.reader(f))
    assert "q91" in header and "q92" in header


@pytest.mark.parametrize("kind", EXPECTED)
def test_gradescope_path(kind, tmp_path):
    from autograder.gradescope import gradescope

    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "rnn.py").write_text(source(kind))
    data = gradescope(root=tmp_path)
    written = json.loads((tmp_path / "results" / "results.json").read_text())
    assert written == data
    names = " ".join(t.get("name", "") for t in data["tests"])
    assert "q91" in names and "q92" in names
    total = sum(q.points for q in registry.questions())
    lost = {"correct": 0, "bias_forgotten": 4, "db_over_features": 6}[kind]
    assert data["score"] == pytest.approx(total - lost)
