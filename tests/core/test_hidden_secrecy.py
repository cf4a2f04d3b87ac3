"""Nothing of a hidden case reaches a student, and what a grading showed cannot be reused.

A submission that prints every input its cells get: what it printed during hidden cases is kept in
the TA's results.jsonl (`hidden_output`) only — neither its feedback file nor its Gradescope
results.json holds any digits of a hidden case's inputs or expected values, while its public
prints are still shown. A second submission that hard-codes the q3 inputs the first one printed
(with the reference's answers, computed here) and a wrong backward as fallback loses q3's hidden
points, because a changed file gets new inputs; graded with the first file's draw, the same
lookup would have passed (so the test can fail)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from autograder.core import grading
from autograder.core.grading import grade_source
from autograder.core.hidden import draw_hidden_cases
from autograder.grade import grade_class
from autograder.questions import checks_module, registry
from autograder.gradescope import gradescope
from autograder.reference import load_reference
from tests.test_submission_fixtures import REFERENCE, SUBMISSIONS, submission_source

PRINTER = REFERENCE.read_text() + '''

import json as _json

_reference_backward = rnn_cell_backward


def _short(array):
    return [[float(v) for v in row] for row in np.atleast_2d(array)]


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    print("SEEN " + _json.dumps({"da_next": _short(da_next), "a_next": _short(a_next), "a_prev": _short(a_prev),
                                 "xt": _short(xt), **{k: _short(v) for k, v in parameters.items()}}))
    return _reference_backward(da_next, cache)
'''


def _seen(text: str) -> list[dict]:
    """The inputs printed (exactly: repr); a line cut by the record's cap is skipped."""
    seen = []
    for line in text.splitlines():
        try:
            seen.append(json.loads(line[5:]) if line.startswith("SEEN ") else None)
        except ValueError:
            pass
    return [entry for entry in seen if entry]


_NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")


def _digits(array: np.ndarray) -> set[str]:
    """The entries of `array` as a print shows them (repr, as json.dumps and f-strings write a
    float). Short reprs (a saturated tanh's 1.0) and values within 1e-9 of ±1 identify nothing
    and are left out; a 10-character prefix was not enough (public prints hold thousands of
    numbers, and a coincidence with one of them failed a run about once in twenty secrets)."""
    return {r for v in np.ravel(array) if abs(float(v)) > 1e-3 and abs(abs(float(v)) - 1) > 1e-9
            and len(r := repr(float(v))) >= 12}


def _printed(text: str) -> set[str]:
    """Every number written in `text`, as written."""
    return set(_NUMBER.findall(text))


def _hidden_digits(source: str) -> set[str]:
    """Digits of every hidden case's inputs and expected values, as the grader draws them for `source`."""
    return {d for inputs, expected in draw_hidden_cases(source).values()
            for array in (*inputs.values(), *expected.values()) if array.dtype.kind == "f"
            for d in _digits(array)}


def _graded(folder: Path, source: str) -> tuple[dict, str, str]:
    """(the TA's results.jsonl record, the student's feedback file, Gradescope's results.json as
    text) of `source` graded by `grade` and by `gradescope` in `folder`."""
    (folder / "submissions").mkdir()
    (folder / "submissions" / "student.py").write_text(source)
    grade_class(folder / "submissions", out_dir=folder / "out", jobs=1)
    record = json.loads((folder / "out" / "results.jsonl").read_text().splitlines()[-1])
    root = folder / "gradescope"
    for name in ("source", "submission", "results"):
        (root / name).mkdir(parents=True)
    (root / "submission" / "rnn.py").write_text(source)
    results = gradescope(root=root)
    return record, (folder / "out" / "feedback" / "student.md").read_text(), json.dumps(results, ensure_ascii=False)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    return _graded(tmp_path_factory.mktemp("class"), PRINTER)


def test_hidden_prints_go_to_the_ta_record_only(printed):
    record, feedback, results = printed
    assert record["score"] == sum(q.points for q in registry.questions())
    digits = _hidden_digits(PRINTER)
    assert len(digits) > 100
    # the TA's record has them (so the search below can find them)
    assert _seen(record["hidden_output"]) and digits & _printed(record["hidden_output"])
    for shown in (feedback, results, record["output"]):
        leaked = digits & _printed(shown)
        assert not leaked, sorted(leaked)[:5]
    # public prints are still shown to the student
    assert "SEEN" in feedback and "SEEN" in results


# The printer, and a thread started at import that prints the latest inputs it was given, on its
# own time (for at most 60 s): the hidden cases run in the worker that ran the public ones, so
# what it prints after the grader switched its output (before the first hidden request) must
# stay the TA's.
BACKGROUND_PRINTER = PRINTER + '''

import threading as _threading
import time as _time

_latest = None
_keep = rnn_cell_backward


def rnn_cell_backward(da_next, cache):
    global _latest
    a_next, a_prev, xt, parameters = cache
    _latest = "SEEN " + _json.dumps({"da_next": _short(da_next), "a_next": _short(a_next),
                                     "a_prev": _short(a_prev), "xt": _short(xt),
                                     **{k: _short(v) for k, v in parameters.items()}})
    return _keep(da_next, cache)


def _again():
    end, shown = _time.monotonic() + 60, None
    while _time.monotonic() < end:
        latest = _latest
        if latest is not shown:  # each input once: a flood would fill the record's cap
            print(latest, flush=True)
            shown = latest
        _time.sleep(0.0002)


_threading.Thread(target=_again, daemon=True).start()
'''


def test_a_thread_printing_hidden_inputs_reaches_the_ta_record_only(tmp_path):
    record, feedback, results = _graded(tmp_path, BACKGROUND_PRINTER)
    digits = _hidden_digits(BACKGROUND_PRINTER)
    assert digits & _printed(record["hidden_output"])  # it did print them (the search can fail)
    for shown in (feedback, results, record["output"]):
        leaked = digits & _printed(shown)
        assert not leaked, sorted(leaked)[:5]
    assert "SEEN" in record["output"]  # the public inputs it printed are the student's to see


def test_failure_messages_of_hidden_cases_show_no_value():
    wrong = REFERENCE.read_text().replace("dtanh = (1 - a_next**2) * da_next", "dtanh = (1 - a_next) * da_next")
    assert wrong != REFERENCE.read_text()
    result = grade_source(wrong)
    hidden = [c for c in result.questions["q3"].cases if c.hidden]
    assert hidden and all(c.status == "failed" for c in hidden)
    text = "\n".join([c.message for c in hidden] + result.questions["q3"].diagnostics + result.questions["q3"].hints)
    assert not _hidden_digits(wrong) & _printed(text)
    assert not re.search(r"expected -?\d", "\n".join(c.message for c in hidden))


def _hard_coder(seen: list[dict]) -> str:
    """A submission whose rnn_cell_backward answers the inputs `seen` from a table (the reference's
    answers) and uses a wrong derivative otherwise."""
    ref = load_reference()
    table = []
    for entry in seen:
        params = {k: np.array(entry[k]) for k in ("Wax", "Waa", "Wya", "ba", "by")}
        cache = (np.array(entry["a_next"]), np.array(entry["a_prev"]), np.array(entry["xt"]), params)
        grads = ref.rnn_cell_backward(np.array(entry["da_next"]), cache)
        table.append([entry["da_next"], {k: v.tolist() for k, v in grads.items()}])
    wrong = REFERENCE.read_text().replace("dtanh = (1 - a_next**2) * da_next", "dtanh = (1 - a_next) * da_next")
    return wrong.replace("def rnn_cell_backward(", "def _fallback_backward(", 1) + f'''

import json as _json

_TABLE = _json.loads({json.dumps(json.dumps(table))})


def rnn_cell_backward(da_next, cache):
    for seen_da_next, grads in _TABLE:
        if np.shape(seen_da_next) == da_next.shape and np.allclose(seen_da_next, da_next, rtol=1e-8, atol=0):
            return {{k: np.array(v) for k, v in grads.items()}}
    return _fallback_backward(da_next, cache)
'''


def test_hard_coding_inputs_seen_in_a_previous_grading_loses_the_hidden_points(printed, monkeypatch):
    record, _, _ = printed
    hidden_q3 = [e for e in _seen(record["hidden_output"])]
    assert hidden_q3
    cheat = _hard_coder(hidden_q3)
    result = grade_source(cheat)
    hidden = [c for c in result.questions["q3"].cases if c.hidden]
    assert hidden and all(c.status == "failed" for c in hidden)
    # control: had the inputs not changed with the file, the table would have answered every
    # case whose inputs the record kept whole (the record caps what it keeps of the output)
    first_draw = draw_hidden_cases(PRINTER)
    kept = {f"q3 hidden: {meta['title']}" for cid, meta in checks_module().cases().items()
            if cid.startswith("q3/") and cid in first_draw
            and any(np.shape(e["da_next"]) == first_draw[cid][0]["da_next"].shape
                    and np.array_equal(e["da_next"], first_draw[cid][0]["da_next"]) for e in hidden_q3)}
    assert kept
    monkeypatch.setattr(grading, "draw_hidden_cases", lambda source, **_: first_draw)
    replayed = grade_source(cheat)
    assert all(c.status == "ok" for c in replayed.questions["q3"].cases if c.name in kept)


def test_state_kept_from_a_hidden_case_never_reaches_a_public_one(tmp_path):
    """The fixture keeps hidden q3 inputs in a global and raises and prints them in q4's public
    case (expected outcome: its header, every question ok — a grader that ran the public case in
    the worker that had seen hidden cases failed q4 with the inputs in its message)."""
    source = submission_source(SUBMISSIONS / "hostile_hidden_inputs_into_public_case.py").decode()
    record, feedback, results = _graded(tmp_path, source)
    assert record["score"] == sum(q.points for q in registry.questions())
    q3_hidden = [inputs["da_next"] for cid, (inputs, _) in draw_hidden_cases(source).items() if cid.startswith("q3/")]
    assert q3_hidden
    for shown in (feedback, results, record["output"]):
        assert "LEAK" not in shown
        assert not {d for array in q3_hidden for d in _digits(array)} & _printed(shown)
