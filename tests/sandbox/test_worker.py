"""The worker's forbidden-library hook, in-process with a made-up library name (so the real torch,
which other tests import, is never shadowed): every import form works and gives an inert module;
a use from the submission's code is recorded and raises, even when caught; the import system and
libraries that probe sys.modules find nothing and record nothing."""
from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from autograder.sandbox.worker import ForbiddenUse, _Forbid

SUBMISSION = "rnn.py"  # the file name the submission is compiled as (any name: the program says)

LIB = "rnn_grader_forbidden_test_lib"  # no such package exists


@pytest.fixture
def forbid() -> Iterator[_Forbid]:
    hook = _Forbid([LIB], SUBMISSION)
    sys.meta_path.insert(0, hook)
    try:
        yield hook
    finally:
        sys.meta_path.remove(hook)
        for name in [n for n in sys.modules if n.partition(".")[0] == LIB]:
            del sys.modules[name]


def _run(code: str, filename: str = SUBMISSION) -> dict:
    namespace: dict = {}
    exec(compile(code.replace("LIB", LIB), filename, "exec"), namespace)
    return namespace


def test_every_import_form_works_and_uses_nothing(forbid: _Forbid) -> None:
    _run("import LIB.nn\nimport LIB.nn as nn\nfrom LIB import optim\nfrom LIB.nn import functional as F\n"
         "from LIB import *\nprint(LIB, nn, optim, F)")
    assert forbid.attempted is None


def test_a_use_in_the_submission_is_recorded_even_when_caught(forbid: _Forbid) -> None:
    with pytest.raises(ForbiddenUse, match=f"using {LIB}.zeros is not allowed"):
        _run("import LIB\nLIB.zeros(3)")
    forbid.attempted = None
    _run("from LIB import tensor\ntry:\n    tensor([1.0])\nexcept Exception:\n    pass")
    assert forbid.attempted == f"{LIB}.tensor"
    with pytest.raises(ForbiddenUse):
        forbid.check()  # what the worker does after each graded call


def test_a_library_probing_sys_modules_finds_nothing(forbid: _Forbid) -> None:
    """matplotlib's cbook looks up sys.modules["torch"].Tensor whenever it plots."""
    _run("import LIB")
    probe = _run(f"import sys\ntry:\n    found = sys.modules['{LIB}'].Tensor\nexcept AttributeError:\n    found = None",
                 filename="/usr/lib/python3/site-packages/some_library.py")
    assert probe["found"] is None and forbid.attempted is None
