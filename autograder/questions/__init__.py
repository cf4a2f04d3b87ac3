"""The questions: the registry (registry.py) and one module per question family (rnn.py) that
defines them; the otter test files q*.py generated from it by the build; in support/,
rnn_checks.py (the case drivers and the comparison) and the fixtures it reads (fixtures.npz,
fixtures.json). support/ is a subfolder because otter runs every tests/*.py as a test file."""
from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, Mapping

from autograder.config import QUESTIONS_DIR
from autograder.questions.registry import Case


@lru_cache(maxsize=None)
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
    return _otter_test_files().ExceptionTestFile.from_file(str(directory / f"{question}.py"))


def _otter_test_files() -> ModuleType:
    """otter's test-file reader. Importing it normally runs otter/__init__.py, which loads otter's
    whole CLI and API (about 1 s and 70 MB per grading process); where otter is not imported yet,
    its package stands in as a bare module with the same path, so only otter.test_files loads."""
    if "otter" not in sys.modules:
        spec = importlib.util.find_spec("otter")
        package = ModuleType("otter")
        package.__path__, package.__spec__ = list(spec.submodule_search_locations), spec
        sys.modules["otter"] = package
    return importlib.import_module("otter.test_files.exception_test")


def stored_cases(question: str, drawn: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any]]]
                 ) -> list[Case]:
    """The cases of `question`, in the order of its test file: the public ones from the build's
    fixtures, the hidden ones as `drawn` for one submission (core/hidden.py; without inputs when
    not drawn: their names and points only)."""
    return [_public_case(cid) if not meta["hidden"] else
            Case(cid, question, meta["title"], True, *drawn.get(cid, ({}, {})))
            for cid, meta in checks_module().cases().items() if meta["question"] == question]


@lru_cache(maxsize=None)
def _public_case(case_id: str) -> Case:
    meta, inputs, expected = checks_module().load_case(case_id)
    return Case(case_id, meta["question"], meta["title"], False, inputs, expected)


def public_case_id(question: str) -> str:
    """The id of the first public case of `question` in the build's fixtures ("q3/documented")."""
    return next(cid for cid, meta in checks_module().cases().items()
                if meta["question"] == question and not meta["hidden"])
