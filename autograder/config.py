"""Typed grader configuration: limits of the sandbox and grading policy, set by the instructor."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

PACKAGE_DIR = Path(__file__).resolve().parent
QUESTIONS_DIR = PACKAGE_DIR / "questions"
SOLUTIONS_DIR = PACKAGE_DIR.parent / "solutions"
# The questions, their parts and what each grades: the registry (autograder/questions/registry.py).


@dataclass(frozen=True)
class GraderConfig:
    """Limits and policy for grading one submission (every field has a safe default)."""

    call_timeout: float = 10.0  # wall-clock seconds for one call of a student function
    submission_timeout: float = 60.0  # wall-clock seconds for a whole submission
    import_timeout: float = 10.0  # wall-clock seconds to import the submission
    memory_mb: int = 1024  # address space of a worker
    cpu_seconds: int = 60  # CPU time of a worker
    max_file_mb: int = 8  # largest file a worker may write
    max_processes: int = 32  # processes/threads a worker may have (RLIMIT_NPROC)
    output_limit: int = 64 * 1024  # bytes of printed output kept per submission
    max_py_mb: float = 2.0  # largest .py submission read (a larger one is refused, with a row)
    max_notebook_mb: float = 25.0  # largest .ipynb read (outputs and plots make notebooks big)
    forbidden_imports: tuple[str, ...] = ("torch", "tensorflow", "jax", "autograd")
    hidden_paths: tuple[str, ...] = field(default_factory=tuple)  # also hidden from workers
    diagnose: bool = True  # bug-library hints, per-time-step tables, gradient checks
    # "auto": the strongest isolation the OS allows; "none": no namespaces, only limits and the
    # process sweep (what macOS and locked-down Linux get; forced to test that fallback)
    isolation: Literal["auto", "none"] = "auto"

    def __post_init__(self) -> None:
        if self.isolation not in ("auto", "none"):
            raise ValueError(f"isolation must be 'auto' or 'none', not {self.isolation!r}")

    def max_submission_bytes(self, path: Path) -> int:
        """The size limit of a submission file, by its kind."""
        mb = self.max_notebook_mb if path.suffix.lower() == ".ipynb" else self.max_py_mb
        return int(mb * 2**20)

    def with_overrides(self, **overrides: Any) -> "GraderConfig":
        """A copy with the given fields replaced (e.g. from JSON: lists become tuples); None values
        and unknown names are ignored."""
        known = {f.name for f in fields(self)}
        return replace(self, **{k: tuple(v) if isinstance(v, list) else v
                                for k, v in overrides.items() if v is not None and k in known})

    def allowing(self, *libraries: str) -> "GraderConfig":
        """The same policy with `libraries` no longer forbidden (the instructor's choice)."""
        return replace(self, forbidden_imports=tuple(n for n in self.forbidden_imports if n not in libraries))


DEFAULT_CONFIG = GraderConfig()
