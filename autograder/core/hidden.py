"""Hidden cases drawn per submission: each hidden case keeps its shape class (autograder/fixtures/
cases.py: sizes, weight scale) and gets its inputs from a seed that an HMAC of the course's secret
derives from the submission's content, so the same file always gets the same inputs and a changed
file new ones; the expected values are the reference solution's, computed here, in the grading
process (never stored: a student who saw one grading's inputs has nothing to hard-code for the
next). The build proves the reference against torch autograd on many seeds of every class
(fixtures/make.py). Shapes as everywhere: x: (n_x, m, T_x), a0: (n_a, m).
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import secrets
from pathlib import Path
import numpy as np

from autograder.config import PACKAGE_DIR
from autograder.fixtures.cases import CASES, CaseSpec, batch_major_inputs, column_major_inputs
from autograder.questions import registry
from autograder.reference import load_reference

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
    """The RandomState seed of hidden case `case_id` for a submission with this `content`."""
    digest = hmac.new(secret, _DOMAIN + hashlib.sha256(content.encode("utf-8", "surrogatepass")).digest()
                      + case_id.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def hidden_specs() -> tuple[CaseSpec, ...]:
    return tuple(spec for spec in CASES if spec.hidden)


def reference_case(spec: CaseSpec, seed: int) -> Case:
    """(inputs, expected) of the case class `spec` at `seed`: drawn as cases.py draws, the cache
    inputs of the backward questions (a_next for q3, the forward pass a for q4) and every expected
    output from the reference solution, in the keys its driver returns."""
    spec = dataclasses.replace(spec, seed=seed)
    ref = load_reference()
    if spec.question == "q5":
        inputs = batch_major_inputs(spec)
    else:
        inputs = column_major_inputs(spec)
        params = {k: inputs[k] for k in ("Wax", "Waa", "Wya", "ba", "by")}
        if spec.question == "q3":
            inputs["a_next"] = ref.rnn_cell_forward(inputs["xt"], inputs["a_prev"], params)[0]
        elif spec.question == "q4":
            inputs["a"] = ref.rnn_forward(inputs["x"], inputs["a0"], params)[0]
    question = registry.question(spec.question)
    outputs = registry.resolve(question.driver)({question.target: getattr(ref, question.target)}, inputs)
    expected = {k: np.array(v, dtype=np.float64 if np.asarray(v).dtype.kind == "f" else None)
                for k, v in outputs.items()}
    for array in (*inputs.values(), *expected.values()):
        array.flags.writeable = False
    return inputs, expected


def draw_hidden_cases(content: str, *, secret: bytes | None = None) -> dict[str, Case]:
    """Every hidden case of a submission whose graded source is `content`."""
    key = course_secret() if secret is None else secret
    return {spec.id: reference_case(spec, case_seed(key, content, spec.id)) for spec in hidden_specs()}
