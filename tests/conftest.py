"""Suite-wide: tests that read a hidden case by id (diagnosis, detectors) see one fixed draw of the
hidden cases, made as the grader makes a submission's (core/hidden.py) with a test secret; the
grading core installs each submission's own draw while it grades, and restores this one after."""
from __future__ import annotations

import pytest

from autograder.core.hidden import draw_hidden_cases
from autograder.questions import checks_module

TEST_SECRET = b"the test suite's course secret, not a real one"


@pytest.fixture(scope="session", autouse=True)
def drawn_hidden_cases():
    cases = draw_hidden_cases("the test suite", secret=TEST_SECRET)
    with checks_module().drawn_cases(cases):
        yield cases
