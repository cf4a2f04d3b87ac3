"""The grade of every submission fixture (scores, statuses and hints per question, status per
case), recorded before a refactoring of the grader and compared after it
(tests/questions/test_fixture_grades.py). Expected values: what the grader on main produced when
the record was made (`python -m tests.questions.fixture_grades` rewrites it).

The fixtures are those of tests/submissions/, graded as tests/core/test_submission_outcomes.py
grades them but with the diagnosis on, so that hints are compared too."""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
RECORD = HERE / "fixture_grades.json"


def fixture_paths() -> list[Path]:
    from tests.test_submission_fixtures import FIXTURES

    return list(FIXTURES)


def summary(result: Any) -> dict[str, Any]:
    """What must not change: per question score, max, status, hints and the status of each case."""
    return {"status": result.status, "questions": {
        q: {"score": r.score, "max_score": r.max_score, "status": r.status, "hints": list(r.hints),
            "cases": [[c.name, c.status] for c in r.cases]}
        for q, r in result.questions.items()}}


def grade_fixture(path: Path) -> dict[str, Any]:
    from autograder.core.grading import grade_submission
    from tests.core.test_submission_outcomes import fixture_config
    from tests.test_submission_fixtures import submission_source

    source, config = submission_source(path), fixture_config(path).with_overrides(diagnose=True)
    with tempfile.TemporaryDirectory() as tmp:
        submission = Path(tmp) / "submissions" / "rnn.py"
        submission.parent.mkdir()
        submission.write_bytes(source)
        result = grade_submission(submission, config=config, hidden=[str(submission.parent)])
    return summary(result)


def key(path: Path) -> str:
    return f"submissions/{path.name}"  # the correct_* fixtures moved to autograder/bench/correct/


def dump(record: dict[str, Any]) -> str:
    """One line per fixture, so that a change shows as the fixtures it changed."""
    lines = [f"{json.dumps(k)}: {json.dumps(record[k], sort_keys=True, ensure_ascii=False)}" for k in sorted(record)]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str]) -> int:
    paths = fixture_paths()
    if argv:
        paths = [p for p in paths if any(a in p.name for a in argv)]
    record = json.loads(RECORD.read_text()) if argv and RECORD.exists() else {}  # named ones: re-recorded
    for path in paths:
        record[key(path)] = grade_fixture(path)
        print(key(path), record[key(path)]["status"], file=sys.stderr, flush=True)
    RECORD.write_text(dump(record))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
