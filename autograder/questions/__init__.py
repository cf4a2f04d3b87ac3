"""The questions: otter test files q1.py–q5.py (generated from autograder/fixtures/cases.py) and,
in support/, rnn_checks.py (runs and compares a case) and the fixtures it reads (fixtures.npz,
fixtures.json). support/ is a subfolder because otter runs every tests/*.py as a test file."""
from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from autograder.config import QUESTIONS_DIR


def checks_module(directory: Path = QUESTIONS_DIR) -> ModuleType:
    """rnn_checks.py of `directory`, the same module instance the test files there use."""
    path = (directory / "support" / "rnn_checks.py").resolve()
    key = f"rnn_checks@{path}"  # the key the generated test files use
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, path)
        sys.modules[key] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[key])
    return sys.modules[key]


@lru_cache(maxsize=None)
def test_file(question: str, directory: Path = QUESTIONS_DIR) -> "ExceptionTestFile":  # noqa: F821
    """The parsed otter test file of `question` (points resolved by otter itself)."""
    from otter.test_files.exception_test import ExceptionTestFile  # slow to import: only the grader needs it

    return ExceptionTestFile.from_file(str(directory / f"{question}.py"))
