"""The trusted reference solution (solutions/rnn.py), loaded in the grader process only."""
from __future__ import annotations

import importlib
import sys
from types import ModuleType


def load_reference() -> ModuleType:
    """Import solutions/rnn.py with `rnn_utils` resolvable, as a submission would see it."""
    if "rnn_utils" not in sys.modules:
        sys.modules["rnn_utils"] = importlib.import_module("solutions.rnn_utils")
    return importlib.import_module("solutions.rnn")
