"""Peak resident memory of a process tree (the grader, its runners, zygotes and workers), sampled
from /proc: no dependency, sees processes in other PID namespaces by their host pid."""
from __future__ import annotations

import os
import threading
from pathlib import Path


def _rss_kb(pid: int) -> int:
    """VmRSS of a process in kB; 0 if it is gone or has no memory (a zombie)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc/PID/task/TID/children (cheap: no scan of /proc)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for tid in tasks:
        try:
            found += map(int, Path(f"/proc/{pid}/task/{tid}/children").read_text().split())
        except OSError:
            continue
    return found


def tree_rss_kb(root: int) -> int:
    """Sum of VmRSS over `root` and all its descendants."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _rss_kb(pid)
        stack += _children(pid)
    return total


class PeakRss:
    """A background thread sampling tree_rss_kb(root) every `interval` s; `peak_mb` when done."""

    def __init__(self, *, root: int | None = None, interval: float = 0.05) -> None:
        self.root, self.interval, self.peak_kb = root or os.getpid(), interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.root))
            self._stop.wait(self.interval)

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
