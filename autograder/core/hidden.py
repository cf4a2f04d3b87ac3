"""Hidden cases drawn per submission: each hidden case keeps its shape class (its question's case
specs in the registry: sizes, weight scale, γ, ...) and gets its inputs from a seed that an HMAC of
the course's secret derives from the submission's content, so the same file always gets the same
inputs and a changed file new ones; the expected values are the reference solution's, computed
here, in the grading process, by the question's `reference_case` (never stored: a student who saw
one grading's inputs has nothing to hard-code for the next). The build proves the reference
against torch autograd on many seeds of every class (build/question_files.py). Shapes as everywhere:
x: (n_x, m, T_x), a0: (n_a, m).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any, Collection

import numpy as np

from autograder.config import PACKAGE_DIR
from autograder.questions import registry

# The course's secret: made on first use (or by `rnn-grader build`), shipped in the grader's wheel
# and the Gradescope zip, never in git (.gitignore) or in the student release.
SECRET_PATH = PACKAGE_DIR / "course_secret.key"
_DOMAIN = b"rnn-grader hidden case v1\0"

Case = tuple[dict[str, np.ndarray], dict[str, np.ndarray]]  # (inputs, expected)


def course_secret(path: Path = SECRET_PATH) -> bytes:
    """The secret's bytes; created (32 random bytes, hex, mode 0600) if the file does not exist.
    Creation is exclusive, so two grading processes starting together agree on one secret."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
    text = path.read_text().strip()
    if len(text) < 32:  # a torn or emptied file must not become a guessable key
        raise RuntimeError(f"{path}: the course secret is shorter than 32 characters; delete it to make a new one")
    return text.encode()


def case_seed(secret: bytes, content: str, case_id: str) -> int:
    """The seed of hidden case `case_id` for a submission with this `content`."""
    digest = hmac.new(secret, _DOMAIN + hashlib.sha256(content.encode("utf-8", "surrogatepass")).digest()
                      + case_id.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def hidden_specs(questions: Collection[str] | None = None) -> tuple[Any, ...]:
    """The hidden case classes of every registered question, or of those in `questions` (each
    drawn by its `reference_case`)."""
    return tuple(spec for q in registry.questions() if questions is None or q.id in questions
                 for spec in registry.case_specs(q) if spec.hidden)


def reference_case(spec: Any, seed: int) -> Case:
    """(inputs, expected) of the case class `spec` at `seed`, by its question's `reference_case`
    (the reference computes the cache inputs and every expected output), as read-only arrays,
    the expected ones float64."""
    inputs, outputs = registry.resolve(registry.question(spec.question).reference_case)(spec, seed)
    expected = {k: np.array(v, dtype=np.float64 if np.asarray(v).dtype.kind == "f" else None)
                for k, v in outputs.items()}
    for array in (*inputs.values(), *expected.values()):
        array.flags.writeable = False
    return inputs, expected


def draw_hidden_cases(content: str, *, secret: bytes | None = None,
                      questions: Collection[str] | None = None) -> dict[str, Case]:
    """Every hidden case of a submission whose graded source is `content` (of `questions` only,
    when given: a case's draw depends on its id and the content alone, not on what else is drawn)."""
    key = course_secret() if secret is None else secret
    return {spec.id: reference_case(spec, case_seed(key, content, spec.id)) for spec in hidden_specs(questions)}
