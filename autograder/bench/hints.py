"""`rnn-grader bench --hints DIR`: how well the feedback names mistakes, measured on a folder of
submissions that declare what they expect.

A file takes part when its header (its leading comment lines) has an `# expect:` line (the
statuses per question, tests/submissions/README.md); a bug file also declares, per buggy question,
the words a right hint contains, `;`-separated, matched case-insensitively:

    # hint: q4: dWax; +=

`# base: reference` files are graded as the reference with the file appended. `hostile_*` files are
never graded here. A buggy question gets the right hint when one of its hints contains every word;
a bug file gets a wrong hint when any hint anywhere (its other questions included) does not
contain its question's words; a correct file (every question `ok`, no hint line) should get no hint.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import SOLUTIONS_DIR
from autograder.core.results import SubmissionResult
from autograder.errors import UsageError
from autograder.questions import registry

HINT_RE = re.compile(r"^# hint: (q\d+): (.+?)\s*$")
EXPECT_RE = re.compile(r"^# expect: (.+?)\s*$")
BASE_RE = re.compile(r"^# base: (reference|none)\s*$")


@dataclass(frozen=True)
class HintSpec:
    """What one file declares: statuses per question, the words of the right hint per buggy question."""

    path: Path
    expect: dict[str, str]
    hints: dict[str, tuple[str, ...]]
    base: str = "none"

    @property
    def correct(self) -> bool:
        """Right wherever written (a part it leaves out: not_implemented)."""
        return not self.hints and "ok" in self.expect.values() and set(self.expect.values()) <= {"ok", "not_implemented"}

    def source(self) -> str:
        body = self.path.read_text(encoding="utf-8")
        return (SOLUTIONS_DIR / "rnn.py").read_text() + "\n\n" + body if self.base == "reference" else body


def expected_statuses(body: str, base: str) -> dict[str, str]:
    """The status of every registered question that an `# expect:` line's `body` declares:
    `qN=status` per question listed, `*=status` for the others; without `*`, a question not
    listed is expected "ok" on `base: reference` (the reference answers it) and "not_implemented"
    otherwise (the file does not define it), so that a new question rewrites no header."""
    listed = dict(item.split("=", 1) for item in body.split() if "=" in item)
    default = listed.pop("*", "ok" if base == "reference" else "not_implemented")
    return {q: listed.get(q, default) for q in registry.ids()}


def read_spec(path: Path) -> HintSpec | None:
    """The declarations of `path`, or None when it declares no `# expect:` line."""
    expect: str | None = None
    hints: dict[str, tuple[str, ...]] = {}
    base = "none"
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("#"):
            break
        if m := EXPECT_RE.match(line):
            expect = m[1]
        elif m := HINT_RE.match(line):
            hints[m[1]] = tuple(w.strip().lower() for w in m[2].split(";") if w.strip())
        elif m := BASE_RE.match(line):
            base = m[1]
    return None if expect is None else HintSpec(path, expected_statuses(expect, base), hints, base)


@dataclass
class HintScore:
    """Outcome of one file: the hints it got per question, and the verdicts."""

    spec: HintSpec
    hints: dict[str, list[str]]
    right: dict[str, bool] = field(default_factory=dict)  # per declared buggy question
    wrong: list[str] = field(default_factory=list)  # hints that name another mistake
    statuses: list[str] = field(default_factory=list)  # questions whose status is not the declared one
    hidden_failed: int = 0  # hidden cases that failed
    hidden_described: int = 0  # … and are described in their question's diagnostics

    @classmethod
    def of(cls, spec: HintSpec, result: SubmissionResult) -> "HintScore":
        hints = {q: list(r.hints) for q, r in result.questions.items() if r.hints}
        score = cls(spec, hints)
        for r in result.questions.values():
            # a function the file does not write is no failure to describe
            failed = [c for c in r.cases if c.hidden and c.status not in ("ok", "not_implemented")]
            score.hidden_failed += len(failed)
            score.hidden_described += sum(f"“{c.name}”" in "\n".join(r.diagnostics) for c in failed)
        score.statuses = [f"{q}={r.status} (declared {spec.expect[q]})" for q, r in result.questions.items()
                          if q in spec.expect and r.status != spec.expect[q]]
        for q, words in spec.hints.items():
            score.right[q] = any(all(w in h.lower() for w in words) for h in hints.get(q, []))
        for q, given in hints.items():
            words = spec.hints.get(q)
            score.wrong += [f"{q}: {h}" for h in given if words is None or not all(w in h.lower() for w in words)]
        return score


@dataclass
class HintBench:
    scores: list[HintScore]

    @property
    def buggy(self) -> list[HintScore]:
        return [s for s in self.scores if s.spec.hints]

    @property
    def correct(self) -> list[HintScore]:
        return [s for s in self.scores if s.spec.correct]

    def right_rate(self) -> float:
        verdicts = [v for s in self.buggy for v in s.right.values()]
        return sum(verdicts) / max(1, len(verdicts))

    def wrong_rate(self) -> float:
        return sum(bool(s.wrong) for s in self.buggy) / max(1, len(self.buggy))

    def correct_hint_rate(self) -> float:
        return sum(bool(s.hints) for s in self.correct) / max(1, len(self.correct))

    def described_rate(self) -> float:
        """Failed hidden cases (of every graded file) described in the feedback."""
        return sum(s.hidden_described for s in self.scores) / max(1, sum(s.hidden_failed for s in self.scores))

    def lines(self) -> list[str]:
        out = []
        for s in self.scores:
            missed = [q for q, ok in s.right.items() if not ok]
            if missed or s.wrong or s.statuses or (s.spec.correct and s.hints):
                out.append(f"{s.spec.path.name}: " + "; ".join(
                    [f"no right hint for {q} (got {len(s.hints.get(q, []))} hints)" for q in missed]
                    + [f"wrong hint {w[:160]}" for w in s.wrong]
                    + ([f"hint on a correct file: {s.hints}"] if s.spec.correct and s.hints else [])
                    + [f"status {x}" for x in s.statuses]))
        n_q = sum(len(s.right) for s in self.buggy)
        out.append(f"bench --hints: {len(self.buggy)} bug files ({n_q} buggy questions), "
                   f"{len(self.correct)} correct files: right hint {self.right_rate():.0%}, "
                   f"wrong hint {self.wrong_rate():.0%}, hint on correct files {self.correct_hint_rate():.0%}, "
                   f"failed hidden cases described {self.described_rate():.0%}")
        return out


def specs_in(folder: Path) -> list[HintSpec]:
    """The declaring submissions of `folder` (never hostile_* files)."""
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    specs = [read_spec(p) for p in sorted(folder.glob("*.py")) if not p.name.startswith("hostile_")]
    specs = [s for s in specs if s is not None and (s.hints or s.correct)]
    if not specs:
        raise UsageError(f"{folder} has no .py file with an '# expect:' header")
    return specs


def bench_hints(folder: Path) -> HintBench:
    """Grade every declaring file of `folder` (one after the other, one sandbox) and score the hints."""
    from autograder.core.grading import grade_source

    return HintBench([HintScore.of(spec, grade_source(spec.source(), submission=spec.path.stem))
                      for spec in specs_in(Path(folder))])
