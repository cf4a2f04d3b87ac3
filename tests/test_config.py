"""The grader configuration: overrides from JSON (as the batch pool passes it) and the instructor's
choice to allow a forbidden library."""
from __future__ import annotations

import json
from dataclasses import asdict

from autograder.config import DEFAULT_CONFIG
from autograder.core.grading import grade_source
from tests.test_submission_fixtures import SUBMISSIONS, submission_source


def test_config_survives_a_json_round_trip():
    config = DEFAULT_CONFIG.with_overrides(call_timeout=3.0).allowing("jax")
    again = DEFAULT_CONFIG.with_overrides(**json.loads(json.dumps(asdict(config))))
    assert again == config and "jax" not in again.forbidden_imports and "torch" in again.forbidden_imports


def test_an_allowed_library_is_graded_normally():
    """hostile_torch_in_rnn_backward.py is forbidden by default (its header); allowed, its torch
    autograd answer is right (the expected values are torch's own)."""
    source = submission_source(SUBMISSIONS / "hostile_torch_in_rnn_backward.py").decode()
    allowed = grade_source(source, config=DEFAULT_CONFIG.allowing("torch"))
    assert allowed.questions["q4"].status == "ok"
    assert grade_source(source).questions["q4"].status == "forbidden"
