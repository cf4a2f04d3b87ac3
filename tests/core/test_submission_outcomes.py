"""Every submission fixture (correct_*, bug_*, and the adversarial suite hostile_*) is graded
through the real core and sandbox and must produce exactly the per-question statuses its header
declares, full marks exactly where "ok"; a correct submission graded right after each one still
gets full marks. (Expected outcomes: each fixture's `# expect:` header, tests/submissions/README.md.)"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from autograder.config import DEFAULT_CONFIG, GraderConfig
from autograder.core.grading import default_sandbox, grade_source, grade_submission
from tests.test_submission_fixtures import FIXTURES, IDS, REFERENCE, header_lines, parse_header, submission_source

CONFIG = DEFAULT_CONFIG.with_overrides(call_timeout=2.0, import_timeout=3.0, submission_timeout=40.0,
                                       diagnose=False)
REPO = Path(__file__).resolve().parents[2]


def fixture_config(path: Path) -> GraderConfig:
    """CONFIG, with the limits a fixture's optional `# config: name=value ...` header line sets
    (e.g. a lower memory limit, so that a memory attack reaches it well within its call's time)."""
    line = next((line for line in header_lines(path)[:5] if line.startswith("# config:")), "# config:")
    overrides = dict(item.split("=") for item in line.removeprefix("# config:").split())
    return CONFIG.with_overrides(**{k: int(v) if v.isdigit() else float(v) for k, v in overrides.items()})


def _isolation() -> str:
    grade_source(REFERENCE.read_text(), config=CONFIG)
    return default_sandbox().isolation


def _forged(dirs: list[Path]) -> list[Path]:
    return [p for d in dirs if d.is_dir() for p in d.glob("HOSTILE_FORGED_*")]


@pytest.mark.parametrize("path", FIXTURES, ids=IDS)
def test_fixture_outcome(path: Path, tmp_path: Path) -> None:
    expected, _ = parse_header(path)
    if any(line.startswith("# sandbox-only") for line in header_lines(path)[:3]) and _isolation() == "none":
        pytest.skip("needs namespaces (root or user namespaces) to contain this fixture safely")
    submission = tmp_path / "submissions" / "rnn.py"
    out = tmp_path / "out"
    submission.parent.mkdir()
    out.mkdir()
    submission.write_bytes(submission_source(path))

    result = grade_submission(submission, config=fixture_config(path), hidden=[str(submission.parent), str(out)])

    got = {q: r.status for q, r in result.questions.items()}
    assert got == expected, {q: r.cases[0].message for q, r in result.questions.items() if r.status != "ok"}
    for q, status in expected.items():
        r = result.questions[q]
        assert (r.score == r.max_score) == (status == "ok"), (q, r.score, r.max_score)
    assert len(result.output) <= CONFIG.output_limit + 200  # capped, plus the dropped-bytes note

    if "daemon" in path.name:
        time.sleep(4)  # the daemon would try to write after ~3 s, had it survived
        assert _forged([tmp_path, out, submission.parent, Path("/tmp"), REPO]) == []

    after = grade_source(REFERENCE.read_text(), config=CONFIG)
    assert after.score == after.max_score, "a correct submission graded right after must get full marks"
