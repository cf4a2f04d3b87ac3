"""The sandbox-overhead measurement runs both ways on the reference (not a timed test)."""
from __future__ import annotations

import re

from autograder.bench.overhead import measure


def test_overhead_measures_both_ways():
    result = measure(n=2)
    assert result.in_process_ms > 0 and result.sandboxed_ms > 0
    assert re.fullmatch(r"worker overhead: median over 2 correct submissions: in-process [\d.]+ ms, "
                        r"sandboxed [\d.]+ ms, overhead -?[\d.]+ ms per submission", result.line())
