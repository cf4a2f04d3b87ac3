"""The price of the sandbox: grading a correct submission in the grading process itself (stock
otter's way: exec the file, run the test files against its namespace) against grading it through
the core (a forked, isolated worker; plain data across the boundary)."""
from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass

from autograder.config import DEFAULT_CONFIG, SOLUTIONS_DIR
from autograder.questions import registry
from autograder.core.grading import grade_source
from autograder.questions import test_file
from autograder.reference import load_reference


@dataclass(frozen=True)
class Overhead:
    n: int
    in_process_ms: float  # median
    sandboxed_ms: float  # median

    def line(self) -> str:
        return (f"worker overhead: median over {self.n} correct submissions: in-process "
                f"{self.in_process_ms:.1f} ms, sandboxed {self.sandboxed_ms:.1f} ms, "
                f"overhead {self.sandboxed_ms - self.in_process_ms:.1f} ms per submission")


def _in_process(source: str) -> float:
    load_reference()  # makes `rnn_utils` importable, as the assignment ships it
    start = time.perf_counter()
    env: dict = {"__name__": "submission"}
    exec(compile(source, "rnn.py", "exec"), env)
    for q in registry.ids():
        test_file(q).run(env)
    return time.perf_counter() - start


def measure(*, n: int = 100) -> Overhead:
    """Median wall time per submission both ways, on the reference solution (the grading of a
    correct submission; the diagnosis runs only on failed questions)."""
    source = (SOLUTIONS_DIR / "rnn.py").read_text()
    config = DEFAULT_CONFIG
    _in_process(source), grade_source(source, config=config)  # warm: imports, zygote
    in_process = [_in_process(source) for _ in range(n)]
    sandboxed = []
    for _ in range(n):
        start = time.perf_counter()
        grade_source(source, config=config)
        sandboxed.append(time.perf_counter() - start)
    sys.modules.pop("rnn", None)
    return Overhead(n, 1000 * statistics.median(in_process), 1000 * statistics.median(sandboxed))
