"""What a worker is for, as the grader tells the sandbox: the sandbox itself knows nothing of the
assignment. A program names the modules the zygote imports once (shared by every worker it
forks), modules that submissions import under another name (`from rnn_utils import *`), the
drivers that run a whole graded case in the worker, and the file name the submission is
compiled under (what its tracebacks show)."""
from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Program:
    """`drivers`: key -> "module:function", a function(functions: {name: callable}, inputs) ->
    outputs; `aliases`: name a submission imports -> module; `submission`: its file name."""

    submission: str = "submission.py"
    preload: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    drivers: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"submission": self.submission, "preload": list(self.preload), "aliases": dict(self.aliases),
                "drivers": dict(self.drivers)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Program":
        return cls(str(data["submission"]), tuple(data["preload"]), dict(data["aliases"]), dict(data["drivers"]))

    def load(self) -> dict[str, Callable[..., Any]]:
        """Import what the program names (in the zygote, before it forks) and return its drivers."""
        for name in self.preload:
            importlib.import_module(name)
        for name, module in self.aliases.items():
            sys.modules[name] = importlib.import_module(module)
        return {key: resolve(ref) for key, ref in self.drivers.items()}


def resolve(ref: str) -> Any:
    """The object a "module:attribute" reference names."""
    module, _, attribute = ref.partition(":")
    return getattr(importlib.import_module(module), attribute)
