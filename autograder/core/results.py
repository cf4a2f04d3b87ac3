"""What grading produces: plain dataclasses that serialise to the JSON every entry point writes.

They are also the boundary for untrusted text: every string a submission or an export controls
(printed output, exception text, names, metadata) passes `inert_text` on its way into a result,
so every record is valid UTF-8 JSON and no later writer has to repair it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Worst first: a question's status is the worst status among its cases, a submission's the worst
# among its questions. "refused" (a symlink, a file over the size limit) and "unreadable" (not
# UTF-8, broken notebook JSON, no single candidate file) are inputs that were never run;
# "not_implemented" (not attempted) ranks below "failed", so a row whose only problem is a
# question left out reads "not_implemented", not like a crash.
STATUSES = (
    "refused",
    "unreadable",
    "syntax_error",
    "crashed",
    "timeout",
    "memory",
    "forbidden",
    "failed",
    "not_implemented",
    "ok",
)
TEXT_LIMIT = 4000  # characters of one message, name or metadata value kept
OUTPUT_CAP = 8000  # characters of a submission's printed output kept in a record and shown to a student
# C0/C1 controls but tab and newline (terminal escapes, NUL, carriage returns that overwrite a
# line), bidirectional overrides (text that reads differently than it is), lone surrogates
# (what a non-UTF-8 file name or a crafted exception decodes to; not encodable as UTF-8).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def inert_text(value: object, limit: int = TEXT_LIMIT) -> str:
    """`value` as valid, printable text: unsafe characters become U+FFFD, CRLF becomes LF, and
    at most `limit` characters are kept (with a note of how many were dropped)."""
    text = value if type(value) is str else str(value)
    text = _UNSAFE.sub("\ufffd", text.replace("\r\n", "\n"))
    if len(text) > limit:
        text = text[:limit] + f"… [{len(text) - limit} more characters not kept]"
    return text


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

    def __post_init__(self) -> None:
        self.message = inert_text(self.message)

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

    def __post_init__(self) -> None:
        self.hints = [inert_text(h) for h in self.hints]
        self.diagnostics = [inert_text(d, 4 * TEXT_LIMIT) for d in self.diagnostics]


@dataclass
class SubmissionResult:
    """The grade of one submission: per question, plus what the submission printed."""

    submission: str
    status: str
    questions: dict[str, QuestionResult]
    output: str = ""  # what it printed, except while hidden cases ran: students may see this
    message: str = ""
    execution_time: float = 0.0
    identity: dict[str, str] = field(default_factory=dict)
    # How the worker was isolated: "root", "userns" or "none" (README: what the sandbox guarantees)
    isolation: str = ""
    # What it printed while hidden cases ran: for the TA's record (results.jsonl) only, never in
    # anything a student reads (it could show a hidden case's inputs)
    hidden_output: str = ""

    def __post_init__(self) -> None:
        self.submission = inert_text(self.submission, 200)
        self.output = inert_text(self.output, 1 << 20)  # already capped by the sandbox
        self.hidden_output = inert_text(self.hidden_output, 1 << 20)
        self.message = inert_text(self.message)
        self.identity = {inert_text(k, 20): inert_text(v, 500) for k, v in self.identity.items()}

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
