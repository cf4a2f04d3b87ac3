"""Process-tree RSS: a child's memory is counted."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from autograder.bench.memory import PeakRss, tree_rss_kb


def test_child_memory_is_counted() -> None:
    alone = tree_rss_kb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "b = b\"x\" * (200 << 20); import time; time.sleep(30)"])
    try:
        with PeakRss(interval=0.02) as peak:
            deadline = time.monotonic() + 20
            while tree_rss_kb(os.getpid()) < alone + (150 << 10) and time.monotonic() < deadline:
                time.sleep(0.05)
        assert peak.peak_kb >= alone + (150 << 10)
    finally:
        child.kill()
        child.wait()
