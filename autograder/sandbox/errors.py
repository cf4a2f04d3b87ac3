"""How a call into the sandbox ends when it does not return an answer: one exception with a
status (the names of core.results.STATUSES), and the statuses a worker may report itself."""
from __future__ import annotations

# What a worker may say about a call that raised (anything else it says counts as "failed"):
# whether the error was a NotImplementedError, a forbidden library or a MemoryError is read in
# the worker, from the exception's type.
CALL_STATUSES = ("failed", "not_implemented", "forbidden", "memory")
# What a worker may say about importing the submission (anything else counts as "crashed").
LOAD_STATUSES = ("syntax_error", "forbidden", "memory")


class StudentError(Exception):
    """A call into the submission did not return an answer: `status` says why (see results.STATUSES)."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


def reported(status: object, message: object, allowed: tuple[str, ...] = CALL_STATUSES,
             otherwise: str = "failed") -> StudentError:
    """The StudentError a worker's report (untrusted: any status, any message) stands for."""
    return StudentError(status if status in allowed else otherwise, str(message)[:500])


class RefusedArguments(Exception):
    """Raised by a callback whose arguments no correct caller would pass: the callback does not
    run, and the request it came in ends as a wrong answer with this message."""
