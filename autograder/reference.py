"""The trusted reference solution (solutions/, per question family), loaded in the grader process only."""
from __future__ import annotations

import importlib
import inspect
import sys
from types import ModuleType
from typing import Any, Callable, Mapping, Sequence

from autograder.questions import registry
from autograder.questions.registry import Family


def install_aliases(family: Family) -> None:
    """Make the modules a family's submissions import by another name (`rnn_utils`) importable
    here, as they are in a worker."""
    for name, module in family.aliases.items():
        if name not in sys.modules:
            sys.modules[name] = importlib.import_module(module)


def load_reference(family: Family | None = None) -> ModuleType:
    """Import the reference of `family` (default: the first registered, solutions/rnn.py) with its
    aliases resolvable, as a submission would see them."""
    family = family or registry.families()[0]
    install_aliases(family)
    return importlib.import_module(family.reference)


def bind_arguments(function: Callable[..., Any], args: Sequence[Any], kwargs: Mapping[str, Any]
                   ) -> dict[str, Any]:
    """A submission's call `function(*args, **kwargs)` as {parameter: value} in the order of
    `function`'s real signature, so every call form the function accepts (positional, keyword with
    the handout's names, mixed) means the same; a TypeError, as the function itself would raise,
    for any other."""
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)
