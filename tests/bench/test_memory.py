"""Process-tree RSS: a child's memory is counted."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from autograder.bench.memory import PeakRss, tree_rss_kb

# A parent of about 10 MB whose child holds 200 MB: only counting the child reaches 150 MB.
PARENT = ("import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', "
          "'b = b\"x\" * (200 << 20); import time; time.sleep(30)']); time.sleep(30)")


def test_child_memory_is_counted() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT])
    try:
        with PeakRss(root=parent.pid, interval=0.02) as peak:
            deadline = time.monotonic() + 20
            while tree_rss_kb(parent.pid) < (150 << 10) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.2)  # the sampler's turn: it must see the memory, not only this loop
        assert peak.peak_kb >= 150 << 10
    finally:  # kill the two processes this test started, by pid
        for child in open(f"/proc/{parent.pid}/task/{parent.pid}/children").read().split():
            os.kill(int(child), signal.SIGKILL)
        parent.kill()
        parent.wait()
