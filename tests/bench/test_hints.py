"""`rnn-grader bench --hints`: the measurement of the feedback on bugs written independently of the
bug library (tests/submissions/bug_*.py with a `# hint:` line; DESIGN.md/issue 15 set the targets:
the right hint for at least 90 % of buggy questions, no wrong hint, no hint on a correct file, every
failed hidden case described) — and the measurement itself can fail."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from autograder.bench.hints import HintBench, bench_hints, read_spec
from autograder.cli import main
from autograder.config import SOLUTIONS_DIR
from autograder.diagnosis.bugs import BUGS
from autograder.grade.report import feedback
from autograder.questions import checks_module, registry
from tests.test_submission_fixtures import CORRECT_STYLES

SUBMISSIONS = Path(__file__).resolve().parents[1] / "submissions"


@lru_cache(maxsize=1)
def measured() -> HintBench:
    """The bug fixtures and the correct ones (which live in the package: autograder/bench/correct/)."""
    return HintBench([*bench_hints(SUBMISSIONS).scores, *bench_hints(CORRECT_STYLES).scores])


def test_targets_on_the_independently_written_bugs() -> None:
    bench = measured()
    assert len(bench.buggy) >= 15 and len(bench.correct) >= 4
    assert {q for s in bench.buggy for q in s.spec.hints} == {"q1", "q2", "q3", "q4", "q5"}
    assert bench.right_rate() >= 0.9, [s.spec.path.name for s in bench.buggy if not all(s.right.values())]
    assert bench.wrong_rate() == 0, [w for s in bench.buggy for w in s.wrong]
    assert bench.correct_hint_rate() == 0
    assert bench.described_rate() == 1
    assert all(not s.statuses for s in bench.scores), [s.statuses for s in bench.scores if s.statuses]


def test_no_fixture_is_a_library_variant() -> None:
    # their hints come from the detectors and the failure descriptions, never from the library
    library = {bug.hint for bug in BUGS}
    assert not [h for s in measured().buggy for given in s.hints.values() for h in given if h in library]


def test_the_measure_can_fail(tmp_path: Path, capsys) -> None:
    reference = (SOLUTIONS_DIR / "rnn.py").read_text()
    header = "# expect: q1=ok q2=ok q3=ok q4=failed q5=ok\n# base: none\n"
    buggy = reference.replace("        dWax += gradients[\"dWax\"]\n", "        dWax = gradients[\"dWax\"]\n")
    assert buggy != reference
    (tmp_path / "bug_declares_other_words.py").write_text(header + "# hint: q4: softmax\n# a bug\n" + buggy)
    (tmp_path / "correct_reference.py").write_text("# expect: q1=ok q2=ok q3=ok q4=ok q5=ok\n# base: none\n"
                                                   "# the reference\n" + reference)
    assert main(["bench", "--hints", str(tmp_path)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("bench --hints: 1 bug files (1 buggy questions), 1 correct files: right hint 0%, "
                           "wrong hint 100%, hint on correct files 0%")


def test_read_spec(tmp_path: Path) -> None:
    path = tmp_path / "bug_x.py"
    path.write_text("# expect: q1=ok q2=failed\n# base: reference\n# hint: q2: Yt_Pred ; y_pred\nimport numpy\n"
                    "# hint: q3: not in the header\n")
    spec = read_spec(path)
    # the questions not listed default to "ok" on `base: reference` (tests/submissions/README.md)
    assert spec.expect == {**dict.fromkeys(registry.ids(), "ok"), "q2": "failed"} and spec.base == "reference"
    assert spec.hints == {"q2": ("yt_pred", "y_pred")} and not spec.correct
    assert read_spec(tmp_path.joinpath("none.py")) is None if tmp_path.joinpath("none.py").write_text("x = 1\n") else False


def test_feedback_never_shows_a_hidden_value() -> None:
    """Every number of every hidden case's inputs and expected outputs (to 5 decimals) is absent from
    the feedback files of all the bug fixtures (DESIGN.md: nothing of a hidden case reaches students)."""
    from autograder.core.grading import grade_source

    checks = checks_module()
    for score in measured().buggy:
        result = grade_source(score.spec.source(), submission=score.spec.path.stem)
        text = feedback({**result.to_json(), "score": result.score, "max_score": result.max_score})
        text = re.sub(r"```.*?```", "", text, flags=re.S)  # the public cases' messages (their own values)
        for q, question in result.questions.items():
            if question.status == "ok":
                continue
            for case_id in {c for c in _case_ids(q)}:
                meta, inputs, expected = checks.load_case(case_id)
                if not meta["hidden"]:
                    continue
                values = np.concatenate([v.ravel() for v in (*inputs.values(), *expected.values())
                                         if v.dtype.kind == "f"])
                shown = [f"{v:.5f}" for v in values if abs(v) > 1e-3 and f"{v:.5f}" in text]
                assert not shown, (score.spec.path.name, case_id, shown[:3])


def _case_ids(question: str) -> list[str]:
    from tests.diagnosis.helpers import case_ids

    return case_ids(question)
