"""What grading produces: plain dataclasses that serialise to the JSON every entry point writes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Worst first: a question's status is the worst status among its cases, a submission's the worst
# among its questions.
STATUSES = (
    "syntax_error",
    "crashed",
    "timeout",
    "memory",
    "forbidden",
    "not_implemented",
    "failed",
    "ok",
)


def worst_status(statuses: list[str] | tuple[str, ...]) -> str:
    """The most severe of `statuses` (by STATUSES order); "ok" for an empty list."""
    return min(statuses, key=STATUSES.index, default="ok")


@dataclass
class CaseResult:
    """One otter test case run against one submission."""

    name: str
    hidden: bool
    points: float
    max_points: float
    status: str
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "ok"


@dataclass
class QuestionResult:
    """All cases of one question, with the diagnosis of a failure."""

    name: str
    score: float
    max_score: float
    status: str
    cases: list[CaseResult] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)


@dataclass
class SubmissionResult:
    """The grade of one submission: per question, plus what the submission printed."""

    submission: str
    status: str
    questions: dict[str, QuestionResult]
    output: str = ""
    message: str = ""
    execution_time: float = 0.0
    identity: dict[str, str] = field(default_factory=dict)
    # How the worker was isolated: "root", "userns" or "none" (README: what the sandbox guarantees)
    isolation: str = ""

    @property
    def score(self) -> float:
        return sum(q.score for q in self.questions.values())

    @property
    def max_score(self) -> float:
        return sum(q.max_score for q in self.questions.values())

    def to_json(self) -> dict[str, Any]:
        """A fresh plain dict (every case also gets "passed"); written out for every submission,
        so by hand: dataclasses.asdict's deep copy was a fifth of a grading process's own time."""
        return {**vars(self), "identity": dict(self.identity), "questions": {
            name: {**vars(q), "hints": list(q.hints), "diagnostics": list(q.diagnostics),
                   "cases": [{**vars(c), "passed": c.status == "ok"} for c in q.cases]}
            for name, q in self.questions.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SubmissionResult":
        questions = {
            name: QuestionResult(
                **{**q, "cases": [CaseResult(**{k: v for k, v in c.items() if k != "passed"}) for c in q["cases"]]}
            )
            for name, q in data["questions"].items()
        }
        return cls(**{**data, "questions": questions})
