"""The trusted reference solution (solutions/rnn.py), loaded in the grader process only."""
from __future__ import annotations

import importlib
import inspect
import sys
from types import ModuleType
from typing import Any, Callable, Mapping, Sequence


def load_reference() -> ModuleType:
    """Import solutions/rnn.py with `rnn_utils` resolvable, as a submission would see it."""
    if "rnn_utils" not in sys.modules:
        sys.modules["rnn_utils"] = importlib.import_module("solutions.rnn_utils")
    return importlib.import_module("solutions.rnn")


def bind_arguments(function: Callable[..., Any], args: Sequence[Any], kwargs: Mapping[str, Any]
                   ) -> dict[str, Any]:
    """A submission's call `function(*args, **kwargs)` as {parameter: value} in the order of
    `function`'s real signature, so every call form the function accepts (positional, keyword with
    the handout's names, mixed) means the same; a TypeError, as the function itself would raise,
    for any other."""
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)
