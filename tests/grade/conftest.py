"""A small class built from the reference solution: correct, buggy, hostile and unreadable
submissions, graded once per test module through the real CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.config import SOLUTIONS_DIR
from autograder.diagnosis.bugs import BUGS_BY_ID, patched_source

REFERENCE = (SOLUTIONS_DIR / "rnn.py").read_text(encoding="utf-8")
LOOP_IN_BACKWARD = REFERENCE + "\n\ndef rnn_backward(da, caches):\n    while True:\n        pass\n"
BUG = "q3_dtanh_one_minus_a"  # costs every q3 case (a tanh derivative of 1 - a)


def notebook(source: str) -> str:
    """A minimal nbformat-4 notebook with `source` in one code cell, after a markdown cell."""
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "id": "m", "metadata": {}, "source": ["# RNN\n"]},
        {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": None, "outputs": [],
         "source": source.splitlines(keepends=True)}]})


def write_class(folder: Path, *, hostile: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ada.py").write_text(REFERENCE, encoding="utf-8")
    (folder / "bea.ipynb").write_text(notebook(REFERENCE), encoding="utf-8")
    (folder / "cid.py").write_text(patched_source(BUGS_BY_ID[BUG]), encoding="utf-8")
    (folder / "dot.py").write_bytes(b"\xff\xfe\x00garbage")  # not UTF-8
    (folder / "eli.py").write_text("def rnn_cell_forward(:\n", encoding="utf-8")
    if hostile:
        (folder / "zed.py").write_text(LOOP_IN_BACKWARD, encoding="utf-8")
    return folder


def grade(source: Path, out: Path, *extra: str) -> int:
    return main(["grade", str(source), "--out", str(out), "-j", "2", "--timeout", "2", *extra])


@pytest.fixture(scope="package")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OUTDIR of the class above, graded once."""
    root = tmp_path_factory.mktemp("class")
    out = root / "out"
    assert grade(write_class(root / "submissions"), out) == 0
    return out
