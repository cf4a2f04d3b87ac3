"""How well the hints work: grade every bug of the library as a submission and count how often
the reported hints name the right mistake (the lead reports these figures)."""
from __future__ import annotations

from autograder.diagnosis.bugs import BUGS, Bug, patched_source


def hint_outcome(bug: Bug) -> tuple[bool, bool]:
    """(the bug's own hint is reported for its question, some other hint is reported anywhere)."""
    from autograder.core.grading import grade_source  # the core imports this package

    result = grade_source(patched_source(bug), submission=bug.id)
    right = bug.hint in result.questions[bug.question].hints
    wrong = any(hint != bug.hint for q in result.questions.values() for hint in q.hints)
    return right, wrong


def hint_accuracy() -> tuple[float, float]:
    """(fraction of bug submissions given the right hint, fraction given a wrong hint)."""
    outcomes = [hint_outcome(bug) for bug in BUGS]
    return (sum(r for r, _ in outcomes) / len(outcomes), sum(w for _, w in outcomes) / len(outcomes))
